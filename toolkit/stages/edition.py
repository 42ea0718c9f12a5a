"""Loading an edition: its `toolkit.yml`, and the chain of editions it extends.

The search path is stated here, once, for everything an edition reads:

    the edition itself, then the edition it extends, then that one's, ...,
    ending with the national edition (where it is: toolkit/national.py).

A file is looked up by its path relative to an edition folder, and the first
edition on the search path that has it wins.

A mistake in a toolkit.yml stops the build only when the file cannot be read at all
(its YAML, or an `extends:` that leads nowhere). Any other (a wrong value, a pair of
colours too faint to read) is kept in `Edition.problems`, the wrong value left out, and
reported with everything else the build finds.
"""
from __future__ import annotations

import datetime
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import invocation
from toolkit.checks import contrast
from toolkit.formats import schema
from toolkit.model.problems import NATIONAL_PREFIX, BuildFailed, Problem, display_path
from toolkit.formats.yaml_files import SourceError, YamlMap, decode, load_yaml
from toolkit.national import CONFIG_FILE, NATIONAL_ROOT


@dataclass(frozen=True)
class Contact:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""


@dataclass(frozen=True)
class Accessibility:
    contact_email: str
    contact_phone: str
    response_days: int
    status: str
    last_tested: datetime.date
    statement_prepared: datetime.date
    known_issues: tuple[str, ...]


# A page of the site, by its address within it: letters, digits, - _ . / and an optional #fragment.
_SITE_PAGE = re.compile(r"^(?!.*\.\.)[\w-][\w./-]*(#[\w.-]+)?$")


@dataclass(frozen=True)
class Notice:
    """The notice shown at the top of every page (`notice:` in toolkit.yml)."""
    text: str
    link: str = ""              # a page of the site (e.g. what-has-changed.html) or a web address
    link_text: str = ""
    source: str = ""            # the toolkit.yml that set it, and the line of its link (or of notice:)
    line: int = 0

    @property
    def external(self) -> bool:
        return bool(schema.URL_PATTERN.match(self.link))

    def setting_problems(self) -> list[Problem]:
        """The link must be a page of the site or a web address, with words to show for it."""
        if not self.link:
            return ([Problem(self.source, self.line, "the notice has words for a link but no link",
                             "add link: under notice:, e.g. link: what-has-changed.html, or remove link_text:")]
                    if self.link_text else [])
        if not (self.external or _SITE_PAGE.match(self.link)):
            return [Problem(self.source, self.line,
                            f"the notice's link '{self.link}' is neither a page of this site nor a web address",
                            "write a page's address in the site, e.g. what-has-changed.html, "
                            "or a full web address starting https://")]
        if not self.link_text.strip():
            return [Problem(self.source, self.line, "the notice has a link but no words for it",
                            "add link_text: under notice:, e.g. link_text: What has changed since 2014")]
        return []

    def link_problems(self, site_files: set[str]) -> list[Problem]:
        """A link to a page of the site must name one (`site_files`: every file the site
        has, hidden pages included, whose links the theme leaves out). A link that is not one
        of an address is said by setting_problems() alone."""
        target = self.link.split("#")[0]
        if not self.link or self.external or target in site_files or self.setting_problems():
            return []
        close = difflib.get_close_matches(target, sorted(f for f in site_files if f.endswith(".html")), n=1)
        return [Problem(self.source, self.line, f"the notice's link '{self.link}' names a page that is not in the site",
                        (f"did you mean '{close[0]}'? " if close else "")
                        + "a guide page's address is its file name in content/ with .html, e.g. what-has-changed.html")]


@dataclass(frozen=True)
class Logo:
    """A logo in the header and on the PDF's cover (`logo:` or `partner_logo:` in toolkit.yml)."""
    file: str                   # as written, relative to the edition: static/logo.svg
    alt: str                    # what the logo says, for screen readers
    plate: bool = False         # drawn on a white rounded panel (for a logo made for white)
    setting: str = "logo"       # the setting that named it: logo or partner_logo
    source: str = ""            # the toolkit.yml that set it, and the line of its file:
    line: int = 0


