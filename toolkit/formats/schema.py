"""The one definition of every file format an edition uses.

Each format is a tuple of `Field`s. `check` validates loaded YAML against it and
returns every problem (unknown keys get a "did you mean"); `json_schema` writes the
same definition out for editors (VS Code's YAML extension reads `schemas/*.json`).
Nothing else in the toolkit lists the fields of a file.

One rule for every text field: it holds the text as it was typed, whatever YAML would
read it as. `term: 2024` is the term "2024", `phone: 01234567` keeps its 0 and
`title: 2026-01-01` is that text; `check` puts the text in place of the number, date
or true/false, so later stages only ever see text there.

One rule for every path (a field of kind "path": extends, logo file, favicon, hide,
sections): it may be written with Windows backslashes, and `check` puts it in place with
'/', so `static\\logo.svg` and `static/logo.svg` are the same file everywhere after.

A value is checked for what it means, not only for its kind: a value YAML took for a
comment (`primary: #5a2d82`) is an error that says to quote it, and a setting marked
`needs_value` may not be written empty (an empty `area:` would silently keep the national
one). With `drop=True`, `check` also removes each value it finds wrong, so the build can
go on with what an edition inherits there and report every other problem in the same run.
"""
from __future__ import annotations

import datetime
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.model.problems import Problem
from toolkit.formats.yaml_files import YamlList, YamlMap, load_yaml


@dataclass(frozen=True)
class Field:
    name: str
    kind: str                       # text markdown path integer boolean date colour url email id list map
    help: str
    required: bool = False
    choices: tuple = ()
    items: "Field | tuple[Field, ...] | None" = None   # list items: a Field, or the fields of a mapping
    fields: "tuple[Field, ...] | None" = None          # map: the fields of a nested mapping
    open_map: bool = False          # map with free keys (parameters, principle overrides)
    values: "Field | None" = None   # the field each free key's value must satisfy
    removable: bool = False         # map: false (or "") instead removes what an extended edition set
    needs_value: bool = False       # written, it may not be empty (empty would keep the inherited value)


TEXT_KINDS = ("text", "markdown", "id", "url", "email", "path")     # what each holds is text, as typed
PATH_LIST = Field("item", "path", "")
TEXT_LIST = Field("item", "text", "")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Only web addresses: a contact's or a publication's link can never be javascript: or data:.
URL_PATTERN = re.compile(r'''^https?://[^\s<>"'`\\]+$''')
# An address a mailto: link can be made from: one @, no spaces, nothing that starts a query or markup.
EMAIL_PATTERN = re.compile(r'''^[^@\s<>"'`\\?&#:/]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$''')
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")

PARAM_TYPES = ("number", "text")

# A parameter declared with its type and unit: the theme writes the unit after the value
# ("12 weeks"), so text never has to, and a value that is not of its type is an error.
PARAM = (
    Field("value", "scalar", "The value, e.g. 12", required=True),
    Field("type", "text", "number (a figure, written in digits) or text (words); "
          "by default number when the value is one", choices=PARAM_TYPES),
    Field("unit", "text", "What the site writes after the value, e.g. weeks"),
    Field("unit_one", "text", "What the site writes after the value 1, e.g. week (by default the unit)"),
)

PRINCIPLE_PARAMS = Field("params", "map", "Values the text refers to, each with its type and unit, e.g. "
                         "consultation_weeks: {value: 12, type: number, unit: weeks}", open_map=True,
                         values=Field("value", "param", "a value, or value: with type: and unit:"))

PRINCIPLE_OVERRIDE = (
    Field("title", "text", "Your Compact's title for this principle"),
    Field("summary", "markdown", "Your Compact's wording of this principle"),
    Field("params", "map", "Changed values, e.g. consultation_weeks: 8 (the number alone: the site adds "
          "the unit)", open_map=True, values=Field("value", "param", "a value (for a local principle, "
                                                    "or value: with type: and unit:)")),
    Field("adopted", "boolean", "false if your local Compact does not include this principle"),
)

STAGES = ("planning", "consultation", "procurement", "contract", "review")
AUDIENCES = ("commissioners", "vcs")

