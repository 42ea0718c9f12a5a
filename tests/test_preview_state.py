"""The preview's rebuilds equal a clean build after any sequence of edits (issue 14, item 6).

A hypothesis state machine keeps a model of a small edition of its own (pages with
headings, links between them, principle and parameter references and glossary words; a
case study that links to sections; its own glossary; a principle changed in toolkit.yml;
templates of its own), writes it into a folder, and applies random edits, valid and not:
a page's body, its front matter, a page added, deleted or renamed, a link broken and
mended, front matter broken and mended, the case study, toolkit.yml, the glossary, a
template (and one with a syntax error). After each step the preview rebuilds, told of the
changed files as its watcher would tell it, and a clean build is made of the same files:
both must give the same bytes in every file, or fail with the same problems.

The same machine runs a second time with every threshold for worker processes (and for
the sizes that switch the code to another path) lowered, so the parallel paths are taken.

Every call into the toolkit is in the adapters below, so a change of pipeline.build's
signature is made there alone.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from support import REPO

# ----------------------------------------------------------------------------- adapters
# The only code here that calls the toolkit.


def new_memory(root: Path):
    """What the preview server keeps between rebuilds (serve.Preview.memory)."""
    from toolkit.reuse.memory import BuildMemory
    return BuildMemory(root)


def clean_build(root: Path) -> tuple[dict[str, bytes] | None, list]:
    """A clean build's files (path -> bytes, the copied ones too) and warnings, or None and its problems."""
    from toolkit.model.problems import BuildFailed
    from toolkit.commands.build import build
    try:
        result = build(root, write=False, use_cache=False)
    except BuildFailed as failed:
        return None, list(failed.problems)
    return _served(result), list(result.warnings)


def preview_rebuild(root: Path, memory, changed_paths: list[str] | None) -> tuple[dict[str, bytes] | None, list]:
    """The preview's rebuild (serve.Preview.rebuild) after the watcher saw `changed_paths`
    change (absolute paths; None for the first build): as clean_build."""
    from toolkit.model.problems import BuildFailed
    from toolkit.commands.build import build
    try:
        result = build(root, write=False, memory=memory, changed=changed_paths)
    except BuildFailed as failed:
        return None, list(failed.problems)
    return _served(result), list(result.warnings)


def preview_idle(memory) -> None:
    """What the preview does once it is first idle (serve.Preview.prepare)."""
    from toolkit.reuse.body_edit import prepare
    prepare(memory)


def lowered_thresholds(monkeypatch) -> None:
    """Every threshold for worker processes, and the sizes that switch code paths, made small."""
    from toolkit.reuse import markdown_cache
    from toolkit.stages import render, search_index, structure
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)                 # pages rendered in a pool of processes
    monkeypatch.setattr(markdown_cache, "PARALLEL_FROM", 2)         # Markdown rendered in a pool
    monkeypatch.setattr(markdown_cache, "CHUNK", 3)                 # ... handed over a few at a time
    monkeypatch.setattr(search_index.SearchFiles, "BACKGROUND_FROM", 1)   # the search made in a child process
    monkeypatch.setattr(search_index, "SHARD_BYTES", 400)           # the search's snippets in several files
    monkeypatch.setattr(structure, "SIDE_NAV_ALL_UP_TO", 2)         # a window of the side navigation
    monkeypatch.setattr(structure, "SIDE_NAV_AROUND", 1)


def _served(result) -> dict[str, bytes]:
    """Every file the site has: those made, and those copied as they are."""
    return {**result.outputs, **{path: Path(source).read_bytes() for path, source in result.copies.items()}}


# ----------------------------------------------------------------------------- the edition's model

