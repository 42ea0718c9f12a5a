"""A seeded synthetic corpus of guidance, shaped like a real local toolkit.

Everything comes from one `random.Random(seed)`, so the same seed and size give the
same corpus, byte for byte. Pages are 6 to 8 KB of Markdown (front matter included):
headings, paragraphs, a bullet and a numbered list, a table, links to other pages
and to case studies, principle and parameter references by id, and glossary terms
from the national glossary in running text. Case studies and actions come in
proportion to the pages.

The text is written by this module from its own phrase lists; it only has to read
like guidance, not to say anything true.
"""
from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass

PAGE_BYTES = (6400, 7800)          # aimed-for size of a page file, well inside 6-8 KB
PAGES_PER_CASE_STUDY = 20
PAGES_PER_ACTION = 5

PRINCIPLE_IDS = ("2", "2.1", "2.3", "2.4", "3.6", "3.17", "4")
PARAM = "2.4.consultation_weeks"

ACTIVITIES = ("Planning", "Reviewing", "Measuring", "Funding", "Commissioning", "Designing",
              "Evaluating", "Buying", "Co-producing", "Monitoring", "Scoping", "Recommissioning",
              "Costing", "Piloting", "Sharing", "Improving")
OBJECTS = ("a grants round", "a service specification", "a framework agreement", "outcome measures",
           "a market statement", "a local partnership", "a consultation", "a joint strategy",
           "a tender", "small contracts", "volunteer support", "a pooled budget", "a prospectus",
           "an evaluation plan")
SERVICES = ("community transport", "youth work", "adult social care", "housing support",
            "mental health services", "library services", "advice services", "employment support",
            "carers' services", "food projects", "early help", "domestic abuse services",
            "leisure services", "parks and green spaces", "refugee support", "day centres",
            "befriending schemes", "arts projects")
HEADINGS = ("Why it matters", "Who to involve", "Before you start", "Setting the budget",
            "Measuring what changed", "Common pitfalls", "Working with the local Compact",
            "A typical timetable", "Questions to ask", "What good looks like", "After the contract starts",
            "Sharing the risk", "Keeping small groups in", "Reporting back", "When plans change",
            "Paying on time", "Listening to service users", "Checking the market")
SUBHEADINGS = ("For commissioners", "For voluntary organisations", "For elected members",
               "In the first month", "At the review", "If money is short")
THEMES = ("employment", "consultation", "procurement", "outcomes", "health", "housing",
          "young-people", "environment", "transport", "volunteering", "partnership", "strategy")
PLACES_START = ("North", "East", "West", "South", "Upper", "Lower", "Old", "New", "Great", "Little",
                "Kings", "Market", "Bridge", "Castle", "Hill", "Lake")
PLACES_END = ("field", "bury", "ford", "mere", "dale", "wick", "ton", "ham", "by", "worth",
              "stead", "combe", "haven", "moor")

# Glossary terms (from the national data/glossary.yml) in the forms the text uses them.
TERMS = ("commissioning", "procurement", "the VCS", "social value", "SMEs", "the local Compact",
         "a framework agreement", "a market statement", "value for money", "the supply market",
         "the CVS", "decommissioning", "outcomes-based commissioning", "the scrutiny committee",
         "statutory bodies", "the Social Value Act", "a social value strategy", "contracting authorities")
ACTORS = ("Commissioners", "Council officers", "Voluntary organisations", "The local Compact group",
          "Small charities", "Service managers", "Trustees", "Elected members", "Health partners",
          "Community groups", "Procurement teams", "Finance officers")
VERBS = ("should agree", "can plan", "need to test", "will want to share", "often review",
         "are expected to record", "may choose to publish", "should explain", "can co-design",
         "ought to budget for", "should check", "can compare")
THINGS = ("the outcomes they care about", "a realistic timetable", "the evidence behind each decision",
          "how risk is shared", "the cost of taking part", "what local people have said",
          "the measures used at review", "who holds the budget", "the length of each contract",
          "how payments are made", "the support offered to bidders", "what happens when a contract ends")
QUALIFIERS = ("before anything is written down", "at every stage of the cycle", "in plain language",
              "with the people who use the service", "well ahead of any deadline",
              "so that smaller groups can take part", "and say so openly", "in time for the annual review",
              "without adding needless paperwork", "as part of normal practice")