ACTION = (
    Field("id", "id", "A unique name, e.g. commissioners-engage-early", required=True),
    Field("audience", "text", "Who the action is for", required=True, choices=AUDIENCES),
    Field("stage", "text", "When in commissioning it applies", required=True, choices=STAGES),
    Field("title", "text", "The action, as a short instruction", required=True),
    Field("detail", "markdown", "A short explanation", required=True),
    Field("principles", "list", "Ids of related principles", items=TEXT_LIST),
    Field("sections", "list", "Guide pages (file names without .md) that explain it",
          items=PATH_LIST, required=True),
)

LOGO = (
    Field("file", "path", "Path of an SVG or PNG file in this edition, e.g. static/logo.svg", required=True),
    Field("alt", "text", "What the logo says, for screen readers, e.g. Northbridge Council", required=True),
    Field("plate", "boolean", "true draws the logo on a white panel, for a logo made for a white background"),
)

TOOLKIT = (
    Field("name", "text", "The site's name, shown in the header of every page", required=True),
    Field("area", "text", "The area the edition is for, e.g. Northbridge", needs_value=True),
    Field("compact_name", "text", "Your local Compact's name, e.g. The Northbridge Compact", needs_value=True),
    Field("publisher", "text", "The council or CVS that publishes this edition", needs_value=True),
    Field("language", "text", "Language of the site", choices=("en",), needs_value=True),
    Field("extends", "path", "Folder of the edition this one builds on (default: the national toolkit)",
          needs_value=True),
    Field("base_url", "url", "Full web address where the site will live (for the sitemap, canonical links and the 404 page)",
          needs_value=True),
    Field("search_engines", "boolean", "false keeps the site out of search engines (for intranets)",
          needs_value=True),
    Field("review_every", "integer", "Months after which a page's 'reviewed' date counts as stale", needs_value=True),
    Field("allow_raw_html", "boolean", "true lets Markdown contain raw HTML (a risk: see the README)",
          needs_value=True),
    Field("show_build_date", "boolean", "true prints the build date on the site (honours SOURCE_DATE_EPOCH)",
          needs_value=True),
    Field("home", "map", "The home page in your words, without copying a national page", fields=(
        Field("title", "text", "The home page's heading (by default the site's name, or the title of "
              "your own content/index.md)", needs_value=True),
        Field("introduction", "markdown", "The introduction under the heading, in place of the national one",
              needs_value=True),
        Field("about", "markdown", "What this edition is and who made it, shown under 'About this edition'",
              needs_value=True),
    )),
    Field("notice", "map", "A notice shown at the top of every page; notice: false removes the one "
          "this edition would otherwise show", removable=True, fields=(
        Field("text", "text", "What the notice says, e.g. This guide describes the law as it stood in "
              "March 2014.", required=True),
        Field("link", "text", "A page to read more: its address in the site, e.g. what-has-changed.html, "
              "or a web address starting https://"),
        Field("link_text", "text", "The words of the link, e.g. What has changed since 2014"),
    )),
    Field("logo", "map", "Your logo, in the header of every page (drawn 44 pixels high, as wide as its "
          "proportions make it) and on the PDF's cover", fields=LOGO),
    Field("partner_logo", "map", "A second logo beside the first, for an edition published jointly, "
          "e.g. by the council and the CVS; partner_logo: false removes the one this edition would "
          "otherwise show", removable=True, fields=LOGO),
    Field("favicon", "path", "Path of a small SVG, PNG or ICO icon, e.g. static/favicon.svg", needs_value=True),
    Field("colours", "map", "Brand colours as #rrggbb", fields=(
        Field("primary", "colour", "Header, links and buttons", needs_value=True),
        Field("accent", "colour", "The keyboard focus highlight, the skip link and the line under the "
              "header; light or dark (the site puts dark or white text on it, whichever reads better)",
              needs_value=True),
    )),
    Field("contacts", "list", "People readers can contact, shown in the footer", items=(
        Field("name", "text", "Name or team", required=True),
        Field("role", "text", "What they can help with"),
        Field("email", "email", "Email address"),
        Field("phone", "text", "Phone number"),
        Field("url", "url", "Web page"),
    )),
    Field("accessibility", "map", "For the accessibility statement", fields=(
        Field("contact_email", "email", "Where to ask for an accessible format or report a problem", required=True),
        Field("contact_phone", "text", "Phone number for the same"),
        Field("response_days", "integer", "Working days within which you reply"),
        Field("status", "text", "How far the site meets WCAG 2.2 AA",
              choices=("full", "partial", "not")),
        Field("last_tested", "date", "When the site was last tested, as YYYY-MM-DD", required=True),
        Field("statement_prepared", "date", "When this statement was prepared, as YYYY-MM-DD"),
        Field("known_issues", "list", "Parts of the site that do not yet meet the standard", items=TEXT_LIST),
    )),
    Field("hide", "list", "Files from the national toolkit this edition leaves out, "
          "e.g. content/decommissioning.md or case_studies/sutton.yml", items=PATH_LIST),
    Field("principles", "map", "Changes to principles: reword, change parameters, add local ones, "
          "or set adopted: false", open_map=True,
          values=Field("principle", "map", "a principle", fields=PRINCIPLE_OVERRIDE)),
    Field("actions", "map", "Changes to the suggested actions: add your own, hide or reorder national ones", fields=(
        Field("add", "list", "Actions of this edition's own, each written as in data/actions.yml", items=ACTION),
        Field("hide", "list", "Ids of actions this edition leaves out, e.g. commissioners-review-regularly",
              items=TEXT_LIST),
        Field("order", "list", "Ids of actions to list first within their stage, in this order", items=TEXT_LIST),
    )),
)

