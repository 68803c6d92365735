"""A topic excerpt as plain data, for the exports (PDF, PowerPoint) to render.

The page model builds an `ExcerptDocument` for one set of audiences (`document_for`); the
exports know nothing of Wagtail blocks, only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Meaning:
    """What a figure means for one audience ("Was bedeutet das für Sie?")."""

    audience: str
    text: str


@dataclass(frozen=True)
class FigureSection:
    """One figure: its current value and change, formatted for the language, with meanings."""

    title: str
    value: str  # formatted with unit, e.g. "1.234 Konten" or "12.500,00 €"
    date: date | None
    change: str  # e.g. "+12 seit 01.10.2026", empty without a previous snapshot
    meanings: list[Meaning] = field(default_factory=list)
    chart_svg: str = ""  # a complete <svg> element, empty without a chart
    note: str = ""  # why the value is no statement, e.g. "zu wenige Anfragen für eine Aussage"
    # The date of the data as the page writes it: "01.11.2026", or "Oktober 2026" for figures
    # that measure a month; empty to write `date` as a day.
    date_text: str = ""


@dataclass(frozen=True)
class ChartSection:
    title: str
    chart_svg: str  # a complete <svg> element with <title> and <desc>
    description: str = ""


@dataclass(frozen=True)
class ListSection:
    """Wins ("Was gut läuft") or open work ("Woran wir noch arbeiten")."""

    kind: str  # "wins" or "open_work"
    heading: str
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TextSection:
    heading: str
    html: str  # rich text rendered to HTML by Wagtail (safe, from editors)


Section = FigureSection | ChartSection | ListSection | TextSection


@dataclass(frozen=True)
class ExcerptDocument:
    title: str
    intro: str  # plain text
    date: date
    audiences: list[str]
    url: str  # absolute URL of the page on the portal
    sections: list[Section] = field(default_factory=list)
    organisation: str = ""  # the site's name from the corporate design settings
