"""Small files made from the settings rather than from a template:
the brand stylesheet, robots.txt, the sitemap, and the warnings about stale pages."""
from __future__ import annotations

import datetime
import os
from urllib.parse import quote
from xml.sax.saxutils import escape

from toolkit.checks import contrast
from toolkit.stages.edition import Edition, Settings
from toolkit.model.problems import Problem
from toolkit.model.content import Content
from toolkit.stages.structure import Site


def brand_css(settings: Settings) -> str:
    """The theme reads its colours from these custom properties, so an edition rebrands
    the site from toolkit.yml without touching a stylesheet. Text on the accent is dark
    or white, whichever reads better on it (the contrast check judges that same choice);
    with white (a dark accent), keyboard focus in the header is ringed in white."""
    on_accent = contrast.text_on(settings.accent)
    return (":root {\n"
            f"  --brand-primary: {settings.primary};\n"
            f"  --brand-accent: {settings.accent};\n"
            f"  --brand-accent-text: {on_accent};\n"
            f"  --brand-header-focus: {'#ffffff' if on_accent == contrast.WHITE else 'transparent'};\n"
            "}\n")


def robots_txt(settings: Settings) -> str:
    if not settings.search_engines:
        return "User-agent: *\nDisallow: /\n"
    lines = ["User-agent: *", "Allow: /"]
    if settings.base_url:
        lines.append(f"Sitemap: {settings.base_url}/sitemap.xml")
    return "\n".join(lines) + "\n"


def sitemap_xml(settings: Settings, site: Site) -> str:
    urls = "".join(f"  <url><loc>{escape(settings.base_url + '/' + quote(page.path))}</loc></url>\n"
                   for page in site.pages if page.kind != "not_found")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")


def stale_warnings(edition: Edition, content: Content, today: datetime.date) -> list[Problem]:
    months = edition.settings.review_every
    if not months:
        return []
    # A period longer than the calendar goes back (review_every: 99999) means never stale.
    days = max(min(round(months * 30.44), (today - datetime.date.min).days), (today - datetime.date.max).days)
    limit = today - datetime.timedelta(days=days)
    warnings = []
    for item in (*content.pages, *content.case_studies):
        if item.reviewed and item.reviewed < limit:
            warnings.append(Problem(
                item.source, item.line("reviewed") if hasattr(item, "line") else 1,   # case studies know it
                f"last reviewed on {item.reviewed.isoformat()}, more than {months} months ago",
                "check the text is still right, then set 'reviewed:' to today's date", warning=True))
    return warnings


def build_date(edition: Edition) -> str:
    """The date the site says it was built (ISO), or "" when toolkit.yml does not show one.
    SOURCE_DATE_EPOCH, when set, gives it, so a build can be made again byte for byte."""
    if not edition.settings.show_build_date:
        return ""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch and epoch.isdigit()
              else datetime.datetime.now(datetime.timezone.utc))
    return moment.date().isoformat()
