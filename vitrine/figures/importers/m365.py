"""Microsoft 365 active user detail report: cloud accounts per product and their last activity.

Nothing naming a person leaves this importer. User principal names (or the opaque hashes that
tenants concealing user names put in their place) are replaced by a 64-bit hash salted afresh
for every import, good only for counting accounts within that import; display names are
dropped unread. `m365_inactivity` returns counts per product only.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl
from django.utils.translation import gettext as _

from .base import Column, Format, normalise_header
from .consumption import salted_hash

_ACTIVITY = re.compile(r"^(.+) last activity date$")
_ASSIGN = re.compile(r"^(.+) license assign date$")
_HAS = re.compile(r"^has (.+) license$")

BUCKETS = ("days_0_30", "days_31_60", "days_61_90", "days_over_90", "never_active")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


class M365ActiveUsers(Format):
    key = "m365"
    us_dates = True
    columns = (
        Column("report_refresh_date", ("Report Refresh Date",), "date", not_empty=True),
        Column("account", ("User Principal Name",), not_empty=True),
        Column("display_name", ("Display Name",), required=False),
        Column("is_deleted", ("Is Deleted",), "boolean", required=False),
        Column("deleted_date", ("Deleted Date",), "date", required=False),
        Column("assigned_products", ("Assigned Products",)),
    )

    @property
    def label(self) -> str:
        return _("Microsoft 365 active user detail report")

    def extra_columns(self, header: list[str]) -> dict[str, Column]:
        extra = {}
        for cell in header:
            name = normalise_header(cell)
            if match := _ACTIVITY.match(name):
                extra[cell] = Column(f"activity__{_slug(match[1])}", (cell,), "date")
            elif match := _ASSIGN.match(name):
                extra[cell] = Column(f"assigned__{_slug(match[1])}", (cell,), "date")
            elif match := _HAS.match(name):
                extra[cell] = Column(f"has__{_slug(match[1])}", (cell,), "boolean")
        return extra

    def finish(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, date | None]:
        activity = [name for name in frame.columns if name.startswith("activity__")]
        last_activity = (
            pl.max_horizontal(*activity) if activity else pl.lit(None, dtype=pl.Date)
        ).alias("last_activity")
        products = (
            pl.col("assigned_products")
            .fill_null("")
            .str.split("+")
            .list.eval(pl.element().str.strip_chars().filter(pl.element() != ""))
            .alias("products")
        )
        normalised = frame.select(
            salted_hash("account").alias("account"),
            pl.col("is_deleted").fill_null(False),
            "deleted_date",
            last_activity,
            products,
            "report_refresh_date",
        )
        figure_date = frame["report_refresh_date"].max()
        return normalised, figure_date  # type: ignore[return-value]


def m365_inactivity(frame: pl.DataFrame) -> pl.DataFrame:
    """Per assigned product: accounts by days since last activity, relative to the refresh date.

    Deleted accounts are left out. Columns: product, accounts, days_0_30, days_31_60,
    days_61_90, days_over_90, never_active.
    """
    days = (pl.col("report_refresh_date") - pl.col("last_activity")).dt.total_days()
    bucket = (
        pl.when(pl.col("last_activity").is_null())
        .then(pl.lit("never_active"))
        .when(days <= 30)
        .then(pl.lit("days_0_30"))
        .when(days <= 60)
        .then(pl.lit("days_31_60"))
        .when(days <= 90)
        .then(pl.lit("days_61_90"))
        .otherwise(pl.lit("days_over_90"))
    )
    per_account = (
        frame.lazy()
        .filter(~pl.col("is_deleted"))
        .select("account", bucket.alias("bucket"), pl.col("products").alias("product"))
        .explode("product")
        .filter(pl.col("product").is_not_null())
        .unique(["account", "product"])
    )
    counts = per_account.group_by("product").agg(
        accounts=pl.len().cast(pl.Int64),
        **{name: (pl.col("bucket") == name).sum().cast(pl.Int64) for name in BUCKETS},
    )
    return counts.sort("product").collect()
