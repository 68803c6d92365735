"""A topic excerpt as an A4 PDF: a title page, then the figures, charts, lists and texts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from weasyprint import HTML

from vitrine.excerpts.document import (
    ChartSection,
    ExcerptDocument,
    FigureSection,
    ListSection,
    Section,
    TextSection,
)
from vitrine.figures.charts import format_date

from .fetcher import LocalFilesFetcher, export_base_url
from .text import clean

TEMPLATE = "excerpts/export/document.html"
STYLESHEET = "excerpts/export.css"

_KINDS: dict[type, str] = {
    FigureSection: "figure",
    ChartSection: "chart",
    ListSection: "list",
    TextSection: "text",
}


@dataclass(frozen=True)
class _Item:
    """A section with what the template cannot work out itself."""

    kind: str
    section: Section
    date: str = ""


def long_date(day) -> str:
    """The title page's date as the active language writes it: de "23. November 2026"."""
    return formats.date_format(day, "DATE_FORMAT")


def _items(document: ExcerptDocument) -> list[_Item]:
    items = []
    for section in document.sections:
        kind = _KINDS.get(type(section))
        if kind is None:
            raise TypeError(f"Unknown excerpt section: {type(section).__name__}")
        day = getattr(section, "date", None)
        shown = getattr(section, "date_text", "") or (format_date(day) if day else "")
        items.append(_Item(kind, section, shown if day else ""))
    return items


def excerpt_html(document: ExcerptDocument) -> str:
    """The print HTML of the excerpt (exposed for tests and previews)."""
    html = render_to_string(
        TEMPLATE,
        {
            "document": document,
            "date": long_date(document.date),
            "items": _items(document),
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "stylesheet": f"{settings.STATIC_URL}{STYLESHEET}",
        },
    )
    return clean(html)


def excerpt_pdf(document: ExcerptDocument) -> bytes:
    """The excerpt as a PDF in the active language."""
    base_url = export_base_url(document.url)
    html = HTML(
        string=excerpt_html(document),
        base_url=base_url,
        url_fetcher=LocalFilesFetcher(base_url),
    )
    return html.write_pdf()
