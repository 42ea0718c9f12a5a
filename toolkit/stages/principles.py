"""Principles as an edition adopts them.

The national principles come from data/principles.yml. Each edition's toolkit.yml
may, under `principles:`, reword one (title, summary), change its parameters, add a
local one (an id the national data does not have), or leave one out
(`adopted: false`). Changes apply in search-path order, national first, so the
nearest edition has the last word.
"""
from __future__ import annotations

from toolkit.model.problems import Problem
from toolkit.model.content import AdoptedPrinciple, Principle


def adopt(national: tuple[Principle, ...], changes, renderer, problems: list[Problem]):
    """(adopted principles in Compact order, ids of national principles not adopted)."""
    by_id = {p.id: p for p in national}
    state: dict[str, dict] = {p.id: {"title": p.title, "summary": None, "params": dict(p.params),
                                     "adopted": True, "local": False} for p in national}
    for change in changes:
        entry = state.get(change.id)
        if entry is None:
            if change.adopted is False:
                problems.append(Problem(change.path, change.line,
                                        f"principle {change.id} is marked not adopted, but there is no such principle",
                                        "check the number against the principles page"))
                continue
            if not change.title or not change.summary:
                problems.append(Problem(
                    change.path, change.line,
                    f"principle {change.id} is not a national principle, so it needs a title and a summary",
                    "to add a local principle give both 'title:' and 'summary:'; "
                    "to change a national one, check its number"))
                continue
            entry = state[change.id] = {"title": None, "summary": None, "params": {},
                                        "adopted": True, "local": True}
        national_params = dict(by_id[change.id].params) if change.id in by_id else {}
        for name, value in change.params:
            if change.id in by_id and name not in national_params:
                problems.append(Problem(
                    change.path, change.line,
                    f"principle {change.id} has no parameter '{name}'",
                    "its parameters are: " + (", ".join(national_params) or "none")))
                continue
            entry["params"][name] = value
        if change.title:
            entry["title"] = change.title
        if change.summary:
            entry["summary"] = (change.summary, change.path, change.line)
        if change.adopted is not None:
            entry["adopted"] = change.adopted

    summaries = [entry["summary"] for entry in state.values() if entry["summary"]]
    rendered = renderer.render_many([(text, line + 1) for text, _, line in summaries])
    rendered_by_text = {summary[0]: md for summary, md in zip(summaries, rendered)}

    adopted = []
    for pid in sorted(state, key=_compact_order):
        entry = state[pid]
        if not entry["adopted"]:
            continue
        base = by_id.get(pid)
        summary = rendered_by_text[entry["summary"][0]] if entry["summary"] else base.summary
        params = tuple(entry["params"].items())
        changed = tuple(name for name, value in params if base and dict(base.params).get(name) != value)
        reworded = bool(base) and (entry["title"] != base.title or entry["summary"] is not None)
        source, line = entry["summary"][1:] if entry["summary"] else (base.source, base.line)
        adopted.append(AdoptedPrinciple(
            id=pid, title=entry["title"], summary=summary, params=params, local=entry["local"],
            national=base if (reworded or changed) else None, changed_params=changed, source=source, line=line))
    not_adopted = tuple(pid for pid, entry in state.items() if not entry["adopted"])
    return tuple(adopted), not_adopted


def _compact_order(pid: str):
    """Numbered ids ("2.4", or a local "2.5") in the Compact's order; others ("E1") after them,
    in the order the edition lists them (sorted() keeps that order for equal keys)."""
    parts = pid.split(".")
    if all(part.isdigit() for part in parts):
        return False, tuple(int(part) for part in parts)
    return True, ()