FRONT_MATTER = (
    Field("title", "text", "The page's heading and name in the navigation", required=True),
    Field("order", "integer", "Position in the guide: lower numbers come first", required=True),
    Field("summary", "text", "One sentence shown on the home page and in search results"),
    Field("nav_title", "text", "A shorter name for the navigation"),
    Field("themes", "list", "Themes the page is about (relates case studies)", items=TEXT_LIST),
    Field("reviewed", "date", "When the page was last checked, as YYYY-MM-DD"),
)

CASE_STUDY = (
    Field("title", "text", "The case study's heading", required=True),
    Field("area", "text", "The place it happened", required=True),
    Field("year", "integer", "The year it happened"),
    Field("summary", "text", "One or two sentences for the index", required=True),
    Field("organisations", "list", "Who was involved", items=TEXT_LIST),
    Field("themes", "list", "Themes, in lower case", items=TEXT_LIST, required=True),
    Field("principles", "list", "Ids of the principles it illustrates", items=TEXT_LIST),
    Field("sections", "list", "Guide pages (file names without .md) it illustrates", items=PATH_LIST),
    Field("who", "markdown", "Who was involved and the setting", required=True),
    Field("what_they_did", "markdown", "What they set up", required=True),
    Field("what_it_led_to", "markdown", "What came of it", required=True),
    Field("outcomes", "list", "Short outcome statements, shown as a list under what it led to", items=TEXT_LIST),
    Field("figures", "list", "Key figures, each a value and what it counts, e.g. {value: \"9\", label: clubs consulted}",
          items=(Field("value", "text", "The figure, e.g. 9 or £20,000", required=True),
                 Field("label", "text", "What it counts", required=True))),
    Field("quote", "map", "Something one of them said, with who said it",
          fields=(Field("text", "text", "The words, without quotation marks", required=True),
                  Field("by", "text", "Who said it, e.g. their role and organisation", required=True))),
    Field("differently", "markdown", "What they would do differently next time"),
    Field("contact", "text", "Who to ask about it, e.g. a team and an email address"),
    Field("documents", "list", "Documents to read, each a title and a web address",
          items=(Field("title", "text", "The document's title", required=True),
                 Field("url", "url", "Where to find it", required=True))),
    Field("reviewed", "date", "When the case study was last checked, as YYYY-MM-DD"),
)

PRINCIPLE = (
    Field("id", "id", "The principle's number in the Compact, in quotes, e.g. \"2.4\"", required=True),
    Field("title", "text", "A short title", required=True),
    Field("summary", "markdown", "What the principle commits partners to", required=True),
    PRINCIPLE_PARAMS,
)

