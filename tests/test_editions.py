"""Local editions (issue 3): scaffolding, overlays, branding, local principles, many editions.

Every test builds real sites (the sample editions under areas/, or small editions in
tmp_path) and looks at what was written, as a coordinator or a reader would.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO, run_cli, write_files
from toolkit.formats import schema
from toolkit.checks.contrast import ratio
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build

SAMPLES = {"eastmere": 8, "harrowdale": 10}     # sample edition -> its consultation period in weeks
NATIONAL_WEEKS = 12
CONSULTATION_PARAM = "[[param:2.4.consultation_weeks]]"
TEXT_SUFFIXES = {".html", ".js", ".css", ".xml", ".txt", ".json", ".svg"}


def messages(excinfo) -> list[str]:
    return [problem.format() for problem in excinfo.value.problems]


def text_files(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(site.rglob("*")) if path.is_file() and path.suffix in TEXT_SUFFIXES}


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    """Both sample editions, built once for this module."""
    out = tmp_path_factory.mktemp("samples")
    return {name: build(REPO / "areas" / name, out / name, use_cache=False).out for name in SAMPLES}


# --- new: a fresh edition that builds at once ------------------------------------------------

def test_new_then_build_gives_a_branded_site(tmp_path):
    # No `python` on PATH is this Python (as with a virtual environment not activated), so the
    # commands shown name it by its path: a plain `python` would lack the toolkit's libraries.
    made = subprocess.run([sys.executable, str(REPO / "build.py"), "new", "northbridge", "--name", "Northbridge"],
                          cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PATH": str(tmp_path)})
    assert made.returncode == 0, made.stderr
    assert made.stdout == ("Made a new edition in northbridge.\n"
                           "Edit northbridge/toolkit.yml, then build it with:\n"
                           f"  {sys.executable} {REPO / 'build.py'} build northbridge\n"
                           "or see each change as you save it with:\n"
                           f"  {sys.executable} {REPO / 'build.py'} serve northbridge\n")
    edition = tmp_path / "northbridge"
    built = subprocess.run(shlex.split(made.stdout.splitlines()[2]), cwd=tmp_path, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    site = edition / "_site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<span class="site-header__name">Northbridge social value toolkit</span>' in home
    assert '<img class="site-header__logo" src="static/logo.svg" alt="Northbridge Compact">' in home
    assert '<link rel="icon" href="static/favicon.svg">' in home
    assert "Northbridge Compact partnership" in home                     # the publisher, in the footer
    assert "compact@northbridge.example" in home                          # the footer contact
    logo = (site / "static/logo.svg").read_text(encoding="utf-8")
    assert 'aria-label="Northbridge"' in logo and ">N</text>" in logo
    assert (site / "static/logo.svg").read_bytes() == (edition / "static/logo.svg").read_bytes()
    # The notes explaining each overlay folder are there for the coordinator, not published.
    for folder in ("content", "case_studies", "data"):
        assert (edition / folder / "README.txt").is_file()
    assert (edition / "static/_README.txt").is_file()
    assert not [p for p in site.rglob("*README*")]


def test_new_toolkit_yml_explains_every_setting_and_is_valid(tmp_path):
    assert run_cli("new", str(tmp_path / "nb"), "--name", "Northbridge").returncode == 0
    text = (tmp_path / "nb/toolkit.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    data = yaml.safe_load(text)
    assert data["area"] == "Northbridge" and "extends" not in data      # extends the national toolkit
    for field in schema.TOOLKIT:
        assert re.search(rf"^(# )?{field.name}:", text, re.M), f"{field.name} is not in the generated file"
    for index, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):                                 # every setting has a note above it
            above = [previous for previous in lines[:index] if previous.strip()][-1]
            assert above.startswith("# "), line
    # Switching on the examples shown as notes gives a valid edition, with the local values shown.
    text = _uncomment(text, "# hide:")
    text = _uncomment(text, "# principles:")
    text = _uncomment(text, "# actions:")
    text = _uncomment(text, "# home:")
    (tmp_path / "nb/toolkit.yml").write_text(text, encoding="utf-8")
    result = build(tmp_path / "nb", use_cache=False)
    site = result.out
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1>Social value and the Northbridge Compact</h1>" in home
    assert "How councils and voluntary groups in Northbridge work together" in home
    assert '<h2 id="about-edition">About this edition</h2>' in home and 'href="consultation.html"' in home
    assert not (site / "joint-social-value-strategy.html").exists()
    assert not (site / "case-studies/sutton.html").exists()
    assert '<span class="param">8 weeks</span>' in (site / "consultation.html").read_text(encoding="utf-8")
    principles = (site / "principles.html").read_text(encoding="utf-8")
    assert "Local principle L1</span> Pay small organisations promptly" in principles
    assert "Involve the sector from the start" in principles
    actions = re.findall(r'<li class="action" id="action-([^"]+)"', (site / "actions.html").read_text(encoding="utf-8"))
    procurement = [i for i in actions if i in ("local-meet-the-buyer", "commissioners-recognise-vcs-capacity")]
    assert procurement == ["local-meet-the-buyer", "commissioners-recognise-vcs-capacity"]
    assert "commissioners-include-smaller-contracts" not in actions and len(actions) == 15


def _uncomment(text: str, first: str) -> str:
    """Remove '# ' from the block of note lines that starts with `first`, up to a blank line."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        inside = inside and line.strip() != "" or line.startswith(first)
        out.append(line[2:] if inside and line.startswith("# ") else line)
    return "".join(out)


