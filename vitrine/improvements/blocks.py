"""OpenItemsBlock: open improvement items embedded in other pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from . import selectors
from .choices import grouped_area_choices

MAX_ITEMS_LIMIT = 20


class OpenItemsBlock(blocks.StructBlock):
    """Either chosen items, or the open items of an area and/or audience, at most N."""

    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        label=_("Heading"),
        help_text=_("Leave empty for “What we are working on”."),
    )
    items = blocks.ListBlock(
        SnippetChooserBlock("improvements.ImprovementItem"),
        required=False,
        default=[],
        label=_("Chosen items"),
        help_text=_(
            "Choose items to show them with their current status, or leave empty to show "
            "the open items of an area and audience."
        ),
    )
    area = blocks.ChoiceBlock(
        choices=[("", _("All areas"))] + grouped_area_choices(),
        required=False,
        default="",
        label=_("Process area"),
    )
    audience = SnippetChooserBlock(
        "audiences.Audience",
        required=False,
        label=_("Audience"),
        help_text=_("Only items for this audience (and for everyone). Empty: all audiences."),
    )
    max_items = blocks.IntegerBlock(
        default=5, min_value=1, max_value=MAX_ITEMS_LIMIT, label=_("Show at most")
    )

    class Meta:
        icon = "tasks"
        label = _("Open improvement items")
        template = "improvements/blocks/open_items.html"

    def clean(self, value):
        value = super().clean(value)
        chosen = [item for item in value.get("items") or [] if item is not None]
        if chosen and (value.get("area") or value.get("audience")):
            message = _(
                "Either choose items or filter by area and audience, not both: "
                "remove the chosen items or the filter."
            )
            errors = {}
            if value.get("area"):
                errors["area"] = ValidationError(message)
            if value.get("audience"):
                errors["audience"] = ValidationError(message)
            raise StructBlockValidationError(block_errors=errors)
        return value

    def items_for(self, value) -> list:
        """The items the block shows, at most `max_items`."""
        limit = max(1, min(int(value.get("max_items") or 5), MAX_ITEMS_LIMIT))
        chosen = [item.pk for item in value.get("items") or [] if item is not None]
        if chosen:
            return selectors.items_by_pk(chosen)[:limit]
        audience = value.get("audience")
        return selectors.open_items(
            audiences=[audience] if audience is not None else None,
            area=value.get("area") or None,
            limit=limit,
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        board = selectors.board_page()
        items = self.items_for(value)
        for item in items:
            item.board_url = selectors.item_url(item, board=board, request=request)
        context["open_items"] = items
        context["board_url"] = board.get_url(request=request) if board is not None else ""
        context["is_chosen"] = any(item is not None for item in value.get("items") or [])
        return context
