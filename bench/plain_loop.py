"""The floor for a Python generator: markdown-it-py and Jinja2 in one plain loop.

    python bench/plain_loop.py MKDOCS_PROJECT OUT

Renders every docs/**/*.md of a generated MkDocs project (bench/generate.py) into a
small HTML page: front matter split off, Markdown with tables, one Jinja2 template,
no navigation, no search, no checks. It is what performance-notes.md calls the plain
loop. Timed in the same run as the toolkit, it shows how far the toolkit is from the
cost of the parsing and templating alone, whatever the machine and its load.
"""
from __future__ import annotations

import sys
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = jinja2.Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main>{{ body }}</main></body></html>
""", autoescape=True)


def main(argv: list[str]) -> int:
    project, out = Path(argv[0]), Path(argv[1])
    parser = MarkdownIt("commonmark").enable("table")
    for source in sorted((project / "docs").rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2) if text.startswith("---\n") else ("", "", text)
        title = next((line[len("title: "):] for line in front.splitlines() if line.startswith("title: ")), "")
        target = out / source.relative_to(project / "docs").with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(PAGE.render(title=title, body=Markup(parser.render(body))),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
