"""Microsoft 365 usage reports: cloud accounts per product and their last activity.

The active user detail report has a last activity date per workload ("Exchange Last Activity
Date", …); the activity user detail reports of one workload (email, Teams, OneDrive) have a
single "Last Activity Date" and the workload's own counts.

Nothing naming a person leaves this importer. User principal names (or the opaque hashes that
tenants concealing user names put in their place) are replaced by a 64-bit hash salted afresh
for every import, good only for counting accounts within that import; display names are
dropped unread. `m365_inactivity` returns counts per product only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl
from django.utils.translation import gettext as _

from .base import Column, Format, ImportFrame, add_up, normalise_header
from .consumption import salted_hash

_ACTIVITY = re.compile(r"^(.+) last activity date$")

Thresholds = tuple[int, int, int]
DEFAULT_THRESHOLDS: Thresholds = (30, 60, 90)
THRESHOLDS = ("threshold_1", "threshold_2", "threshold_3")
# The counts per product; the buckets after `accounts` in the order a stacked bar shows them.
COUNTS = (
    "accounts",
    "within_first",
    "within_second",
    "within_third",
    "over_third",
    "never_active",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


class M365ActiveUsers(Format):
    key = "m365"
    counted = "account"
    us_dates = True
    columns = (
        Column("report_refresh_date", ("Report Refresh Date",), "date", not_empty=True),
        Column("account", ("User Principal Name",), not_empty=True, personal=True),
        Column("display_name", ("Display Name",), required=False, personal=True),
        Column("is_deleted", ("Is Deleted",), "boolean", required=False),
        Column("deleted_date", ("Deleted Date",), "date", required=False),
        Column("assigned_products", ("Assigned Products",)),
    )

    @property
    def label(self) -> str:
        return _("Microsoft 365 active user detail report")

    def extra_columns(self, header: list[str]) -> dict[str, Column]:
        # Only the workloads' last activity feeds a figure. The licence assign dates and the
        # "Has … License" flags are read by nothing, so they are neither parsed nor checked,
        # like any other column the format does not know: parsing them took most of the time
        # of a large import.
        extra = {}
        for cell in header:
            if match := _ACTIVITY.match(normalise_header(cell)):
                extra[cell] = Column(f"activity__{_slug(match[1])}", (cell,), "date")
        return extra

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return _accounts(frame, _last_activity(frame), _products())

    def counted_rows(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return _accounts(frame, _last_activity(frame), pl.col("assigned_products"))

    def unfit(self, columns: dict[str, str]) -> str | None:
        # Without a single "… Last Activity Date" every account would count as never active.
        if any(key.startswith("activity__") for key in columns):
            return None
        return _("no column of a workload's last activity, such as %(columns)s") % {
            "columns": ", ".join(f"“{name}”" for name in _WORKLOAD_ACTIVITY)
        }

    def figure_date(self) -> pl.Expr:
        return pl.col("report_refresh_date").max()

    def digest(self, frame: pl.LazyFrame, *, part: int, passes: int) -> pl.LazyFrame:
        return activity_days(frame, part=part, passes=passes)


# The workloads of the active user detail report, as its header names their activity.
_WORKLOAD_ACTIVITY = (
    "Exchange Last Activity Date",
    "OneDrive Last Activity Date",
    "SharePoint Last Activity Date",
    "Teams Last Activity Date",
)


class M365WorkloadActivity(Format):
    """The activity user detail report of one workload (Graph's get…ActivityUserDetail).

    One row per account with a single "Last Activity Date" (empty: no activity in the
    report's history) and the workload's own counts, which tell the reports apart. Display
    names, user ids and the tenant's name are never read; user principal names are hashed.
    No prices: these reports know no licence prices, so they yield no cost.
    """

    counted = "account"
    us_dates = True
    workload = ""
    # The counts only this workload's report has: required, so that the reports differ.
    workload_columns: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[Column, ...]:  # type: ignore[override]
        return (
            Column("report_refresh_date", ("Report Refresh Date",), "date", not_empty=True),
            Column("account", ("User Principal Name",), not_empty=True, personal=True),
            Column("display_name", ("Display Name",), required=False, personal=True),
            Column("is_deleted", ("Is Deleted",), "boolean", required=False),
            Column("deleted_date", ("Deleted Date",), "date", required=False),
            Column("last_activity", ("Last Activity Date",), "date"),
            Column("assigned_products", ("Assigned Products",)),
            *(
                Column(f"count__{_slug(normalise_header(name))}", (name,))
                for name in self.workload_columns
            ),
        )

    @property
    def workload_label(self) -> str:
        return self.workload

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return _accounts(frame, pl.col("last_activity"), _products())

    def counted_rows(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return _accounts(frame, pl.col("last_activity"), pl.col("assigned_products"))

    def figure_date(self) -> pl.Expr:
        return pl.col("report_refresh_date").max()

    def digest(self, frame: pl.LazyFrame, *, part: int, passes: int) -> pl.LazyFrame:
        return activity_days(frame, part=part, passes=passes)


class M365EmailActivity(M365WorkloadActivity):
    key = "m365_email"
    workload = "email"
    workload_columns = ("Send Count", "Receive Count", "Read Count")

    @property
    def label(self) -> str:
        return _("Microsoft 365 email activity user detail report")

    @property
    def workload_label(self) -> str:
        return _("email")


class M365TeamsActivity(M365WorkloadActivity):
    key = "m365_teams"
    workload = "teams"
    workload_columns = (
        "Team Chat Message Count",
        "Private Chat Message Count",
        "Call Count",
        "Meeting Count",
    )

    @property
    def label(self) -> str:
        return _("Microsoft Teams user activity user detail report")

    @property
    def workload_label(self) -> str:
        return _("Teams")


class M365OneDriveActivity(M365WorkloadActivity):
    key = "m365_onedrive"
    workload = "onedrive"
    workload_columns = (
        "Viewed Or Edited File Count",
        "Synced File Count",
        "Shared Internally File Count",
        "Shared Externally File Count",
    )

    @property
    def label(self) -> str:
        return _("OneDrive activity user detail report")

    @property
    def workload_label(self) -> str:
        return _("OneDrive")


WORKLOADS: tuple[M365WorkloadActivity, ...] = (
    M365EmailActivity(),
    M365TeamsActivity(),
    M365OneDriveActivity(),
)


def _last_activity(frame: pl.LazyFrame) -> pl.Expr:
    activity = [name for name in frame.collect_schema() if name.startswith("activity__")]
    return pl.max_horizontal(*activity) if activity else pl.lit(None, dtype=pl.Date)


def _accounts(frame: pl.LazyFrame, last_activity: pl.Expr, products: pl.Expr) -> pl.LazyFrame:
    """One row per row of the report, naming no one: the account as a salted hash."""
    return frame.select(
        salted_hash("account").alias("account"),
        pl.col("is_deleted").fill_null(False),
        "deleted_date",
        last_activity.alias("last_activity"),
        products,
        "report_refresh_date",
    )


def _products(text: pl.Expr | None = None) -> pl.Expr:
    """The products a cell of "Assigned Products" lists: split at "+", blanks left out."""
    return (
        (pl.col("assigned_products") if text is None else text)
        .fill_null("")
        .str.split("+")
        .list.eval(pl.element().str.strip_chars().filter(pl.element() != ""))
        .alias("products")
    )


def threshold_key(product: str) -> str:
    """How a product name is matched with its thresholds: case and blanks do not count."""
    return " ".join(product.split()).casefold()


_LISTED = "__listed"
_REPEATED = "__repeated"


def activity_days(frame: pl.LazyFrame, *, part: int = 0, passes: int = 1) -> pl.LazyFrame:
    """Accounts per product and days since their latest activity (null: never active).

    Deleted accounts are left out; an account listed more than once counts once per product,
    with its latest activity. Only the accounts of share `part` of `passes` are counted.
    `frame` has the products as a list ("products", as `finish` gives them) or as the text
    of the report ("assigned_products", as `counted_rows` gives them).

    A report lists few distinct product lists for many accounts, so the accounts listed once
    are counted per product list and days, and each distinct list is split into its products
    once; only accounts listed more than once are counted account by account.
    """
    days = (pl.col("report_refresh_date") - pl.col("last_activity")).dt.total_days()
    if "products" in frame.collect_schema().names():
        listed, products = pl.col("products"), pl.col(_LISTED)
    else:
        listed, products = pl.col("assigned_products"), _products(pl.col(_LISTED))
    accounts = frame.filter(~pl.col("is_deleted"))
    if passes > 1:
        accounts = accounts.filter(pl.col("account") % passes == part)
    # Whether an account is listed more than once, worked out once for both branches (as an
    # expression in each, it was worked out twice).
    rows = accounts.select(
        "account",
        days.alias("days"),
        listed.alias(_LISTED),
        pl.col("account").is_duplicated().alias(_REPEATED),
    )
    repeated = pl.col(_REPEATED)
    once = (
        rows.filter(~repeated)
        .group_by(_LISTED, "days")
        .agg(accounts=pl.len().cast(pl.Int64))
        .select("days", "accounts", products.list.unique().alias("product"))
        .explode("product")
        .filter(pl.col("product").is_not_null())
        .select("product", "days", "accounts")
    )
    more_than_once = (
        rows.filter(repeated)
        .select("account", "days", products.alias("product"))
        .explode("product")
        .filter(pl.col("product").is_not_null())
        .group_by("account", "product")
        .agg(pl.col("days").min())
        .group_by("product", "days")
        .agg(accounts=pl.len().cast(pl.Int64))
    )
    return (
        pl.concat([once, more_than_once]).group_by("product", "days").agg(pl.col("accounts").sum())
    )


def m365_inactivity(
    frame: ImportFrame | pl.DataFrame | pl.LazyFrame,
    thresholds: Mapping[str, Thresholds] | None = None,
    *,
    passes: int = 1,
) -> pl.DataFrame:
    """Per assigned product: accounts by days since last activity, relative to the refresh date.

    `thresholds` maps a lower-case product name to its three thresholds in days (t1, t2, t3);
    products not in it use 30 / 60 / 90. Deleted accounts are left out; an account listed more
    than once counts once, with its latest activity. Columns: product, accounts, within_first
    (at most t1 days), within_second (t1 < days ≤ t2), within_third (t2 < days ≤ t3),
    over_third (more than t3 days), never_active, threshold_1, threshold_2, threshold_3.

    An ImportFrame brings its digest, counted while the file was checked; a frame is counted
    with the streaming engine in `passes` passes over disjoint shares of the accounts.
    """
    if isinstance(frame, ImportFrame):
        if frame.digest is None:
            raise ValueError(
                f"A {frame.format} import has no digest; only Microsoft 365"
                " imports carry activity days."
            )
        per_day = frame.digest
    else:
        per_day = add_up(
            [
                activity_days(frame.lazy(), part=part, passes=passes).collect(engine="streaming")
                for part in range(passes)
            ]
        )
    return _buckets(per_day, thresholds or {})


def _buckets(per_day: pl.DataFrame, thresholds: Mapping[str, Thresholds]) -> pl.DataFrame:
    limits = {threshold_key(name): tuple(values) for name, values in thresholds.items()}
    products = per_day["product"].unique().to_list()
    table = pl.DataFrame(
        [(p, *limits.get(threshold_key(p), DEFAULT_THRESHOLDS)) for p in products],
        schema={"product": pl.String} | dict.fromkeys(THRESHOLDS, pl.Int64),
        orient="row",
    )
    counted = per_day.join(table, on="product", how="left")
    days, count = pl.col("days"), pl.col("accounts")
    return (
        counted.group_by("product")
        .agg(
            accounts=count.sum(),
            within_first=count.filter(days <= pl.col("threshold_1")).sum(),
            within_second=count.filter(
                (days > pl.col("threshold_1")) & (days <= pl.col("threshold_2"))
            ).sum(),
            within_third=count.filter(
                (days > pl.col("threshold_2")) & (days <= pl.col("threshold_3"))
            ).sum(),
            over_third=count.filter(days > pl.col("threshold_3")).sum(),
            never_active=count.filter(days.is_null()).sum(),
            threshold_1=pl.col("threshold_1").first(),
            threshold_2=pl.col("threshold_2").first(),
            threshold_3=pl.col("threshold_3").first(),
        )
        .select(
            "product",
            *(pl.col(name).cast(pl.Int64) for name in COUNTS),
            *THRESHOLDS,
        )
        .sort("product")
    )
