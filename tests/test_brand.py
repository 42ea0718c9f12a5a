"""The brand (issue 16): logos keep their shape, a partner logo sits beside the main one,
a logo too small to read is a warning, and the accent may be light or dark.

How the header draws a logo is measured in a real browser in tests/browser/test_brand.py;
the PDF's cover in tests/test_pdf.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import REPO, png_bytes, run_cli, write_files
from toolkit.checks.contrast import TEXT, WHITE, check_colours, ratio, text_on
from toolkit.commands.build import build
from toolkit.formats.image_size import UnknownSize, image_size
from toolkit.model.problems import BuildFailed

SETTINGS = """\
name: Testshire Compact toolkit
area: Testshire
colours:
  primary: "#0b5394"
  accent: "#ffdd00"
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""
WIDE_WARNING = (
    "toolkit.yml:10: warning: the logo static/banner.svg is 1200 by 100, 12.0 times as wide as it is high, "
    "so the header, which draws a logo at most 240 px wide, shrinks it to 20 px high: too small to read\n"
    "  hint: use a version at most 10 times as wide as it is high, e.g. with its words on two lines")


def svg(attributes: str) -> str:
    return (f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" {attributes}>'
            '<rect width="10" height="10"/></svg>\n')


def edition(tmp_path: Path, logos: str, files: dict, settings: str = SETTINGS) -> Path:
    """An edition whose toolkit.yml ends with `logos` (its first line is line 9)."""
    return write_files(tmp_path / "edition", {"toolkit.yml": settings + logos, **files})


# --- too small to read -------------------------------------------------------------------------

def test_a_logo_too_wide_to_read_is_a_warning_naming_the_file_and_line(tmp_path):
    root = edition(tmp_path, "logo:\n  file: static/banner.svg\n  alt: Testshire Council\n",
                   {"static/banner.svg": svg('width="1200" height="100"')})
    result = run_cli("check", str(root))
    assert result.returncode == 0
    assert result.stderr == WIDE_WARNING + "\n\n1 warning found.\n"
    strict = run_cli("check", "--strict", str(root))
    assert strict.returncode == 1
    assert strict.stderr.startswith(WIDE_WARNING.replace(": warning: ", ": error: ") + "\n\n1 error found.\n")