SLUGS = ("local-a", "local-b", "local-c", "local-d", "local-e", "renamed")
HEADINGS = ("Where it starts", "Where it begins", "Next steps")
TITLES = ("Local page", "Working together", 'Rights & "duties"', "Consultation here", "Grants: how they work")
SUMMARIES = (None, "A page about working together.", "What the Compact asks of <partners> & why.")
WORDS = (
    "The council and the sector meet every month.",
    "Ask about the plan at the *next* meeting, or in `code with Widget fund`.",
    "- one\n- two\n- three",
    "Partners agree what they will do & when.",
    "A line with a [[principle:2.1]] reference of its own.",
)
PRINCIPLES = ("2.4", "2.1", "3.6", "9.9")                   # 9.9 is no principle
PARAMS = ("2.4.consultation_weeks", "2.4.weeks")            # 2.4 has no parameter 'weeks'
THEMES = ((), ("consultation",), ("partnership", "funding"))
REVIEWED = (None, "2020-01-01", "2026-06-01", "someday")    # stale (a warning), recent, not a date
TERMS = {"widget-fund": "Widget fund", "parish-plan": "Parish plan", "grant-aid": "Grant aid"}
DEFINITIONS = (
    "A fund for widgets.",
    "A plan made for [[param:2.4.consultation_weeks]] weeks.",
    "See [the first page](local-a.html) for more.",
)
WEEKS = (12, 8, "eight")                                    # a parameter may be words
HOME_WORDS = ("Welcome to the toolkit. Ask about the Parish plan.", "Welcome, with **bold** words.",
              "Welcome. See [[principle:2.4]] and [the first page](local-a.html).")
TEMPLATES = ("_nav.html", "home.html", "page.html")
TEMPLATE_VARIANTS = ("marked", "bodies")                    # templates that work
TEMPLATE_ERRORS = ("syntax error", "unknown name")
MISTAKES = ("front matter that is not YAML", "a broken link", "no such principle", "no such parameter", "not a date",
            "a case study without its area", "a case study naming no section", "a broken link in a case study",
            "a glossary term without its definition", "principle 2.4 not adopted", "a broken link in toolkit.yml",
            *TEMPLATE_ERRORS)
ENDS = {"home.html": "{% endblock %}", "page.html": "{% endblock %}", "_nav.html": "</nav>"}


def heading_id(heading: str) -> str:
    return heading.lower().replace(" ", "-")


@dataclass(frozen=True)
class PageModel:
    title: str
    order: int
    heading: str = HEADINGS[0]
    words: str = WORDS[0]
    link: str = "index.html"
    principle: str = "2.4"
    param: str = PARAMS[0]
    term: str | None = None                 # the id of the glossary term the page uses
    summary: str | None = None
    nav_title: str | None = None
    themes: tuple[str, ...] = ()
    reviewed: str | None = None
    broken_yaml: bool = False

    def text(self) -> str:
        lines = ["---", "title: [unclosed" if self.broken_yaml else f"title: {json.dumps(self.title)}",
                 f"order: {self.order}"]
        if self.summary is not None:
            lines.append(f"summary: {json.dumps(self.summary)}")
        if self.nav_title is not None:
            lines.append(f"nav_title: {json.dumps(self.nav_title)}")
        if self.themes:
            lines.append(f"themes: [{', '.join(self.themes)}]")
        if self.reviewed is not None:
            lines.append(f"reviewed: {self.reviewed}")
        term = f"\n\nAsk about the {TERMS[self.term]} today.\n" if self.term else "\n"
        return "\n".join(lines) + (
            f"\n---\n\n## {self.heading}\n\n{self.words}\n\n"
            f"The Compact asks for [[param:{self.param}]] weeks of consultation, as [[principle:{self.principle}]] "
            f"says. See [where to go next]({self.link}).\n\n## Background\n\nSome history.{term}")