GLOSSARY_TERM = (
    Field("term", "text", "The term as it appears in text", required=True),
    Field("id", "id", "Anchor on the glossary page, lower case with hyphens", required=True),
    Field("expansion", "text", "What an abbreviation stands for"),
    Field("definition", "markdown", "What it means", required=True),
    Field("aliases", "list", "Other forms of the term to link", items=TEXT_LIST),
    Field("historical", "text", "Set when the term no longer applies: what happened to it, "
          "e.g. Replaced by integrated care boards in July 2022"),
    Field("replaced_by", "id", "The id of the glossary entry for what replaced it"),
)

READING = (
    Field("title", "text", "The publication's title", required=True),
    Field("url", "url", "Where to find it"),
    Field("publisher", "text", "Who published it"),
    Field("year", "integer", "Year of publication"),
    Field("description", "markdown", "Why to read it", required=True),
    Field("historical", "text", "Set when it no longer describes the law or practice: what changed, "
          "e.g. The EU thresholds no longer apply"),
    Field("replaced_by", "text", "The title of the entry in this list that took its place"),
)

# File name -> (schema of each list item). Data files are lists of mappings.
DATA_FILES = {
    "data/principles.yml": PRINCIPLE,
    "data/actions.yml": ACTION,
    "data/glossary.yml": GLOSSARY_TERM,
    "data/further_reading.yml": READING,
}


# The theme's strings file (themes/default/strings/<language>.yml): the words the theme
# shows for each name its templates use. The names are those of the national file of the
# language: an edition's file gives new words for any of them, and the rest come from
# the national file.


def strings_fields(names, required: bool = False) -> tuple[Field, ...]:
    """The format of a strings file whose names are `names` (the national file's)."""
    return tuple(Field(name, "text", "the words the theme shows for it", required=required) for name in names)


STRINGS_UNKNOWN = ("a strings file gives the words for the names the theme uses, listed in the national "
                   "themes/default/strings/en.yml; check the spelling against it")


def check(value, fields: tuple[Field, ...], path: str, line: int = 1, what: str = "",
          column: int = 0, unknown_hint: str = "", drop: bool = False) -> list[Problem]:
    """Every problem with a mapping against its fields. A text field's value becomes its
    text as typed, in place (see the module's docstring). `unknown_hint` is said of an
    unknown setting that is not a misspelling of one, instead of listing every setting.
    `drop`: remove each value found wrong from its mapping (see the module's docstring)."""
    if not isinstance(value, dict):
        return [Problem(path, getattr(value, "line", line),
                        f"{what or 'this'} should be a set of 'name: value' settings, "
                        f"not {_describe(value)}",
                        "write each setting on its own line as name: value",
                        getattr(value, "column", column))]
    line, column = getattr(value, "line", line), getattr(value, "column", column)
    problems = []
    by_name = {f.name: f for f in fields}
    meant = set()              # settings an unknown key is probably a misspelling of
    for key in value:
        if key not in by_name:
            close = difflib.get_close_matches(str(key), [n for n in by_name if n not in value], n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'?" if close
                    else unknown_hint or "the settings allowed here are: " + ", ".join(by_name))
            meant.update(close)
            problems.append(Problem(path, _line(value, key, line), f"unknown setting '{key}'", hint,
                                    _column(value, key, column)))
    for field in fields:
        if field.name not in value or value[field.name] is None:
            empty = _empty_problem(value, field, path, _line(value, field.name, line),
                                   _column(value, field.name, column))
            if empty is not None:
                problems.append(empty)
                if drop:
                    _drop(value, field.name)
            elif field.required and field.name not in meant:      # "did you mean" already says it
                problems.append(Problem(path, line, f"'{field.name}' is missing",
                                        f"add '{field.name}:' ({field.help})", column))
            continue
        if field.kind in TEXT_KINDS:
            _take_as_text(value, field.name, field.kind)
        found = check_value(value[field.name], field, path, _line(value, field.name, line),
                            _column(value, field.name, column), drop)
        if found and drop and not (field.kind == "map" and isinstance(value[field.name], dict)):
            _drop(value, field.name)        # a map keeps its good settings: its wrong ones are gone
        problems += found
    return problems


