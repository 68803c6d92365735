"""Reader views of the board: context builders for ImprovementBoardPage's routes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404

from vitrine.audiences.models import Audience
from vitrine.audiences.selectors import audiences_for_request

from . import selectors
from .choices import Status, grouped_area_choices
from .filters import ALL_AUDIENCES, AREA_PARAM, AUDIENCE_PARAM, STATUS_PARAM, parse_board_filters


def _attach_urls(items, board, request) -> None:
    for item in items:
        item.board_url = selectors.item_url(item, board=board, request=request)


def board_context(board, request) -> dict:
    """Open items by status, the recently done and the declined ones, for the reader or the
    chosen filter; items hidden by the audience filter are counted, never named."""
    filters = parse_board_filters(request.GET)
    reader_audiences = audiences_for_request(request)
    audiences = filters.audiences_for(reader_audiences)
    groups = [
        group
        for group in selectors.open_items_by_status(audiences=audiences, area=filters.area)
        if filters.shows(group["status"])
    ]
    done = declined = []
    if filters.shows(Status.DONE):
        done = list(selectors.recently_done(audiences=audiences, area=filters.area))
    if filters.shows(Status.DECLINED):
        declined = list(selectors.declined_items(audiences=audiences, area=filters.area))
    for items in [group["items"] for group in groups] + [done, declined]:
        _attach_urls(items, board, request)
    hidden = 0
    if audiences is not None:
        hidden = selectors.hidden_count(audiences, area=filters.area, status=filters.status)
    return {
        "filters": filters,
        "status_groups": groups,
        "show_done": filters.shows(Status.DONE),
        "recently_done": done,
        "recently_done_days": selectors.RECENTLY_DONE_DAYS,
        "show_declined": filters.shows(Status.DECLINED),
        "declined": declined,
        "open_count": sum(len(group["items"]) for group in groups),
        "hidden_count": hidden,
        "all_audiences_query": _all_audiences_query(filters),
        "area_choices": grouped_area_choices(),
        "status_choices": Status.choices,
        "audience_choices": Audience.objects.all(),
        "reader_audiences": reader_audiences,
        "area_param": AREA_PARAM,
        "status_param": STATUS_PARAM,
        "audience_param": AUDIENCE_PARAM,
        "all_audiences_value": ALL_AUDIENCES,
    }


def _all_audiences_query(filters) -> str:
    """The query string of the same selection for all audiences."""
    params = {AUDIENCE_PARAM: ALL_AUDIENCES, AREA_PARAM: filters.area, STATUS_PARAM: filters.status}
    return urlencode({key: value for key, value in params.items() if value})


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
