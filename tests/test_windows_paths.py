"""Paths written the Windows way (issue 15): a coordinator on Windows writes `static\\logo.svg`.

Every path an edition writes (extends, logo, favicon, hide, sections) may use backslashes, and the
site built is byte for byte the one built with forward slashes. Run on Linux, where a backslash is
an ordinary character in a file name, so only the toolkit's own handling can make them equal.
"""
from __future__ import annotations

from pathlib import Path

from support import write_files
from toolkit.commands.build import build
from toolkit.stages.write import MANIFEST

COUNTY = {
    "toolkit.yml": """
        name: Shire toolkit
        accessibility:
          contact_email: compact@shire.example
          last_tested: 2026-11-01
    """,
}


def _district(sep: str, quote: str = "") -> dict:
    def path(text: str) -> str:
        return quote + text.replace("/", sep) + quote
    return {
        "toolkit.yml": f"""
            name: Dale toolkit
            extends: {path("../county")}
            logo:
              file: {path("static/brand/logo.svg")}
              alt: Dale
            favicon: {path("static/brand/icon.svg")}
            hide:
              - {path("content/joint-social-value-strategy.md")}
              - {path("case_studies/sutton.yml")}
            accessibility:
              contact_email: compact@dale.example
              last_tested: 2026-11-01
        """,
        "static/brand/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"/>\n',
        "static/brand/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"/>\n',
        "case_studies/dale-lunch-clubs.yml": f"""
            title: Dale lunch clubs
            area: Dale
            summary: Lunch clubs run with the council.
            themes: [community]
            sections: [{path("content/consultation.md")}, using-the-compact]
            who: Dale's lunch clubs.
            what_they_did: They consulted early.
            what_it_led_to: A shared plan.
        """,
    }


def _site(root: Path) -> dict[str, bytes]:
    site = build(root / "dale", root / "site", use_cache=False).out
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file() and path.name != MANIFEST}


def test_backslash_paths_build_the_same_site_as_forward_slashes(tmp_path):
    sites = {}
    for name, sep, quote in (("forward", "/", ""), ("plain", "\\", ""), ("quoted", "\\", "'")):
        write_files(tmp_path / name / "county", COUNTY)
        write_files(tmp_path / name / "dale", _district(sep, quote))
        sites[name] = _site(tmp_path / name)
    forward = sites["forward"]
    assert '<img class="site-header__logo" src="static/brand/logo.svg" alt="Dale">' in \
        forward["index.html"].decode()
    assert '<link rel="icon" href="static/brand/icon.svg">' in forward["index.html"].decode()
    assert "joint-social-value-strategy.html" not in forward and "case-studies/sutton.html" not in forward
    assert 'href="../consultation.html"' in forward["case-studies/dale-lunch-clubs.html"].decode()
    assert sites["plain"] == forward
    assert sites["quoted"] == forward