@dataclass(frozen=True)
class CaseStudyModel:
    title: str = "Newtown's shared strategy"
    sections: tuple[str, ...] = ("local-a",)
    principle: str = "2.4"
    link: str = "local-b.html"
    themes: tuple[str, ...] = ("consultation",)
    broken: bool = False                    # a required field left out

    def text(self) -> str:
        return (f"title: {json.dumps(self.title)}\n"
                + ("" if self.broken else "area: Newtown\n")
                + "summary: A council and its voluntary sector wrote one strategy together.\n"
                f"themes: [{', '.join(self.themes)}]\n"
                f"principles: [\"{self.principle}\"]\n"
                f"sections: [{', '.join(self.sections)}]\n"
                "who: The council and the local CVS.\n"
                f"what_they_did: They met every month; [the guide says how]({self.link}).\n"
                "what_it_led_to: A strategy both sides use, with the Widget fund.\n")


def glossary_text(terms: dict[str, int], broken: bool) -> str:
    items = []
    for term_id, definition in sorted(terms.items()):
        items.append(f"- term: {TERMS[term_id]}\n  id: {term_id}\n"
                     + ("" if broken and not items else f"  definition: {json.dumps(DEFINITIONS[definition])}\n"))
    return "".join(items) or "[]\n"


def hidden_national() -> str:
    """hide: every national page and case study, so each build takes milliseconds."""
    hidden = [p.relative_to(REPO).as_posix() for folder in ("content", "case_studies")
              for p in sorted((REPO / folder).iterdir()) if p.suffix in (".md", ".yml") and p.stem != "index"]
    return "hide:\n" + "".join(f"  - {rel}\n" for rel in hidden)


def toolkit_text(weeks, title: str | None, summary_link: str | None, adopted: bool) -> str:
    text = ("name: Stateful edition\narea: Testshire\naccessibility:\n  contact_email: a@b.example\n"
            "  last_tested: 2026-11-01\n" + hidden_national()
            + f"principles:\n  \"2.4\":\n    params:\n      consultation_weeks: {weeks}\n")
    if title:
        text += f"    title: {json.dumps(title)}\n"
    if summary_link:
        text += ("    summary: Consult for [[param:2.4.consultation_weeks]] weeks; "
                 f"[our page]({summary_link}) says how.\n")
    if not adopted:
        text += "    adopted: false\n"
    return text


def national_template(name: str) -> str:
    return (REPO / "themes/default/templates" / name).read_text(encoding="utf-8")


def template_text(name: str, variant: str) -> str:
    national = national_template(name)
    at = national.rindex(ENDS[name])
    extra = {
        "marked": "<p class=\"local-mark\">{{ page.path }}</p>" if name != "_nav.html" else "<p>Local</p>",
        # Shows every section's words: a body edit must render this page again.
        "bodies": "{% for s in site.content.pages %}<p>{{ s.body.text|wordcount }}</p>{% endfor %}",
        "syntax error": "{% if %}",
        "unknown name": "{{ no_such_name.at_all }}",
    }[variant]
    return national[:at] + extra + national[at:]


# ----------------------------------------------------------------------------- the machine

def pick(items, n: int):
    items = list(items)
    return items[n % len(items)]


def another(items, current, n: int):
    """One of `items` other than `current`, so that an edit changes something."""
    others = [item for item in items if item != current]
    return pick(others, n) if others else current


CHOICE = st.integers(min_value=0, max_value=1000)


