"""A topic excerpt page as plain data (`ExcerptDocument`) for the exports to render."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from vitrine.audiences.models import Audience
from vitrine.portal.links import page_url
from vitrine.portal.models import CorporateDesign

from . import selectors
from .document import (
    ChartSection,
    ExcerptDocument,
    FigureSection,
    ListSection,
    Section,
    TextSection,
)
from .models import TopicExcerptPage

LIST_HEADINGS = {
    "wins": lambda: _("What is going well"),
    "open_work": lambda: _("What we are still working on"),
}


def document_for(
    page: TopicExcerptPage,
    *,
    audiences: Sequence[Audience],
    request: HttpRequest | None = None,
) -> ExcerptDocument:
    """The page's content for `audiences`, formatted in the active language.

    Meanings are those for the given audiences; with no audiences, those of all the page's
    audiences, each labelled with its audience.
    """
    page_audiences = list(page.audiences.all())
    audiences = list(audiences)
    sections = [
        section
        for block in page.body
        if (section := _section(block, audiences, page_audiences)) is not None
    ]
    return ExcerptDocument(
        title=page.title,
        intro=page.intro,
        date=page.date,
        audiences=_audience_names(audiences, page_audiences),
        url=page_url(page, request),
        sections=sections,
        organisation=_organisation(page, request),
    )


def _audience_names(audiences: list[Audience], page_audiences: list[Audience]) -> list[str]:
    """Whom the document is for: the given audiences of their own (those the page is meant
    for, if any), else the page's audiences, else everyone."""
    own = [a for a in audiences if not a.is_everyone]
    if own and page_audiences:
        own = [a for a in own if a in page_audiences] or own
    shown = own or page_audiences
    if shown:
        return [a.name for a in shown]
    everyone = Audience.objects.everyone()
    return [everyone.name if everyone else _("Everyone")]


def _organisation(page: TopicExcerptPage, request: HttpRequest | None) -> str:
    site = page.get_site() if request is None else Site.find_for_request(request)
    design = CorporateDesign.for_site(site) if site else CorporateDesign()
    return design.company_name


def _section(block, audiences, page_audiences) -> Section | None:
    kind, value = block.block_type, block.value
    if kind == "figure":
        return _figure(value, audiences, page_audiences)
    if kind == "chart":
        chart = selectors.chart_for(
            value["kind"],
            list(value["series"]),
            title=value.get("title") or "",
            description=value.get("description") or "",
        )
        if chart is None:
            return None
        return ChartSection(
            title=chart.title, chart_svg=str(chart.svg), description=chart.description
        )
    if kind in LIST_HEADINGS:
        items = [item for item in value if item.strip()]
        return ListSection(kind=kind, heading=LIST_HEADINGS[kind](), items=items)
    if kind == "open_items":
        items = [
            f"{item.title} ({item.get_status_display()})" for item in block.block.items_for(value)
        ]
        heading = value.get("heading") or str(LIST_HEADINGS["open_work"]())
        return ListSection(kind="open_work", heading=heading, items=items) if items else None
    if kind == "text":
        return TextSection(
            heading=value.get("heading") or "", html=expand_db_html(value["text"].source)
        )
    return None


def _figure(value, audiences, page_audiences) -> FigureSection | None:
    figure = selectors.figure_view(
        value["series"],
        chart=value.get("chart") or "",
        block_meanings=selectors.block_meanings(value.get("meanings") or []),
        reader_audiences=audiences,
        page_audiences=page_audiences,
    )
    if figure is None:
        return None
    return FigureSection(
        title=figure.title,
        value=figure.value if figure.has_data else _("No figures imported yet."),
        date=figure.date,
        date_text=figure.date_text,
        change=figure.change,
        note=figure.note,
        meanings=figure.meanings,
        chart_svg=str(figure.chart.svg) if figure.chart else "",
    )
