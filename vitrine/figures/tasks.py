"""Imports in the background: the waiting upload, the queued run and the task that runs it.

An uploaded file waits in settings.PRIVATE_IMPORT_ROOT (never served) under a random name,
never the user's file name, until the "background" task queue imports it; it is deleted as
soon as its run ends. A previewed file nobody imports is deleted by the worker once it is
older than settings.VITRINE_IMPORT_PREVIEW_MAX_AGE (it names people). A run that no worker
finishes in time is ended as refused, so that no run stays queued or running for ever.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from datetime import date as Date
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.move import file_move_safe
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ImportRun
from .plausibility import ImplausibleImport
from .services import figures_import

logger = logging.getLogger(__name__)

ACTIVE = (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)
PENDING_SUFFIX = ".upload"
PROGRESS_EVERY_SECONDS = 1.0
# A run still queued or running after this long has lost its worker (override with the
# setting VITRINE_IMPORT_STALE_AFTER, a timedelta).
DEFAULT_STALE_AFTER = timedelta(hours=3)
QUEUED_STALE_AFTER = timedelta(days=1)
# Uploads previewed but never imported are deleted after this many seconds (override with
# the setting VITRINE_IMPORT_PREVIEW_MAX_AGE).
DEFAULT_PREVIEW_MAX_AGE = 3600


# --- the waiting file -------------------------------------------------------------------------


def import_root() -> Path:
    return Path(settings.PRIVATE_IMPORT_ROOT)


def pending_path(name: str) -> Path:
    """The path of a waiting upload; a name that would leave the import directory is refused."""
    root = import_root().resolve()
    path = (root / name).resolve()
    if not name or path.parent != root or not path.name.endswith(PENDING_SUFFIX):
        raise ValueError(f"not a waiting upload: {name!r}")
    return path


def upload_store(upload: UploadedFile) -> str:
    """Store an upload under a random name readable by this process only; return the name.

    A large upload Django already wrote to a temporary file is moved, not copied.
    """
    root = import_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}{PENDING_SUFFIX}"
    path = root / name
    if hasattr(upload, "temporary_file_path"):
        file_move_safe(upload.temporary_file_path(), str(path), allow_overwrite=False)
        path.chmod(0o600)
        return name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return name


def upload_discard(name: str) -> None:
    """Delete a waiting upload; names that are not one are ignored."""
    try:
        pending_path(name).unlink(missing_ok=True)
    except ValueError:
        return


def preview_max_age() -> timedelta:
    """How long a previewed upload waits to be imported before it is deleted."""
    seconds = getattr(settings, "VITRINE_IMPORT_PREVIEW_MAX_AGE", DEFAULT_PREVIEW_MAX_AGE)
    return timedelta(seconds=seconds)


def _waiting_for_runs() -> set[str]:
    return set(ImportRun.objects.filter(status__in=ACTIVE).values_list("pending_file", flat=True))


def uploads_prune(*, older_than: timedelta | None = None) -> int:
    """Delete every file in the import directory older than `older_than` (default: the
    preview's max age) that no queued or running import waits for; return how many.

    Every file, not only this code's uploads: the directory holds nothing else, and files
    from older releases or from a lost expiry task go too.
    """
    root = import_root()
    if not root.is_dir():
        return 0
    waiting = _waiting_for_runs()
    max_age = preview_max_age() if older_than is None else older_than
    cutoff = time.time() - max_age.total_seconds()
    removed = 0
    with os.scandir(root) as entries:
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False) or entry.name in waiting:
                    continue
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


def upload_expire(name: str) -> bool:
    """Delete the previewed upload `name` unless a queued or running import waits for it."""
    if name in _waiting_for_runs():
        return False
    try:
        path = pending_path(name)
    except ValueError:
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False  # imported and deleted, or discarded
    return True


def upload_expiry_schedule(name: str) -> None:
    """Have the background worker delete a previewed upload once its max age has passed."""
    task = import_uploads_expire_task
    if not task.get_backend().supports_defer:
        # A backend that runs tasks at once would delete the file now; the sweep of the
        # next upload deletes it instead.
        return
    task.using(run_after=timezone.now() + preview_max_age()).enqueue(name=name)


# --- the run ----------------------------------------------------------------------------------


def import_run_queue(
    *,
    pending_file: str,
    filename: str,
    format: str,
    date: Date | None,
    user: AbstractBaseUser | None,
    accept_warnings: bool = False,
    dry_run: bool = False,
) -> ImportRun:
    """Record a queued run for a waiting upload and hand it to the background queue.

    Without `accept_warnings`, an import the plausibility check warns about stores nothing
    and ends refused with the warnings. A dry run stores no figures, only what it computed
    (in `preview`).
    """
    run = ImportRun.objects.create(
        file_name=filename[:255],
        format=format,
        figure_date=date,
        imported_by=user if user is not None and user.is_authenticated else None,
        status=ImportRun.Status.QUEUED,
        pending_file=pending_file,
        dry_run=dry_run,
        progress=0,
        progress_message=_("Waiting for the background worker …"),
    )
    # Enqueued once the run is committed, so that the worker always finds it.
    transaction.on_commit(
        partial(
            figures_import_task.enqueue,
            run_id=run.pk,
            language=translation.get_language(),
            accept_warnings=accept_warnings,
        )
    )
    return run


def stale_after() -> timedelta:
    return getattr(settings, "VITRINE_IMPORT_STALE_AFTER", DEFAULT_STALE_AFTER)


def import_runs_expire(*, now=None) -> int:
    """End runs that lost their worker as refused; return how many.

    A run counts as lost when it has been running for longer than `stale_after()`, or has
    waited in the queue for a day without any worker taking it up.
    """
    now = now or timezone.now()
    limit = stale_after()
    running = ImportRun.objects.filter(status=ImportRun.Status.RUNNING, started_at__lt=now - limit)
    queued = ImportRun.objects.filter(
        status=ImportRun.Status.QUEUED, started_at__lt=now - QUEUED_STALE_AFTER
    )
    hours = f"{round(limit.total_seconds() / 3600, 1):g}"
    ran_too_long = _(
        "The import did not finish within %(hours)s hours; the background worker may have "
        "stopped. No figures were changed. Upload the file again."
    ) % {"hours": hours}
    never_taken = _(
        "No background worker took the import up within a day. No figures were changed. "
        "Make sure the worker runs, then upload the file again."
    )
    ended = [_stop(pk, ran_too_long) for pk in running.values_list("pk", flat=True)]
    ended += [_stop(pk, never_taken) for pk in queued.values_list("pk", flat=True)]
    return sum(ended)


def _stop(run_id: int, reason: str, status: str = ImportRun.Status.REFUSED) -> bool:
    """End a queued or running run as refused (or `status`) for `reason` and delete its
    waiting file."""
    pending = (
        ImportRun.objects.filter(pk=run_id, status__in=ACTIVE)
        .values_list("pending_file", flat=True)
        .first()
    )
    if pending is None:
        return False
    ended = ImportRun.objects.filter(pk=run_id, status__in=ACTIVE).update(
        status=status,
        summary=reason[:500],
        problem_count=1,
        problems=[{"row": None, "column": None, "reason": reason}],
        finished_at=timezone.now(),
        pending_file="",
        progress=100,
        progress_message=reason[:255],
    )
    upload_discard(pending)
    return bool(ended)


class _Progress:
    """Writes the import's progress to its run: on every new percentage, or once a second."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.percent = 0
        self.written_at = 0.0

    def __call__(self, message: str, percent: int | None = None) -> None:
        percent = self.percent if percent is None else max(1, min(99, int(percent)))
        now = time.monotonic()
        if percent == self.percent and now - self.written_at < PROGRESS_EVERY_SECONDS:
            return
        self.percent, self.written_at = percent, now
        ImportRun.objects.filter(pk=self.run_id, status=ImportRun.Status.RUNNING).update(
            progress=percent, progress_message=str(message)[:255]
        )


def _claim(run_id: int) -> ImportRun | None:
    """Mark a queued run as running; None if it is not queued (ended, or run already)."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
        progress=1,
        progress_message=_("Started …"),
    )
    if not claimed:
        return None
    return ImportRun.objects.select_related("imported_by").get(pk=run_id)


def _finish(run: ImportRun) -> None:
    upload_discard(run.pending_file)
    if run.dry_run:
        _keep_dry_run(run)
    if run.status == ImportRun.Status.SUCCEEDED and run.dry_run:
        message = _("Checked: %(count)d values computed, none stored.") % {
            "count": len(run.outcome.written)
        }
    elif run.status == ImportRun.Status.SUCCEEDED:
        message = _("Done: %(count)d values written.") % {"count": len(run.outcome.written)}
    else:
        message = run.summary
    ImportRun.objects.filter(pk=run.pk).update(
        pending_file="", progress=100, progress_message=message[:255]
    )


def _keep_dry_run(run: ImportRun) -> None:
    """Record how a dry run ended and what it computed; the import itself stored nothing
    (its save was rolled back)."""
    run.preview = [
        {
            "key": v.key,
            "title": str(v.title),
            "unit": v.unit,
            "date": v.date.isoformat(),
            "value": f"{v.value.normalize():f}",
        }
        for v in run.outcome.written
    ]
    fields = ["status", "format", "row_count", "figure_date", "summary", "problem_count"]
    fields += ["problems", "finished_at", "preview", "plausibility"]
    run.finished_at = run.finished_at or timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(**{name: getattr(run, name) for name in fields})


def import_run_execute(run_id: int, *, accept_warnings: bool = False) -> ImportRun | None:
    """Import the waiting file of a queued run; the run ends succeeded or refused, always
    (refused too when the plausibility check warns and `accept_warnings` is false)."""
    run = _claim(run_id)
    import_runs_expire()  # runs whose worker died before this one started
    if run is None:
        return None
    try:
        path = pending_path(run.pending_file)
        if not path.is_file():
            _stop(run.pk, _("The uploaded file is no longer there. Upload it again."))
            return ImportRun.objects.get(pk=run.pk)
        run = figures_import(
            source=path,
            filename=run.file_name,
            format=run.format or None,
            date=run.figure_date,
            user=run.imported_by,
            dry_run=run.dry_run,
            progress=_Progress(run.pk),
            run=run,
            accept_warnings=accept_warnings,
        )
        run.pk = run_id  # a dry run's import forgets it
    except ImplausibleImport as implausible:
        run = implausible.run  # recorded as refused with the warnings as its problems
    except BaseException as error:
        # Also a worker told to stop at once (SystemExit) or a panic in the reader.
        logger.exception("Import run %s stopped", run_id)
        _stop(
            run_id,
            _(
                "The import stopped unexpectedly (%(error)s). No figures were changed. "
                "Try again; if it happens again, the worker's log tells why."
            )
            % {"error": type(error).__name__},
            status=ImportRun.Status.FAILED,
        )
        raise
    _finish(run)
    return run


@task(backend="background")
def figures_import_task(
    run_id: int, language: str | None = None, accept_warnings: bool = False
) -> str:
    """The background task: import the waiting file of run `run_id`, in the user's language;
    `accept_warnings` stores it despite plausibility warnings."""
    with translation.override(language or settings.LANGUAGE_CODE):
        run = import_run_execute(run_id, accept_warnings=accept_warnings)
    return run.status if run is not None else "skipped"


@task(backend="background")
def import_uploads_expire_task(name: str = "") -> int:
    """The background task: delete the previewed upload `name` if no import was started from
    it, and every other file of the import directory older than the preview's max age that
    no import waits for. Returns how many files were deleted."""
    removed = int(upload_expire(name)) if name else 0
    return removed + uploads_prune()
