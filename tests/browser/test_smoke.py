"""The national site loads in a real browser, under a sub-path, with a strict CSP."""


def test_home_page_loads_under_sub_path_with_strict_csp(page, site_url):
    response = page.goto(site_url + "index.html")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.console_errors == []