@dataclass(frozen=True)
class PrincipleChange:
    """What an edition's toolkit.yml says about one principle."""
    id: str
    title: str | None
    summary: str | None
    params: tuple[tuple[str, object, int, int], ...]     # (name, value as written, line, column)
    adopted: bool | None
    path: str
    line: int
    column: int = 0


@dataclass(frozen=True)
class Written:
    """Markdown an edition writes in its toolkit.yml (the home page's introduction, say)."""
    text: str
    source: str                 # the toolkit.yml that sets it
    line: int                   # the line its text starts on


@dataclass(frozen=True)
class ActionChanges:
    """What one edition's toolkit.yml says under `actions:` (applied by actions.py)."""
    path: str                                # the toolkit.yml, as shown in messages
    add: tuple[tuple[dict, int, int], ...]   # (an action, checked against schema.ACTION; line, column)
    hide: tuple[tuple[str, int, int], ...]   # (action id, line, column)
    order: tuple[tuple[str, int, int], ...]  # (action id, line, column)


@dataclass(frozen=True)
class Settings:
    name: str
    area: str
    compact_name: str
    publisher: str
    language: str
    base_url: str
    search_engines: bool
    review_every: int
    allow_raw_html: bool
    show_build_date: bool
    logo: Logo | None                                   # None: no logo
    partner_logo: Logo | None                           # a co-publisher's logo, beside the main one
    favicon: str
    primary: str
    accent: str
    contacts: tuple[Contact, ...]
    accessibility: Accessibility
    hide: tuple[tuple[str, str, int], ...]               # (path, source file, line)
    principle_changes: tuple[PrincipleChange, ...]       # national first, edition last
    action_changes: tuple[ActionChanges, ...]            # national first, edition last
    notice: Notice | None = None                         # None: no notice (none set, or notice: false)
    home_title: str = ""                                 # home: title:, when set
    introduction: Written | None = None                  # home: introduction:
    about: Written | None = None                         # home: about:

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "toolkit"

    @property
    def compact_in_sentence(self) -> str:
        """The Compact's name as it reads within a sentence: "the Eastmere Compact"."""
        name = self.compact_name.strip()
        return "the" + name[3:] if name.startswith("The ") else name


@dataclass(frozen=True)
class Edition:
    root: Path                       # the edition's folder
    search_path: tuple[Path, ...]    # root first, national last
    settings: Settings
    config_files: tuple[Path, ...] = field(default=())   # every toolkit.yml read, root first
    problems: tuple[Problem, ...] = ()                   # found in its settings; reported with the rest
    _shown: dict = field(default_factory=dict, compare=False, repr=False)   # display() of each path, made once

    @property
    def is_national(self) -> bool:
        return self.root == NATIONAL_ROOT

    def display(self, path: Path) -> str:
        """How to name a source file in a message: relative to the edition's folder; a file
        of the national toolkit the edition inherits, relative to the national toolkit, after
        "(national) "; one of another edition it extends, relative to this one ("../county/...")."""
        shown = self._shown.get(path)
        if shown is None:           # resolving a path asks the disk; a build names each file several times
            shown = self._shown[path] = self._display(path)
        return shown

    def _display(self, path: Path) -> str:
        real = path.resolve()
        for folder in self.search_path:
            if real.is_relative_to(folder):
                if folder == self.root:
                    break
                if folder == self.search_path[-1]:
                    return NATIONAL_PREFIX + real.relative_to(folder).as_posix()
                return _relative(real, self.root)
        return display_path(path, self.root)


