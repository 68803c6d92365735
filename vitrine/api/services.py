"""Writes of the API: a series created by hand, a snapshot posted directly, an uploaded import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from vitrine.figures.admin_views import MASK, ImportPreview, import_preview
from vitrine.figures.models import FigureSeries, ImportRun, Snapshot
from vitrine.figures.tasks import (
    import_run_queue,
    pending_path,
    upload_discard,
    upload_store,
    uploads_prune,
)

from .uploads import StoredUpload


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


@dataclass
class UploadRefused:
    """An upload the check refused: its recorded run and the problems to answer with, each
    with a cell's value only where the value cannot name a person."""

    run: ImportRun
    problems: list[dict[str, Any]]


def import_upload_queue(
    *,
    upload: UploadedFile,
    format: str | None,
    date: date | None,
    user: AbstractBaseUser,
    dry_run: bool,
    accept_warnings: bool = False,
) -> ImportRun | UploadRefused:
    """Check an uploaded file as the admin's preview does (format, and for files up to the
    preview's size every row), then queue its import on the background worker.

    A refused file is deleted at once and its run recorded as refused; an accepted one waits
    in the import directory for its queued run, which deletes it when it ends.
    """
    uploads_prune()
    filename = _printable(upload.name or "") or "upload"
    if isinstance(upload, StoredUpload):
        name = upload.pending_name
    else:  # not streamed by the API's upload handler (a caller of this function)
        name = upload_store(upload)
    preview = import_preview(pending_path(name), filename=filename, format=format)
    if preview.refused is not None:
        upload_discard(name)
        return _refusal_recorded(
            preview, filename=filename, format=format, user=user, dry_run=dry_run
        )
    run = import_run_queue(
        pending_file=name,
        filename=filename,
        format=preview.format,
        date=date,
        user=user,
        dry_run=dry_run,
        accept_warnings=accept_warnings,
    )
    if isinstance(upload, StoredUpload):
        upload.claimed = True
    return run


def _refusal_recorded(
    preview: ImportPreview, *, filename: str, format: str | None, user, dry_run: bool
) -> UploadRefused:
    refused = preview.refused
    now = timezone.now()
    run = ImportRun.objects.create(
        file_name=filename[:255],
        format=preview.format or format or "",
        status=ImportRun.Status.REFUSED,
        summary=str(refused.summary)[:500],
        problem_count=refused.total,
        # Cell values may name a person: never stored.
        problems=[
            {"row": p.row, "column": p.column, "reason": str(p.reason)} for p in preview.problems
        ],
        imported_by=user if user is not None and user.is_authenticated else None,
        started_at=now,
        finished_at=now,
        dry_run=dry_run,
        progress=100,
    )
    problems = [
        {
            "row": p.row,
            "column": p.column,
            # The preview masks the values of columns that name people or devices, and of
            # every column it could not place: those are left out here.
            "value": None if p.value is None or p.value == MASK else str(p.value),
            "reason": str(p.reason),
        }
        for p in preview.problems
    ]
    return UploadRefused(run=run, problems=problems)


def run_values(run: ImportRun) -> list[dict[str, Any]]:
    """The values a run computed (a dry run) or wrote (an import), as the API shows them."""
    if run.dry_run:
        return list(run.preview)
    if run.status not in (ImportRun.Status.SUCCEEDED,):
        return []
    snapshots = run.snapshots.select_related("series").order_by("series__key", "date")
    return [
        {
            "key": s.series.key,
            "title": s.series.title,
            "unit": s.series.unit,
            "date": s.date,
            "value": f"{s.value.normalize():f}",
        }
        for s in snapshots
    ]