def test_the_readme_shows_the_warning_as_it_is_printed():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{WIDE_WARNING}\n```" in readme


def test_a_partner_logo_too_narrow_to_read_is_a_warning(tmp_path):
    root = edition(tmp_path, "partner_logo:\n  file: static/tall.png\n  alt: Testshire CVS\n",
                   {"static/tall.png": png_bytes(20, 60)})
    built = build(root, write=False, use_cache=False)
    assert [w.format() for w in built.warnings] == [
        "toolkit.yml:10: warning: the partner logo static/tall.png is 20 by 60, so the header, which draws a "
        "logo 36 px high on a phone, makes it 12 px wide: too small to read\n"
        "  hint: use a landscape or square version of the logo, at least 2 wide for every 3 high"]


def test_an_svg_without_proportions_and_a_png_that_is_not_one_are_warnings(tmp_path):
    root = edition(tmp_path, "logo:\n  file: static/logo.svg\n  alt: Testshire Council\n"
                             "partner_logo:\n  file: static/cvs.png\n  alt: Testshire CVS\n",
                   {"static/logo.svg": svg('width="100%"'), "static/cvs.png": b"GIF89a not a png"})
    built = build(root, write=False, use_cache=False)
    assert [w.format() for w in built.warnings] == [
        "toolkit.yml:10: warning: the logo static/logo.svg has no viewBox, nor a width and height in its <svg> "
        "tag, so browsers cannot tell its proportions and may draw it squashed\n"
        '  hint: add viewBox="0 0 W H" to its <svg> tag, with its width for W and its height for H',
        "toolkit.yml:13: warning: the partner logo static/cvs.png is not a PNG image, although its name ends "
        "in .png\n"
        "  hint: save it again as a PNG or SVG file from the program that made it"]


@pytest.mark.parametrize("logo", [svg('viewBox="0 0 400 100"'), svg('viewBox="0 0 1000 100"'),
                                  svg('width="2in" height="3in"'), png_bytes(48, 48)])
def test_landscape_square_and_just_readable_logos_get_no_warning(tmp_path, logo):
    name = "static/logo.png" if isinstance(logo, bytes) else "static/logo.svg"
    root = edition(tmp_path, f"logo:\n  file: {name}\n  alt: Testshire Council\n", {name: logo})
    assert build(root, write=False, use_cache=False).warnings == ()


def test_the_sample_editions_logos_are_landscape_or_square_and_readable():
    for name in ("eastmere", "harrowdale"):
        built = build(REPO / "areas" / name, write=False, use_cache=False)
        assert [w for w in built.warnings if "logo" in w.message] == [], name
    east = image_size((REPO / "areas/eastmere/static/logo.svg").read_bytes(), "logo.svg")
    council = image_size((REPO / "areas/harrowdale/static/harrowdale-council.svg").read_bytes(), "x.svg")
    assert east == (240, 60) and 3 < council[0] / council[1] < 4


def test_image_sizes_come_from_the_png_header_and_the_svg_tag():
    def size(attributes: str) -> tuple[float, float]:
        return image_size(svg(attributes).encode(), "a.svg")
    assert image_size(png_bytes(640, 160), "a.png") == (640, 160)
    assert size('width="300" height="75"') == (300, 75)
    assert size('width="30mm" height="10mm" viewBox="0 0 9 9"') == pytest.approx((113.386, 37.795), abs=.001)
    # A width in % (or em) says nothing of the shape: the viewBox does. stroke-width is not a width.
    assert size('width="100%" stroke-width="3" viewBox="0,0,400,100"') == (400, 100)
    assert size("viewBox='0 0 1.5e2 50'") == (150, 50)
    for data, name in ((b"<html>no svg</html>", "a.svg"), (svg('viewBox="0 0 0 10"').encode(), "a.svg"),
                       (b"\x89PNG\r\n\x1a\n" + b"\0" * 4, "a.png")):
        with pytest.raises(UnknownSize):
            image_size(data, name)


# --- a partner logo ----------------------------------------------------------------------------

def test_a_partner_logo_shows_after_the_main_one_in_the_one_link_home(tmp_path):
    root = edition(tmp_path, "logo:\n  file: static/council.svg\n  alt: Testshire Council\n"
                             "partner_logo:\n  file: static/cvs.png\n  alt: Testshire CVS\n  plate: true\n",
                   {"static/council.svg": svg('viewBox="0 0 400 100"'), "static/cvs.png": png_bytes(48, 48)})
    built = build(root, tmp_path / "site", use_cache=False)
    home = (built.out / "index.html").read_text(encoding="utf-8")
    header = home[home.index('<a class="site-header__brand"'):home.index("</a>", home.index("site-header__name"))]
    assert re.sub(r"\s+", " ", header) == (
        '<a class="site-header__brand" href="index.html"> <span class="site-header__logos"> '
        '<img class="site-header__logo" src="static/council.svg" alt="Testshire Council"> '
        '<img class="site-header__logo site-header__logo--plate" src="static/cvs.png" alt="Testshire CVS"> '
        '</span> <span class="site-header__name">Testshire Compact toolkit</span> ')
    guide = (built.out / "guide.html").read_text(encoding="utf-8")
    assert ('<p class="guide-cover__logos print-only"><img class="guide-cover__logo" src="static/council.svg" '
            'alt="Testshire Council"><img class="guide-cover__logo guide-cover__logo--plate" src="static/cvs.png" '
            'alt="Testshire CVS"></p>') in guide


def test_an_edition_removes_the_partner_logo_of_the_edition_it_extends(tmp_path):
    county = edition(tmp_path, "partner_logo:\n  file: static/cvs.png\n  alt: Testshire CVS\n",
                     {"static/cvs.png": png_bytes(48, 48)})
    district = write_files(tmp_path / "district", {"toolkit.yml": "name: District toolkit\nextends: ../edition\n"
                                                                  "partner_logo: false\n"})
    assert build(county, write=False).edition.settings.partner_logo.alt == "Testshire CVS"
    assert build(district, write=False).edition.settings.partner_logo is None


def test_a_partner_logo_that_is_not_there_is_an_error_at_its_line(tmp_path):
    root = edition(tmp_path, "partner_logo:\n  file: static/cvs.svg\n  alt: Testshire CVS\n", {})
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False)
    assert [p.format() for p in failed.value.problems] == [
        "toolkit.yml:10: error: 'partner_logo: file' is static/cvs.svg, but there is no such file\n"
        "  hint: put the file in the edition's static/ folder and write static/<file name>"]


# --- a light or a dark accent --------------------------------------------------------------------

def test_the_text_on_the_accent_is_whichever_of_dark_and_white_reads_better():
    assert text_on("#ffdd00") == TEXT and text_on("#00703c") == WHITE and text_on("#00703C") == WHITE
    assert text_on("#7a7a7a") == TEXT and text_on("#777777") == WHITE        # either side of the middle


def test_a_dark_accent_passes_and_gets_white_text_and_a_white_focus_ring_in_the_header(tmp_path):
    root = edition(tmp_path, "", {}, SETTINGS.replace('"#ffdd00"', '"#00703c"'))
    built = build(root, tmp_path / "site", use_cache=False)
    assert (built.out / "assets/brand.css").read_text() == (
        ":root {\n  --brand-primary: #0b5394;\n  --brand-accent: #00703c;\n  --brand-accent-text: #ffffff;\n"
        "  --brand-header-focus: #ffffff;\n}\n")
    assert check_colours("#0b5394", "#00703c", {}) == []
    # Against the primary it would fail as a light accent must not (1.3:1): the white ring shows it.
    assert ratio("#00703c", "#0b5394") < 3 and ratio("#00703c", WHITE) >= 4.5 and ratio("#0b5394", WHITE) >= 4.5


def test_a_light_accent_gets_dark_text_and_must_stand_out_on_the_primary():
    assert check_colours("#0b5394", "#ffdd00", {}) == []
    [problem] = check_colours("#0b5394", "#a0a0a0", {"accent": ("toolkit.yml", 5)})
    assert problem.format() == (      # 2.998:1 is shown rounded down, so never as the 3:1 it fails
        "toolkit.yml:5: error: the accent colour #a0a0a0 and the primary colour (#0b5394) have a contrast ratio of "
        "2.99:1, but the keyboard focus highlight, in the accent colour, must stand out on the primary-coloured "
        "header, which needs at least 3:1 (WCAG 2.2 AA)\n"
        '  hint: choose another accent colour, for example "#a1a1a1", the nearest shade of yours that passes')


def test_an_accent_neither_dark_nor_white_text_reads_on_is_an_error(tmp_path):
    root = edition(tmp_path, "", {}, SETTINGS.replace('"#ffdd00"', '"#777777"'))
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False)
    assert [p.format() for p in failed.value.problems] == [
        "toolkit.yml:5: error: the accent colour #777777 and white (#ffffff) have a contrast ratio of 4.47:1, but "
        "the site puts white text on an accent colour this dark (the keyboard focus highlight, the skip link), "
        "which needs at least 4.5:1 (WCAG 2.2 AA)\n"
        '  hint: choose another accent colour, for example "#767676", the nearest shade of yours that passes']
    assert ratio("#777777", TEXT) < 4.5 and ratio("#767676", WHITE) >= 4.5


def test_a_light_accent_that_dark_text_does_not_quite_read_on_is_an_error_naming_dark_text():
    problems = check_colours("#0b5394", "#787878", {"accent": ("toolkit.yml", 5)})
    assert [p.message for p in problems] == [
        "the accent colour #787878 and the primary colour (#0b5394) have a contrast ratio of 1.77:1, but the "
        "keyboard focus highlight, in the accent colour, must stand out on the primary-coloured header, which "
        "needs at least 3:1 (WCAG 2.2 AA)",
        "the accent colour #787878 and dark text (#0b0c0c) have a contrast ratio of 4.43:1, but the site puts dark "
        "text on an accent colour this light (the keyboard focus highlight, the skip link), which needs at least "
        "4.5:1 (WCAG 2.2 AA)"]
    # The nearest shade that passes is darker: the site would put white text on it, and says so.
    assert {p.hint for p in problems} == {
        'choose another accent colour, for example "#757575", the nearest shade of yours that passes '
        "(the site puts white text on it)"}
