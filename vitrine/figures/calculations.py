"""Pure figure calculations on the normalised polars frames the importers return."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from .importers.m365 import COUNTS, THRESHOLDS

USED_WITHIN_DAYS = 90
STAGES: tuple[tuple[str, str, str], ...] = (
    # (stage key, start column, end column)
    ("request_to_approval", "requested_at", "approved_at"),
    ("approval_to_order", "approved_at", "ordered_at"),
    ("order_to_provision", "ordered_at", "provisioned_at"),
    ("end_to_end", "requested_at", "provisioned_at"),
)
UNDER_LICENSED = "under_licensed"
BALANCED = "balanced"
OVER_LICENSED = "over_licensed"

# Money is exact: prices, products with seat counts and their sums are decimals, rounded to
# cents (half away from zero) where a figure is made; never binary floats.
_MONEY = pl.Decimal(38, 4)


def cents(amount: pl.Expr) -> pl.Expr:
    """A decimal amount rounded to cents, half away from zero (2.675 → 2.68, −0.125 → −0.13).

    Polars rounds decimals half to even; commercial rounding is done on whole cents here.
    """
    scaled = amount.cast(_MONEY) * 100
    whole = scaled.cast(pl.Int64)  # toward zero
    away = (scaled - whole.cast(_MONEY)).abs() >= pl.lit(0.5).cast(_MONEY)
    rounded = pl.when(away).then(whole + amount.sign().cast(pl.Int64)).otherwise(whole)
    return rounded.cast(_MONEY) / 100


def product_key(column: str = "product") -> pl.Expr:
    """How product names from different files are matched: case and blanks do not count."""
    return (pl.col(column).str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()).alias(
        "product_key"
    )


def entitlements_per_product(frame: pl.DataFrame) -> pl.DataFrame:
    """Per product: seats entitled, the quantity-weighted unit price and the currency.

    Accepts the entitlements and the Snipe-IT frame (whose `purchase_cost` is the seat price).
    Columns: product, entitled, unit_price (null when no row has a price), currency.
    """
    price = "unit_price" if "unit_price" in frame.columns else "purchase_cost"
    priced = pl.col(price).is_not_null()
    weighted = (pl.col("quantity") * pl.col(price).cast(_MONEY)).filter(priced).sum()
    priced_quantity = pl.col("quantity").filter(priced).sum()
    return (
        frame.group_by(product_key())
        .agg(
            product=pl.col("product").first(),
            entitled=pl.col("quantity").sum().cast(pl.Int64),
            # A null divisor, not a zero: a decimal division by zero fails even where unused.
            unit_price=cents(weighted / pl.when(priced_quantity > 0).then(priced_quantity)),
            currency=pl.col("currency").drop_nulls().first(),
        )
        .drop("product_key")
        .sort("product")
    )


def license_position(entitlements: pl.DataFrame, consumption: pl.DataFrame) -> pl.DataFrame:
    """Effective license position per product: entitled seats minus consumed seats.

    `entitlements`: product, entitled, unit_price, currency (see `entitlements_per_product`).
    `consumption`: product, total, used_90_days (see `importers.consumption_per_product`).
    A product missing on one side counts zero there. Columns: product, entitled, consumed,
    used_90_days, position, status, unit_price, currency, true_up_cost (shortfall × price)
    and unused_cost (surplus × price); both costs are null where no price is known.
    """
    left = entitlements.with_columns(product_key())
    right = consumption.select(
        product_key(), pl.col("product").alias("consumed_product"), "total", "used_90_days"
    )
    joined = left.join(right, on="product_key", how="full", coalesce=True)
    position = pl.col("entitled") - pl.col("consumed")
    price = pl.col("unit_price").cast(_MONEY)
    return (
        joined.select(
            pl.coalesce("product", "consumed_product").alias("product"),
            pl.col("entitled").fill_null(0).cast(pl.Int64),
            pl.col("total").fill_null(0).cast(pl.Int64).alias("consumed"),
            pl.col("used_90_days").cast(pl.Int64),
            pl.col("unit_price").cast(_MONEY),
            "currency",
        )
        .with_columns(position=position)
        .with_columns(
            status=pl.when(pl.col("position") < 0)
            .then(pl.lit(UNDER_LICENSED))
            .when(pl.col("position") == 0)
            .then(pl.lit(BALANCED))
            .otherwise(pl.lit(OVER_LICENSED)),
            true_up_cost=cents((-pl.col("position")).clip(lower_bound=0) * price),
            unused_cost=cents(pl.col("position").clip(lower_bound=0) * price),
        )
        .select(
            "product",
            "entitled",
            "consumed",
            "used_90_days",
            "position",
            "status",
            "unit_price",
            "currency",
            "true_up_cost",
            "unused_cost",
        )
        .sort("product")
    )


def utilisation(position: pl.DataFrame) -> pl.DataFrame:
    """Per product with entitlements and known usage: share used within 90 days, and shelfware.

    `position` is the frame of `license_position`. Columns: product, entitled, used_90_days,
    utilisation (percent of entitled seats used, 1 decimal), shelfware (entitled seats not used
    within 90 days) and shelfware_cost (shelfware × unit price, null without a price).
    """
    return (
        position.filter((pl.col("entitled") > 0) & pl.col("used_90_days").is_not_null())
        .with_columns(shelfware=(pl.col("entitled") - pl.col("used_90_days")).clip(lower_bound=0))
        .select(
            "product",
            "entitled",
            "used_90_days",
            (pl.col("used_90_days") * 100 / pl.col("entitled")).round(1).alias("utilisation"),
            "shelfware",
            cents(pl.col("shelfware") * pl.col("unit_price").cast(_MONEY)).alias("shelfware_cost"),
            "currency",
        )
        .sort("product")
    )


def savings(previous: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Seats reclaimed per product between two license positions, and their value per year.

    Both frames as `license_position` returns them; the unit price is the current one (a yearly
    price per seat). Only products whose consumption went down appear. Columns: product,
    reclaimed, unit_price, currency, yearly_savings (null without a price).
    """
    before = previous.select(product_key(), pl.col("consumed").alias("consumed_before"))
    return (
        current.with_columns(product_key())
        .join(before, on="product_key", how="inner")
        .with_columns(reclaimed=pl.col("consumed_before") - pl.col("consumed"))
        .filter(pl.col("reclaimed") > 0)
        .select(
            "product",
            "reclaimed",
            "unit_price",
            "currency",
            cents(pl.col("reclaimed") * pl.col("unit_price").cast(_MONEY)).alias("yearly_savings"),
        )
        .sort("product")
    )


