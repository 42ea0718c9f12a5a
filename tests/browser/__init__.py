"""Browser tests: a package, so their module names (browser.test_search) do not clash with tests/test_search.py."""
