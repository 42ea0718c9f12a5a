"""Rebuilding on a change: the last good site in memory, or the last failed build's problems."""
from __future__ import annotations

import os
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from toolkit.stages.edition import NATIONAL_ROOT
from toolkit.model.problems import BuildFailed, Problem
from toolkit.preview.watcher import LONGEST_BURST, POLL_SECONDS, QUIET_SECONDS, changed_paths, snapshot, watched_roots


@dataclass(frozen=True)
class SiteState:
    """What the server shows: the last good site, and the problems of the last build if it failed."""
    files: dict                     # output path -> bytes
    copies: dict                    # output path -> source file, served as it is
    problems: tuple[Problem, ...]   # empty when the last build succeeded
    generation: int                 # counts rebuilds; the page reloads when it changes


class Preview:
    """Builds an edition again and again, remembering what it can between builds."""

    def __init__(self, edition_root: Path, log=None):
        from toolkit.reuse.memory import BuildMemory
        self.edition_root = Path(edition_root).resolve()
        self.log = log or (lambda line: print(line, flush=True))
        self.memory = BuildMemory(self.edition_root)
        self.state = SiteState({}, {}, (), 0)
        self.changed = threading.Condition()
        self.last_seconds = 0.0         # the last rebuild, from starting it to the new site being served
        self.building = False           # a build is under way (Ctrl+C then ends the process at once)

    def rebuild(self, changed: list[str] | None = None, seen_after: float | None = None,
                paths: list[str] | None = None) -> SiteState:
        """Build once; on failure keep the last good files and record the problems.
        `changed`: the changed files as the terminal line names them; `paths`: the same as
        the watcher found them, for the build (one page's body edited is rebuilt quickly);
        `seen_after`: seconds from the save to the watcher handing the change over."""
        from toolkit.commands.build import build
        started = time.perf_counter()
        self.building = True
        try:
            result = build(self.edition_root, write=False, memory=self.memory, changed=paths)
        except BuildFailed as failed:
            state = SiteState(self.state.files, self.state.copies, failed.problems, self.state.generation + 1)
            first = failed.problems[0]
            self.log(f"{_clock()} {_what_changed(changed, seen_after)}: the build failed ({len(failed.problems)} "
                     f"problem{'s' if len(failed.problems) != 1 else ''}, first {first.location()}); "
                     f"still showing the last good site. The browser shows the problems.")
        except Exception as exc:           # a fault in the toolkit: report it and keep serving
            traceback.print_exc()
            problem = Problem("Compact Toolkit", 0, f"{type(exc).__name__}: {exc}",
                              "this is a fault in Compact Toolkit, not in your content; "
                              "please report what the terminal shows")
            state = SiteState(self.state.files, self.state.copies, (problem,), self.state.generation + 1)
        else:
            updated = [path for path, data in result.outputs.items() if self.state.files.get(path) != data]
            removed = [path for path in self.state.files if path not in result.outputs]
            state = SiteState(result.outputs, result.copies, (), self.state.generation + 1)
        finally:
            self.building = False
        with self.changed:
            self.state = state
            self.changed.notify_all()
        self.last_seconds = time.perf_counter() - started      # the new site is what the server serves
        if not state.problems:
            self.log(f"{_clock()} {_what_changed(changed, seen_after)}: {_what_rebuilt(updated, removed, result)} "
                     f"in {self.last_seconds * 1000:.0f} ms"
                     + (f"; {len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}:\n"
                        + "\n".join(warning.format() for warning in result.warnings) if result.warnings else ""))
        return state

    def prepare(self) -> None:
        """Work for quick rebuilds done ahead, once the first site is served (body_edit.prepare)."""
        from toolkit.reuse.body_edit import prepare
        try:
            prepare(self.memory)
        except Exception:                   # only a later rebuild is slower; the preview goes on
            traceback.print_exc()

    def watch(self, stop: threading.Event, roots: list[Path], seen: dict) -> None:
        """Rebuild after each burst of changes until `stop` is set. `seen` is how the files
        looked when the last build started (taken before it, so no save goes unnoticed).
        The first time nothing has changed, work for quick rebuilds is done ahead (prepare)."""
        prepared = False
        while not stop.wait(POLL_SECONDS):
            now = snapshot(roots)
            if now == seen:
                if not prepared:
                    self.prepare()
                    prepared = True
                continue
            burst_started = time.monotonic()
            while time.monotonic() - burst_started < LONGEST_BURST:    # gather the whole burst
                time.sleep(QUIET_SECONDS)
                later = snapshot(roots)
                if later == now:
                    break
                now = later
            changed = changed_paths(seen, now)
            # The watcher's delay: from the last save to handing the burst over (its polling
            # and its wait for the burst to end); the rebuild's own time is counted from here.
            saved = [now[path][0] for path in changed if path in now]
            seen_after = max(0.0, time.time() - max(saved) / 1e9) if saved else None
            self.rebuild([_shown(path, roots) for path in changed], seen_after, changed)
            seen = now
            new_roots = watched_roots(self.edition_root)      # toolkit.yml may now extend another edition
            if new_roots != roots:
                roots, seen = new_roots, snapshot(new_roots)


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def _shown(path: str, roots: list[Path]) -> str:
    """A changed file as a person knows it: relative to its edition, naming the edition
    when it is not the one being previewed."""
    for root in roots:
        if path.startswith(str(root) + os.sep):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if root == roots[0]:
                return rel
            return f"{rel} (national)" if root == NATIONAL_ROOT else f"{rel} (in {root.name})"
    return path


def _what_changed(changed: list[str] | None, seen_after: float | None = None) -> str:
    if changed is None:
        return "first build"
    what = (", ".join(changed) if len(changed) <= 3 else f"{changed[0]} and {len(changed) - 1} other files") + " changed"
    return what + (f" (seen {seen_after * 1000:.0f} ms after the save)" if seen_after is not None else "")


def _what_rebuilt(updated: list[str], removed: list[str], result) -> str:
    if not updated and not removed:
        return f"no page changed ({result.pages} pages checked)"
    names = ", ".join(updated[:4]) + (f" and {len(updated) - 4} more" if len(updated) > 4 else "")
    text = f"updated {len(updated)} of {len(result.outputs)} files ({names})" if updated else ""
    if removed:
        text += ("; " if text else "") + f"removed {len(removed)}"
    return text
