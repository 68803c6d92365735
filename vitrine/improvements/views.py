"""Reader views of the board: context builders for ImprovementBoardPage's routes."""

from __future__ import annotations

from django.http import Http404

from vitrine.audiences.models import Audience
from vitrine.audiences.selectors import audiences_for_request

from . import selectors
from .choices import Status, grouped_area_choices
from .filters import ALL_AUDIENCES, AREA_PARAM, AUDIENCE_PARAM, parse_board_filters


def _attach_urls(items, board, request) -> None:
    for item in items:
        item.board_url = selectors.item_url(item, board=board, request=request)


def board_context(board, request) -> dict:
    """Open items by status and the recently done ones, for the reader or the chosen filter."""
    filters = parse_board_filters(request.GET)
    reader_audiences = audiences_for_request(request)
    audiences = filters.audiences_for(reader_audiences)
    groups = selectors.open_items_by_status(audiences=audiences, area=filters.area)
    done = list(selectors.recently_done(audiences=audiences, area=filters.area))
    for group in groups:
        _attach_urls(group["items"], board, request)
    _attach_urls(done, board, request)
    return {
        "filters": filters,
        "status_groups": groups,
        "recently_done": done,
        "recently_done_days": selectors.RECENTLY_DONE_DAYS,
        "open_count": sum(len(group["items"]) for group in groups),
        "area_choices": grouped_area_choices(),
        "audience_choices": Audience.objects.all(),
        "reader_audiences": reader_audiences,
        "area_param": AREA_PARAM,
        "audience_param": AUDIENCE_PARAM,
        "all_audiences_value": ALL_AUDIENCES,
    }


def item_context(board, request, item_id: int) -> dict:
    """One item with its history; any item can be opened, audiences only order the board."""
    item = (
        selectors.ImprovementItem.objects.select_related("owner")
        .prefetch_related("audiences")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return {
        "item": item,
        "history": list(item.history()),
        "board_url": board.get_url(request=request),
        "status_values": Status,
    }
