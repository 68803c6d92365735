"""Endpoints for figure series and their snapshots."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from vitrine.figures.models import FigureSeries

from . import selectors, services
from .auth import require_permission
from .pagination import Pages
from .schemas import (
    Message,
    SeriesDetail,
    SeriesFilter,
    SeriesIn,
    SeriesOut,
    SnapshotFilter,
    SnapshotIn,
    SnapshotOut,
    is_series_key,
)

ADD_SERIES = "figures.add_figureseries"
ADD_SNAPSHOT = "figures.add_snapshot"

router = Router(tags=["series"])


def _series(key: str) -> FigureSeries:
    series = selectors.series_get(key) if is_series_key(key) else None
    if series is None:
        raise HttpError(404, _("There is no series with the key “%(key)s”.") % {"key": key[:200]})
    return series


@router.get("/series", response=list[SeriesOut], summary="List figure series")
@paginate(Pages)
def series_list(request: HttpRequest, filters: Query[SeriesFilter]):
    """Every series with its latest value and date, by topic and key; filter by topic and
    product (exact, any case; an empty product gives the totals)."""
    return selectors.series_list(topic=filters.topic, product=filters.product)


@router.post(
    "/series",
    response={201: SeriesDetail, 403: Message, 409: Message},
    summary="Create a figure series",
)
def series_create(request: HttpRequest, payload: SeriesIn):
    """Create a series for snapshots posted directly. Needs the permission to add figure
    series (`figures.add_figureseries`)."""
    require_permission(request, ADD_SERIES, _("Your account may not create figure series."))
    try:
        series = services.series_create(**payload.dict())
    except services.SeriesExists:
        raise HttpError(
            409, _("A series with the key “%(key)s” exists already.") % {"key": payload.key}
        ) from None
    return Status(201, _series(series.key))


@router.get(
    "/series/{key}", response={200: SeriesDetail, 404: Message}, summary="Read a figure series"
)
def series_detail(request: HttpRequest, key: str):
    """A series with its latest value, its audiences and what it means for each of them."""
    return _series(key)


@router.get(
    "/series/{key}/snapshots",
    response=list[SnapshotOut],
    summary="List the snapshots of a series",
)
@paginate(Pages)
def snapshot_list(request: HttpRequest, key: str, filters: Query[SnapshotFilter]):
    """The dated values of a series, oldest first, between `date_from` and `date_to`."""
    return selectors.series_snapshots(
        _series(key), date_from=filters.date_from, date_to=filters.date_to
    )


@router.post(
    "/series/{key}/snapshots",
    response={200: SnapshotOut, 201: SnapshotOut, 403: Message, 404: Message},
    summary="Post a snapshot",
)
def snapshot_post(request: HttpRequest, key: str, payload: SnapshotIn):
    """Create the snapshot of a date (201) or replace the one there (200). Needs the
    permission to add snapshots (`figures.add_snapshot`)."""
    require_permission(request, ADD_SNAPSHOT, _("Your account may not post snapshots."))
    series = _series(key)
    snapshot, created = services.snapshot_put(
        series=series, date=payload.date, value=payload.value, extra=payload.extra
    )
    return Status(201 if created else 200, snapshot)
