"""Software request log from an ITSM tool: when each request was made, approved, provided."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from .base import Check, Column, Format

STAGES = ("approved_at", "ordered_at", "provisioned_at")


class RequestsLog(Format):
    key = "requests_log"
    columns = (
        Column("request_id", ("request_id", "Anfrage-ID", "request id", "number"), not_empty=True),
        Column("product", ("product", "Produkt"), not_empty=True),
        Column("requested_at", ("requested_at", "Angefragt"), "datetime", not_empty=True),
        Column("approved_at", ("approved_at", "Genehmigt"), "datetime", required=False),
        Column("ordered_at", ("ordered_at", "Bestellt"), "datetime", required=False),
        Column("provisioned_at", ("provisioned_at", "Bereitgestellt"), "datetime"),
        Column("state", ("state", "Status"), required=False),
    )

    @property
    def label(self) -> str:
        return _("Software request log")

    def checks(self, present: set[str]) -> list[Check]:
        return [
            Check(
                stage,
                pl.col(stage) < pl.col("requested_at"),
                _("This time lies before the request was made."),
            )
            for stage in STAGES
        ]

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.select("request_id", "product", "requested_at", *STAGES, "state")