def test_new_into_a_folder_with_files_is_an_error_and_changes_nothing(tmp_path):
    folder = write_files(tmp_path / "mine", {"notes.txt": "keep me"})
    result = run_cli("new", str(folder), "--name", "Northbridge")
    assert result.returncode == 1
    assert result.stderr == (f"{folder}: error: this folder already has files in it, so a new edition was not "
                             "made there (nothing was changed)\n"
                             "  hint: choose a new folder name, or an empty folder\n\n1 error found.\n")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_new_keeps_an_awkward_name_as_written(tmp_path):
    name = 'St Mary: "North" & South'
    assert run_cli("new", str(tmp_path / "sm"), "--name", name).returncode == 0
    home = (build(tmp_path / "sm", use_cache=False).out / "index.html").read_text(encoding="utf-8")
    assert "St Mary: &#34;North&#34; &amp; South social value toolkit" in home


# --- the sample editions ---------------------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLES)
def test_consultation_period_is_local_everywhere_but_the_comparison(samples, name):
    """Every page that mentions the consultation period shows the local value; the national
    value appears only where the principles page compares the two."""
    site, local = samples[name], SAMPLES[name]
    files = text_files(site)
    national = re.compile(rf"\b{NATIONAL_WEEKS}(</span>)?[ -]weeks?\b|\btwelve[ -]weeks?\b", re.I)
    assert [path for path, text in files.items() if national.search(text)] == ["principles.html"]
    principles = files["principles.html"]
    compared = re.sub(r'<div class="compare__national">.*?</div>|<p class="compare__param">.*?</p>', "",
                      principles, flags=re.S)
    assert not national.search(compared)
    assert (f'<p class="compare__param">consultation weeks: {local} weeks here; {NATIONAL_WEEKS} weeks in the '
            "national Compact</p>") in principles

    # Which pages mention it: every page of the edition whose source uses the parameter.
    edition = REPO / "areas" / name
    hidden = set(yaml.safe_load((edition / "toolkit.yml").read_text(encoding="utf-8")).get("hide") or ())
    mentioning = {"principles.html", "guide.html"}
    for source in sorted((REPO / "content").glob("*.md")) + sorted((edition / "content").glob("*.md")):
        nearest = edition / "content" / source.name
        text = (nearest if nearest.exists() else source).read_text(encoding="utf-8")
        if CONSULTATION_PARAM in text and f"content/{source.name}" not in hidden:
            mentioning.add("index.html" if source.stem == "index" else f"{source.stem}.html")
    assert len(mentioning) >= 4
    for path in sorted(mentioning):
        assert f'<span class="param">{local} weeks</span>' in files[path], path


