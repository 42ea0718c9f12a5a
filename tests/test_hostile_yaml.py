"""YAML written to hurt, and YAML written by someone who typed a number where text goes.

Every YAML file the build reads (toolkit.yml, front matter, case studies, data files and
the theme's strings) goes through one loader, which limits aliases (*name), and one
schema check. A text field holds the text as typed (`term: 2024` is the term "2024"),
and the JSON Schemas published in schemas/ say the same as the build.
"""
from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc

import jsonschema
import pytest
import yaml

from support import REPO, run_cli, write_files
from toolkit.stages.edition import load_edition
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build
from toolkit.formats.yaml_files import SourceError, load_yaml

SETTINGS = """\
name: Testshire Compact toolkit
area: Testshire
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""

# Nine lines that stand for 9**9 (387 million) copies of "lol". The third *e on line 6 is
# where what the aliases repeat passes a million characters.
BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
TOO_BIG = ("error: this file uses too many YAML aliases (together they would repeat more than "
           "1,000,000 characters)\n"
           "  hint: write the settings out in full instead of repeating them with &name and *name")
NATIONAL_STRINGS = (REPO / "themes/default/strings/en.yml").read_text(encoding="utf-8")
STRINGS_FILE = "themes/default/strings/en.yml"


def _edition(tmp_path, files: dict, settings: str = SETTINGS):
    return write_files(tmp_path / "edition", {"toolkit.yml": settings, **files})


def _check_within(root, seconds: float = 5, megabytes: int = 200):
    """`python build.py check ROOT` with at most 1 GB of memory, stopped after 30 s; it must
    finish within `seconds` and use at most `megabytes` at its peak. Returns the process."""
    def limit_memory():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "check", str(root)],
                                   stdout=out, stderr=err, preexec_fn=limit_memory)
        stop = threading.Timer(30, process.kill)
        stop.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)      # this process's own peak memory
        finally:
            stop.cancel()
        elapsed = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        process.stdout, process.stderr = out.read().decode(), err.read().decode()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert usage.ru_maxrss < megabytes * 1024, f"used {usage.ru_maxrss // 1024} MB"
    return process


def _problems(root) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    return [p.format() for p in failed.value.problems]


def _page(root, path: str) -> str:
    return build(root, write=False, use_cache=False).outputs[path].decode("utf-8")


# --- aliases -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, text, where", [
    (STRINGS_FILE, BOMB + NATIONAL_STRINGS, "6:14"),
    ("data/glossary.yml", "".join(f"- {line[3:]}\n" for line in BOMB.splitlines()), "6:13"),
    ("content/laughs.md", "---\ntitle: Laughs\norder: 5\n" + BOMB + "---\nText.\n", "9:14"),
    ("toolkit.yml", SETTINGS + BOMB, "11:14"),
])
def test_an_alias_bomb_fails_at_once_in_little_memory_naming_file_and_line(tmp_path, rel, text, where):
    root = _edition(tmp_path, {rel: text})
    result = _check_within(root)
    assert result.returncode == 1
    assert result.stderr == f"{rel}:{where}: {TOO_BIG}\n\n1 error found.\n"
    assert result.stdout == ""


def test_loading_an_alias_bomb_stops_before_building_anything():
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(SourceError) as failed:
            load_yaml(BOMB, STRINGS_FILE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert failed.value.problem.format() == f"{STRINGS_FILE}:6:14: {TOO_BIG}"
    assert time.monotonic() - start < 1
    assert peak < 5 * 1024 * 1024, f"{peak} bytes"


def test_more_than_a_hundred_aliases_is_too_many(tmp_path):
    issues = "  known_issues: [" + ", ".join(["*x"] * 101) + "]\n"
    root = _edition(tmp_path, {"toolkit.yml": SETTINGS + "  contact_phone: &x \"0\"\n" + issues})
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert result.stderr == (
        "toolkit.yml:7:418: error: this file uses too many YAML aliases (more than 100 uses of *name)\n"
        "  hint: write the settings out in full instead of repeating them with &name and *name"
        "\n\n1 error found.\n")


def test_an_alias_inside_the_block_it_names_is_refused(tmp_path):
    root = _edition(tmp_path, {"toolkit.yml": SETTINGS + "hide: &h [*h]\n"})
    assert _problems(root) == [
        "toolkit.yml:6:11: error: the alias *h is used inside the block it names (&h), so it would repeat for ever\n"
        "  hint: write the settings out in full instead of *h"]


def test_a_few_aliases_still_work(tmp_path):
    root = _edition(tmp_path, {"toolkit.yml": SETTINGS.replace(
        "  contact_email: compact@testshire.example",
        "  contact_email: &email compact@testshire.example\n  contact_phone: &phone 01632 960000") +
        "contacts:\n  - name: Compact team\n    email: *email\n    phone: *phone\n"})
    html = _page(root, "index.html")
    assert "01632 960000" in html and "compact@testshire.example" in html


# --- the theme's strings file --------------------------------------------------------------------------------

def test_an_unknown_name_in_the_strings_file_is_a_problem_with_a_did_you_mean(tmp_path):
    root = _edition(tmp_path, {STRINGS_FILE: NATIONAL_STRINGS.replace("\nmenu: Menu\n", "\nmneu: Menu\n")})
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert result.stderr == (f"{STRINGS_FILE}:5:1: error: unknown setting 'mneu'\n"
                             "  hint: did you mean 'menu'?\n\n1 error found.\n")


def test_a_name_the_theme_does_not_use_is_a_problem(tmp_path):
    root = _edition(tmp_path, {STRINGS_FILE: NATIONAL_STRINGS + "welcome_banner: Hello\n"})
    assert _problems(root) == [
        f"{STRINGS_FILE}:{len(NATIONAL_STRINGS.splitlines()) + 1}:1: error: unknown setting 'welcome_banner'\n"
        "  hint: a strings file gives the words for the names the theme uses, listed in the national "
        "themes/default/strings/en.yml; check the spelling against it"]


def test_a_list_in_the_strings_file_is_a_problem(tmp_path):
    text = NATIONAL_STRINGS.replace("\nmenu: Menu\n", "\nmenu: [Menu, Navigation]\n")
    root = _edition(tmp_path, {STRINGS_FILE: text})
    assert _problems(root) == [
        f"{STRINGS_FILE}:5:1: error: 'menu' should be text, not a list\n  hint: write it as menu: \"...\""]


def test_an_editions_strings_file_gives_only_the_words_it_changes(tmp_path):
    """The rest come from the national file, so a new national string never breaks an edition."""
    root = _edition(tmp_path, {STRINGS_FILE: "actions_all: Our action plan\n"})
    html = _page(root, "index.html")
    assert "Our action plan" in html and "Skip to main content" in html


def test_a_number_in_the_strings_file_is_its_text(tmp_path):
    text = NATIONAL_STRINGS.replace("\nskip_link: Skip to main content\n", "\nskip_link: 2024\n")
    root = _edition(tmp_path, {STRINGS_FILE: text})
    assert '<a class="skip-link" href="#main">2024</a>' in _page(root, "index.html")


# --- a number where text goes --------------------------------------------------------------------------------

GLOSSARY = """\
- term: 2024
  id: year-2024
  expansion: 42
  definition: The year the local Compact was renewed.
