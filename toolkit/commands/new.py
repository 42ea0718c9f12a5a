"""`compact-toolkit new FOLDER --name "Northbridge"`: start a local edition that builds at once.

The folder gets a toolkit.yml that explains every setting in plain words, a
placeholder logo and favicon in the area's colours, and the overlay folders (each
with a note saying what goes in it). Nothing else is needed before `compact-toolkit
build FOLDER`: the edition extends the national toolkit, so every page, case study and
template comes from there until the edition replaces it. The commands it tells the
person to type are the ones that work where they ran `new` (invocation.py). It can be a
git repository of its own, with ready workflows that publish it (forges.py).
"""
from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

from toolkit import invocation
from toolkit.commands.forges import forge_files, toolkit_requirement
from toolkit.national import NATIONAL_ROOT
from toolkit.model.problems import BuildFailed, Problem
from toolkit.stages.write import MANIFEST

PRIMARY = "#1d4f91"       # the national colours, which pass the contrast checks
ACCENT = "#ffdd00"

# Each overlay folder and the note left in it. Only *.md, *.yml and static/ files are
# read by the build, and names starting with "_" are never published, so the notes
# never reach the site.
FOLDER_NOTES = {
    "content/README.txt": """\
Guide pages for this edition go in this folder, as Markdown files (ending in .md).

- To replace a page of the national guide, copy it here from the national toolkit's
  content folder, keeping its file name, and change it. Your copy is used instead.
- To add a page, make a new .md file here. Start it with a title and an order
  (lower numbers come first in the guide), between two lines of three dashes:

    ---
    title: Our local Compact
    order: 15
    ---

- To leave a national page out, list it under "hide:" in toolkit.yml instead.

When you copy a page, you stop receiving national updates to it, so copy only
the pages you really need to change.
This note is not part of the site: only files ending in .md are read.
""",
    "case_studies/README.txt": """\
Case studies for this edition go in this folder, one file each, ending in .yml.

Copy one of the national case studies (for example case_studies/knowsley.yml in
the national toolkit) as a starting point, give it a new file name, and change the
text. The file name becomes the page's address, so use lower case and hyphens,
for example northbridge-youth-services.yml.

A file with the same name as a national case study replaces that one. To leave a
national case study out, list it under "hide:" in toolkit.yml.
This note is not part of the site: only files ending in .yml are read.
""",
    "data/README.txt": """\
The toolkit's lists live in data files: actions.yml (suggested actions),
glossary.yml, further_reading.yml and principles.yml.

You rarely need this folder. A file here replaces the national file of the same
name completely, so you would stop receiving national updates to it.
Principles and actions are better changed in toolkit.yml (see "principles:" and
"actions:" there).
This note is not part of the site: only files ending in .yml are read.
""",
    "static/_README.txt": """\
Files in this folder are published with your site as they are: your logo, your
favicon (the small icon in the browser tab), and any images your pages use.

logo.svg and favicon.svg are placeholders made for you. Replace them with your own
files (SVG or PNG), and if the names change, change "logo:" and "favicon:" in
toolkit.yml to match. In a page, show an image with: ![What it shows](static/photo.png)
This note is not published, because its name starts with an underscore.
""",
}


def new_edition(folder: Path, name: str, today: datetime.date | None = None) -> Path:
    """Make the edition's files; raise BuildFailed if the folder is not new or empty."""
    folder = Path(folder)
    name = " ".join(name.split())
    problems = _check(folder, name)
    if problems:
        raise BuildFailed(problems)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "area"
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "toolkit.yml": _schema_line(folder) + toolkit_yml(name, slug, invocation.quoted(str(folder)),
                                                          today or datetime.date.today(), invocation.command()),
        "static/logo.svg": logo_svg(name),
        "static/favicon.svg": logo_svg(name, rounded=False),
        **FOLDER_NOTES,
        **forge_files(name, toolkit_requirement()),     # so it can be a repository of its own, published by a forge
    }
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return folder


def next_steps(folder: Path) -> str:
    """What `new` prints: where the edition is, and the commands to build and preview it."""
    shown, command = invocation.quoted(str(folder)), invocation.command()
    return (f"Made a new edition in {folder}.\n"
            f"Edit {folder / 'toolkit.yml'}, then build it with:\n"
            f"  {command} build {shown}\n"
            f"or see each change as you save it with:\n"
            f"  {command} serve {shown}")


def _check(folder: Path, name: str) -> list[Problem]:
    if not name:
        return [Problem(str(folder), 0, "the area's name is empty",
                        'give it with --name, for example: --name "Northbridge"')]
    built = next((parent for parent in Path(folder).absolute().parents if (parent / MANIFEST).is_file()), None)
    if built is not None:
        return [Problem(str(folder), 0, f"this folder is inside {built}, a built site, which builds replace",
                        "make the edition in a folder of its own, outside any built site")]
    if folder.exists() and not folder.is_dir():
        return [Problem(str(folder), 0, "this is a file, not a folder",
                        "choose a name for a new folder")]
    if folder.is_dir() and any(folder.iterdir()):
        return [Problem(str(folder), 0, "this folder already has files in it, so a new edition "
                        "was not made there (nothing was changed)",
                        "choose a new folder name, or an empty folder")]
    return []