def test_samples_differ_visibly(samples):
    east, harrow = samples["eastmere"], samples["harrowdale"]
    east_home = (east / "index.html").read_text(encoding="utf-8")
    harrow_home = (harrow / "index.html").read_text(encoding="utf-8")
    assert (east / "assets/brand.css").read_text() == (
        ":root {\n  --brand-primary: #00665e;\n  --brand-accent: #f5b700;\n  --brand-accent-text: #0b0c0c;\n"
        "  --brand-header-focus: transparent;\n}\n")
    assert (harrow / "assets/brand.css").read_text() == (
        ":root {\n  --brand-primary: #5b2a86;\n  --brand-accent: #ffb81c;\n  --brand-accent-text: #0b0c0c;\n"
        "  --brand-header-focus: transparent;\n}\n")
    assert ('<img class="site-header__logo site-header__logo--plate" src="static/logo.svg" '
            'alt="Eastmere Council for Voluntary Service">') in east_home
    # Harrowdale is published by its council and its CVS: two logos, the partner's on a plate.
    assert re.search(r'<img class="site-header__logo" src="static/harrowdale-council.svg" '
                     r'alt="Harrowdale District Council">\s*<img class="site-header__logo site-header__logo--plate" '
                     r'src="static/harrowdale-voluntary-action.svg" alt="Harrowdale Voluntary Action">', harrow_home)
    assert '<link rel="icon" href="static/favicon.svg">' in east_home
    assert (east / "static/logo.svg").read_bytes() != (harrow / "static/harrowdale-council.svg").read_bytes()
    assert "Published by Eastmere Council for Voluntary Service." in east_home
    assert "compact@eastmere-cvs.example" in east_home and "hello@harrowdale-va.example" in harrow_home
    # Harrowdale replaces the home page's introduction with its own.
    assert "<h1>Social value and the Harrowdale Compact</h1>" in harrow_home
    # Hidden pages and case studies are gone, and so are the links to them.
    assert not (east / "requirements-on-local-authorities.html").exists()
    assert not (east / "case-studies/sutton.html").exists()
    assert not (harrow / "a-voice-for-communities.html").exists()
    assert not any('requirements-on-local-authorities.html"' in text or 'case-studies/sutton.html"' in text
                   for text in text_files(east).values())
    assert not any('a-voice-for-communities.html"' in text for text in text_files(harrow).values())
    # Each has its own case study, listed with the national ones.
    assert (east / "case-studies/eastmere-youth-hubs.html").is_file()
    assert (harrow / "case-studies/harrowdale-food-network.html").is_file()
    assert "eastmere-youth-hubs.html" in (east / "case-studies/index.html").read_text(encoding="utf-8")
    assert "harrowdale-food-network.html" not in (east / "case-studies/index.html").read_text(encoding="utf-8")


def test_principles_page_shows_adopted_and_national_side_by_side(samples):
    page = (samples["eastmere"] / "principles.html").read_text(encoding="utf-8")
    items = re.findall(r'<li class="principle" id="principle-([^"]+)">(.*?)</li>\n', page, re.S)
    ids = [pid for pid, _ in items]
    assert ids == ["2", "2-1", "2-3", "2-4", "3-6", "3-17", "4", "E1"]       # local principles last
    body = dict(items)
    # A reworded principle: the local wording, marked, with the national wording beside it.
    assert "Bring the sector in before the first draft" in body["2-3"]
    assert '<p class="compare__label"><strong>Our local wording</strong> (Differs from the national Compact)</p>' \
        in body["2-3"]
    assert '<p class="compare__label"><strong>National Compact wording</strong></p>' in body["2-3"]
    assert '<p class="compare__national-title">Involve the sector early and remove barriers</p>' in body["2-3"]
    # A changed parameter: same words, the figure marked as different.
    assert '<p class="compare__label"><strong>Differs from the national Compact</strong></p>' in body["2-4"]
    assert "run for <span class=\"param\">8 weeks</span>" in body["2-4"]
    assert "run for <span class=\"param\">12 weeks</span>" in body["2-4"].split('class="compare__national"')[1]
    # Unchanged and local principles have no comparison.
    assert "compare" not in body["2"] and "compare" not in body["E1"]
    assert '<span class="principle__number">Local principle E1</span> Pay small organisations on time' in body["E1"]


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_have_a_complete_accessibility_block(name):
    data = yaml.safe_load((REPO / "areas" / name / "toolkit.yml").read_text(encoding="utf-8"))
    fields = next(f for f in schema.TOOLKIT if f.name == "accessibility").fields
    assert sorted(data["accessibility"]) == sorted(f.name for f in fields)


