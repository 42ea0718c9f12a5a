"""Reading the files an edition is written in: YAML with line numbers, and the schema
every YAML file (settings, front matter, case studies, data, theme text) is checked against;
and the proportions of its logos, read from their PNG or SVG files."""
