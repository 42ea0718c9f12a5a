"""The files `new` adds so that an edition can live in a git repository of its own and be
published by the forge: a coordinator with no web team edits a file on GitHub's or GitLab's
website, and the site is built and published.

    .github/workflows/publish.yml   GitHub Pages (Settings > Pages > Source: GitHub Actions)
    .gitlab-ci.yml                  GitLab Pages
    .gitignore                      what a build makes, kept out of the repository
    README.md                       the same, said for the people who edit the edition

Each workflow installs Compact Toolkit with pip and runs one build command. What pip is
given is the toolkit that ran `new`, where pip on another machine can get it again: the
git repository and commit it was installed from, or its release on a package index. A
toolkit installed from a file on this computer (or run from a checkout) cannot be got
that way, so the workflows then hold a placeholder, which README.md says how to fill in.
"""
from __future__ import annotations

import json
from importlib import metadata

from toolkit import national
from toolkit.national import VERSION

DISTRIBUTION = "compact-toolkit"
PLACEHOLDER = f"compact-toolkit @ git+https://example.org/CHANGE-ME/compact-toolkit.git@v{VERSION}"
BUILD_GITHUB = "compact-toolkit build . --out _site"
BUILD_GITLAB = "compact-toolkit build . --out public"


def toolkit_requirement() -> str:
    """What to give pip to install this toolkit on a forge's build machine (PLACEHOLDER when unknown)."""
    if not national.INSTALLED:          # run from a checkout (whatever metadata a build left in it)
        return PLACEHOLDER
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return PLACEHOLDER
    try:
        origin = json.loads(distribution.read_text("direct_url.json") or "null")
    except ValueError:
        return PLACEHOLDER
    if origin is None:                                   # from a package index, such as PyPI
        return f"{DISTRIBUTION}=={distribution.version}"
    url = str(origin.get("url", ""))
    if not url.startswith(("https://", "http://", "ssh://", "git@")) or (origin.get("dir_info") or {}).get("editable"):
        return PLACEHOLDER                               # a file on this computer, or a checkout
    vcs = origin.get("vcs_info")
    if vcs and vcs.get("vcs") == "git":
        return f"{DISTRIBUTION} @ git+{url}@{vcs.get('commit_id') or vcs.get('requested_revision', '')}".rstrip("@")
    return f"{DISTRIBUTION} @ {url}"


def forge_files(name: str, requirement: str) -> dict[str, str]:
    """Path in the edition -> text, for an edition called `name`."""
    return {
        ".github/workflows/publish.yml": _github(requirement),
        ".gitlab-ci.yml": _gitlab(requirement),
        ".gitignore": "# What a build makes: never kept in the repository.\n_site/\npublic/\n*-server-settings/\n"
                      "_site.zip\n.toolkit-cache/\n",
        "README.md": _readme(name, requirement),
    }


def _where(requirement: str) -> str:
    if requirement == PLACEHOLDER:
        return ("  # CHANGE THIS before the first run: where to get Compact Toolkit, as pip understands it,\n"
                "  # e.g. compact-toolkit @ git+https://github.com/ORGANISATION/compact-toolkit@v1.2.0\n"
                "  # (see README.md).\n")
    return "  # Where to get Compact Toolkit, as pip understands it: change it to upgrade (see README.md).\n"


def _github(requirement: str) -> str:
    return f"""\
# Builds this edition and publishes it with GitHub Pages each time a change reaches the main
# branch (an edit saved on GitHub's website, or a push). Once, before the first run: in the
# repository's Settings > Pages, set Source to "GitHub Actions".
name: Publish
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
env:
{_where(requirement)}  TOOLKIT: {json.dumps(requirement)}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: python -m pip install "$TOOLKIT"
      - run: {BUILD_GITHUB}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def _gitlab(requirement: str) -> str:
    return f"""\
# Builds this edition and publishes it with GitLab Pages each time a change reaches the
# default branch (an edit saved on GitLab's website, or a push).
image: python:3.12
variables:
{_where(requirement)}  TOOLKIT: {json.dumps(requirement)}
pages:
  script:
    - python -m pip install "$TOOLKIT"
    - {BUILD_GITLAB}
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""


def _readme(name: str, requirement: str) -> str:
    change = ("Before the first run, replace the placeholder after `TOOLKIT:` in both files with where "
              "your organisation gets Compact Toolkit, as pip understands it, for example "
              "`compact-toolkit @ git+https://github.com/ORGANISATION/compact-toolkit@v1.2.0` "
              "(a git repository and a tag or commit) or `compact-toolkit==1.2.0` (a package index)."
              if requirement == PLACEHOLDER else
              f"They install `{requirement}`, the toolkit this edition was made with. To upgrade, change "
              "`TOOLKIT:` in both files.")
    return f"""\
# {name}: a local edition of the Compact Toolkit

The settings are in `toolkit.yml`; pages go in `content/`, case studies in `case_studies/`,
your logo and images in `static/`. Each folder has a note saying what goes in it.

## Publishing from GitHub or GitLab

This folder can be a git repository of its own. Two ready workflows build and publish the
site each time a change reaches the main branch, including an edit saved on the website:

- GitHub Pages: `.github/workflows/publish.yml`. Once: in Settings > Pages, set Source to
  "GitHub Actions".
- GitLab Pages: `.gitlab-ci.yml`.

{change}

Set `base_url:` in `toolkit.yml` to the address Pages gives the site (for example
`https://ORGANISATION.github.io/REPOSITORY`), so that its 404 page works everywhere.

## Building on your computer

    compact-toolkit build .

writes the site to `_site`; `compact-toolkit serve .` shows each change as you save it.
`national-baseline.yml` records the national files this edition replaces: keep it.
"""
