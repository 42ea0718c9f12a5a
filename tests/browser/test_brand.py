"""The brand in a real browser (issue 16): logos keep their shape in the header, a partner
logo sits beside the main one in the one link home, and a dark accent (#00703c, a common
council green) passes the accessibility gate, with the focus the contrast check assumes.
"""
from __future__ import annotations

import pytest

from browser.test_accessibility import AXE_SCRIPT, OVERFLOW, RUN_AXE, WCAG_TAGS
from support import png_bytes, write_files
from toolkit.commands.build import build

SETTINGS = """\
name: Testshire Compact toolkit
area: Testshire
publisher: Testshire Council and Testshire CVS
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""
# A 4:1 wordmark whose shape is given only by its viewBox, as many exported logos are.
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100"><rect width="400" height="100" '
            'rx="8" fill="#ffffff"/><circle cx="50" cy="50" r="36" fill="#0b5394"/><text x="100" y="66" '
            'font-family="Arial, sans-serif" font-size="48" font-weight="700" fill="#0b5394">Testshire</text></svg>')
SQUARE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">'
              '<rect width="48" height="48" rx="8" fill="#ffffff"/><circle cx="24" cy="24" r="14" fill="#0b5394"/>'
              '</svg>')
EDITIONS = {
    "wide": SETTINGS + 'colours:\n  primary: "#0b5394"\n  accent: "#ffdd00"\n'
                       "logo:\n  file: static/council.svg\n  alt: Testshire Council\n"
                       "partner_logo:\n  file: static/cvs.png\n  alt: Testshire CVS\n  plate: true\n",
    "square": SETTINGS + 'colours:\n  primary: "#0b5394"\n  accent: "#ffdd00"\n'
                         "logo:\n  file: static/mark.svg\n  alt: Testshire Compact\n",
    "green": SETTINGS + 'colours:\n  primary: "#1d4f91"\n  accent: "#00703c"\n'
                        "logo:\n  file: static/mark.svg\n  alt: Testshire Compact\n",
}

# Each logo's drawn image: its content box (inside a plate's padding), its natural size, and
# its background (a plate's white).
LOGOS = """() => Array.from(document.querySelectorAll('.site-header__logo')).map(img => {
  const r = img.getBoundingClientRect(), s = getComputedStyle(img), px = v => parseFloat(v) || 0;
  const width = r.width - px(s.paddingLeft) - px(s.paddingRight);
  const height = r.height - px(s.paddingTop) - px(s.paddingBottom);
  return {src: img.getAttribute('src'), width, height, natural: img.naturalWidth / img.naturalHeight,
          left: r.left, right: r.right, middle: r.top + r.height / 2, background: s.backgroundColor,
          inBrandLink: img.closest('a.site-header__brand') !== null}; })"""


@pytest.fixture(scope="module")
def brand_sites(serve_sites, tmp_path_factory) -> dict[str, str]:
    """The three editions built and served: {name: base URL ending in /}."""
    outputs = {}
    for name, settings in EDITIONS.items():
        root = write_files(tmp_path_factory.mktemp(name) / "edition", {
            "toolkit.yml": settings, "static/council.svg": WIDE_SVG, "static/mark.svg": SQUARE_SVG,
            "static/cvs.png": png_bytes(96, 96, (0, 112, 60))})
        outputs[name] = build(root, root / "_site", use_cache=False).out
    base = serve_sites({f"/{name}": out for name, out in outputs.items()})
    return {name: f"{base}/{name}/" for name in outputs}


def logos(page, url: str, width: int) -> list[dict]:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url + "index.html", wait_until="load")
    return page.evaluate(LOGOS)


@pytest.mark.parametrize("width, height", [(1280, 44), (390, 36)])
def test_a_wide_and_a_square_logo_keep_their_shape_at_the_headers_height(page, brand_sites, width, height):
    wide, partner = logos(page, brand_sites["wide"], width)
    [square] = logos(page, brand_sites["square"], width)
    assert wide["src"] == "static/council.svg" and square["src"] == "static/mark.svg"
    assert wide["height"] == pytest.approx(height, abs=0.5) and square["height"] == pytest.approx(height, abs=0.5)
    assert wide["width"] / wide["height"] == pytest.approx(4, rel=0.02)           # not squashed into a square
    assert square["width"] / square["height"] == pytest.approx(1, rel=0.02)
    assert partner["width"] / partner["height"] == pytest.approx(1, rel=0.02)
    assert page.evaluate(OVERFLOW) == []                                           # nothing sticks out


@pytest.mark.parametrize("width", [1280, 390])
def test_a_partner_logo_shows_beside_the_main_one_in_the_one_link_home(page, brand_sites, width):
    main, partner = logos(page, brand_sites["wide"], width)
    assert partner["src"] == "static/cvs.png"
    assert partner["left"] >= main["right"] + 8                                     # after it, apart
    assert partner["middle"] == pytest.approx(main["middle"], abs=1)               # on the same line
    assert main["inBrandLink"] and partner["inBrandLink"]
    assert partner["background"] == "rgb(255, 255, 255)" and main["background"] == "rgba(0, 0, 0, 0)"  # the plate
    # One link home, read as the logos then the name: no second link with the same words.
    home = page.get_by_role("link", name="Testshire Council Testshire CVS Testshire Compact toolkit", exact=True)
    assert home.count() == 1 and home.get_attribute("href") == "index.html"


def test_a_dark_accent_passes_axe_on_every_page(browser, brand_sites):
    base = brand_sites["green"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(script=AXE_SCRIPT)
    tab = context.new_page()
    tab.goto(base + "index.html")
    paths = sorted(set(tab.evaluate("() => Array.from(document.querySelectorAll('a[href$=\".html\"]'))"
                                    ".map(a => a.getAttribute('href')).filter(h => !h.includes(':') "
                                    "&& !h.startsWith('..'))")))
    assert len(paths) > 10
    failures = []
    try:
        for path in paths:
            tab.goto(base + path, wait_until="load")
            for violation in tab.evaluate(RUN_AXE, WCAG_TAGS)["violations"]:
                failures.append(f"{path}: {violation['id']}: {violation['nodes'][0]['html'][:120]}")
    finally:
        context.close()
    assert failures == []


def test_a_dark_accent_has_white_text_on_it_and_a_white_ring_in_the_header(page, brand_sites):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(brand_sites["green"] + "index.html")
    page.keyboard.press("Tab")
    skip = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [document.activeElement.className, s.color, s.backgroundColor]; }")
    assert skip == ["skip-link", "rgb(255, 255, 255)", "rgb(0, 112, 60)"]
    page.keyboard.press("Tab")
    brand = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [document.activeElement.className, s.color, s.outlineStyle, s.outlineWidth,"
                          " s.outlineColor]; }")
    assert brand == ["site-header__brand", "rgb(255, 255, 255)", "solid", "3px", "rgb(255, 255, 255)"]


def test_a_light_accent_keeps_dark_text_and_no_ring(page, brand_sites):
    page.goto(brand_sites["square"] + "index.html")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    brand = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.color, s.backgroundColor, s.outlineColor]; }")
    assert brand == ["rgb(11, 12, 12)", "rgb(255, 221, 0)", "rgba(0, 0, 0, 0)"]