"""
READING = """\
- title: The Compact
  publisher: 2012
  year: 2010
  description: The national agreement.
"""
PRINCIPLE = "principles:\n  \"2.4\":\n    title: 123\n"


def test_a_glossary_term_and_expansion_typed_as_numbers_are_their_text(tmp_path):
    html = _page(_edition(tmp_path, {"data/glossary.yml": GLOSSARY}), "glossary.html")
    assert ">2024<" in html and "42" in html


def test_a_publisher_typed_as_a_number_is_its_text(tmp_path):
    html = _page(_edition(tmp_path, {"data/further_reading.yml": READING}), "further-reading.html")
    assert '<p class="reading__meta">2012, 2010</p>' in html


def test_a_principle_title_typed_as_a_number_is_its_text(tmp_path):
    html = _page(_edition(tmp_path, {}, SETTINGS + PRINCIPLE), "principles.html")
    assert "</span> 123</h2>" in html


def test_a_number_is_kept_as_it_was_typed(tmp_path):
    """YAML reads 01234567 as the octal number 342391; a phone number keeps what was typed."""
    root = _edition(tmp_path, {}, SETTINGS + "  contact_phone: 01234567\n")
    assert "01234567" in _page(root, "accessibility.html")


def test_extends_typed_as_a_number_names_a_folder(tmp_path):
    root = _edition(tmp_path, {}, SETTINGS + "extends: 2024\n")
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert result.stderr == (
        f"toolkit.yml:6: error: 'extends' names 2024, but there is no such folder ({root / '2024'})\n"
        "  hint: give the folder of another edition, relative to this file, or remove 'extends' "
        "to build on the national toolkit\n\n1 error found.\n")
    assert "None" not in result.stderr


def test_extends_typed_as_a_number_builds_on_that_folder(tmp_path):
    root = write_files(tmp_path / "edition", {
        "toolkit.yml": "name: Testshire Compact toolkit\nextends: 2024\n",
        "2024/toolkit.yml": SETTINGS.replace("testshire", "numbershire")})
    assert "compact@numbershire.example" in _page(root, "accessibility.html")


# --- the published JSON Schemas say what the build does --------------------------------------------------------

def _published(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((REPO / "schemas" / name).read_text(encoding="utf-8")))


def _as_editor_sees(value):
    """YAML as an editor's language server reads it: dates are text."""
    if isinstance(value, dict):
        return {str(k): _as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


NATIONAL_PRINCIPLES = (REPO / "data/principles.yml").read_text(encoding="utf-8")
AGREEMENT = [
    # the published schema, the file in an edition, its text, whether both take it
    ("glossary.schema.json", "data/glossary.yml", GLOSSARY, True),
    ("glossary.schema.json", "data/glossary.yml", GLOSSARY.replace("2024", "[2024]"), False),
    ("glossary.schema.json", "data/glossary.yml", GLOSSARY.replace("42", "2026-01-01"), True),
    ("glossary.schema.json", "data/glossary.yml", GLOSSARY.replace("42", "true"), True),
    ("further-reading.schema.json", "data/further_reading.yml", READING, True),
    ("further-reading.schema.json", "data/further_reading.yml", READING.replace("2012", "{name: HMSO}"), False),
    ("further-reading.schema.json", "data/further_reading.yml", READING + "  url: 2012\n", False),
    ("further-reading.schema.json", "data/further_reading.yml", READING.replace("2010", "\"2010\""), False),
    ("toolkit.schema.json", "toolkit.yml", SETTINGS + "extends: 2024\n", True),
    ("toolkit.schema.json", "toolkit.yml", SETTINGS + "extends: [2024]\n", False),
    ("toolkit.schema.json", "toolkit.yml", SETTINGS + PRINCIPLE, True),
    ("toolkit.schema.json", "toolkit.yml", SETTINGS + PRINCIPLE.replace("123", "[123]"), False),
    ("toolkit.schema.json", "toolkit.yml", SETTINGS + "language: 2024\n", False),
    ("principles.schema.json", "data/principles.yml",
     NATIONAL_PRINCIPLES + "\n- id: 9.1\n  title: 123\n  summary: S.\n", True),
    ("principles.schema.json", "data/principles.yml",
     NATIONAL_PRINCIPLES + "\n- id: 9.1\n  title: [123]\n  summary: S.\n", False),
    ("strings.schema.json", STRINGS_FILE, NATIONAL_STRINGS.replace("menu: Menu", "menu: 2024"), True),
    ("strings.schema.json", STRINGS_FILE, NATIONAL_STRINGS.replace("menu: Menu", "mneu: Menu"), False),
    ("strings.schema.json", STRINGS_FILE, NATIONAL_STRINGS.replace("menu: Menu", "menu: [a]"), False),
    ("strings.schema.json", STRINGS_FILE, NATIONAL_STRINGS, True),
]


@pytest.mark.parametrize("name, rel, text, right", AGREEMENT)
def test_the_published_schema_and_the_build_agree(tmp_path, name, rel, text, right):
    editor = not list(_published(name).iter_errors(_as_editor_sees(yaml.safe_load(text))))
    files = {"2024/toolkit.yml": SETTINGS}          # the edition `extends: 2024` names
    root = _edition(tmp_path, {**files, rel: text}) if rel != "toolkit.yml" else _edition(tmp_path, files, text)
    try:
        build(root, write=False, use_cache=False)
        built = True
    except BuildFailed:
        built = False
    assert (editor, built) == (right, right)


def test_no_message_says_none_when_the_national_toolkit_is_missing(tmp_path):
    root = _edition(tmp_path, {})
    national = tmp_path / "national"
    national.mkdir()
    with pytest.raises(BuildFailed) as failed:
        load_edition(root, national)
    assert [p.format() for p in failed.value.problems] == [
        f"toolkit.yml:1: error: this edition builds on the national toolkit, but that folder ({national}) "
        "has no toolkit.yml, so it is not an edition\n"
        "  hint: install Compact Toolkit again (see the README), then run the command again"]
