"""`build --pdf` writes the whole guide as <edition-slug>.pdf, and the site links to it (issue 5).

The PDF is read back with pdftotext (poppler-utils) and pypdf: a cover with the edition's
logos on its primary colour, every section and every case study in order, a contents list
whose page numbers are right, running headers with the edition's logos, name and date,
page numbers and bookmarks.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, png_bytes, write_files
from test_anywhere import broken_links
from toolkit.commands.build import build

if os.environ.get("CI"):
    import weasyprint  # noqa: F401  (CI must build the PDF: a missing WeasyPrint is a failure there)
else:
    pytest.importorskip("weasyprint", reason='needs the PDF extra: pip install ".[pdf]"')
if not shutil.which("pdftotext"):
    pytest.skip("needs pdftotext (apt-get install poppler-utils)", allow_module_level=True)

PDF = "social-value-and-the-compact.pdf"
EPOCH = "1772323200"           # 1 March 2026, 00:00 UTC
PARTS_AFTER_SECTIONS = ["Case studies", "Compact principles", "Suggested actions", "Glossary", "Further reading"]


def cli(*args: str, env: dict | None = None, code: str = "") -> subprocess.CompletedProcess:
    """Run build.py as a user would (or `code` first, then the CLI), with extra environment variables."""
    program = [sys.executable, str(REPO / "build.py"), *args] if not code else \
        [sys.executable, "-c", code + "\nfrom toolkit.cli import main\nsys.exit(main(sys.argv[1:]))", *args]
    return subprocess.run(program, cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory):
    """The national edition built with --pdf by the command line: (process, site folder)."""
    out = tmp_path_factory.mktemp("pdf") / "_site"
    done = cli("build", "--pdf", "--no-cache", "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert done.returncode == 0, done.stderr
    return done, out


@pytest.fixture(scope="module")
def content():
    return build(REPO, write=False, use_cache=False).site.content


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [re.sub(r"\s+", " ", page).strip() for page in text.split("\f")[:-1]]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_command_says_where_the_pdf_is_and_how_many_pages(pdf_build):
    done, out = pdf_build
    pages = len(pages_text(out / PDF))
    assert f"Wrote {out / PDF} ({pages} pages).\n" in done.stdout
    assert 20 < pages < 80
    assert (out / PDF).read_bytes().startswith(b"%PDF-")


def test_every_section_then_every_case_study_in_order(pdf_build, content):
    _, out = pdf_build
    pages = pages_text(out / PDF)
    # The contents list follows the cover; its first entry gives the page the guide starts on.
    first = content.pages[0].title
    start = int(re.search(re.escape(first) + r"[ .]*?(\d+)", pages[1]).group(1))
    body = " ".join(pages[start - 1:])
    expected = [page.title for page in content.pages] + ["Case studies"] + [s.title for s in content.case_studies]
    assert len(content.pages) >= 11 and len(content.case_studies) >= 3
    at = 0
    for title in expected:
        found = body.find(squash(title), at)
        assert found != -1, f"{title!r} is missing, or out of order"
        at = found + len(title)


def test_contents_page_numbers_lead_to_each_part(pdf_build, content):
    _, out = pdf_build
    pages = pages_text(out / PDF)
    titles = [page.title for page in content.pages] + PARTS_AFTER_SECTIONS
    contents = pages[1][pages[1].index("Contents"):]
    for title in titles:
        number = int(re.search(re.escape(squash(title)) + r" ?\.+ ?(\d+)", contents).group(1))
        # The running header names the part, then the part's own heading opens the page.
        heading = f"Social value and the Compact {squash(title)} {squash(title)}"
        assert pages[number - 1].startswith(heading), f"{title}: the contents say page {number}"


def test_running_headers_with_name_and_page_numbers_and_no_date(pdf_build, content):
    """The national edition does not show its build date (show_build_date), so neither does
    its PDF; an edition that does is in test_hostile_costs.py."""
    _, out = pdf_build
    pages = pages_text(out / PDF)
    total = len(pages)
    # The cover has no running header: the title, the introduction, the notice and the publisher.
    assert pages[0].startswith("Social value and the Compact For England, under the Compact Every section")
    assert "Published by Compact Toolkit." in pages[0]
    for number in (2, 3, total // 2, total):
        page = pages[number - 1]
        assert page.startswith("Social value and the Compact"), page[:80]
        assert f"{number} / {total}" in page and "2026" not in page


def test_bookmarks_for_each_part_and_case_study(pdf_build, content):
    from pypdf import PdfReader
    _, out = pdf_build
    outline = PdfReader(out / PDF).outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == ["Contents"] + [page.title for page in content.pages] + PARTS_AFTER_SECTIONS
    studies = outline[outline.index(next(i for i in outline if getattr(i, "title", "") == "Case studies")) + 1]
    assert [item.title for item in studies] == [study.title for study in content.case_studies]


def test_two_pages_render_as_images(pdf_build, tmp_path):
    _, out = pdf_build
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(out / PDF), str(tmp_path / "page")],
                   check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 2 and all(image.stat().st_size > 5000 for image in images)


def test_the_guide_links_to_the_pdf_and_every_link_resolves(pdf_build):
    _, out = pdf_build
    guide = (out / "guide.html").read_text(encoding="utf-8")
    assert f'<a class="guide-pdf" href="{PDF}" type="application/pdf">' in guide
    assert f'href="{PDF}"' in (out / "search.html").read_text(encoding="utf-8")
    assert broken_links(out) == []


def test_without_pdf_nothing_links_to_one(national_site):
    assert not list(national_site.glob("*.pdf"))
    for path in national_site.rglob("*.html"):           # further reading may link to PDFs elsewhere
        assert not re.search(r'href="(?!https?://)[^"]*\.pdf"', path.read_text(encoding="utf-8")), path
        assert "application/pdf" not in path.read_text(encoding="utf-8"), path


def test_missing_weasyprint_is_said_clearly_and_nothing_is_written(tmp_path):
    block = ("import sys\n"
             "class NoWeasyPrint:\n"
             "    def find_spec(self, name, path=None, target=None):\n"
             "        if name.split('.')[0] == 'weasyprint':\n"
             "            raise ImportError(name)\n"
             "sys.meta_path.insert(0, NoWeasyPrint())")
    done = cli("build", "--pdf", "--out", str(tmp_path / "site"), code=block)
    assert done.returncode == 1
    assert done.stderr == (
        "--pdf: error: making a PDF needs WeasyPrint, which is not installed\n"
        "  hint: install it with: pip install \".[pdf]\" (in the toolkit's folder), or build without --pdf\n\n"
        "1 error found.\n\n"
        "Nothing was written: the last good site is unchanged.\n")
    assert not (tmp_path / "site").exists()


def test_a_pdf_that_would_load_from_another_host_fails_and_keeps_the_last_good_site(make_edition, tmp_path):
    edition = make_edition()
    out = tmp_path / "site"
    build(edition, out, use_cache=False)
    before = (out / "guide.html").read_bytes()
    write_files(edition, {"themes/default/templates/whole_guide.html": """
        {% extends "base.html" %}
        {% block main %}<h1>Guide</h1><img src="https://example.org/logo.png" alt="A logo">{% endblock %}
    """})
    done = cli("build", str(edition), "--pdf", "--out", str(out))
    assert done.returncode == 1
    assert done.stderr.startswith(
        "guide.html: error: the PDF would load https://example.org/logo.png, from another host\n"
        "  hint: the site asks nothing of other hosts: put the file in the edition's static/ folder "
        "and link to it there\n")
    assert (out / "guide.html").read_bytes() == before and not list(out.glob("*.pdf"))


GUIDE = (b'<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="assets/site.css"></head><body>'
         b'<p><a href="actions.html">Actions</a> <a href="#part">Part</a> <a href="https://example.org/">Out</a></p>'
         b'<h2 id="part" style="break-before: page">Part</h2></body></html>')


def link_targets(data: bytes) -> list[str]:
    import io
    from pypdf import PdfReader
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(action["/URI"])
    return found


def test_links_to_other_pages_stay_relative_or_lead_to_base_url():
    from toolkit.stages.pdf import render_pdf
    files = {"guide.html": GUIDE, "assets/site.css": b"p { color: #123456; }"}
    data, pages = render_pdf(files, {})
    assert pages == 2
    assert link_targets(data) == ["actions.html", "https://example.org/"]
    data, _ = render_pdf(files, {}, "https://compact.example.org/toolkit/")
    assert link_targets(data) == ["https://compact.example.org/toolkit/actions.html", "https://example.org/"]


def test_the_pdf_fetches_nothing_from_another_host():
    from toolkit.model.problems import BuildFailed
    from toolkit.stages.pdf import render_pdf
    with pytest.raises(BuildFailed) as failed:
        render_pdf({"guide.html": GUIDE.replace(b"</head>", b'<link rel="stylesheet" '
                                                b'href="https://fonts.example.com/font.css"></head>'),
                    "assets/site.css": b""}, {})
    assert [p.message for p in failed.value.problems] == [
        "the PDF would load https://fonts.example.com/font.css, from another host"]


def ppm_pixels(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of a binary PPM image, as pdftoppm writes it."""
    magic, width, height, _, pixels = data.split(maxsplit=4)
    assert magic == b"P6"
    return int(width), int(height), pixels