def load_edition(root: Path, national_root: Path = NATIONAL_ROOT) -> Edition:
    """Read toolkit.yml and every toolkit.yml it extends. BuildFailed when one cannot be read or
    `extends:` leads nowhere; any other problem is in Edition.problems (see the module's docstring)."""
    root = root.resolve()
    national_root = national_root.resolve()
    if not (root / CONFIG_FILE).is_file():
        raise BuildFailed([Problem(
            str(root), 0, f"this folder has no {CONFIG_FILE}, so it is not an edition",
            f"give the folder of an edition, or make one with: {invocation.command()} new FOLDER --name \"Area\"")])
    chain: list[tuple[Path, dict]] = []
    problems: list[Problem] = []
    current = root
    while True:
        config_path = current / CONFIG_FILE
        shown = display_path(config_path, root)
        try:
            data = load_yaml(decode(config_path.read_bytes(), shown), shown)
        except SourceError as exc:
            raise BuildFailed([exc.problem]) from None
        if data is None:
            data = YamlMap()
        # Wrong values are left out (the inherited ones stand in), so the build can go on.
        problems += schema.check(data, schema.TOOLKIT, shown, drop=True)
        if not isinstance(data, dict):
            raise BuildFailed(problems)
        chain.append((current, data))
        if current == national_root:
            break
        parent = _parent_of(current, data, national_root)
        line = data.line_of("extends") if isinstance(data, YamlMap) else 0
        if parent in [folder for folder, _ in chain]:
            names = " -> ".join(_relative(folder, root) for folder, _ in (*chain, (parent, None)))
            raise BuildFailed([Problem(
                shown, line, f"'extends' makes a loop: {names}",
                "an edition must end by extending the national toolkit; remove 'extends' from one of them")])
        if not (parent / CONFIG_FILE).is_file():
            what = (f"that folder ({parent}) has no {CONFIG_FILE}, so it is not an edition" if parent.is_dir()
                    else f"there is no such folder ({parent})")
            if not data.get("extends"):         # the national toolkit itself is missing: a broken install
                raise BuildFailed([Problem(
                    shown, line, f"this edition builds on the national toolkit, but {what}",
                    "install Compact Toolkit again (see the README), then run the command again")])
            raise BuildFailed([Problem(
                shown, line, f"'extends' names {data['extends']}, but {what}",
                "give the folder of another edition, relative to this file, or remove 'extends' "
                "to build on the national toolkit")])
        current = parent
    settings = _merge(chain, root)
    problems += settings.notice.setting_problems() if settings.notice else []
    # A colour the edition wrote wrongly is not checked against the other: the one that would
    # stand in for it is not the edition's, and a message naming it would mislead.
    unknown = _unknown_colours(chain)
    problems += contrast.check_colours("" if "primary" in unknown else settings.primary,
                                       "" if "accent" in unknown else settings.accent, _colour_sources(chain, root))
    return Edition(root, tuple(folder for folder, _ in chain), settings,
                   tuple(folder / CONFIG_FILE for folder, _ in chain), tuple(problems))


def _relative(folder: Path, root: Path) -> str:
    """An edition folder as seen from the one being built: ".", "../county"."""
    try:
        return Path(os.path.relpath(folder, root)).as_posix()
    except ValueError:                  # another drive, on Windows
        return str(folder)


def _parent_of(folder: Path, data: dict, national_root: Path) -> Path:
    extends = data.get("extends")
    if not extends:
        return national_root
    return (folder / extends).resolve()


def _colour_sources(chain, root) -> dict[str, tuple[str, int]]:
    """For each colour setting, the file and line of the nearest edition that sets it."""
    where = {}
    for setting in ("primary", "accent"):
        for folder, data in chain:
            colours = data.get("colours")
            if isinstance(colours, dict) and colours.get(setting):
                line = colours.line_of(setting) if isinstance(colours, YamlMap) else 0
                where[setting] = (display_path(folder / CONFIG_FILE, root), line)
                break
    return where


def _unknown_colours(chain) -> set[str]:
    """The colour settings whose nearest mention is a value found wrong (and left out)."""
    unknown = set()
    for setting in ("primary", "accent"):
        for _, data in chain:
            colours = data.get("colours")
            if setting in getattr(colours, "dropped", ()) or "colours" in getattr(data, "dropped", ()):
                unknown.add(setting)
                break
            if isinstance(colours, dict) and colours.get(setting) is not None:
                break
    return unknown


def _written(chain, root, key: str) -> Written | None:
    """The nearest edition's Markdown under home: `key`."""
    for folder, data in chain:
        home = data.get("home")
        if isinstance(home, YamlMap) and home.get(key):
            text = str(home[key])
            return Written(text, display_path(folder / CONFIG_FILE, root), home.line_of(key) + ("\n" in text))
    return None


def _notice(chain, root) -> Notice | None:
    """The nearest edition's notice, whole; none when it says notice: false (or "")."""
    for folder, data in chain:
        value = data.get("notice")
        if value is None:
            continue
        if not value:
            return None
        line = (value.line_of("link" if "link" in value else "link_text" if "link_text" in value else "text")
                if isinstance(value, YamlMap) else 0)
        return Notice(str(value.get("text") or ""), str(value.get("link") or ""), str(value.get("link_text") or ""),
                      display_path(folder / CONFIG_FILE, root), line)
    return None


