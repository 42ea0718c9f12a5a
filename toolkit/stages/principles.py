"""Principles as an edition adopts them.

The national principles come from data/principles.yml, each parameter declared with its
type and unit (`consultation_weeks: {value: 12, type: number, unit: weeks}`): the site
writes the unit after the value ("12 weeks"), so no text and no setting ever does. Each
edition's toolkit.yml may, under `principles:`, reword one (title, summary), change a
parameter (its value alone, which must be of the declared type), add a local one (an id
the national data does not have, declaring its parameters the same way), or leave one
out (`adopted: false`). Changes apply in search-path order, national first, so the
nearest edition has the last word.
"""
from __future__ import annotations

import difflib
import re

from toolkit.model.problems import Problem
from toolkit.model.content import AdoptedPrinciple, Param, Principle


def closest_id(wrong: str, ids) -> str:
    """The id `wrong` was probably meant to be ("2,4" for 2.4), or ""."""
    ids = [str(pid) for pid in ids]
    normal = re.sub(r"[,;:\s]+", ".", wrong.strip()).strip(".")
    if normal != wrong and normal in ids:
        return normal
    close = difflib.get_close_matches(wrong, ids, n=1, cutoff=0.6)
    return close[0] if close else ""


def declared(params, source: str, problems: list[Problem], pid: str) -> tuple[tuple[str, Param], ...]:
    """A principle's parameters as its data declares them (a value, or the value with its type and
    unit); a value that is not of its type is a problem, and the parameter is left out."""
    found = []
    for name, value in (params or {}).items():
        where = (source, params.line_of(name), params.column_of(name)) if hasattr(params, "line_of") else (source, 0, 0)
        param = _declaration(str(name), value, pid, where, problems)
        if param is not None:
            found.append((str(name), param))
    return tuple(found)


def _declaration(name: str, value, pid: str, where, problems: list[Problem]) -> Param | None:
    if isinstance(value, dict):
        written = value["value"]
        kind = value.get("type") or ("number" if _as_number(written) is not None else "text")
        param = Param(written, kind, str(value.get("unit") or ""), str(value.get("unit_one") or ""))
    else:
        param = Param(value, "number" if _as_number(value) is not None else "text")
    # Kept as written when it is not of its type (the problem is reported), so no text that
    # refers to it is reported too.
    return _of_its_type(name, param, param.value, pid, where, problems, example="") or param


def _of_its_type(name: str, declared: Param, value, pid: str, where, problems: list[Problem],
                 example: str) -> Param | None:
    """`declared` with `value`, when the value is of its type; else None, and a problem."""
    if declared.type == "text":
        return Param(str(value), "text", declared.unit, declared.unit_one)
    number = _as_number(value)
    if number is not None:
        return Param(number, "number", declared.unit, declared.unit_one)
    what = f"a number of {declared.unit}" if declared.unit else "a number"
    figure = _LEADING_NUMBER.match(str(value))
    written = figure.group(1) if figure else example or "12"
    shown = Param(_as_number(written), "number", declared.unit, declared.unit_one).shown()
    fix = f"write the number alone: {name}: {written}" if figure else f"write it in figures, e.g. {name}: {written}"
    path, line, column = where
    problems.append(Problem(path, line, f"'{name}' of principle {pid} is {what}, not '{value}'",
                            fix + (f" (the site adds the unit: \"{shown}\")" if declared.unit else ""), column))
    return None


_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")
_LEADING_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)")


def _as_number(value) -> int | float | None:
    """A number as written: 8, 2.5, or the text "8"; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    match = _NUMBER.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    figure = match.group(1)
    return float(figure) if "." in figure else int(figure)


def adopt(national: tuple[Principle, ...], changes, renderer, problems: list[Problem]):
    """(adopted principles in Compact order, (id, title) of the principles not adopted)."""
    by_id = {p.id: p for p in national}
    state: dict[str, dict] = {p.id: {"title": p.title, "summary": None, "params": dict(p.params),
                                     "adopted": True, "local": False} for p in national}
    for change in changes:
        entry = state.get(change.id)
        if entry is None:
            close = closest_id(change.id, state)
            if change.adopted is False:
                problems.append(Problem(change.path, change.line,
                                        f"principle {change.id} is marked not adopted, but there is no such principle",
                                        f"did you mean \"{close}\"?" if close else
                                        "check the number against the principles page", change.column))
                continue
            if not change.title or not change.summary:
                problems.append(Problem(
                    change.path, change.line,
                    f"principle {change.id} is not a national principle, so it needs a title and a summary",
                    f"did you mean \"{close}\"?" if close else
                    "to add a local principle give both 'title:' and 'summary:'; "
                    "to change a national one, check its number", change.column))
                continue
            entry = state[change.id] = {"title": None, "summary": None, "params": {},
                                        "adopted": True, "local": True}
        national_params = dict(by_id[change.id].params) if change.id in by_id else {}
        for name, value, line, column in change.params:
            if change.id in by_id and name not in national_params:
                problems.append(Problem(
                    change.path, line,
                    f"principle {change.id} has no parameter '{name}'",
                    "its parameters are: " + (", ".join(national_params) or "none"), column))
                continue
            before = entry["params"].get(name)
            if before is None:              # a new parameter of a local principle: declared here
                param = _declaration(name, value, change.id, (change.path, line, column), problems)
            elif isinstance(value, dict):
                problems.append(Problem(
                    change.path, line, f"'{name}' of principle {change.id} already has its type and unit",
                    f"give the value alone, e.g. {name}: {before.value}", column))
                continue
            else:
                param = _of_its_type(name, before, value, change.id, (change.path, line, column), problems,
                                     example=str(before.value))
            if param is not None:
                entry["params"][name] = param
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
    not_adopted = tuple((pid, str(entry["title"])) for pid, entry in state.items() if not entry["adopted"])
    return tuple(adopted), not_adopted


def _compact_order(pid: str):
    """Numbered ids ("2.4", or a local "2.5") in the Compact's order; others ("E1") after them,
    in the order the edition lists them (sorted() keeps that order for equal keys)."""
    parts = pid.split(".")
    if all(part.isdigit() for part in parts):
        return False, tuple(int(part) for part in parts)
    return True, ()