def _schema_line(folder: Path) -> str:
    """Lets editors such as VS Code (with its YAML extension) check toolkit.yml as it is typed."""
    schema = NATIONAL_ROOT / "schemas" / "toolkit.schema.json"
    try:
        relative = Path(os.path.relpath(schema, folder.resolve())).as_posix()
    except ValueError:                  # on another drive, on Windows
        relative = schema.as_uri()
    return ("# The next line lets editors such as VS Code check this file as you type. Leave it as it is.\n"
            f"# yaml-language-server: $schema={relative}\n\n")


def _quoted(text: str) -> str:
    """A YAML string that stays one string whatever it holds (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def logo_svg(name: str, rounded: bool = True) -> str:
    """A placeholder: the area's initial on a circle in the national blue."""
    initial = escape(name[:1].upper() or "C")
    shape = ('<circle cx="24" cy="24" r="24" fill="#ffffff"/>' if rounded
             else f'<rect width="48" height="48" rx="8" fill="{PRIMARY}"/>')
    colour = PRIMARY if rounded else "#ffffff"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48" '
            f'role="img" aria-label="{escape(name, {chr(34): "&quot;"})}">{shape}'
            f'<text x="24" y="33" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
            f'font-size="26" font-weight="700" fill="{colour}">{initial}</text></svg>\n')