def _drop(mapping, key) -> None:
    """Take a wrong value out of its mapping, noting that it was there."""
    del mapping[key]
    if isinstance(mapping, YamlMap):
        mapping.dropped = (*mapping.dropped, key)


def _empty_problem(value, field: Field, path: str, line: int, column: int) -> Problem | None:
    """The problem with a setting written with nothing after it, if that is one: a value YAML
    took for a comment, or an empty one where it is needed."""
    if field.name not in value:
        return None
    lost = value.lost_to_comment(field.name) if isinstance(value, YamlMap) else None
    if lost:
        return comment_problem(field.name, lost, field.kind == "colour", path, line, column)
    if field.needs_value:
        return Problem(path, line, f"'{field.name}' is empty",
                       f"write a value after '{field.name}:' ({field.help[:1].lower() + field.help[1:]}), "
                       "or delete the line to keep the one this edition builds on", column)
    return None


def comment_problem(name: str, lost: str, colour: bool, path: str, line: int, column: int = 0) -> Problem:
    """`name: #5a2d82`: YAML reads everything from the # as a comment, so the value is empty."""
    shown = lost.split()[0] if colour else lost
    return Problem(path, line, f"'{name}' is empty: YAML took {shown} for a comment, "
                   "as a # after a space starts one",
                   f"put the {'colour' if colour else 'value'} in quotes: {name}: \"{shown}\"", column)


def check_value(item, field: Field, path: str, line: int, column: int = 0, drop: bool = False) -> list[Problem]:
    problems = _check_value(item, field, path, line, drop)
    # Every message about one value points where its setting starts.
    return [Problem(p.path, p.line, p.message, p.hint, column) if p.line == line and not p.column else p
            for p in problems]


def _take_as_text(container, key, kind: str = "text") -> None:
    """The one rule for a text field: a value YAML read as a number, a date or true/false
    becomes the text it was typed as (container[key] is replaced). And the one rule for a
    path: its backslashes become '/'."""
    value = container[key]
    if isinstance(value, (int, float, datetime.date)):              # bool is an int
        typed = container.as_typed(key) if isinstance(container, (YamlMap, YamlList)) else None
        if typed is None:                                            # not from a file: its plain text
            typed = (str(value).lower() if isinstance(value, bool)
                     else value.isoformat() if isinstance(value, datetime.date) else str(value))
        container[key] = typed
    if kind == "path" and isinstance(container[key], str) and "\\" in container[key]:
        container[key] = container[key].replace("\\", "/")


