"""The blocks of a topic excerpt: figure, chart, wins, open work and text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from vitrine.audiences.selectors import audiences_for_request
from vitrine.improvements.blocks import OpenItemsBlock

from . import selectors

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]
ITEM_MAX_LENGTH = 300

FIGURE_CHARTS = [
    ("", _("No chart")),
    (selectors.LINE, _("Development over time")),
    (selectors.BREAKDOWN, _("Inactivity buckets (cloud accounts of one product)")),
]
CHART_KINDS = [
    (selectors.LINE, _("Line: one series over time")),
    (selectors.BAR, _("Bars: the latest values of several series compared")),
    (selectors.STACKED, _("Stacked bars: cloud accounts by inactivity")),
]


class MeaningBlock(blocks.StructBlock):
    """What the figure means for the readers of one audience."""

    audience = SnippetChooserBlock("audiences.Audience", label=_("Audience"))
    text = blocks.TextBlock(label=_("What it means for them"), max_length=1000)

    class Meta:
        icon = "group"
        label = _("Meaning for an audience")


class MeaningListBlock(blocks.ListBlock):
    """Meanings, at most one per audience."""

    def clean(self, value):
        value = super().clean(value)
        seen: set[int] = set()
        errors = {}
        for index, meaning in enumerate(value):
            audience = meaning["audience"]
            if audience is None:
                continue
            if audience.pk in seen:
                errors[index] = ValidationError(
                    _("“%(audience)s” has a meaning already; write one meaning per audience.")
                    % {"audience": audience.name}
                )
            seen.add(audience.pk)
        if errors:
            raise ListBlockValidationError(block_errors=errors)
        return value


class FigureBlock(blocks.StructBlock):
    """One series: its current value, its change, and what it means for the reader."""

    series = SnippetChooserBlock("figures.FigureSeries", label=_("Figure series"))
    chart = blocks.ChoiceBlock(
        choices=FIGURE_CHARTS,
        required=False,
        default="",
        label=_("Chart"),
        help_text=_("Optionally show a chart below the value."),
    )
    meanings = MeaningListBlock(
        MeaningBlock(),
        label=_("What does this mean for you?"),
        help_text=_(
            "One text per audience of the page. Without a text for the reader's audience, "
            "the meaning stored with the series is shown, else its description."
        ),
    )

    class Meta:
        icon = "table"
        label = _("Figure")
        template = "excerpts/blocks/figure.html"

    def clean(self, value):
        value = super().clean(value)
        series = value.get("series")
        if value.get("chart") == selectors.BREAKDOWN and not selectors.has_buckets(series):
            raise StructBlockValidationError(
                block_errors={
                    "chart": ValidationError(
                        _(
                            "Inactivity buckets exist only for the cloud inactivity series of "
                            "one product (“cloud_inactivity.<product>”). Choose another chart "
                            "or another series."
                        )
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["figure"] = selectors.figure_view(
            value["series"],
            chart=value.get("chart") or "",
            block_meanings=selectors.block_meanings(value.get("meanings") or []),
            reader_audiences=_reader_audiences(parent_context),
            page_audiences=_page_audiences(parent_context),
        )
        return context


class ChartBlock(blocks.StructBlock):
    """A chart of one or more series."""

    kind = blocks.ChoiceBlock(choices=CHART_KINDS, default=selectors.LINE, label=_("Kind"))
    series = blocks.ListBlock(
        SnippetChooserBlock("figures.FigureSeries"), min_num=1, label=_("Figure series")
    )
    title = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Title"),
        help_text=_("Leave empty to use the series' title."),
    )
    description = blocks.TextBlock(
        required=False,
        max_length=500,
        label=_("Description"),
        help_text=_("What the chart shows, in a sentence; also read out by screen readers."),
    )

    class Meta:
        icon = "view"
        label = _("Chart")
        template = "excerpts/blocks/chart.html"

    def clean(self, value):
        value = super().clean(value)
        problem = selectors.chart_problem(value["kind"], [s for s in value["series"] if s])
        if problem:
            raise StructBlockValidationError(block_errors={"series": ValidationError(problem)})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["chart"] = selectors.chart_for(
            value["kind"],
            [s for s in value["series"] if s is not None],
            title=value.get("title") or "",
            description=value.get("description") or "",
        )
        return context


class ItemListBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(max_length=ITEM_MAX_LENGTH), min_num=1, **kwargs)


class TextSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=160, label=_("Heading"))
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))

    class Meta:
        icon = "doc-full"
        label = _("Text")
        template = "excerpts/blocks/text.html"


class ExcerptStreamBlock(blocks.StreamBlock):
    figure = FigureBlock()
    chart = ChartBlock()
    wins = ItemListBlock(
        label=_("What is going well"),
        icon="success",
        template="excerpts/blocks/wins.html",
    )
    open_work = ItemListBlock(
        label=_("What we are still working on"),
        icon="tasks",
        template="excerpts/blocks/open_work.html",
    )
    text = TextSectionBlock()
    open_items = OpenItemsBlock()


def _reader_audiences(parent_context) -> list:
    """The reader's audiences; none without a request (a search index, a plain render)."""
    request = (parent_context or {}).get("request")
    if request is None:
        return []
    return audiences_for_request(request)


def _page_audiences(parent_context) -> list:
    page = (parent_context or {}).get("page")
    if page is None or not hasattr(page, "audiences"):
        return []
    return list(page.audiences.all())