# --- overlays change only their own edition ---------------------------------------------------

def test_overriding_a_page_or_template_changes_only_that_edition(make_edition, national_site, tmp_path):
    page = (REPO / "content/consultation.md").read_text(encoding="utf-8")
    template = (REPO / "themes/default/templates/page.html").read_text(encoding="utf-8")
    assert "{% block main %}" in template
    overridden = make_edition({
        "content/consultation.md": page.replace("## ", "Testshire holds a consultation fair every spring.\n\n## ", 1),
        "themes/default/templates/page.html": template.replace(
            "{% block main %}", '{% block main %}<p class="testshire-banner">Testshire edition</p>', 1),
    })
    plain = make_edition()
    built = build(overridden, tmp_path / "overridden", use_cache=False).out
    other = build(plain, tmp_path / "plain", use_cache=False).out
    mine = (built / "consultation.html").read_text(encoding="utf-8")
    assert "Testshire holds a consultation fair every spring." in mine
    assert '<p class="testshire-banner">Testshire edition</p>' in (built / "the-social-value-act.html").read_text()
    for site in (other, national_site):
        for path, text in text_files(site).items():
            assert "consultation fair" not in text and "testshire-banner" not in text, (site, path)


def test_national_output_is_the_same_bytes_with_or_without_editions(tmp_path):
    """A copy of the toolkit with no areas/ and one with editions (overriding pages and
    templates) build the national site to identical bytes; so does build --all."""
    def copy_toolkit(to: Path) -> Path:
        shutil.copytree(REPO, to, ignore=shutil.ignore_patterns(
            ".git", ".venv", "_site", ".toolkit-cache", "__pycache__", "*.egg-info", "tests", "areas",
            "bench", ".pytest_cache", "node_modules"))
        return to

    bare = copy_toolkit(tmp_path / "bare")
    busy = copy_toolkit(tmp_path / "busy")
    shutil.copytree(REPO / "areas", busy / "areas")
    template = (busy / "themes/default/templates/base.html").read_text(encoding="utf-8")
    write_files(busy / "areas/overrider", {
        "toolkit.yml": (REPO / "areas/eastmere/toolkit.yml").read_text(encoding="utf-8")
                       .replace("Eastmere", "Overrider"),
        "static/logo.svg": (REPO / "areas/eastmere/static/logo.svg").read_bytes(),
        "static/favicon.svg": (REPO / "areas/eastmere/static/favicon.svg").read_bytes(),
        "content/index.md": "---\ntitle: Overridden home\norder: 0\n---\n\nA local home page.\n",
        "themes/default/templates/base.html": template.replace("<body", "<body data-overridden", 1),
        "data/glossary.yml": "[]\n",
    })

    def run_copy(copy: Path, *args: str) -> subprocess.CompletedProcess:
        # The copy's own build.py imports the copy's own toolkit, whose national root is the copy.
        return subprocess.run([sys.executable, str(copy / "build.py"), *args], cwd=copy,
                              capture_output=True, text=True, timeout=300)

    for copy in (bare, busy):
        which = subprocess.run([sys.executable, "-c", "import toolkit.stages.edition as c; print(c.NATIONAL_ROOT)"],
                               cwd=copy, capture_output=True, text=True)
        assert which.stdout.strip() == str(copy.resolve())
        result = run_copy(copy, "build", "--out", str(tmp_path / f"{copy.name}-site"), "--no-cache")
        assert result.returncode == 0, result.stderr
    result = run_copy(busy, "build", "--all", "--out", str(tmp_path / "all-site"), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "Built overrider" in result.stdout

    alone = tree(tmp_path / "bare-site")
    assert alone == tree(tmp_path / "busy-site")
    together = tree(tmp_path / "all-site")
    # The same national files; only the manifest differs, naming the editions' folders as sites of their own.
    editions = {folder.name for folder in (busy / "areas").iterdir()}
    assert {p: b for p, b in together.items() if p.split("/")[0] not in editions
            and p != ".compact-toolkit-site"} == {p: b for p, b in alone.items() if p != ".compact-toolkit-site"}
    assert b"data-overridden" in together["overrider/index.html"]
    assert not any(b"data-overridden" in data for data in alone.values())


# --- clear errors -----------------------------------------------------------------------------

def test_low_contrast_primary_names_both_colours_the_ratio_and_a_passing_colour(make_edition):
    edition = make_edition({"toolkit.yml": """
        name: Paleshire toolkit
        colours:
          primary: "#77aadd"
          accent: "#ffdd00"
        accessibility:
          contact_email: compact@paleshire.example
          last_tested: 2026-11-01
    """})
    with pytest.raises(BuildFailed) as excinfo:
        build(edition, write=False)
    assert messages(excinfo) == [
        'toolkit.yml:3: error: the primary colour #77aadd and white (#ffffff) have a contrast ratio of 2.44:1, '
        "but the site puts white text on the primary colour (header, buttons) and primary links on white, "
        "which needs at least 4.5:1 (WCAG 2.2 AA)\n"
        '  hint: choose another primary colour, for example "#3078c0", the nearest shade of yours that passes']
    assert ratio("#3078c0", "#ffffff") >= 4.5 > ratio("#77aadd", "#ffffff")


def test_accent_that_vanishes_on_the_header_needs_three_to_one(make_edition):
    edition = make_edition({"toolkit.yml": """
        name: Greyshire toolkit
        colours:
          primary: "#0b5394"
          accent: "#7a7a7a"
        accessibility:
          contact_email: compact@greyshire.example
          last_tested: 2026-11-01
    """})
    with pytest.raises(BuildFailed) as excinfo:
        build(edition, write=False)
    assert messages(excinfo) == [
        "toolkit.yml:4: error: the accent colour #7a7a7a and the primary colour (#0b5394) have a contrast ratio "
        "of 1.82:1, but the keyboard focus highlight, in the accent colour, must stand out on the primary-coloured "
        "header, which needs at least 3:1 (WCAG 2.2 AA)\n"
        '  hint: choose another accent colour, for example "#767676", the nearest shade of yours that passes '
        "(the site puts white text on it)"]
    # A shade darker, white text reads better on it than dark, and it passes as a dark accent.
    assert ratio("#767676", "#ffffff") >= 4.5 > ratio("#767676", "#0b0c0c")


def test_low_contrast_from_the_command_line_says_nothing_was_written(make_edition):
    edition = make_edition({"toolkit.yml": """
        name: Paleshire toolkit
        colours:
          primary: "#ffdd00"
        accessibility:
          contact_email: compact@paleshire.example
          last_tested: 2026-11-01
    """})
    result = run_cli("build", str(edition))
    assert result.returncode == 1
    assert "toolkit.yml:3: error: the primary colour #ffdd00 and white (#ffffff) have a contrast ratio of 1.34:1" \
        in result.stderr
    assert "Traceback" not in result.stderr and not (edition / "_site").exists()


def test_extends_loop_is_an_error_that_says_so(tmp_path):
    write_files(tmp_path, {
        "north/toolkit.yml": "name: North\nextends: ../south\n",
        "south/toolkit.yml": "name: South\nextends: ../north\n",
    })
    with pytest.raises(BuildFailed) as excinfo:
        build(tmp_path / "north", write=False)
    assert messages(excinfo) == [
        f"{tmp_path / 'south/toolkit.yml'}:2: error: 'extends' makes a loop: . -> ../south -> .\n"
        "  hint: an edition must end by extending the national toolkit; remove 'extends' from one of them"]


def test_extends_a_folder_that_is_not_an_edition(tmp_path):
    write_files(tmp_path, {"north/toolkit.yml": "name: North\nextends: ../notes\n", "notes/todo.txt": "x"})
    with pytest.raises(BuildFailed) as excinfo:
        build(tmp_path / "north", write=False)
    assert messages(excinfo) == [
        f"toolkit.yml:2: error: 'extends' names ../notes, but that folder ({tmp_path / 'notes'}) has no "
        "toolkit.yml, so it is not an edition\n"
        "  hint: give the folder of another edition, relative to this file, or remove 'extends' to build on "
        "the national toolkit"]
    (tmp_path / "north/toolkit.yml").write_text("name: North\nextends: ../gone\n")
    with pytest.raises(BuildFailed) as excinfo:
        build(tmp_path / "north", write=False)
    assert messages(excinfo)[0].startswith(
        f"toolkit.yml:2: error: 'extends' names ../gone, but there is no such folder ({tmp_path / 'gone'})")


def test_an_edition_can_extend_another_edition(make_edition, tmp_path):
    county = make_edition({"content/county-news.md": "---\ntitle: County news\norder: 200\n---\n\nNews.\n"})
    district = write_files(tmp_path / "district", {
        "toolkit.yml": f"name: District toolkit\nextends: ../{county.name}\n"
                       "principles:\n  \"2.4\":\n    params:\n      consultation_weeks: 6\n"})
    site = build(district, use_cache=False).out
    assert (site / "county-news.html").is_file()
    assert "Testshire CVS" in (site / "index.html").read_text(encoding="utf-8")   # the county's publisher
    assert '<span class="param">6 weeks</span>' in (site / "consultation.html").read_text(encoding="utf-8")


def test_hiding_a_page_that_does_not_exist(make_edition):
    edition = make_edition({"toolkit.yml": """
        name: Testshire toolkit
        accessibility:
          contact_email: compact@testshire.example
          last_tested: 2026-11-01
        hide:
          - content/the-social-value-act.md
          - content/decomissioning.md
    """})
    with pytest.raises(BuildFailed) as excinfo:
        build(edition, write=False)
    assert [message for message in messages(excinfo) if ": error: " in message] == [
        "toolkit.yml:7: error: 'hide' names content/decomissioning.md, but there is no such page to hide\n"
        "  hint: write the path as it is in the national toolkit, e.g. content/decommissioning.md or "
        "case_studies/sutton.yml"]


def test_hiding_a_page_that_case_studies_and_actions_name(make_edition):
    """They stop naming it, as links to it become plain text; nothing else needs overriding."""
    edition = make_edition({"toolkit.yml": """
        name: Testshire toolkit
        accessibility:
          contact_email: compact@testshire.example
          last_tested: 2026-11-01
        hide:
          - content/joint-social-value-strategy.md
    """})
    site = build(edition, use_cache=False).out
    assert not (site / "joint-social-value-strategy.html").exists()
    for path, text in text_files(site).items():
        assert 'joint-social-value-strategy.html"' not in text, path


def test_a_page_referring_to_a_principle_not_adopted(make_edition):
    national_actions = (REPO / "data/actions.yml").read_text(encoding="utf-8")
    assert '  principles: ["4"]\n' in national_actions
    files = {
        "toolkit.yml": """
            name: Testshire toolkit
            accessibility:
              contact_email: compact@testshire.example
              last_tested: 2026-11-01
            principles:
              "4":
                adopted: false
        """,
        # The actions name principle 4 too; this edition's copy does not.
        "data/actions.yml": national_actions.replace('  principles: ["4"]\n', ""),
    }
    with pytest.raises(BuildFailed) as excinfo:
        build(make_edition(files), write=False)
    lines = {name: _line_of(name, "[[principle:4]]") for name in ("social-value-and-the-compact", "using-the-compact")}
    assert messages(excinfo) == [
        f"(national) content/{name}.md:{line}: error: refers to principle 4, which this edition has not adopted\n"
        f"  hint: this file is the national toolkit's: copy content/{name}.md into your edition and reword it "
        "without [[principle:4]], or adopt principle 4 (remove 'adopted: false' from toolkit.yml)"
        for name, line in lines.items()]

    # Overriding those pages, without the reference, is the way to leave the principle out.
    for name in lines:
        files[f"content/{name}.md"] = (REPO / "content" / f"{name}.md").read_text(encoding="utf-8") \
            .replace("[[principle:4]]", "the principle on managing change")
    site = build(make_edition(files), use_cache=False).out
    principles = (site / "principles.html").read_text(encoding="utf-8")
    assert 'id="principle-4"' not in principles
    assert "<h2>Not part of the Compact</h2>" in principles
    assert "<li>Principle 4: Manage changes to programmes and services fairly — not part of the Compact</li>" \
        in principles


def _line_of(page: str, text: str) -> int:
    lines = (REPO / "content" / f"{page}.md").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


# --- build --all ------------------------------------------------------------------------------

def test_build_all_builds_national_and_both_samples(tmp_path):
    out, areas = tmp_path / "site", tmp_path / "areas"
    for name in SAMPLES:
        shutil.copytree(REPO / "areas" / name, areas / name)
    result = run_cli("build", "--all", str(areas), "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:3]] == [["Built", "national"], ["Built", "eastmere"],
                                                        ["Built", "harrowdale"]]
    assert lines[3].startswith(f"3 of 3 editions built into {out} in ")
    assert "Social value and the Compact" in (out / "index.html").read_text(encoding="utf-8")
    assert "Eastmere social value toolkit" in (out / "eastmere/index.html").read_text(encoding="utf-8")
    assert "Harrowdale Compact guide" in (out / "harrowdale/index.html").read_text(encoding="utf-8")
    assert (out / "eastmere/static/logo.svg").is_file() and (out / "harrowdale/static/harrowdale-council.svg").is_file()
    # Each edition's site is its own: links stay inside its folder.
    assert 'href="assets/site.css"' in (out / "eastmere/index.html").read_text(encoding="utf-8")


def test_build_all_names_a_broken_edition_and_keeps_its_last_good_site(tmp_path):
    areas = tmp_path / "areas"
    for name in SAMPLES:
        shutil.copytree(REPO / "areas" / name, areas / name)
    out = tmp_path / "site"
    assert run_cli("build", "--all", str(areas), "--out", str(out)).returncode == 0
    good_home = (out / "harrowdale/index.html").read_bytes()
    config = areas / "harrowdale/toolkit.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('"#5b2a86"', '"#b58fd6"'), encoding="utf-8")
    (areas / "eastmere/content").mkdir(exist_ok=True)      # git keeps no empty folders
    (areas / "eastmere/content/extra.md").write_text("---\ntitle: Extra page\norder: 300\n---\n\nNew.\n")

    result = run_cli("build", "--all", str(areas), "--out", str(out))
    assert result.returncode == 1
    assert "FAILED harrowdale" in result.stdout and "its last good site was kept" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("2 of 3 editions built into")
    assert result.stdout.splitlines()[-1].endswith("Not built: harrowdale.")
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "primary:" in text)
    assert f"Edition harrowdale ({areas / 'harrowdale'}) has errors:\n{config}:{line}: error: the primary colour " \
           "#b58fd6" in result.stderr
    assert (out / "harrowdale/index.html").read_bytes() == good_home
    assert (out / "eastmere/extra.html").is_file()                   # the others were still updated


def test_build_all_refuses_an_edition_named_like_a_national_folder(tmp_path):
    shutil.copytree(REPO / "areas/eastmere", tmp_path / "areas/assets")
    result = run_cli("build", "--all", str(tmp_path / "areas"), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert (f"{tmp_path / 'areas/assets'}: error: this edition's site would go in assets/, which the national site "
            "already uses") in result.stderr
    assert not (tmp_path / "site").exists()


def test_build_all_with_no_editions(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("build", "--all", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"{tmp_path / 'empty'}: error: there are no editions in this folder (folders with a toolkit.yml)\n")
