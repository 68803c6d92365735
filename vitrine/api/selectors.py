"""Reads of the API: series with their latest value, a series with its meanings, snapshots
and import runs, each narrowed by the API's filters."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from vitrine.figures import selectors as figures
from vitrine.figures.models import FigureSeries, ImportRun, SeriesMeaning, Snapshot


def series_list(*, topic: str | None = None, product: str | None = None) -> QuerySet:
    series = figures.series_with_latest().order_by("topic", "key")
    if topic:
        series = series.filter(topic=topic)
    if product is not None:
        series = series.filter(product__iexact=product.strip())
    return series


def series_get(key: str) -> FigureSeries | None:
    """A series with its latest value, audiences and meanings; None if there is none."""
    return (
        figures.series_with_latest()
        .prefetch_related(
            "audiences",
            Prefetch(
                "meanings",
                queryset=SeriesMeaning.objects.select_related("audience").order_by(
                    "sort_order", "pk"
                ),
            ),
        )
        .filter(key=key)
        .first()
    )


def series_snapshots(
    series: FigureSeries, *, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[Snapshot]:
    snapshots = figures.snapshots_for(series).order_by("date")
    if date_from is not None:
        snapshots = snapshots.filter(date__gte=date_from)
    if date_to is not None:
        snapshots = snapshots.filter(date__lte=date_to)
    return snapshots


def import_runs(*, status: str | None = None, format: str | None = None) -> QuerySet[ImportRun]:
    runs = figures.import_runs()
    if status:
        runs = runs.filter(status=status)
    if format:
        runs = runs.filter(format=format)
    return runs


def import_run_get(pk: int) -> ImportRun | None:
    return figures.import_runs().filter(pk=pk).first()
