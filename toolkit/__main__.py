"""`python -m toolkit ...`: the same command line as `compact-toolkit` and `python build.py`."""
import sys

from toolkit.cli import main

sys.exit(main())
