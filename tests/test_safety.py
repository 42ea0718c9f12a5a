"""No content can put a running script on a reader's screen, or reach outside the edition.

Pages are crafted the way an attacker (or a careless paste) would write them, built,
and the output parsed with html.parser: there must be no <script> but the theme's own
script files, no on* event-handler attribute, and no URL that runs code. Paths in
content (links, images, logo, overlay files, symbolic links) cannot leave the edition
and what it extends.
"""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support import REPO, write_files
from toolkit.model.problems import BuildFailed
from toolkit.stages.markdown import make_parser, render_markdown
from toolkit.commands.build import build

SETTINGS = """\
name: Testshire Compact toolkit
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""
THEME_SCRIPT = re.compile(r"^(\.\./)*[\w/.-]+\.js$")        # a script file of the site itself
_IGNORED_LEADING = re.compile(r"^[\x00-\x20]+")              # what a browser skips before a scheme
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")                    # and inside it
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset"}


def _runs_code(url: str, tag: str, attribute: str) -> bool:
    url = _IGNORED_INSIDE.sub("", _IGNORED_LEADING.sub("", url)).lower()
    if tag == "img" and attribute == "src" and url.startswith("data:image/"):
        return False               # an image cannot run script
    return url.startswith(("javascript:", "vbscript:", "data:"))


class _ScriptFinder(HTMLParser):
    """Everything in a page that a browser would run as script (attribute values come unescaped)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value and _runs_code(value, tag, name):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc" or (tag == "meta" and name == "http-equiv" and (value or "").lower() == "refresh"):
                self.found.append(f"<{tag} {name}>")
        if tag in ("iframe", "object", "embed", "base", "frame", "applet"):
            self.found.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not THEME_SCRIPT.match(src):
                self.found.append(f"<script src={src!r}>")
            self._script = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append("an inline script")


def executable_script(html: str) -> list[str]:
    """What in this HTML would run as script in a browser; [] when nothing would."""
    finder = _ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def _pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def _edition(tmp_path: Path, files: dict, settings: str = SETTINGS) -> Path:
    return write_files(tmp_path / "edition", {"toolkit.yml": settings, **files})


