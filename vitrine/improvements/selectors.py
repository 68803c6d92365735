"""Reads of the improvement register: open items, recently done ones, the board."""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from vitrine.audiences.selectors import for_audiences

from .choices import OPEN_STATUSES, Status
from .models import ImprovementItem

RECENTLY_DONE_DAYS = 90

# Closest to done first: what is in progress matters most to readers.
_STATUS_RANK = {
    Status.IN_PROGRESS: 0,
    Status.PLANNED: 1,
    Status.IDEA: 2,
    Status.DONE: 3,
    Status.DECLINED: 4,
}


def _with_rank(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        status_rank=Case(
            *[When(status=status, then=Value(rank)) for status, rank in _STATUS_RANK.items()],
            default=Value(9),
            output_field=IntegerField(),
        )
    )


def _base(audiences=None, area: str | None = None) -> QuerySet:
    queryset = ImprovementItem.objects.select_related("owner").prefetch_related("audiences")
    if audiences is not None:
        queryset = for_audiences(queryset, audiences)
    if area:
        queryset = queryset.filter(area=area)
    return queryset


def open_items(*, audiences=None, area: str | None = None, limit: int | None = None):
    """Open items (idea, planned, in progress), in progress first, then by target date.

    `audiences` None means no audience filter; otherwise items meant for any of them or for
    everyone.
    """
    queryset = _with_rank(_base(audiences, area).filter(status__in=OPEN_STATUSES)).order_by(
        "status_rank", "target_date", "-updated_at", "pk"
    )
    if limit is not None:
        return list(queryset[: max(int(limit), 0)])
    return queryset


def recently_done(
    *, audiences=None, area: str | None = None, days: int = RECENTLY_DONE_DAYS, now=None
) -> QuerySet:
    """Items done within the last `days` days, newest first."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return _base(audiences, area).done_since(since).order_by("-status_changed_at", "pk")


def declined_items(*, audiences=None, area: str | None = None) -> QuerySet:
    """Declined items, newest decision first: they stay on the board with their reason."""
    return (
        _base(audiences, area).filter(status=Status.DECLINED).order_by("-status_changed_at", "pk")
    )


def board_items(*, audiences=None, area: str | None = None, status: str | None = None, now=None):
    """Everything the board can show: open, recently done and declined items."""
    since = (now or timezone.now()) - datetime.timedelta(days=RECENTLY_DONE_DAYS)
    queryset = _base(audiences, area).filter(
        Q(status__in=(*OPEN_STATUSES, Status.DECLINED))
        | Q(status=Status.DONE, status_changed_at__gte=since)
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def hidden_count(audiences, *, area: str | None = None, status: str | None = None) -> int:
    """How many board items are meant only for audiences other than `audiences`."""
    everything = board_items(area=area, status=status).count()
    return everything - board_items(audiences=audiences, area=area, status=status).count()


def items_by_pk(pks) -> list[ImprovementItem]:
    """The given items in the given order (for editor-chosen lists)."""
    found = _base().in_bulk(list(pks))
    return [found[pk] for pk in pks if pk in found]


def open_items_by_status(*, audiences=None, area: str | None = None) -> list[dict]:
    """Open items grouped as the board shows them: idea, planned, in progress."""
    items = list(open_items(audiences=audiences, area=area))
    groups = []
    for status in OPEN_STATUSES:
        groups.append(
            {
                "status": status,
                "label": Status(status).label,
                "items": [item for item in items if item.status == status],
            }
        )
    return groups


def board_page():
    """The first live improvement board, or None."""
    from .models import ImprovementBoardPage

    return ImprovementBoardPage.objects.live().public().order_by("path").first()


def item_url(item: ImprovementItem, board=None, request=None) -> str:
    """The reader-facing address of an item on the board, or "" without a board."""
    board = board if board is not None else board_page()
    if board is None:
        return ""
    base = board.get_url(request=request) or board.url
    if not base:
        return ""
    return base + board.reverse_subpage("item", args=[item.pk])


def items_for_source(source_url: str) -> QuerySet:
    """Items opened from one source (e.g. a survey results page), open ones first."""
    if not source_url:
        return ImprovementItem.objects.none()
    return _with_rank(_base().filter(source_url=source_url)).order_by(
        "status_rank", "-updated_at", "pk"
    )