def toolkit_yml(name: str, slug: str, folder: str, today: datetime.date, command: str = "compact-toolkit") -> str:
    """The edition's settings file; `folder` and `command` as the person typed them, for the
    command it shows."""
    area = _quoted(name)
    return f"""\
# Settings for the {name} edition of the Compact Toolkit.
#
# How this file works:
#   - A line starting with # is a note for you; the toolkit ignores it.
#   - Each setting is a name, a colon, a space, then the value.
#   - Indented lines (two spaces) belong to the setting above them.
#   - To switch on a setting that is shown as a note, remove the "# " in front of
#     its lines, keeping the indentation.
#   - Put text in "double quotes" if it contains a colon or starts with a symbol.
#
# Anything this file does not set comes from the national toolkit, so your edition
# keeps receiving national updates. After a change, build the site again with this
# command, typed in the folder you were in when you made this edition:
#   {command} build {folder}
# The site is written to the _site folder in here: open _site/index.html in a
# browser to see it. Any mistake is reported with the file, the line and how to fix it.

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

# The site's name, shown at the top of every page.
name: {_quoted(f"{name} social value toolkit")}

# The area this edition is for.
area: {area}

# The name of your local Compact, as people in your area know it.
compact_name: {_quoted(f"The {name} Compact")}

# The council or CVS that publishes this edition; shown at the foot of every page.
publisher: {_quoted(f"{name} Compact partnership")}

# Which edition this one builds on. Leave it as a note to build on the national
# toolkit (the usual choice). Give a folder, relative to this file, to build on
# another local edition instead, e.g. a county's edition that district editions share.
# extends: ../county-edition

# ---------------------------------------------------------------------------
# Your home page
# ---------------------------------------------------------------------------

# The home page says which area and Compact this edition is for, with your site's
# name as its heading and the national introduction under it. To use your own
# words instead, switch this on: title is the heading, introduction the text under
# it, and about a short "About this edition" (who made it, how to get in touch).
# A link to a guide page can name its file, e.g. [consultation](consultation.md).
# home:
#   title: {_quoted(f"Social value and the {name} Compact")}
#   introduction: >
#     How councils and voluntary groups in {name} work together to get the
#     most social value from local public services.
#   about: >
#     This edition is published by the {name} Compact partnership. Read
#     [how to respond to a consultation](consultation.md), or write to the
#     Compact team listed at the foot of every page.

# ---------------------------------------------------------------------------
# Branding
# ---------------------------------------------------------------------------

# Your logo: an SVG or PNG file in this edition's static folder, and what it says,
# for people using screen readers. static/logo.svg is a placeholder: replace it.
# The header shows it 44 pixels high and as wide as its shape makes it (up to 240),
# on the primary colour; a landscape logo of your name works best. For a logo made
# for a white background, add "plate: true" to show it on a white panel.
logo:
  file: static/logo.svg
  alt: {_quoted(f"{name} Compact")}

# If your edition is published jointly (say by the council and the CVS), the
# partner's logo, shown beside yours; it takes plate: true too.
# partner_logo:
#   file: static/partner-logo.svg
#   alt: Northbridge Council for Voluntary Service

# The small icon shown in the browser tab: an SVG, PNG or ICO file in static.
favicon: static/favicon.svg

# Colours, written as # and six hexadecimal digits (your web team will know them).
# primary: the header, links and buttons; white text goes on it, so it must be dark.
# accent:  the highlight that shows keyboard users where they are, the line under
#          the header and the PDF's cover. Light or dark: the site puts dark or
#          white text on it, whichever reads better. A light accent must stand out
#          against the primary.
# If a colour is too pale or too dark to read, the build says so and suggests a
# close colour that works.
colours:
  primary: "{PRIMARY}"
  accent: "{ACCENT}"

# Who readers can contact, shown at the foot of every page. Add as many as you
# like, each starting with "- name:". role, email, phone and url are optional.
contacts:
  - name: {_quoted(f"{name} Compact team")}
    role: Questions about the local Compact
    email: compact@{slug}.example
    # phone: 01632 960000
    # url: https://www.example.org/compact

# ---------------------------------------------------------------------------
# Accessibility statement (a legal requirement for public sector websites)
# ---------------------------------------------------------------------------

# What the site's accessibility statement page says about your edition.
accessibility:
  # Where people can ask for another format or report a problem. Replace this.
  contact_email: accessibility@{slug}.example
  # contact_phone: 01632 960000
  # Working days within which you reply.
  response_days: 10
  # How far the site meets the WCAG 2.2 AA standard: full, partial or not.
  status: partial
  # When you last checked the site for accessibility, as year-month-day.
  last_tested: {today.isoformat()}
  # When you prepared this statement.
  statement_prepared: {today.isoformat()}
  # Anything you know does not yet meet the standard, one line each:
  known_issues: []

# ---------------------------------------------------------------------------
# Leaving things out
# ---------------------------------------------------------------------------

# National pages or case studies this edition does not want, one per line, written
# as their path in the national toolkit. Links to a hidden page become plain text.
# hide:
#   - content/joint-social-value-strategy.md
#   - case_studies/sutton.yml

# ---------------------------------------------------------------------------
# A notice on every page
# ---------------------------------------------------------------------------

# Every page shows the national notice at the top: that the guide describes the
# law as it stood in March 2014, with a link to the page on what has changed.
# To show your own notice instead, switch this on and change the words; link is a
# page of the site (e.g. what-has-changed.html) or a web address, and link_text
# the words of the link. Write notice: false to show no notice at all.
# notice:
#   text: This guide describes the law as it stood in March 2014.
#   link: what-has-changed.html
#   link_text: What has changed since 2014

# ---------------------------------------------------------------------------
# Your local Compact's principles
# ---------------------------------------------------------------------------

# Every page that mentions a principle or one of its figures shows your version,
# and the principles page shows the national wording beside yours where they
# differ. Give the principle's number in quotes, then what is different:
#   title:    your title for it
#   summary:  your wording of it
#   params:   figures it contains, e.g. consultation_weeks: 8 (the number alone:
#             the site writes the unit, "8 weeks")
#   adopted:  false if your local Compact does not include it. The build then
#             lists every page that mentions it, so you can replace those pages.
# A principle with a new number (or a name such as L1) is a local principle of
# your own: give it a title and a summary. The national principles are listed on
# the principles page of the built site.
#
# principles:
#   "2.4":
#     params:
#       consultation_weeks: 8
#   "2.3":
#     title: Involve the sector from the start
#     summary: >
#       Your local Compact's wording, over as many indented lines as you need.
#   L1:
#     title: Pay small organisations promptly
#     summary: >
#       Partners pay invoices from voluntary organisations within 10 working days.

# ---------------------------------------------------------------------------
# Suggested actions
# ---------------------------------------------------------------------------

# The actions pages list the national suggested actions, stage by stage. Here you
# can add actions of your own, leave national ones out, or list some first in their
# stage, and still receive national updates to the rest. Actions are named by their
# id, as in the national data/actions.yml; a mistyped id is an error that suggests
# the right one.
#   add:    your own actions, each written as in data/actions.yml: audience is
#           commissioners or vcs; stage is planning, consultation, procurement,
#           contract or review; sections are the guide pages that explain it
#   hide:   national actions your area leaves out
#   order:  actions to list first in their stage, in this order
#
# actions:
#   add:
#     - id: local-meet-the-buyer
#       audience: vcs
#       stage: procurement
#       title: Come to the council's meet-the-buyer day
#       detail: >
#         Each spring the council sets out what it plans to buy. Come and ask the
#         officers who write the tenders how they will weigh social value.
#       sections: [consultation]
#   hide:
#     - commissioners-include-smaller-contracts
#   order:
#     - local-meet-the-buyer

# ---------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------

# The full web address the site will live at, e.g. https://www.example.org/compact
# Used for the sitemap that search engines read, and so that the "page not found"
# page (404.html) keeps its styling when a server shows it for a missing address in
# a sub-folder. Every other page works without it, on any server or from disk.
# base_url: https://www.example.org/compact

# false keeps the site out of search engines, e.g. on an intranet.
search_engines: true

# After how many months a page's "reviewed" date counts as out of date (the build
# then warns you). 0 switches the warning off.
review_every: 24

# true prints the date of the build at the foot of every page.
show_build_date: false

# Leave this false unless your web team asks: true lets pages contain raw HTML,
# which can break the site's accessibility and security.
allow_raw_html: false

# The language of the site (only English for now).
language: en
"""
