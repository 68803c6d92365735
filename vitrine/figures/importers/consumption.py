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

from .base import Column, Format


def salted_hash(column: str) -> pl.Expr:
    """Replace an identifier with a per-import salted hash: countable, not traceable."""
    salt = secrets.token_hex(16)
    return (pl.lit(salt) + pl.col(column)).hash(seed=secrets.randbits(63))


class Consumption(Format):
    key = "consumption"
    columns = (
        Column("product", ("product", "Produkt"), not_empty=True),
        Column(
            "device_or_user",
            ("device_or_user", "Gerät/Benutzer", "device/user"),
            not_empty=True,
        ),
        Column("last_used", ("last_used", "Zuletzt genutzt"), "date", required=False),
    )

    @property
    def label(self) -> str:
        return _("Consumption (generic template)")

    def finish(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, None]:
        return frame.select(
            "product",
            salted_hash("device_or_user").alias("subject"),
            pl.col("last_used"),
        ), None


def consumption_per_product(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Per product: distinct users/devices in total and those that used it within 90 days.

    `used_90_days` is null for every product when the file had no last-used dates at all,
    so that "unknown" is not mistaken for "unused".
    """
    known = frame["last_used"].null_count() < frame.height
    cutoff = as_of - timedelta(days=90)
    used = pl.col("subject").filter(pl.col("last_used") >= cutoff).n_unique()
    return (
        frame.group_by("product")
        .agg(
            total=pl.col("subject").n_unique().cast(pl.Int64),
            used_90_days=(used if known else pl.lit(None)).cast(pl.Int64),
        )
        .sort("product")
    )
