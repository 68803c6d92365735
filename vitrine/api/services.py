"""Writes of the API: a series created by hand, a snapshot posted directly, an uploaded import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from vitrine.figures.models import FigureSeries, ImportRun, Snapshot
from vitrine.figures.services import figures_import


def _printable(name: str) -> str:
    """A file name without control characters, which no database column should hold."""
    return "".join(char for char in name if char.isprintable())


class SeriesExists(Exception):
    """A series with this key exists already."""


def series_create(
    *, key: str, title: str, unit: str, topic: str, product: str, description: str = ""
) -> FigureSeries:
    try:
        with transaction.atomic():
            return FigureSeries.objects.create(
                key=key,
                title=title,
                unit=unit,
                topic=topic,
                product=product,
                description=description,
            )
    except IntegrityError:
        raise SeriesExists(key) from None


@transaction.atomic
def snapshot_put(
    *, series: FigureSeries, date: date, value: Decimal, extra: dict[str, Any]
) -> tuple[Snapshot, bool]:
    """Create the snapshot of `date`, or replace the one there (whoever wrote it).

    Returns the snapshot and whether it is new. A replaced snapshot no longer belongs to its
    import run: undoing that run leaves the posted value in place.
    """
    snapshot, created = Snapshot.objects.update_or_create(
        series=series,
        date=date,
        defaults={"value": value, "extra": extra, "import_run": None},
    )
    snapshot.refresh_from_db(fields=["value"])  # as stored, e.g. rounded by the database
    return snapshot, created


def upload_import(
    *,
    upload: UploadedFile,
    format: str | None,
    date: date | None,
    user: AbstractBaseUser,
    dry_run: bool,
) -> ImportRun:
    """Run an uploaded file through the figures import; large uploads are read from disk."""
    path = getattr(upload, "temporary_file_path", None)
    source: bytes | Path = Path(path()) if path is not None else upload.read()
    return figures_import(
        source=source,
        filename=_printable(upload.name or "") or "upload",
        format=format,
        date=date,
        user=user,
        dry_run=dry_run,
    )
