"""The command line: `compact-toolkit [build|check|new|serve] ...`, also run as
`python -m toolkit ...` and, in a checkout, `python build.py ...`.

Exit status: 0 when all is well, 1 when the edition has problems (each printed as
file:line: what is wrong, and a hint), 2 when the command itself is wrong.
No traceback unless --debug. Modules are imported only when a command needs them,
so a quick command starts quickly.
"""
from __future__ import annotations

import argparse
import errno
import os
import signal
import threading
import sys
from pathlib import Path

COMMANDS = ("build", "check", "new", "serve")


def _parser() -> argparse.ArgumentParser:
    from toolkit import invocation
    parser = argparse.ArgumentParser(
        prog=invocation.program_name(),
        description="Compact Toolkit: build a local Compact guidance toolkit as a static website.",
        epilog="With no command, builds the edition in the current folder (or, where there is none, the "
               f"national toolkit) into _site/. Run '{invocation.command()} COMMAND --help' for a command's options.")
    parser.add_argument("--debug", action="store_true", help="show a traceback when something goes wrong")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build an edition into a folder of web pages")
    build.add_argument("edition", nargs="?", default=None,
                       help="folder of the edition (default: the current folder if it is an edition, "
                            "else the national toolkit)")
    build.add_argument("--out", type=Path, help="where to write the site (default: EDITION/_site)")
    build.add_argument("--all", nargs="?", const="areas", default=None, metavar="FOLDER",
                       help="build the national toolkit and every edition under FOLDER (default: areas)")
    build.add_argument("--pdf", action="store_true", help="also make a PDF of the whole guide (needs WeasyPrint)")
    build.add_argument("--zip", action="store_true", help="also write the site as one zip file beside its folder")
    build.add_argument("--strict", action="store_true", help="treat warnings (such as stale pages) as errors")
    build.add_argument("--no-cache", action="store_true", help="ignore and do not update the build cache")
    build.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    check = commands.add_parser("check", help="check an edition for mistakes without writing anything")
    check.add_argument("edition", nargs="?", default=None,
                       help="folder of the edition (default: the current folder if it is an edition, else national)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--external", action="store_true", help="also check links to other websites (needs a network)")
    check.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    new = commands.add_parser("new", help="start a new local edition in a folder")
    new.add_argument("folder", type=Path, help="the folder to create")
    new.add_argument("--name", required=True, help="the area's name, e.g. \"Northbridge\"")
    new.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    serve = commands.add_parser("serve", help="preview an edition, rebuilding when a file is saved")
    serve.add_argument("edition", nargs="?", default=None,
                       help="folder of the edition (default: the current folder if it is an edition, else national)")
    serve.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1, 1 to 65535 (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _port(text: str) -> int:
    """A TCP port number, 1 to 65535 (0 would be any free port, unknown to the person)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port value: '{text}' (use a number from 1 to 65535, e.g. 8000)")
    return number


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not [a for a in argv if a not in ("--debug",)]:
        argv.append("build")
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_usage(sys.stderr)
        return 2
    from toolkit.model.problems import BuildFailed
    _ctrl_c_in_this_process_only()
    try:
        return _run(args)
    except BuildFailed as failed:
        from toolkit.model.problems import format_report
        print(format_report(failed.problems), file=sys.stderr)
        if args.command == "build":
            print("\nNothing was written: the last good site is unchanged.", file=sys.stderr)
        if args.debug:
            raise
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:                            # the disk, the folder or the system said no
        if args.debug:
            raise
        print(describe_os_error(exc), file=sys.stderr)
        if args.command == "build":
            print("\nThe last good site is unchanged.", file=sys.stderr)
        return 1
    except Exception as exc:                          # a bug in the toolkit, not in the content
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {exc}\n"
              "This is a fault in Compact Toolkit, not in your content. "
              "Run again with --debug and report what it prints.", file=sys.stderr)
        return 1


def _ctrl_c_in_this_process_only() -> None:
    """A terminal sends Ctrl+C to the build's worker processes too. Forked from this one,
    they share this handler and leave the stopping to it: this process stops the build
    (its pools end their workers) and exits 130, and no worker prints a traceback."""
    if threading.current_thread() is not threading.main_thread():
        return
    this = os.getpid()

    def interrupted(signum, frame):
        if os.getpid() == this:
            raise KeyboardInterrupt
    signal.signal(signal.SIGINT, interrupted)


_OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space, or build to another disk with --out",
    errno.EDQUOT: "your disk quota is used up: free some space, or build to another disk with --out",
    errno.EROFS: "this disk or folder can only be read: build to another folder with --out",
    errno.EACCES: "you may not write or read here: build to a folder of your own with --out, or ask who "
                  "manages the folder for permission",
    errno.EPERM: "you may not write or read here: build to a folder of your own with --out, or ask who "
                 "manages the folder for permission",
    errno.EBUSY: "another program is using this folder (a web server, an open window, a sync tool): close it, "
                 "or build to another folder with --out",
    errno.ENOTDIR: "part of this path is a file, not a folder: choose another folder",
    errno.ENAMETOOLONG: "the path is too long: use a shorter folder name, nearer the top of the disk",
}


def describe_os_error(exc: OSError) -> str:
    """What the system refused, on which file, and what to do: a message, never a traceback."""
    where = exc.filename if exc.filename is not None else "a file"
    text = f"{where}: error: {exc.strerror or exc}"
    hint = _OS_HINTS.get(exc.errno or 0)
    return text + (f"\n  hint: {hint}" if hint else "\n  hint: check the folder exists and can be written, "
                   "then run the command again")


def _edition_folder(value: str | None) -> Path:
    """The edition a command is about: the one named, else the folder the command is run in when it is
    an edition, else the national toolkit."""
    from toolkit.national import CONFIG_FILE, NATIONAL_ROOT
    if value:
        return Path(value)
    return Path.cwd() if (Path.cwd() / CONFIG_FILE).is_file() else NATIONAL_ROOT


def _run(args) -> int:
    if args.command == "new":
        from toolkit.commands.new import new_edition, next_steps
        folder = new_edition(args.folder, args.name)
        print(next_steps(folder))
        return 0
    if args.command == "serve":
        from toolkit.commands.serve import serve
        return serve(_edition_folder(args.edition), port=args.port, open_browser=args.open)
    if args.command == "check":
        from toolkit.commands.check import run_check
        return run_check(_edition_folder(args.edition), strict=args.strict, external=args.external)
    if args.all is not None:
        from toolkit.commands.build_all import build_all
        return build_all(Path(args.all), out=args.out, strict=args.strict, pdf=args.pdf,
                         use_cache=not args.no_cache, zip_site=args.zip)
    from toolkit.commands.build import run_build
    return run_build(_edition_folder(args.edition), args.out, strict=args.strict, use_cache=not args.no_cache,
                     pdf=args.pdf, zip_site=args.zip)
