"""Arbitrary input never escapes as anything but the toolkit's own error.

Hypothesis feeds made-up bytes, YAML, front matter and Markdown to the loaders and to
whole builds. Whatever it makes, the result is either a value (or a built site) or
BuildFailed / SourceError carrying Problems; never a Python exception of another
kind, which a person would see as "a fault in Compact Toolkit". When a build
succeeds, the page made from the arbitrary Markdown holds no executable script.

The examples run per property are set below (EXAMPLES); `pytest tests/test_properties.py
--hypothesis-show-statistics` prints how many ran and how many built a site.
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from support import REPO, write_files
from test_safety import executable_script
from toolkit.formats import schema
from toolkit.model.problems import BuildFailed, Problem
from toolkit.reuse.markdown_cache import MarkdownRenderer
from toolkit.commands.build import build
from toolkit.formats.yaml_files import SourceError, decode, load_yaml, split_front_matter

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", 250))      # more for a long hunt: PROPERTY_EXAMPLES=5000
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(max_examples=EXAMPLES * 4 // 5, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces that mean something to YAML, to Markdown, to our extensions, to a browser.
MARKDOWN_PIECES = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="x" onclick="y">z</a>',
    "[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a](jav&#x61;script:x)", "<javascript:alert(1)>",
    "[a](vbscript:x)", "![i](data:text/html,x)", "![i](data:image/png;base64,AA==)", "[x](../../../etc/passwd)",
    "[x](%2e%2e/%2e%2e/x)", "[a](consultation.html)", "[a](consultation.html#nope)", "[a](#top)",
    "[[principle:2.4]]", "[[param:2.4.consultation_weeks]]", "[[principle:", "[[param:x]]", "]]",
    "{{ 7*7 }}", "{% include 'base.html' %}", "{# x #}", "\n", "\n\n", "# ", "## ", "### ", "---\n",
    "```\n", "    ", "|a|b|\n|-|-|\n", "\t", "\r\n", "\r", "\ufeff", "\x00", "<!--", "-->", "&amp;",
    "&#0;", "[ref]: javascript:x\n", "[ref]", "*", "_", "`", "\ue000", "\ue001", "\ue002", "\x01", "\x02", "\x03", "\"", "'",
    "<", ">", "&", "\u2028", "social value", "VCS", "Compact",
)
markdown_text = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(MARKDOWN_PIECES)),
                         max_size=25).map("".join)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.dates(), st.sampled_from(MARKDOWN_PIECES))
yaml_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)

YAML_PIECES = (": ", "- ", "\n", "\n  ", "\t", "'", '"', "{", "}", "[", "]", "&a ", "*a", "!!python/object:os.system ",
               "!!binary ", "!!int ", "!!timestamp ", "2026-02-30", "2026-11-25", "? ", "|", ">", "#", "%YAML 1.1\n",
               "---", "...", "~", "null", "yes", "0x1F", "1e400", ".nan", "<<: *a", "\x07", "\ufeff", "\r\n")
yaml_text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(YAML_PIECES)), max_size=30).map("".join)


def _settings_keys(fields) -> list[str]:
    return [f.name for f in fields]


def documents(fields) -> st.SearchStrategy[str]:
    """YAML text for a file of this format: well-formed with any values, or any text at all."""
    known = st.sampled_from(_settings_keys(fields))
    mapping = st.dictionaries(st.one_of(known, known, st.text(max_size=8)), yaml_values, max_size=8)
    dumped = mapping.map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False))
    return st.one_of(dumped, dumped, yaml_text)


def one_change(valid: dict, fields) -> st.SearchStrategy[str]:
    """A file that is right but for one setting, which gets any value: reaches past the schema."""
    names = st.sampled_from([f.name for f in fields] + ["unknown_setting"])
    values = st.one_of(yaml_values, markdown_text, st.sampled_from(SAMPLE_VALUES))
    return st.tuples(names, values).map(
        lambda change: yaml.safe_dump({**valid, change[0]: change[1]}, allow_unicode=True, sort_keys=False))


# Values that pass some check or other, so that a changed setting is often a valid one.
SAMPLE_VALUES = ("#1d4f91", "#ffffff", "https://example.org/page", "mailto:x@y.example", "x@y.example", 12, 0, -1,
                 True, False, datetime.date(2020, 1, 1), ["2.4"], ["consultation"], ["9.9"], ["t", "u"], "static/logo.svg",
                 {"2.4": {"params": {"consultation_weeks": 8}}}, {"2.4": {"adopted": False}}, {"9.9": {"title": "New"}},
                 {"primary": "#000000", "accent": "#ffdd00"}, {"file": "static/logo.svg", "alt": "Logo"},
                 [{"name": "Team", "email": "a@b.example", "url": "https://example.org"}], ["content/consultation.md"])

VALID_STUDY = {"title": "Arbitrary", "area": "Here", "summary": "S.", "themes": ["t"], "who": "W.",
               "what_they_did": "D.", "what_it_led_to": "L."}
VALID_FRONT = {"title": "A page", "order": 5}


def _only_our_errors(call):
    """Run `call`; our own errors are fine. Anything else fails the property."""
    try:
        return call()
    except (BuildFailed, SourceError) as failed:
        problems = failed.problems if isinstance(failed, BuildFailed) else (failed.problem,)
        assert problems and all(isinstance(p, Problem) and p.message for p in problems)
        return None


# --- the loaders -----------------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=200))
def test_any_bytes_decode_to_text_or_a_problem_naming_the_byte(data):
    text = _only_our_errors(lambda: decode(data, "f.md"))
    if text is not None:
        assert "\r" not in text and not text.startswith("\ufeff")


@FAST
@given(yaml_text)
def test_any_yaml_text_loads_or_is_a_problem_with_a_line(text):
    try:
        load_yaml(text, "data/x.yml", first_line=2)
    except SourceError as failed:
        assert failed.problem.message and failed.problem.hint
        assert failed.problem.line == 0 or failed.problem.line >= 2     # counted from the file's line 2


@FAST
@given(st.one_of(markdown_text, yaml_text.map(lambda t: "---\n" + t + "\n---\n" + t)))
def test_any_page_text_splits_or_is_a_problem(text):
    _only_our_errors(lambda: split_front_matter(text, "content/x.md"))


@FAST
@given(yaml_values, st.sampled_from([schema.TOOLKIT, schema.FRONT_MATTER, schema.CASE_STUDY, schema.PRINCIPLE,
                                     schema.ACTION, schema.GLOSSARY_TERM, schema.READING]))
def test_schemas_check_any_value_without_failing(value, fields):
    problems = schema.check(value, fields, "x.yml")
    assert all(isinstance(p, Problem) for p in problems)


@FAST
@given(documents(schema.CASE_STUDY))
def test_any_case_study_text_loads_and_checks_without_failing(text):
    def load():
        return schema.check(load_yaml(text, "case_studies/x.yml"), schema.CASE_STUDY, "case_studies/x.yml")
    _only_our_errors(load)


# --- whole builds ----------------------------------------------------------------------------------------

def _hide_national() -> str:
    """Leave out the national pages and case studies, so each example builds in milliseconds."""
    hidden = [p.relative_to(REPO).as_posix() for folder in ("content", "case_studies")
              for p in sorted((REPO / folder).iterdir()) if p.suffix in (".md", ".yml") and p.stem != "index"]
    return "hide:\n" + "".join(f"  - {rel}\n" for rel in hidden)


SETTINGS = ("name: Property test edition\naccessibility:\n  contact_email: a@b.example\n"
            "  last_tested: 2026-11-01\n")


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    root = write_files(tmp_path_factory.mktemp("properties") / "edition",
                       {"toolkit.yml": SETTINGS + _hide_national(),
                        "case_studies/fixed.yml": "title: Fixed\narea: Here\nsummary: S.\nthemes: [t]\n"
                                                  "who: W.\nwhat_they_did: D.\nwhat_it_led_to: L.\n",
                        "content/arbitrary.md": "---\ntitle: A page\norder: 1\n---\nSome text.\n"})
    # The edition itself must build, or every example would be "refused" and prove nothing.
    assert build(root, write=False, use_cache=False).pages > 10
    return root


@pytest.fixture(scope="module")
def renderer():
    return MarkdownRenderer(False, None, workers=1)


def _build(root: Path, renderer: MarkdownRenderer):
    result = _only_our_errors(lambda: build(root, write=False, renderer=renderer,
                                            today=datetime.date(2026, 11, 25)))
    event("built a site" if result else "refused with the toolkit's own error")
    return result


@BUILDS
@given(front=st.one_of(documents(schema.FRONT_MATTER), one_change(VALID_FRONT, schema.FRONT_MATTER)),
       body=st.one_of(st.just("Some text.\n"), markdown_text))
def test_any_page_builds_or_fails_with_our_error_and_never_carries_script(edition, renderer, front, body):
    (edition / "content" / "arbitrary.md").parent.mkdir(exist_ok=True)
    (edition / "content" / "arbitrary.md").write_text("---\n" + front + "\n---\n" + body, encoding="utf-8")
    result = _build(edition, renderer)
    if result is not None:
        for path, data in result.outputs.items():
            if path.endswith(".html"):
                assert executable_script(data.decode("utf-8")) == [], path


@BUILDS
@given(front=st.sampled_from(["title: A page\norder: 1\n", "title: \"<b>x</b>\"\norder: 2\nsummary: '\"><script>'\n"]),
       body=markdown_text)
def test_any_markdown_on_a_valid_page_builds_or_fails_with_our_error(edition, renderer, front, body):
    (edition / "content" / "arbitrary.md").parent.mkdir(exist_ok=True)
    (edition / "content" / "arbitrary.md").write_text("---\n" + front + "---\n" + body, encoding="utf-8")
    result = _build(edition, renderer)
    if result is not None:
        html = result.outputs["arbitrary.html"].decode("utf-8")
        assert executable_script(html) == []


@BUILDS
@given(study=st.one_of(documents(schema.CASE_STUDY), one_change(VALID_STUDY, schema.CASE_STUDY)))
def test_any_case_study_builds_or_fails_with_our_error(edition, renderer, study):
    (edition / "content" / "arbitrary.md").unlink(missing_ok=True)
    (edition / "case_studies" / "arbitrary.yml").write_text(study, encoding="utf-8")
    try:
        result = _build(edition, renderer)
        if result is not None:
            for path, data in result.outputs.items():
                if path.endswith(".html"):
                    assert executable_script(data.decode("utf-8")) == [], path
    finally:
        (edition / "case_studies" / "arbitrary.yml").unlink()


@BUILDS
@given(extra=one_change({}, [f for f in schema.TOOLKIT if f.name not in ("name", "hide", "extends")]))
def test_any_setting_builds_or_fails_with_our_error(edition, renderer, extra):
    (edition / "content" / "arbitrary.md").unlink(missing_ok=True)
    extra = extra if not extra.startswith("accessibility:") else extra.replace("accessibility:", "a11y:", 1)
    (edition / "toolkit.yml").write_text(SETTINGS + _hide_national() + extra, encoding="utf-8")
    try:
        result = _build(edition, renderer)
        if result is not None:
            for path, data in result.outputs.items():
                if path.endswith(".html"):
                    assert executable_script(data.decode("utf-8")) == [], path
    finally:
        (edition / "toolkit.yml").write_text(SETTINGS + _hide_national(), encoding="utf-8")
