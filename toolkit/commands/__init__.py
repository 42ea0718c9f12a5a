"""The commands of the command line (cli.py): build --all, check, new, serve."""
