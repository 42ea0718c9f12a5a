#!/usr/bin/env python3
"""Build a Compact guidance toolkit. Run `python build.py --help` for the commands."""
import sys

from toolkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