def _problems(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    return [p.format() for p in failed.value.problems]


def test_the_finder_finds_what_would_run():
    """The oracle itself: each of these would run in a browser, and each is found."""
    assert executable_script('<script>alert(1)</script>') == ["<script src=''>", "an inline script"]
    assert executable_script('<img src=x onerror="alert(1)">') == ["<img onerror=...>"]
    assert executable_script('<a href=" JaVa&#x53;cript:alert(1)">x</a>') == ["<a href=' JaVaScript:alert(1)'>"]
    assert executable_script('<a href="java\tscript:x">x</a>')
    assert executable_script('<iframe srcdoc="x"></iframe>')
    assert executable_script('<script src="../assets/site.js"></script><img src="data:image/png;base64,AA==">') == []


CRAFTED = """\
---
title: "<script>alert('title')</script>"
order: 50
summary: '"><img src=x onerror=alert(1)>'
---

## <img src=x onerror=alert('heading')>

<script>alert('raw')</script>

<div onclick="alert(1)">click</div> <a href="javascript:alert(1)">raw link</a>

<iframe src="https://evil.example"></iframe> <svg onload=alert(1)></svg>

[a titled link](consultation.html "x\\" onmouseover=\\"alert(1)")
![an image" onerror="alert(1)](static/logo.svg)

`<script>in code</script>`

```html
<script>alert('fenced')</script>
```

{{ 7 * 7 }} and {% include 'base.html' %} and {# comment #}
"""


def test_crafted_page_builds_with_no_executable_script(tmp_path):
    root = _edition(tmp_path, {"content/crafted.md": CRAFTED, "static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    out = tmp_path / "out"
    build(root, out, use_cache=False)
    pages = _pages(out)
    for path, html in pages.items():
        assert executable_script(html) == [], path
    crafted = pages["crafted.html"]
    assert "<p>&lt;script&gt;alert('raw')&lt;/script&gt;</p>" in crafted         # shown as text
    assert "<p>&lt;div onclick=&quot;alert(1)&quot;&gt;click&lt;/div&gt;" in crafted
    assert "<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</h1>" in crafted
    assert "<p>{{ 7 * 7 }} and {% include 'base.html' %} and {# comment #}</p>" in crafted
    assert "49" not in re.sub(r"<[^>]+>", "", crafted.split('class="prose"', 1)[1])   # no template ran


@pytest.mark.parametrize("link", [
    "[a](javascript:alert(1))", "[a](JAVASCRIPT:alert(1))", "[a](jav&#x61;script:alert(1))",
    "[a](<javascript:alert(1)>)", "<javascript:alert(1)>", "[a][r]\n\n[r]: javascript:alert(1)",
    "[a](vbscript:msgbox(1))", "[a](data:text/html,<script>alert(1)</script>)",
    "![i](javascript:alert(1))", "![i](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_links_that_run_code_are_refused_and_never_reach_the_html(tmp_path, link):
    html = render_markdown(make_parser(), f"Text.\n\n{link}\n").html
    assert executable_script(html) == []
    root = _edition(tmp_path, {"content/p.md": f"---\ntitle: P\norder: 50\n---\n\nText.\n\n{link}\n"})
    problems = _problems(root)
    assert len(problems) == 1
    assert problems[0].startswith(("content/p.md:8", "content/p.md:10:"))   # the line the URL is written on
    assert "is refused: it could run code or load something unsafe in a reader's browser" in problems[0]


def test_a_data_image_is_allowed_as_an_image():
    html = render_markdown(make_parser(), "![dot](data:image/png;base64,iVBORw0KGgo=)\n").html
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html and executable_script(html) == []


def test_values_from_yaml_are_always_escaped(tmp_path):
    settings = SETTINGS + """\
contacts:
  - name: "<script>alert('name')</script>"
    role: '"><img src=x onerror=alert(1)>'
    phone: "<a href=javascript:alert(1)>call</a>"
    email: compact@testshire.example
    url: "https://example.org/?a=1&b=\\"><script>"
"""
    root = _edition(tmp_path, {"case_studies/evil.yml": """\
title: "<script>alert('case study')</script>"
area: "<b onmouseover=alert(1)>Here</b>"
summary: "</p><script>alert(1)</script>"
organisations: ["<img src=x onerror=alert(1)>"]
themes: ["<script>"]
who: Plain.
what_they_did: Plain.
what_it_led_to: Plain.
outcomes: ["<svg onload=alert(1)>"]
"""}, settings)
    problems = _problems(root)             # the url has a quote and <, so it is not a web address
    assert problems == ["toolkit.yml:10:5: error: 'url' is 'https://example.org/?a=1&b=\"><script>', "
                        "which is not a web address\n  hint: write the full address, starting with https://"]
    (root / "toolkit.yml").write_text(settings.replace('?a=1&b=\\"><script>', "?a=1&b=2"), encoding="utf-8")
    out = tmp_path / "out"
    build(root, out, use_cache=False)
    pages = _pages(out)
    for path, html in pages.items():
        assert executable_script(html) == [], path
    assert "&lt;script&gt;alert(&#39;case study&#39;)&lt;/script&gt;" in pages["case-studies/evil.html"]
    assert 'href="mailto:compact@testshire.example"' in pages["index.html"]
    assert 'href="https://example.org/?a=1&amp;b=2"' in pages["index.html"]


@pytest.mark.parametrize("email", ["compact@testshire.example?subject=x", "javascript:alert(1)@x.example",
                                   "a b@c.example", "<a@b.example>", "compact"])
def test_an_email_address_a_mailto_link_cannot_be_made_from_is_refused(tmp_path, email):
    root = _edition(tmp_path, {}, SETTINGS.replace("compact@testshire.example", email))
    assert _problems(root) == [f"toolkit.yml:3:3: error: 'contact_email' is '{email}', which is not an email "
                               "address\n  hint: write just the address, e.g. compact@northbridge.gov.uk"]


def test_raw_html_is_off_unless_the_edition_allows_it(tmp_path):
    page = {"content/p.md": "---\ntitle: P\norder: 50\n---\n\n<b class=\"x\">bold</b> <script>alert(1)</script>\n"}
    out = tmp_path / "off"
    build(_edition(tmp_path / "a", page), out, use_cache=False)
    assert "&lt;b class=&quot;x&quot;&gt;bold&lt;/b&gt;" in (out / "p.html").read_text()
    out = tmp_path / "on"
    build(_edition(tmp_path / "b", page, SETTINGS + "allow_raw_html: true\n"), out, use_cache=False)
    html = (out / "p.html").read_text()
    assert '<b class="x">bold</b>' in html
    assert "an inline script" in executable_script(html)      # the risk docs/errors.md explains


# --- paths that would leave the edition ----------------------------------------------------------------------

@pytest.mark.parametrize("link", ["[x](../../../etc/passwd)", "[x](/../../etc/passwd)", "[x](static/../../secret.txt)",
                                  "[x](%2e%2e/%2e%2e/secret.txt)", "![x](../../logo.png)", "[x](..\\..\\secret.txt)"])
def test_links_and_images_cannot_leave_the_site(tmp_path, link):
    root = _edition(tmp_path, {"content/p.md": f"---\ntitle: P\norder: 50\n---\n\n{link}\n"})
    problems = _problems(root)
    assert len(problems) == 1 and problems[0].startswith("content/p.md:6:")
    assert "' points outside the site\n" in problems[0]


@pytest.mark.parametrize("setting, value", [("favicon", "../../favicon.svg"), ("favicon", "/etc/passwd"),
                                            ("favicon", "..\\..\\favicon.svg")])
def test_branding_files_cannot_come_from_outside_the_edition(tmp_path, setting, value):
    root = _edition(tmp_path, {}, SETTINGS + f"{setting}: '{value}'\n")
    shown = value.replace("\\", "/")                  # a path is read with '/' (schema.py)
    assert _problems(root) == [f"toolkit.yml: error: '{setting}' is {shown}, which is outside the edition\n"
                               "  hint: put the file in the edition's static/ folder and write static/<file name>"]


def test_a_folder_linked_from_outside_is_refused_and_not_read(tmp_path):
    outside = write_files(tmp_path / "outside", {"secret.svg": "<svg/>", "deeper/more.md": "x"})
    root = _edition(tmp_path, {})
    os.symlink(outside, root / "static")
    assert _problems(root) == ["static: error: this folder is a link to a place outside the edition\n"
                               "  hint: copy the folder into the edition folder instead of linking to it"]
    (root / "static").unlink()
    (root / "content").mkdir()
    os.symlink(outside / "deeper", root / "content" / "linked")
    assert _problems(root) == ["content/linked: error: this folder is a link to a place outside the edition\n"
                               "  hint: copy the folder into the edition folder instead of linking to it"]


def test_links_inside_the_edition_are_followed_and_loops_do_not_hang(tmp_path):
    root = _edition(tmp_path, {"static/images/dot.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                               "content/real.md": "---\ntitle: Real\norder: 50\n---\n\n![dot](static/pictures/dot.svg)\n"})
    os.symlink(root / "static" / "images", root / "static" / "pictures")
    os.symlink(root / "static", root / "static" / "images" / "loop")
    out = tmp_path / "out"
    build(root, out, use_cache=False)
    assert (out / "static" / "pictures" / "dot.svg").is_file()
    assert 'src="static/pictures/dot.svg"' in (out / "real.html").read_text()


def test_yaml_never_makes_python_objects(tmp_path):
    marker = tmp_path / "ran"
    root = _edition(tmp_path, {"data/glossary.yml": f"- !!python/object/apply:os.system [\"touch {marker}\"]\n"})
    problems = _problems(root)
    assert problems == ["data/glossary.yml:1:3: error: the tag '!!python/object/apply:os.system' is not allowed\n"
                        "  hint: remove it: settings are plain text, numbers, dates and lists"]
    assert not marker.exists()


def test_the_national_site_has_no_executable_script(national_site):
    pages = _pages(national_site)
    assert len(pages) > 20
    for path, html in pages.items():
        assert executable_script(html) == [], path