class PreviewMatchesCleanBuild(RuleBasedStateMachine):
    """Edits an edition as a person would, and after each save compares the preview with a clean build."""

    base: Path = Path(tempfile.gettempdir())

    def __init__(self):
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="edition-", dir=self.base)).resolve()
        self.pages = {slug: PageModel(f"Local page {slug[-1]}", 200 + n, link=f"{SLUGS[(n + 1) % 3]}.html",
                                      term="widget-fund" if n == 1 else None)
                      for n, slug in enumerate(SLUGS[:3])}
        self.case_study: CaseStudyModel | None = CaseStudyModel()
        self.terms: dict[str, int] | None = {"widget-fund": 1, "parish-plan": 0}   # None: the national glossary
        self.glossary_broken = False
        self.toolkit = dict(weeks=8, title=None, summary_link=None, adopted=True)
        self.templates: dict[str, str] = {}
        self.home: str | None = None            # the words of the edition's own home page; None: the national one
        self.on_disk: dict[str, str] = {}
        self.failed = False                     # whether the last clean build failed
        self.steps: list[str] = []
        self.save("the edition made")
        self.memory = new_memory(self.root)
        self.compare(None)

    def teardown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    # -- files

    def files(self) -> dict[str, str]:
        files = {f"content/{slug}.md": page.text() for slug, page in self.pages.items()}
        files["toolkit.yml"] = toolkit_text(**self.toolkit)
        if self.home is not None:
            files["content/index.md"] = f"---\ntitle: Testshire's toolkit\norder: 0\n---\n\n{self.home}\n"
        if self.case_study is not None:
            files["case_studies/newtown.yml"] = self.case_study.text()
        if self.terms is not None:
            files["data/glossary.yml"] = glossary_text(self.terms, self.glossary_broken)
        for name, variant in self.templates.items():
            files[f"themes/default/templates/{name}"] = template_text(name, variant)
        return files

    def save(self, what: str) -> list[str]:
        """Write what changed in the model, as an editor saves; the paths the watcher would see."""
        self.steps.append(what)
        wanted, changed = self.files(), []
        for rel in sorted(self.on_disk.keys() - wanted.keys()):
            (self.root / rel).unlink()
            changed.append(rel)
        for rel, text in sorted(wanted.items()):
            if self.on_disk.get(rel) != text:
                (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
                (self.root / rel).write_text(text, encoding="utf-8")
                changed.append(rel)
        self.on_disk = wanted
        return sorted(str(self.root / rel) for rel in changed)

    def step(self, what: str) -> None:
        self.compare(self.save(what))

    def compare(self, changed: list[str] | None) -> None:
        """The preview's rebuild against a clean build: the same files with the same bytes, and the
        same problems (or warnings), compared as sets of whole Problems (file, line, column, message, hint, warning)."""
        preview_files, preview_problems = preview_rebuild(self.root, self.memory, changed)
        clean_files, clean_problems = clean_build(self.root)
        self.failed = clean_files is None
        after = "after " + "; ".join(self.steps)
        assert (preview_files is None) == self.failed, (
            f"{after}: the preview {'failed' if preview_files is None else 'built'}, a clean build "
            f"{'failed' if self.failed else 'built'}: {preview_problems} / {clean_problems}")
        assert set(preview_problems) == set(clean_problems), (
            f"{after}: only the preview's: {set(preview_problems) - set(clean_problems)}; "
            f"only the clean build's: {set(clean_problems) - set(preview_problems)}")
        if clean_files is not None:
            assert sorted(preview_files) == sorted(clean_files), after
            differing = [path for path in clean_files if preview_files[path] != clean_files[path]]
            assert differing == [], after

    # -- choices that depend on the edition as it is

    def link_target(self, n: int, valid: bool, unlike: str = "") -> str:
        slugs = sorted(self.pages)
        other = pick(slugs, n)
        if not valid:
            return another([f"{other}.html#no-such-heading", "nope.html", "consultaton.html",
                            "case-studies/nope.html", f"{other}.md"], unlike, n // 7)
        targets = [f"{other}.html", f"{other}.html#{heading_id(self.pages[other].heading)}", "index.html",
                   "principles.html#principle-2-4", "glossary.html"]
        if self.case_study is not None:
            targets.append("case-studies/newtown.html")
        if self.terms:
            targets.append(f"glossary.html#term-{pick(sorted(self.terms), n)}")
        return another(targets, unlike, n // 7)

    def page(self, n: int) -> str:
        return pick(sorted(self.pages), n)

    # -- edits that keep the edition building (unless an earlier one broke it, or a page
    #    another file links to goes). A page's body, the commonest edit, has several rules:
    #    hypothesis picks among rules evenly.

    def edit_body(self, n: int, **change) -> None:
        """`change`: the part of the body, and a function of its value now giving its new one."""
        slug = self.page(n)
        change = {part: new(getattr(self.pages[slug], part)) for part, new in change.items()}
        self.pages[slug] = replace(self.pages[slug], **change)
        self.step(f"{slug}'s body: {change}")

    @rule(n=CHOICE, value=CHOICE)
    def edit_words(self, n, value):
        self.edit_body(n, words=lambda now: another(WORDS, now, value))

    @rule(n=CHOICE, value=CHOICE)
    def edit_heading(self, n, value):
        """A heading other pages may link to."""
        self.edit_body(n, heading=lambda now: another(HEADINGS, now, value))

    @rule(n=CHOICE, value=CHOICE)
    def edit_reference(self, n, value):
        self.edit_body(n, principle=lambda now: another(PRINCIPLES[:-1], now, value))

    @rule(n=CHOICE, value=CHOICE)
    def edit_glossary_word(self, n, value):
        self.edit_body(n, term=lambda now: another([None, *TERMS], now, value))

    @rule(n=CHOICE, value=CHOICE)
    def edit_link(self, n, value):
        self.edit_body(n, link=lambda now: self.link_target(value, valid=True, unlike=now))

    @rule(n=CHOICE, first=CHOICE, second=CHOICE)
    def edit_two_bodies(self, n, first, second):
        """A burst of saves: two pages' bodies at once (or one page's, when both picks are the same)."""
        slugs = {self.page(n), self.page(n + first)}
        for slug, value in zip(sorted(slugs), (first, second)):
            self.pages[slug] = replace(self.pages[slug], words=another(WORDS, self.pages[slug].words, value))
        self.step(f"the words of {sorted(slugs)}")

    @rule(n=CHOICE, part=st.sampled_from(["title", "order", "summary", "nav_title", "themes", "reviewed"]),
          value=CHOICE)
    def edit_front_matter(self, n, part, value):
        slug = self.page(n)
        choices = {
            "title": TITLES,
            "order": (1, 150, 200, 201, 202, 300),          # ties too
            "summary": SUMMARIES,
            "nav_title": (None, "Short", "Tiny & <b>"),
            "themes": THEMES,
            "reviewed": REVIEWED[:-1],
        }[part]
        change = {part: another(choices, getattr(self.pages[slug], part), value)}
        self.pages[slug] = replace(self.pages[slug], **change)
        self.step(f"{slug}'s front matter: {change}")

    @precondition(lambda self: len(self.pages) < len(SLUGS))
    @rule(n=CHOICE, order=st.sampled_from([5, 200, 250]))
    def add_page(self, n, order):
        slug = pick([s for s in SLUGS if s not in self.pages], n)
        self.pages[slug] = PageModel(f"Newcomer {slug}", order, link=self.link_target(n, valid=True),
                                     term=pick([None, *TERMS], n))
        self.step(f"{slug} added")

    @precondition(lambda self: len(self.pages) > 1)
    @rule(n=CHOICE)
    def delete_page(self, n):
        slug = self.page(n)
        del self.pages[slug]
        self.step(f"{slug} deleted")

    @precondition(lambda self: len(self.pages) < len(SLUGS))
    @rule(n=CHOICE, to=CHOICE)
    def rename_page(self, n, to):
        slug = self.page(n)
        new = pick([s for s in SLUGS if s not in self.pages], to)
        self.pages[new] = self.pages.pop(slug)
        self.step(f"{slug} renamed {new}")

    @rule(part=st.sampled_from(["title", "sections", "principle", "link", "themes", "exists"]), value=CHOICE)
    def edit_case_study(self, part, value):
        study = self.case_study or CaseStudyModel()
        if part == "exists":
            self.case_study = None if self.case_study is not None else replace(study, sections=(self.page(value),))
            self.step(f"the case study {'added' if self.case_study else 'removed'}")
            return
        now = getattr(study, part)
        change = {part: {
            "title": lambda: another(("Newtown's shared strategy", "A plan & a <fund>"), now, value),
            "sections": lambda: another([(), (self.page(value),), tuple(sorted(self.pages)[:2])], now, value),
            "principle": lambda: another(PRINCIPLES[:-1], now, value),
            "link": lambda: self.link_target(value, valid=True, unlike=now),
            "themes": lambda: another((("consultation",), ("funding", "partnership")), now, value),
        }[part]()}
        self.case_study = replace(study, **change)
        self.step(f"the case study: {change}")

    @rule(part=st.sampled_from(["weeks", "title", "summary"]), value=CHOICE)
    def edit_toolkit_yml(self, part, value):
        key = {"weeks": "weeks", "title": "title", "summary": "summary_link"}[part]
        choices = {
            "weeks": WEEKS,
            "title": (None, "Consult early, here"),
            "summary": (None, self.link_target(value, valid=True)),
        }[part]
        change = {key: another(choices, self.toolkit[key], value)}
        self.toolkit.update(change)
        self.step(f"toolkit.yml: {change}")

    @rule(part=st.sampled_from(["add", "remove", "definition", "national"]), value=CHOICE)
    def edit_glossary(self, part, value):
        """The edition's data/glossary.yml: a term pages use added or taken out, or the file
        removed (the national glossary then applies)."""
        terms = dict(self.terms or {})
        if part == "add":
            terms[pick(TERMS, value)] = value % len(DEFINITIONS)
        elif part == "remove" and terms:
            del terms[pick(sorted(terms), value)]
        elif part == "definition" and terms:
            term = pick(sorted(terms), value)
            terms[term] = another(range(len(DEFINITIONS)), terms[term], value)
        self.terms = None if part == "national" else terms
        self.step(f"the glossary: {part} ({self.terms})")

    @rule(name=st.sampled_from(TEMPLATES), value=CHOICE)
    def edit_template(self, name, value):
        variant = another([None, *TEMPLATE_VARIANTS], self.templates.get(name), value)
        if variant is None:
            self.templates.pop(name, None)
        else:
            self.templates[name] = variant
        self.step(f"the template {name}: {variant}")

    @rule(value=CHOICE)
    def edit_home_page(self, value):
        self.home = another([None, *HOME_WORDS], self.home, value)
        self.step(f"the home page: {self.home}")

    @rule()
    def idle(self):
        """Nothing saved for a while: the preview does work ahead; then a rebuild with nothing changed."""
        preview_idle(self.memory)
        self.step("idle")

    # -- mistakes, and putting them right

    @rule(mistake=st.sampled_from(MISTAKES), n=CHOICE, value=CHOICE)
    def make_a_mistake(self, mistake, n, value):
        slug = self.page(n)
        page = self.pages[slug]
        if mistake == "front matter that is not YAML":
            self.pages[slug] = replace(page, broken_yaml=True)
        elif mistake == "a broken link":
            self.pages[slug] = replace(page, link=self.link_target(value, valid=False))
        elif mistake == "no such principle":
            self.pages[slug] = replace(page, principle=PRINCIPLES[-1])
        elif mistake == "no such parameter":
            self.pages[slug] = replace(page, param=PARAMS[-1])
        elif mistake == "not a date":
            self.pages[slug] = replace(page, reviewed=REVIEWED[-1])
        elif mistake == "a case study without its area":
            self.case_study = replace(self.case_study or CaseStudyModel(), broken=True)
        elif mistake == "a case study naming no section":
            self.case_study = replace(self.case_study or CaseStudyModel(), sections=("nope",))
        elif mistake == "a broken link in a case study":
            self.case_study = replace(self.case_study or CaseStudyModel(), link=self.link_target(value, valid=False))
        elif mistake == "a glossary term without its definition":
            self.terms = self.terms or {"grant-aid": 0}
            self.glossary_broken = True
        elif mistake == "principle 2.4 not adopted":            # pages that cite it then fail
            self.toolkit.update(adopted=False)
        elif mistake == "a broken link in toolkit.yml":
            self.toolkit.update(summary_link=self.link_target(value, valid=False))
        else:
            self.templates[pick(TEMPLATES, value)] = mistake
        self.step(f"a mistake: {mistake} ({slug})")

    @precondition(lambda self: any(page.broken_yaml for page in self.pages.values()))
    @rule(n=CHOICE)
    def mend_front_matter(self, n):
        slug = pick([slug for slug, page in sorted(self.pages.items()) if page.broken_yaml], n)
        self.pages[slug] = replace(self.pages[slug], broken_yaml=False)
        self.step(f"{slug}'s front matter mended")

    @rule(value=CHOICE)
    def mend_links(self, value):
        for slug, page in self.pages.items():
            self.pages[slug] = replace(page, link=self.link_target(value, valid=True))
        self.step("every page's link mended")

    @precondition(lambda self: self.failed)
    @rule()
    def mend_everything(self):
        """Every mistake put right and saved at once, so later steps start from a site that builds."""
        for slug, page in self.pages.items():
            self.pages[slug] = replace(page, broken_yaml=False, principle="2.4", param=PARAMS[0],
                                       link="index.html", reviewed=None)
        if self.case_study is not None:
            self.case_study = replace(self.case_study, broken=False, principle="2.4", link="index.html",
                                      sections=tuple(sorted(self.pages)[:1]))
        if self.terms is not None:
            self.terms = {term: 0 for term in self.terms}        # no definition links to a page that may be gone
        self.glossary_broken = False
        self.toolkit.update(weeks=12, summary_link=None, adopted=True)
        self.templates = {name: variant for name, variant in self.templates.items() if variant in TEMPLATE_VARIANTS}
        self.home = None
        self.step("everything mended")
        assert not self.failed, "the edition still does not build"


# ----------------------------------------------------------------------------- the tests

# A longer hunt: PREVIEW_STATE_EXAMPLES=500. CI runs the same examples every time (CI is set there).
EXAMPLES = int(os.environ.get("PREVIEW_STATE_EXAMPLES", 15))
STATEFUL = settings(max_examples=EXAMPLES, stateful_step_count=10, deadline=None,
                    derandomize=bool(os.environ.get("CI")),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])
# Worker processes are slow to start: fewer examples, as many steps.
IN_WORKERS = settings(STATEFUL, max_examples=max(1, EXAMPLES * 2 // 3))


@pytest.fixture
def machine(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")      # no new day between two builds
    monkeypatch.setattr(PreviewMatchesCleanBuild, "base", tmp_path)
    return PreviewMatchesCleanBuild


def test_the_preview_equals_a_clean_build_after_any_edits(machine):
    run_state_machine_as_test(machine, settings=STATEFUL)


def test_the_preview_equals_a_clean_build_with_work_in_worker_processes(machine, monkeypatch):
    lowered_thresholds(monkeypatch)
    run_state_machine_as_test(machine, settings=IN_WORKERS)


# ----------------------------------------------------------------------------- found by the machine

def test_worker_processes_finish_their_work_and_are_never_killed(machine, monkeypatch):
    """The machine with worker processes once hung for good, after 1,636 builds, inside a clean
    build: markdown_cache.Batch stopped its pool (Pool.terminate) as soon as the last result was
    in, a worker was killed still holding the lock of the pool's result queue, and the pool
    waited for it forever (CPython issue 96995). The pools of a build now let their workers
    finish: none is sent a signal to stop."""
    import multiprocessing.process
    lowered_thresholds(monkeypatch)
    started, stopped = [], []
    start, terminate = multiprocessing.process.BaseProcess.start, multiprocessing.process.BaseProcess.terminate
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start",
                        lambda process: started.append(process) or start(process))
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "terminate",
                        lambda process: stopped.append(process) or terminate(process))
    edition = machine()
    try:
        files, problems = clean_build(edition.root)
    finally:
        edition.teardown()
    assert files is not None and [p for p in problems if not p.warning] == []
    assert len(started) >= 4            # two pools (the Markdown's and the pages'), of two workers or more
    assert stopped == []
