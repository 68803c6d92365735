"""Consumption (generic template): which device or user uses which product, and when it last did.

Nothing naming a person or a device leaves this importer: the identifier column is replaced by
a 64-bit hash salted afresh for every import, good only for counting distinct users or devices
within that one import, and the salt is thrown away with the frame.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import polars as pl
from django.utils.translation import gettext as _

from .base import Column, Format, ImportFrame, add_up


def salted_hash(column: str) -> pl.Expr:
    """Replace an identifier with a per-import salted hash: countable, not traceable."""
    salt = secrets.token_hex(16)
    return (pl.lit(salt) + pl.col(column)).hash(seed=secrets.randbits(63))


class Consumption(Format):
    key = "consumption"
    counted = "subject"
    columns = (
        Column("product", ("product", "Produkt"), not_empty=True),
        Column(
            "device_or_user",
            ("device_or_user", "Gerät/Benutzer", "device/user"),
            not_empty=True,
            personal=True,
        ),
        Column("last_used", ("last_used", "Zuletzt genutzt"), "date", required=False),
    )

    @property
    def label(self) -> str:
        return _("Consumption (generic template)")

    def digest(self, frame: pl.LazyFrame, *, part: int, passes: int) -> pl.LazyFrame:
        return last_used_days(frame, part=part, passes=passes)

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.select(
            "product",
            salted_hash("device_or_user").alias("subject"),
            pl.col("last_used"),
        )


def last_used_days(frame: pl.LazyFrame, *, part: int = 0, passes: int = 1) -> pl.LazyFrame:
    """Users/devices per product and the day each last used it (null: not known).

    A user or device listed more than once for a product counts once, with its latest use.
    Only the users/devices of share `part` of `passes` are counted.
    """
    rows = frame if passes == 1 else frame.filter(pl.col("subject") % passes == part)
    return (
        rows.group_by("product", "subject")
        .agg(pl.col("last_used").max())
        .group_by("product", "last_used")
        .agg(subjects=pl.len().cast(pl.Int64))
    )


def consumption_per_product(
    frame: ImportFrame | pl.DataFrame | pl.LazyFrame, as_of: date, *, passes: int = 1
) -> pl.DataFrame:
    """Per product: distinct users/devices in total and those that used it within 90 days.

    `used_90_days` is null for every product when the file had no last-used dates at all,
    so that "unknown" is not mistaken for "unused". An ImportFrame brings its digest, counted
    while the file was checked; a frame is counted with the streaming engine in `passes`
    passes over disjoint shares of the users/devices.
    """
    if isinstance(frame, ImportFrame):
        if frame.digest is None:
            raise ValueError(
                f"A {frame.format} import has no digest; only consumption"
                " imports carry last-used days."
            )
        per_day = frame.digest
    else:
        per_day = add_up(
            [
                last_used_days(frame.lazy(), part=part, passes=passes).collect(engine="streaming")
                for part in range(passes)
            ]
        )
    known = per_day["last_used"].null_count() < per_day.height
    used = pl.col("subjects").filter(pl.col("last_used") >= as_of - timedelta(days=90)).sum()
    return (
        per_day.group_by("product")
        .agg(
            total=pl.col("subjects").sum().cast(pl.Int64),
            used_90_days=(used if known else pl.lit(None)).cast(pl.Int64),
        )
        .sort("product")
    )