REASONS = ("This keeps the process fair and open.", "It saves time and money later on.",
           "Partners then know what to expect.", "It helps groups with no paid staff join in.",
           "Surprises at the end become much rarer.", "Trust between partners grows as a result.",
           "It gives everyone the same starting point.", "Small providers are not squeezed out.")


@dataclass(frozen=True)
class PageSpec:
    slug: str
    title: str
    nav_title: str
    order: int
    summary: str
    themes: tuple[str, ...]
    reviewed: datetime.date
    body: str                 # Markdown with [[principle:..]] and [[param:..]] references


@dataclass(frozen=True)
class CaseStudySpec:
    slug: str
    title: str
    area: str
    year: int
    summary: str
    organisations: tuple[str, ...]
    themes: tuple[str, ...]
    principles: tuple[str, ...]
    sections: tuple[str, ...]
    who: str
    what_they_did: str
    what_it_led_to: str
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class ActionSpec:
    id: str
    audience: str
    stage: str
    title: str
    detail: str
    principles: tuple[str, ...]
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    seed: int
    home_title: str
    home_body: str
    pages: tuple[PageSpec, ...]
    case_studies: tuple[CaseStudySpec, ...]
    actions: tuple[ActionSpec, ...]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_corpus(pages: int, seed: int = 1) -> Corpus:
    rng = random.Random(seed)
    labels = _titles(rng, pages)
    titles = [title for title, _ in labels]
    slugs = [slugify(t) for t in titles]
    places = _places(rng, max(1, pages // PAGES_PER_CASE_STUDY))
    study_slugs = [slugify(place) + "-" + slugify(rng.choice(SERVICES)) for place in places]
    page_specs = tuple(_page(rng, index, titles, labels[index][1], slugs, study_slugs) for index in range(pages))
    studies = tuple(_case_study(rng, place, slug, slugs) for place, slug in zip(places, study_slugs))
    actions = tuple(_action(rng, index, slugs) for index in range(max(2, pages // PAGES_PER_ACTION)))
    home_body = "\n\n".join(_paragraph(rng, 3) for _ in range(2)) + "\n"
    return Corpus(seed, "Benchmark guide to social value", home_body, page_specs, studies, actions)


def _titles(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(title, shorter navigation label) of each page, all different."""
    combos = [(a, o, s) for a in ACTIVITIES for o in OBJECTS for s in SERVICES]
    rng.shuffle(combos)
    titles = []
    for index in range(count):
        activity, thing, service = combos[index % len(combos)]
        part = "" if index < len(combos) else f", part {index // len(combos) + 1}"
        titles.append((f"{activity} {thing} for {service}{part}",
                       f"{service[0].upper()}{service[1:]}: {activity.lower()}{part}"))
    return titles


def _places(rng: random.Random, count: int) -> list[str]:
    names = [s + e for s in PLACES_START for e in PLACES_END]
    rng.shuffle(names)
    return [names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")
            for i in range(count)]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.55:
        return f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(QUALIFIERS)}."
    if kind < 0.8:
        return (f"Getting {rng.choice(TERMS)} right depends on {rng.choice(THINGS)}; "
                f"{rng.choice(TERMS)} works best {rng.choice(QUALIFIERS)}.")
    return rng.choice(REASONS)


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _link(rng: random.Random, titles: list[str], slugs: list[str], own: int) -> str:
    other = rng.randrange(len(slugs))
    if other == own and len(slugs) > 1:
        other = (other + 1) % len(slugs)
    return f"[{titles[other].lower()}]({slugs[other]}.html)"


def _blocks(rng: random.Random, index: int, titles, slugs, study_slugs):
    """An endless supply of Markdown blocks for a page, in a plausible order."""
    yield (f"{_paragraph(rng, 3)} This page builds on {_link(rng, titles, slugs, index)}, "
           f"and it follows [[principle:{rng.choice(PRINCIPLE_IDS)}]].")
    headings = list(HEADINGS)
    rng.shuffle(headings)
    section = 0
    while True:
        heading = headings[section % len(headings)]
        yield f"## {heading}" + ("" if section < len(headings) else f" ({section // len(headings) + 1})")
        yield _paragraph(rng, rng.randint(3, 5))
        shape = section % 5
        if shape == 0:
            yield "\n".join(f"- {rng.choice(THINGS)} {rng.choice(QUALIFIERS)}" for _ in range(rng.randint(3, 6)))
        elif shape == 1:
            yield (f"Allow at least [[param:{PARAM}]] for a consultation, as "
                   f"[[principle:2.4]] expects. {_paragraph(rng, 2)}")
            yield "\n".join(f"{n}. {rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(THINGS)}."
                            for n in range(1, rng.randint(4, 6)))
        elif shape == 2:
            yield _table(rng)
        elif shape == 3:
            yield f"### {rng.choice(SUBHEADINGS)}"
            yield f"{_paragraph(rng, 2)} See also {_link(rng, titles, slugs, index)}."
        else:
            study = rng.choice(study_slugs)
            yield (f"{_paragraph(rng, 2)} The [case study from {study.split('-')[0].title()}]"
                   f"(case-studies/{study}.html) shows this in practice, under [[principle:"
                   f"{rng.choice(PRINCIPLE_IDS)}]].")
        section += 1


def _table(rng: random.Random) -> str:
    rows = ["| Stage | Who leads | Typical length | What to record |", "| --- | --- | --- | --- |"]
    for stage in ("Planning", "Consultation", "Procurement", "Contract", "Review")[:rng.randint(3, 5)]:
        rows.append(f"| {stage} | {rng.choice(ACTORS)} | {rng.randint(2, 16)} weeks | {rng.choice(THINGS)} |")
    return "\n".join(rows)


def _front_matter_size(title: str, nav_title: str, summary: str) -> int:
    """About what generate.py's front matter takes (YAML may quote or fold a little)."""
    return len(f"---\ntitle: {title}\nnav_title: {nav_title}\norder: 10000\nsummary: {summary}\n"
               "themes:\n- young-people\n- volunteering\nreviewed: 2026-10-10\n---\n\n")


def _page(rng: random.Random, index: int, titles, nav_title: str, slugs, study_slugs) -> PageSpec:
    title = titles[index]
    summary = _sentence(rng)
    target = rng.randint(*PAGE_BYTES) - _front_matter_size(title, nav_title, summary)
    blocks: list[str] = []
    size = 0
    for block in _blocks(rng, index, titles, slugs, study_slugs):
        if size + len(block) + 2 > target:
            break
        blocks.append(block)
        size += len(block.encode()) + 2
    while size < target:                             # top up with plain sentences
        sentence = _sentence(rng)
        blocks.append(sentence)
        size += len(sentence) + 2
    if blocks[-1].startswith("#"):                   # never end on a heading
        blocks.pop()
    return PageSpec(
        slug=slugs[index], title=title, nav_title=nav_title,
        order=(index + 1) * 10, summary=summary,
        themes=tuple(sorted(rng.sample(THEMES, 2))),
        reviewed=datetime.date(2026, rng.randint(1, 10), rng.randint(1, 28)),
        body="\n\n".join(blocks) + "\n")


def _case_study(rng: random.Random, place: str, slug: str, page_slugs: list[str]) -> CaseStudySpec:
    service = slug[len(slugify(place)) + 1:].replace("-", " ")
    return CaseStudySpec(
        slug=slug, title=f"{place}: rethinking {service}", area=place, year=rng.randint(2010, 2026),
        summary=_paragraph(rng, 2),
        organisations=(f"{place} Council", f"{place} CVS", f"{place} {rng.choice(SERVICES).title()} Trust"),
        themes=tuple(sorted(rng.sample(THEMES, 3))),
        principles=tuple(sorted(rng.sample(PRINCIPLE_IDS, 2))),
        sections=tuple(sorted(set(rng.sample(page_slugs, min(2, len(page_slugs)))))),
        who=_paragraph(rng, 3), what_they_did=_paragraph(rng, 3) + "\n\n" + _paragraph(rng, 2),
        what_it_led_to=_paragraph(rng, 3),
        outcomes=tuple(f"{rng.choice(THINGS).capitalize()} {rng.choice(QUALIFIERS)}" for _ in range(3)))


def _action(rng: random.Random, index: int, page_slugs: list[str]) -> ActionSpec:
    audience = ("commissioners", "vcs")[index % 2]
    stage = ("planning", "consultation", "procurement", "contract", "review")[index % 5]
    thing = rng.choice(THINGS)
    return ActionSpec(
        id=f"{audience}-{stage}-{index + 1}", audience=audience, stage=stage,
        title=f"Agree {thing} {rng.choice(QUALIFIERS)}", detail=_paragraph(rng, 2),
        principles=(rng.choice(PRINCIPLE_IDS),), sections=(page_slugs[rng.randrange(len(page_slugs))],))