def cloud_inactivity(inactivity: pl.DataFrame, prices: pl.DataFrame | None = None) -> pl.DataFrame:
    """Cloud accounts per product by inactivity, and the yearly cost the inactive ones bind.

    `inactivity` is the frame of `importers.m365_inactivity`; `prices` (optional) has product,
    unit_price, currency, matched to the M365 product names without regard to case. Inactive
    means longer than the product's third threshold without activity, or never active.
    Columns: product, accounts, the five buckets, inactive, threshold_1, threshold_2,
    threshold_3, unit_price, currency, yearly_cost (null without a price).
    """
    frame = inactivity.with_columns(inactive=pl.col("over_third") + pl.col("never_active"))
    if prices is None:
        frame = frame.with_columns(
            unit_price=pl.lit(None, dtype=_MONEY), currency=pl.lit(None, dtype=pl.String)
        )
    else:
        lookup = prices.select(product_key(), pl.col("unit_price").cast(_MONEY), "currency")
        frame = (
            frame.with_columns(product_key())
            .join(lookup.unique("product_key"), on="product_key", how="left")
            .drop("product_key")
        )
    return frame.select(
        "product",
        *COUNTS,
        "inactive",
        *THRESHOLDS,
        "unit_price",
        "currency",
        cents(pl.col("inactive") * pl.col("unit_price")).alias("yearly_cost"),
    ).sort("product")