def _check_value(item, field: Field, path: str, line: int, drop: bool = False) -> list[Problem]:
    name = field.name
    kind = field.kind
    if kind in TEXT_KINDS:
        if not isinstance(item, str):
            return [Problem(path, line, f"'{name}' should be text, not {_describe(item)}",
                            f"write it as {name}: \"...\"")]
        if (field.required or field.needs_value) and not item.strip():
            return [Problem(path, line, f"'{name}' is empty", f"write {field.help.lower()}")]
        if kind == "id" and not ID_PATTERN.match(item):
            return [Problem(path, line, f"'{name}' is '{item}', which is not a valid id",
                            "use letters, digits, dots and hyphens only, e.g. 2.4 or engage-early")]
        if kind == "url" and not URL_PATTERN.match(item):
            return [Problem(path, line, f"'{name}' is '{item}', which is not a web address",
                            "write the full address, starting with https://")]
        if kind == "email" and not EMAIL_PATTERN.match(item):
            return [Problem(path, line, f"'{name}' is '{item}', which is not an email address",
                            "write just the address, e.g. compact@northbridge.gov.uk")]
        if field.choices and item not in field.choices:
            close = difflib.get_close_matches(item, field.choices, n=1, cutoff=0.5)
            hint = (f"did you mean '{close[0]}'? " if close else "") + \
                "allowed values: " + ", ".join(field.choices)
            return [Problem(path, line, f"'{name}' is '{item}', which is not allowed", hint)]
        return []
    if kind == "scalar":
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            return []
        return [Problem(path, line, f"'{name}' should be a number or text, not {_describe(item)}",
                        "write a single value, e.g. 8")]
    if kind == "param":            # a value, or the value with its type and unit
        if isinstance(item, dict):
            return check(item, PARAM, path, line, f"'{name}'", drop=drop)
        return _check_value(item, Field(name, "scalar", field.help), path, line)
    if kind == "integer":
        if isinstance(item, int) and not isinstance(item, bool):
            return []
        return [Problem(path, line, f"'{name}' should be a whole number, not {_describe(item)}",
                        f"write it as {name}: 10")]
    if kind == "boolean":
        if isinstance(item, bool):
            return []
        return [Problem(path, line, f"'{name}' should be true or false, not {_describe(item)}",
                        f"write {name}: true or {name}: false")]
    if kind == "date":
        if isinstance(item, datetime.date) and not isinstance(item, datetime.datetime):
            return []
        return [Problem(path, line, f"'{name}' should be a date, not {_describe(item)}",
                        f"write it as {name}: 2026-11-25 (year-month-day)")]
    if kind == "colour":
        if isinstance(item, str) and COLOUR_PATTERN.match(item):
            return []
        return [Problem(path, line, f"'{name}' is {_describe(item)}, which is not a colour",
                        f"write it as six hex digits in quotes, e.g. {name}: \"#1d4f91\"")]
    if kind == "list":
        if not isinstance(item, list):
            return [Problem(path, line, f"'{name}' should be a list, not {_describe(item)}",
                            f"write each item on its own line under '{name}:', starting with '- '")]
        problems = []
        for index, element in enumerate(item):
            element_line = item.line_of(index) if isinstance(item, YamlList) else line
            element_column = item.column_of(index) if isinstance(item, YamlList) else 0
            if isinstance(field.items, tuple):
                problems += check(element, field.items, path, element_line, f"item {index + 1} of '{name}'",
                                  element_column, drop=drop)
            elif field.items is not None:
                if field.items.kind in TEXT_KINDS:
                    _take_as_text(item, index, field.items.kind)
                    element = item[index]
                problems += check_value(element, Field(name, field.items.kind, field.items.help),
                                        path, element_line, element_column)
        return problems
    if kind == "map":
        if field.removable and (item is False or item == ""):
            return []
        if field.open_map:
            if not isinstance(item, dict):
                return [Problem(path, line, f"'{name}' should be a set of 'name: value' settings, "
                                f"not {_describe(item)}", f"put each one on its own line, indented under '{name}:'")]
            problems = []
            for key in list(item):
                key_line, key_column = _line(item, key, line), _column(item, key, 0)
                if field.values and field.values.kind in TEXT_KINDS:
                    _take_as_text(item, key, field.values.kind)
                element = item[key]
                lost = item.lost_to_comment(key) if isinstance(item, YamlMap) and element is None else None
                if lost:
                    found = [comment_problem(str(key), lost, False, path, key_line, key_column)]
                elif field.values and field.values.kind == "map":
                    found = check(element, field.values.fields, path, key_line, f"'{key}'", key_column, drop=drop)
                elif field.values:
                    found = check_value(element, Field(str(key), field.values.kind, field.values.help),
                                        path, key_line, key_column, drop)
                else:
                    found = []
                if found and drop and not isinstance(element, dict):
                    _drop(item, key)
                problems += found
            return problems
        return check(item, field.fields or (), path, line, f"'{name}'", drop=drop)
    raise ValueError(f"unknown field kind {kind}")  # a mistake in this module, not in content


def _line(mapping, key, default: int) -> int:
    return mapping.line_of(key) if isinstance(mapping, YamlMap) else default


def _column(mapping, key, default: int) -> int:
    return mapping.column_of(key) if isinstance(mapping, YamlMap) else default


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a set of settings"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    return f"'{value}'"


# --- JSON Schema, for editors -------------------------------------------------------

def json_schema(fields: tuple[Field, ...], title: str, as_list: bool = False) -> dict:
    body = _object_schema(fields)
    if as_list:
        body = {"type": "array", "items": body}
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **body}