def _logo(chain, root, setting: str) -> Logo | None:
    """The nearest edition's logo of that setting, whole; none when it says false (or "")."""
    for folder, data in chain:
        value = data.get(setting)
        if value is None:
            continue
        if not value or not isinstance(value, dict) or "file" not in value or "alt" not in value:
            return None             # none, or written wrongly (the schema's problems say how)
        line = value.line_of("file") if isinstance(value, YamlMap) else 0
        return Logo(str(value["file"]), str(value["alt"]), bool(value.get("plate", False)), setting,
                    display_path(folder / CONFIG_FILE, root), line)
    return None


def _merge(chain: list[tuple[Path, dict]], root: Path) -> Settings:
    """Settings of the edition: the nearest edition that sets a value wins."""
    def pick(*keys, default=None):
        for _, data in chain:
            value = data
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if value is not None:
                return value
        return default

    def pick_path(*keys) -> str:
        """A file setting, as a path relative to the edition that set it."""
        for folder, data in chain:
            value = data
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if value:
                return str(value)
        return ""

    accessibility = pick("accessibility", default={}) or {}
    today = datetime.date(2026, 1, 1)
    a11y = Accessibility(
        contact_email=str(accessibility.get("contact_email", "")),
        contact_phone=str(accessibility.get("contact_phone", "") or ""),
        response_days=int(accessibility.get("response_days", 10) or 10),
        status=str(accessibility.get("status", "partial") or "partial"),
        last_tested=accessibility.get("last_tested", today),
        statement_prepared=accessibility.get("statement_prepared") or accessibility.get("last_tested", today),
        known_issues=tuple(str(x) for x in accessibility.get("known_issues", ()) or ()),
    )
    hide = []
    changes = []
    action_changes = []
    for folder, data in reversed(chain):            # national first, so later changes win
        shown = display_path(folder / CONFIG_FILE, root)
        for index, item in enumerate(data.get("hide") or ()):
            hide.append((str(item), shown, data["hide"].line_of(index)))
        for pid, change in (data.get("principles") or {}).items():
            change = change or {}
            params = change.get("params") or {}
            changes.append(PrincipleChange(
                str(pid), change.get("title"), change.get("summary"),
                tuple((str(k), v, params.line_of(k), params.column_of(k)) for k, v in params.items()),
                change.get("adopted"), shown, data["principles"].line_of(pid), data["principles"].column_of(pid)))
        actions = data.get("actions") or {}
        if actions:
            listed = {key: tuple((item, actions[key].line_of(index), actions[key].column_of(index))
                                 for index, item in enumerate(actions.get(key) or ()))
                      for key in ("add", "hide", "order")}
            action_changes.append(ActionChanges(shown, **listed))
    contacts = tuple(Contact(**{k: str(v) for k, v in c.items()}) for c in pick("contacts", default=()) or ())
    name = str(pick("name"))
    return Settings(
        name=name,
        area=str(pick("area", default="England")),
        compact_name=str(pick("compact_name", default="the Compact")),
        publisher=str(pick("publisher", default=name)),
        language=str(pick("language", default="en")),
        base_url=str(pick("base_url", default="")).rstrip("/"),
        search_engines=bool(pick("search_engines", default=True)),
        review_every=int(pick("review_every", default=0)),
        allow_raw_html=bool(pick("allow_raw_html", default=False)),
        show_build_date=bool(pick("show_build_date", default=False)),
        logo=_logo(chain, root, "logo"),
        partner_logo=_logo(chain, root, "partner_logo"),
        favicon=pick_path("favicon"),
        primary=str(pick("colours", "primary", default="#1d4f91")),
        accent=str(pick("colours", "accent", default="#ffdd00")),
        contacts=contacts,
        accessibility=a11y,
        hide=tuple(hide),
        principle_changes=tuple(changes),
        action_changes=tuple(action_changes),
        notice=_notice(chain, root),
        home_title=str(pick("home", "title", default="")),
        introduction=_written(chain, root, "introduction"),
        about=_written(chain, root, "about"),
    )