def lead_times(requests: pl.DataFrame) -> pl.DataFrame:
    """Request lead time per stage and month: median and 90th percentile in days.

    `requests` is the requests-log frame. A request counts for a stage once both of the
    stage's times are known, in the month the stage ended. Columns: stage, month (first day),
    median_days, p90_days (linear interpolation, both 1 decimal) and requests.
    """
    parts = []
    for stage, start, end in STAGES:
        days = (pl.col(end) - pl.col(start)).dt.total_seconds() / 86_400
        parts.append(
            requests.filter(pl.col(start).is_not_null() & pl.col(end).is_not_null()).select(
                pl.lit(stage).alias("stage"),
                pl.col(end).dt.date().dt.truncate("1mo").alias("month"),
                days.alias("days"),
            )
        )
    order = {stage: index for index, (stage, _start, _end) in enumerate(STAGES)}
    return (
        pl.concat(parts)
        .group_by("stage", "month")
        .agg(
            median_days=pl.col("days").median().round(1),
            p90_days=pl.col("days").quantile(0.9, interpolation="linear").round(1),
            requests=pl.len().cast(pl.Int64),
        )
        .with_columns(order=pl.col("stage").replace_strict(order, return_dtype=pl.Int64))
        .sort("order", "month")
        .drop("order")
    )


def within_lead_time(requests: pl.DataFrame, promised: pl.DataFrame) -> pl.DataFrame:
    """Per month: how many provisioned requests took no longer than the catalog promises.

    `promised` has product and lead_time_days (working days, Monday to Friday, as the catalog
    states them); products are matched without regard to case. A request counts in the month
    it was provisioned, if its product has a promised lead time. Columns: month, requests,
    within, share (percent, 1 decimal).
    """
    lookup = (
        promised.select(product_key(), pl.col("lead_time_days").cast(pl.Int64))
        .sort("lead_time_days", descending=True)
        .unique("product_key", keep="first")
    )
    done = (
        requests.filter(
            pl.col("requested_at").is_not_null() & pl.col("provisioned_at").is_not_null()
        )
        .with_columns(product_key())
        .join(lookup, on="product_key", how="inner")
        .select(
            pl.col("provisioned_at").dt.date().dt.truncate("1mo").alias("month"),
            pl.business_day_count(
                pl.col("requested_at").dt.date(), pl.col("provisioned_at").dt.date()
            ).alias("working_days"),
            "lead_time_days",
        )
    )
    return (
        done.group_by("month")
        .agg(
            requests=pl.len().cast(pl.Int64),
            within=(pl.col("working_days") <= pl.col("lead_time_days")).sum().cast(pl.Int64),
        )
        .with_columns(share=(pl.col("within") * 100 / pl.col("requests")).round(1))
        .sort("month")
    )


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(start: date) -> date:
    return date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)


def renewals(entitlements: pl.DataFrame, as_of: date, quarters: int = 4) -> pl.DataFrame:
    """Contracts ending in the quarter of `as_of` and the quarters after it, with their cost.

    `entitlements` is the entitlements (or Snipe-IT) frame; cost is quantity × unit price.
    Every quarter appears, also those without renewals. Columns: quarter ("2026-Q4"), start,
    end (last day), contracts, cost (sum of known costs), unpriced (contracts without a price).
    """
    price = "unit_price" if "unit_price" in entitlements.columns else "purchase_cost"
    rows = []
    start = quarter_start(as_of)
    for _index in range(quarters):
        following = _next_quarter(start)
        rows.append(
            {
                "quarter": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
                "start": start,
                "end": following - timedelta(days=1),
            }
        )
        start = following
    calendar = pl.DataFrame(rows, schema={"quarter": pl.String, "start": pl.Date, "end": pl.Date})
    due = entitlements.filter(
        pl.col("end_date").is_between(max(as_of, calendar["start"][0]), calendar["end"][-1])
    ).select(
        pl.col("end_date").dt.truncate("1q").alias("start"),
        (pl.col("quantity") * pl.col(price).cast(_MONEY)).alias("cost"),
    )
    per_quarter = due.group_by("start").agg(
        contracts=pl.len().cast(pl.Int64),
        cost=cents(pl.col("cost").sum()),
        unpriced=pl.col("cost").is_null().sum().cast(pl.Int64),
    )
    return (
        calendar.join(per_quarter, on="start", how="left")
        .with_columns(
            pl.col("contracts").fill_null(0),
            pl.col("cost").fill_null(pl.lit(0).cast(_MONEY)),
            pl.col("unpriced").fill_null(0),
        )
        .sort("start")
    )