def _object_schema(fields) -> dict:
    schema = {"type": "object", "additionalProperties": False,
              "properties": {f.name: _optional(_field_schema(f)) if not (f.required or f.needs_value)
                             else _field_schema(f) for f in fields}}
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def _optional(schema: dict) -> dict:
    """An optional setting may be left empty ('summary:' with nothing after it), as check() allows."""
    kinds = schema.get("type")
    if kinds is None:
        return schema
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return {**schema, "type": [*kinds, "null"]}


def _field_schema(field: Field) -> dict:
    kind = field.kind
    out: dict = {"description": field.help} if field.help else {}
    if kind in TEXT_KINDS:
        # check() takes a number, date or true/false as the text typed (title: 2024, id: 2.4);
        # an editor reads a date as text already. No web or email address is ever one of these.
        out["type"] = "string" if kind in ("url", "email") else ["string", "number", "boolean"]
        if field.choices:
            out["enum"] = list(field.choices)
        elif (field.required or field.needs_value) and kind in ("text", "markdown", "path"):
            out["pattern"] = r"\S"              # not empty, not only spaces
        if kind == "id":
            out["pattern"] = ID_PATTERN.pattern
        if kind == "url":
            out["pattern"] = URL_PATTERN.pattern
        if kind == "email":
            out["pattern"] = EMAIL_PATTERN.pattern
    elif kind == "scalar":
        out["type"] = ["string", "number"]
    elif kind == "param":
        out["anyOf"] = [{"type": ["string", "number"]}, _object_schema(PARAM)]
    elif kind == "integer":
        out["type"] = "integer"
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "date":
        out.update({"type": "string", "format": "date"})
    elif kind == "colour":
        out.update({"type": "string", "pattern": COLOUR_PATTERN.pattern})
    elif kind == "list":
        out["type"] = "array"
        if isinstance(field.items, tuple):
            out["items"] = _object_schema(field.items)
        elif field.items is not None:
            out["items"] = _field_schema(Field("item", field.items.kind, ""))
    elif kind == "map":
        if field.open_map:
            out["type"] = "object"
            if field.values is not None:
                out["additionalProperties"] = (_object_schema(field.values.fields)
                                               if field.values.kind == "map"
                                               else _field_schema(field.values))
        else:
            out.update(_object_schema(field.fields or ()))
        if field.removable:          # or false, or "", to remove it (or empty, to keep it)
            kept = {k: v for k, v in out.items() if k != "description"}
            removed = [{"type": "boolean", "const": False}, {"type": "string", "maxLength": 0}, {"type": "null"}]
            out = {**({"description": field.help} if field.help else {}), "anyOf": [kept, *removed]}
    return out


def all_json_schemas() -> dict[str, dict]:
    """File name in schemas/ -> JSON Schema."""
    return {
        "toolkit.schema.json": json_schema(TOOLKIT, "Compact Toolkit edition settings (toolkit.yml)"),
        "front-matter.schema.json": json_schema(FRONT_MATTER, "Front matter of a guide page"),
        "case-study.schema.json": json_schema(CASE_STUDY, "A case study"),
        "principles.schema.json": json_schema(PRINCIPLE, "Compact principles", as_list=True),
        "actions.schema.json": json_schema(ACTION, "Suggested actions", as_list=True),
        "glossary.schema.json": json_schema(GLOSSARY_TERM, "Glossary", as_list=True),
        "further-reading.schema.json": json_schema(READING, "Further reading", as_list=True),
        "strings.schema.json": json_schema(strings_fields(_national_string_names()),
                                           "Theme text (themes/default/strings/<language>.yml)"),
    }


def _national_string_names() -> list[str]:
    """The names of the national English strings file, for its published schema."""
    from toolkit.stages.discover import THEME
    from toolkit.stages.edition import NATIONAL_ROOT
    data = load_yaml((NATIONAL_ROOT / THEME / "strings/en.yml").read_text(encoding="utf-8"), "en.yml")
    return [str(name) for name in data]


def write_json_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (schemas/ in the repository); return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in all_json_schemas().items():
        path = folder / name
        path.write_text(json_schema_text(body), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def json_schema_text(body: dict) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":        # python -m toolkit.schema: refresh schemas/ after changing a format
    for written in write_json_schemas(Path(__file__).resolve().parent.parent.parent / "schemas"):
        print(f"wrote {written}")
