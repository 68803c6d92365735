"""Read figures: series with their latest value, the latest stored sets, import runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import polars as pl
from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from .models import FigureSeries, ImportRun, Snapshot

ENTITLED = "entitled."
CONSUMED = "consumed."
LICENSE_POSITION = "license_position."


def series_with_latest() -> QuerySet[FigureSeries]:
    """Every series, annotated with `latest_value` and `latest_date` (null without snapshots)."""
    latest = Snapshot.objects.filter(series=OuterRef("pk")).order_by("-date")
    return FigureSeries.objects.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
    )


def import_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("imported_by").order_by("-started_at", "-pk")


def snapshots_for(series: FigureSeries) -> QuerySet[Snapshot]:
    """The snapshots of a series, oldest first."""
    return series.snapshots.order_by("date")


def latest_set(prefix: str, *, before: date | None = None) -> list[Snapshot]:
    """The per-product snapshots under a key prefix at their latest date (before `before`).

    A set (all entitlements, all consumption) is written together on one date, so the latest
    date gives the latest complete set; older products missing from it do not linger.
    """
    snapshots = Snapshot.objects.filter(series__key__startswith=prefix)
    if before is not None:
        snapshots = snapshots.filter(date__lt=before)
    newest = snapshots.order_by("-date").values_list("date", flat=True).first()
    if newest is None:
        return []
    return list(snapshots.filter(date=newest).select_related("series").order_by("series__key"))


def _price(value: object) -> Decimal | None:
    """A price from a stored breakdown as the decimal it was written from (JSON: a number)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return price if price.is_finite() else None


def latest_entitlements() -> pl.DataFrame | None:
    """The latest stored entitlements per product (product, entitled, unit_price, currency)."""
    snapshots = latest_set(ENTITLED)
    if not snapshots:
        return None
    return pl.DataFrame(
        [
            {
                "product": s.series.product,
                "entitled": int(s.value),
                "unit_price": _price(s.extra.get("unit_price")),
                "currency": s.extra.get("currency"),
            }
            for s in snapshots
        ],
        schema={
            "product": pl.String,
            "entitled": pl.Int64,
            "unit_price": pl.Decimal(38, 4),
            "currency": pl.String,
        },
    )


def latest_consumption() -> pl.DataFrame | None:
    """The latest stored consumption per product (product, total, used_90_days)."""
    snapshots = latest_set(CONSUMED)
    if not snapshots:
        return None
    return pl.DataFrame(
        [
            {
                "product": s.series.product,
                "total": int(s.value),
                "used_90_days": s.extra.get("used_90_days"),
            }
            for s in snapshots
        ],
        schema={"product": pl.String, "total": pl.Int64, "used_90_days": pl.Int64},
    )


def previous_positions(before: date) -> pl.DataFrame | None:
    """The license positions stored last before `before` (product, consumed)."""
    snapshots = [s for s in latest_set(LICENSE_POSITION, before=before) if s.series.product]
    if not snapshots:
        return None
    return pl.DataFrame(
        [{"product": s.series.product, "consumed": s.extra.get("consumed")} for s in snapshots],
        schema={"product": pl.String, "consumed": pl.Int64},
    )


DEFAULT_MIN_SAMPLE = 10


def min_sample() -> int:
    """Fewest requests a median, a percentile or a share of requests is stated from."""
    return int(getattr(settings, "VITRINE_MIN_SAMPLE", DEFAULT_MIN_SAMPLE))


def sample_size(snapshot: Snapshot) -> int | None:
    """How many requests a snapshot was measured on; None for figures that are not samples."""
    requests = (snapshot.extra or {}).get("requests")
    if isinstance(requests, bool) or not isinstance(requests, int | float):
        return None
    return int(requests)


def too_few(snapshot: Snapshot) -> bool:
    """True for a figure measured on fewer requests than a statement needs."""
    size = sample_size(snapshot)
    return size is not None and size < min_sample()


@dataclass(frozen=True)
class LeadTime:
    """The latest measured lead time of one stage: median and 90th percentile in days, the
    month the requests ended in, and how many requests were measured."""

    median_days: Decimal
    p90_days: Decimal | None
    month: date
    requests: int | None

    @property
    def too_few(self) -> bool:
        """Measured on fewer requests than a median or a percentile can be stated from."""
        return self.requests is not None and self.requests < min_sample()


LEAD_TIME_STAGES = {
    # lifecycle stage key -> lead time series stage
    "approval": "request_to_approval",
    "procurement": "approval_to_order",
    "provisioning": "order_to_provision",
    "end_to_end": "end_to_end",
}


def stage_lead_times() -> dict[str, LeadTime]:
    """The latest lead time per lifecycle stage key (and "end_to_end"), for stages measured."""
    wanted = {f"lead_time.{series}": stage for stage, series in LEAD_TIME_STAGES.items()}
    latest: dict[str, LeadTime] = {}
    snapshots = (
        Snapshot.objects.filter(series__key__in=wanted)
        .select_related("series")
        .order_by("series__key", "-date")
    )
    for snapshot in snapshots:
        stage = wanted[snapshot.series.key]
        if stage in latest:
            continue
        p90 = snapshot.extra.get("p90_days")
        latest[stage] = LeadTime(
            median_days=snapshot.value,
            p90_days=Decimal(str(p90)) if p90 is not None else None,
            month=snapshot.date,
            requests=sample_size(snapshot),
        )
    return latest


def latest_snapshot(key: str) -> Snapshot | None:
    return Snapshot.objects.filter(series__key=key).order_by("-date").first()
