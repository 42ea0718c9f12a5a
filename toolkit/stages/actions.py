"""Suggested actions as an edition adapts them, in the order the action plan lists them.

The actions come from data/actions.yml (the nearest edition's copy, found as any file
is). Each edition's toolkit.yml may, under `actions:`, add actions of its own (`add:`,
each written as in data/actions.yml), leave actions out by id (`hide:`) and put some
first within their stage (`order:`), without copying the national file. Changes apply
in search-path order, national first, so the nearest edition has the last word. Then
every action takes its place in its stage, the stages in the order of commissioning
(schema.STAGES); within a stage the actions keep the order of the list.
"""
from __future__ import annotations

import difflib

from toolkit.model.problems import Problem
from toolkit.formats.schema import STAGES


def adapt(items: list[dict], changes, markdown) -> tuple[list[dict], list[Problem]]:
    """(the actions in plan order, each a dict as content.py reads data/actions.yml; problems).

    `changes`: config.ActionChanges, national first. `markdown(text, line)` queues an added
    action's detail to be rendered with the rest of the batch and returns its index.
    """
    actions = list(items)
    problems: list[Problem] = []
    for change in changes:
        by_id = {str(item["id"]): item for item in actions}
        for entry, line, column in change.add:
            key = str(entry["id"])
            if key in by_id:
                first = by_id[key]
                problems.append(Problem(
                    change.path, line, f"the action '{key}' is already in the list "
                    f"({first['_source']}, line {first['_line']})",
                    "give your action an id of its own; to replace that action, "
                    "list its id under 'hide:' and add yours with a new id", column))
                continue
            item = dict(entry)
            item["_source"], item["_line"] = change.path, line
            item["_detail"] = markdown(entry["detail"], entry.line_of("detail") + 1)
            actions.append(item)
            by_id[key] = item
        hidden: dict[str, int] = {}
        for key, line, column in change.hide:
            if key not in by_id:
                problems.append(_unknown(change.path, line, column, "hide", key, by_id, hidden))
                continue
            hidden[key] = line
            actions = [item for item in actions if item is not by_id[key]]
            del by_id[key]
        first: list[str] = []
        for key, line, column in change.order:
            if key not in by_id:
                problems.append(_unknown(change.path, line, column, "order", key, by_id, hidden))
            elif key not in first:
                first.append(key)
        actions = [by_id[key] for key in first] + [item for item in actions if str(item["id"]) not in first]
    return sorted(actions, key=lambda item: STAGES.index(item["stage"])), problems


def _unknown(path: str, line: int, column: int, setting: str, key: str, by_id: dict,
             hidden: dict[str, int]) -> Problem:
    if key in hidden:
        return Problem(path, line, f"'{setting}' under 'actions:' names the action '{key}', "
                       f"which is hidden (line {hidden[key]})", "take it out of one of the two lists", column)
    close = difflib.get_close_matches(key, sorted(by_id), n=1, cutoff=0.6)
    hint = (f"did you mean '{close[0]}'?" if close
            else "use the id of an action in data/actions.yml, or of one added under 'add:'")
    return Problem(path, line, f"'{setting}' under 'actions:' names the action '{key}', but there is no such action",
                   hint, column)