def bounds(width: int, height: int, pixels: bytes, colour: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the pixels within a few steps of `colour`."""
    found = [(i % width, i // width) for i in range(width * height)
             if all(abs(pixels[3 * i + c] - colour[c]) <= 6 for c in range(3))]
    assert found, f"no pixel of {colour}"
    xs, ys = [x for x, _ in found], [y for _, y in found]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


def test_the_cover_has_the_logos_unsquashed_on_the_primary_colour_and_every_page_has_them(tmp_path):
    """The brand on the PDF (issue 16): a 4:1 logo and a square partner logo on the cover, on the
    primary colour, keeping their shapes; both in the running header of the pages after it."""
    magenta, green, primary = (228, 0, 124), (0, 160, 80), (11, 83, 148)
    edition = write_files(tmp_path / "edition", {
        "toolkit.yml": 'name: Testshire Compact toolkit\npublisher: Testshire CVS\n'
                       'colours:\n  primary: "#0b5394"\n  accent: "#ffdd00"\n'
                       "logo:\n  file: static/council.png\n  alt: Testshire Council\n"
                       "partner_logo:\n  file: static/cvs.png\n  alt: Testshire CVS\n  plate: true\n",
        "static/council.png": png_bytes(400, 100, magenta),
        "static/cvs.png": png_bytes(100, 100, green)})
    build(edition, tmp_path / "site", use_cache=False, pdf_name="guide.pdf")
    pdf = tmp_path / "site/guide.pdf"
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [(int(row.split()[0]), row.split()[3] + "x" + row.split()[4]) for row in listed.splitlines()[2:]]
    total = len(pages_text(pdf))
    for page in (1, 2, total):
        assert sorted(size for number, size in images if number == page) == ["100x100", "400x100"], page
    assert "Published by Testshire CVS." in pages_text(pdf)[0]

    ppm = subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", str(pdf)], capture_output=True,
                         check=True).stdout
    width, height, pixels = ppm_pixels(ppm)
    left, top, right, bottom = bounds(width, height, pixels, magenta)
    assert (right - left) / (bottom - top) == pytest.approx(4, rel=0.08)
    square = bounds(width, height, pixels, green)
    assert (square[2] - square[0]) / (square[3] - square[1]) == pytest.approx(1, rel=0.08)
    assert square[0] > right and abs((square[1] + square[3]) - (top + bottom)) <= 2     # beside it, centred
    # The logos sit on the primary colour, which spans the cover's band around them.
    band = bounds(width, height, pixels, primary)
    assert band[0] < left and band[1] < top and band[2] > square[2] and band[3] > bottom
    assert (band[2] - band[0]) > width * 0.7
