"""The same built site works under a sub-path (with the strict CSP) and opened from disk
(issue 5): following links from page to page, every page arrives styled and scripted,
nothing is asked of any other place, no link lands on a folder, no console errors."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

# A walk through the site as a reader might take it: (link to click, heading expected there).
WALK = [
    ("nav >> text=Case studies", "Case studies"),
    ("text=Knowsley: building a social value strategy in partnership",
     "Knowsley: building a social value strategy in partnership"),
    (".breadcrumbs >> text=Home", "Social value and the Compact"),
    ("nav >> text=Compact principles", "Principles of the Compact"),
    ("nav >> text=Suggested actions", "Suggested actions"),
    ("footer >> text=Glossary", "Glossary"),
    ("footer >> text=The whole guide on one page", "Social value and the Compact"),
    ("nav >> text=Search", "Search"),
    ("nav >> text=The guide", "Social value and the Compact"),
]


@pytest.fixture(params=["http", "file"])
def start(request, site_url, national_site):
    """(address of the home page, the address every request must stay under)."""
    if request.param == "http":
        return site_url + "index.html", site_url
    return (national_site / "index.html").as_uri(), national_site.as_uri() + "/"


def test_following_links_across_pages(page, start):
    home, under = start
    requests, failures = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
    page.goto(home)
    visited = [page.url]
    for link, heading in WALK:
        with page.expect_navigation():      # wait for the new page, not the one we are on
            page.locator(link).first.click()
        visited.append(page.url)
        assert page.locator("h1").inner_text() == heading, page.url
        # Styled: the header takes the brand colour from assets/brand.css.
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
            == "rgb(29, 79, 145)", page.url
    # Every page arrived by a file name, never a folder; every request stayed inside the site.
    for url in visited:
        assert urlsplit(url).path.endswith(".html"), url
    assert len(set(visited)) >= 8
    outside = [url for url in requests if not url.startswith(under)]
    assert outside == [] and failures == []
    assert page.console_errors == []


def test_a_page_one_folder_down_loads_its_assets_and_links_back_up(page, start):
    home, under = start
    page.goto(home.replace("index.html", "case-studies/sutton.html"))
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
        == "rgb(29, 79, 145)"
    assert page.locator(".site-header__logo").evaluate("img => img.complete && img.naturalWidth > 0")
    with page.expect_navigation():
        page.locator(".site-header__brand").click()
    assert page.url == under + "index.html"
    assert page.console_errors == []

