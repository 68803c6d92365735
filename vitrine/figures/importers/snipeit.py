"""Snipe-IT licences, from its CSV export or its import layout: seats bought and seats in use."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from .base import Check, Column, Format


class SnipeIT(Format):
    key = "snipeit"
    us_dates = True
    columns = (
        Column("product", ("Name", "Item name", "License name", "Licence name"), not_empty=True),
        Column("quantity", ("Seats", "Total seats"), "integer", not_empty=True),
        Column(
            "free",
            ("Licenses available", "Available seats", "Free seats", "Remaining", "Available"),
            "integer",
            required=False,
        ),
        Column("purchase_cost", ("Purchase Cost", "Cost"), "decimal", required=False),
        Column("purchase_date", ("Purchase Date",), "date", required=False),
        Column("end_date", ("Expiration Date", "Expires"), "date", required=False),
        Column("vendor", ("Manufacturer",), required=False),
        Column("category", ("Category",), required=False),
        Column("company", ("Company",), required=False),
    )

    @property
    def label(self) -> str:
        return _("Snipe-IT licenses")

    def checks(self, present: set[str]) -> list[Check]:
        return [
            Check("quantity", pl.col("quantity") < 0, _("The number of seats cannot be negative.")),
            Check(
                "free",
                (pl.col("free") < 0) | (pl.col("free") > pl.col("quantity")),
                _("The free seats must lie between 0 and the number of seats."),
            ),
        ]

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.select(
            "product",
            "vendor",
            "category",
            "company",
            "quantity",
            "free",
            (pl.col("quantity") - pl.col("free")).alias("used"),
            "purchase_cost",
            pl.col("__currency_purchase_cost").alias("currency"),
            "purchase_date",
            "end_date",
        )
