"""Snipe-IT licences: its CSV exports (seats bought and seats free) and its import layout.

Snipe-IT writes licences in two kinds of file:

- Exports: the licence list's CSV export (one row per licence, "Seats" and "Licenses
  available", the header repeated every 500 licences) and the list view's export ("Total"
  and "Avail"). Seats in use are the seats minus the free ones.
- Its import layout ("Item name", "Serial number", "Seats" and the person a seat is checked
  out to: "Full Name" or "Name", "Email", "Username"). Several rows with the same item name and
  serial number are one licence whose seats are checked out to several people, as Snipe-IT's
  own importer reads them. Seats in use are the rows checked out to someone; a file without
  those columns says nothing about use, so no seats in use come from it at all.

Columns naming a person are read as filled or blank only (see `Column.personal`).
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from .base import Check, Column, Format


def _person(key: str, *aliases: str) -> Column:
    return Column(key, aliases, "filled", required=False, personal=True)


# English headings, then those of Snipe-IT in German.
_COMMON = (
    Column("purchase_cost", ("Purchase Cost", "Cost", "Einkaufspreis"), "decimal", required=False),
    Column("purchase_date", ("Purchase Date", "Kaufdatum"), "date", required=False),
    Column("end_date", ("Expiration Date", "Expires", "Ablaufdatum"), "date", required=False),
    Column("vendor", ("Manufacturer", "Hersteller"), required=False),
    Column("category", ("Category", "Kategorie"), required=False),
    Column("company", ("Company", "Firma"), required=False),
    _person("licensed_to_name", "Licensed to Name", "Name des Lizenzerwerbers", "Lizenziert für"),
    _person(
        "licensed_to_email",
        "Licensed to Email",
        "E-Mail des Lizenzerwerbers",
        "Lizenziert für Email",
    ),
)

_SHAPE = (
    "product",
    "vendor",
    "category",
    "company",
    "quantity",
    "free",
    "used",
    "purchase_cost",
    "currency",
    "purchase_date",
    "end_date",
)


class SnipeIT(Format):
    """The licence list's CSV export and the list view's export: one row per licence."""

    key = "snipeit"
    us_dates = True
    columns = (
        Column("product", ("Name", "License name", "Licence name"), not_empty=True),
        Column(
            "quantity",
            ("Seats", "Total seats", "Total", "Anzahl Aktivierungen"),
            "integer",
            not_empty=True,
        ),
        Column(
            "free",
            (
                "Licenses available",
                "Available seats",
                "Free seats",
                "Remaining",
                "Available",
                "Avail",
                "Verfügbare Lizenzen",
            ),
            "integer",
            # Only with it is "Name" surely the licence: in the import layout it is a person.
            not_empty=True,
        ),
        *_COMMON,
        # The licence's e-mail address and the administrator who entered it.
        _person("email", "Email", "E-Mail"),
        _person("created_by", "Created By", "Erstellt von"),
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
        return frame.with_columns(
            (pl.col("quantity") - pl.col("free")).alias("used"),
            pl.col("__currency_purchase_cost").alias("currency"),
        ).select(_SHAPE)


# Who or what a seat is checked out to in the import layout.
_CHECKED_OUT_TO = ("full_name", "name", "email", "username", "asset_tag")
_LICENSE = ("product", "serial")


class SnipeITImport(Format):
    """Snipe-IT's import layout: a licence per item name and serial, a row per checked-out seat."""

    key = "snipeit_import"
    us_dates = True
    columns = (
        Column("product", ("Item name", "License name", "Licence name"), not_empty=True),
        Column("serial", ("Serial number", "Serial", "Product key"), required=False),
        Column("quantity", ("Seats",), "integer"),
        *_COMMON,
        _person("full_name", "Full name"),
        _person("name", "Name"),
        _person("email", "Email", "E-Mail"),
        _person("username", "Username"),
        _person("asset_tag", "Asset tag", "Assigned to asset"),
    )

    @property
    def label(self) -> str:
        return _("Snipe-IT import layout (licenses)")

    def checks(self, present: set[str]) -> list[Check]:
        seats = pl.col("quantity")
        return [
            Check("quantity", seats < 0, _("The number of seats cannot be negative.")),
            Check(
                "quantity",
                seats.max().over(_LICENSE).is_null(),
                _(
                    "No row of this license (item name and serial number) gives its number"
                    " of seats."
                ),
            ),
            Check(
                "quantity",
                seats.drop_nulls().n_unique().over(_LICENSE) > 1,
                _(
                    "The rows of this license (item name and serial number) give different"
                    " numbers of seats."
                ),
            ),
        ]

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        # A person column in the file is true or false on every row; one not in it is null.
        known = pl.any_horizontal(pl.col(key).is_not_null() for key in _CHECKED_OUT_TO)
        checked_out = pl.any_horizontal(pl.col(key).fill_null(False) for key in _CHECKED_OUT_TO)
        first = [
            pl.col(key).drop_nulls().first()
            for key in (
                "vendor",
                "category",
                "company",
                "purchase_cost",
                "__currency_purchase_cost",
                "purchase_date",
                "end_date",
            )
        ]
        return (
            frame.group_by(_LICENSE, maintain_order=True)
            .agg(
                pl.col("quantity").max(),
                pl.when(known.any()).then(checked_out.sum()).cast(pl.Int64).alias("used"),
                *first,
            )
            .with_columns(
                (pl.col("quantity") - pl.col("used")).alias("free"),
                pl.col("__currency_purchase_cost").alias("currency"),
            )
            .select(_SHAPE)
        )
