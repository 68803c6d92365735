"""Entitlements (generic template): which licences were bought, for what metric, at what price."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from .base import Check, Column, Format

METRICS = (
    ("user", "user"),
    ("users", "user"),
    ("named user", "user"),
    ("benutzer", "user"),
    ("nutzer", "user"),
    ("device", "device"),
    ("devices", "device"),
    ("gerät", "device"),
    ("geräte", "device"),
    ("core", "core"),
    ("cores", "core"),
    ("kern", "core"),
    ("kerne", "core"),
    ("subscription", "subscription"),
    ("subscriptions", "subscription"),
    ("abonnement", "subscription"),
    ("abo", "subscription"),
)


class Entitlements(Format):
    key = "entitlements"
    columns = (
        Column("product", ("product", "Produkt"), not_empty=True),
        Column("vendor", ("vendor", "Hersteller")),
        Column("metric", ("metric", "Lizenzmetrik"), "choice", not_empty=True, choices=METRICS),
        Column("quantity", ("quantity", "Menge", "Anzahl"), "integer", not_empty=True),
        Column("unit_price", ("unit_price", "Einzelpreis"), "decimal"),
        Column("currency", ("currency", "Währung")),
        Column("start_date", ("start_date", "Beginn"), "date"),
        Column("end_date", ("end_date", "Ende"), "date"),
        Column("cost_center", ("cost_center", "Kostenstelle"), required=False),
    )

    @property
    def label(self) -> str:
        return _("Entitlements (generic template)")

    def checks(self, present: set[str]) -> list[Check]:
        return [
            Check("quantity", pl.col("quantity") < 0, _("The quantity cannot be negative.")),
            Check("unit_price", pl.col("unit_price") < 0, _("The price cannot be negative.")),
            Check(
                "end_date",
                pl.col("end_date") < pl.col("start_date"),
                _("The end date lies before the start date."),
            ),
        ]

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        # A price written "1.234,56 €" names its currency even when the currency cell is blank.
        currency = pl.coalesce(
            pl.col("currency").str.to_uppercase(), pl.col("__currency_unit_price")
        )
        return frame.with_columns(currency=currency).select(
            "product",
            "vendor",
            "metric",
            "quantity",
            "unit_price",
            "currency",
            "start_date",
            "end_date",
            "cost_center",
        )
