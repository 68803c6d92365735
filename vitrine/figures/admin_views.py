"""Wagtail admin views of the figures import: upload with preview, progress, result and undo.

Step 1 stores the upload in the private import directory and previews it: the detected
format, the first rows (columns naming people or devices masked) and, for files small enough
to check at once, the row count or every problem, and each figure beside the value shown now
with the plausibility warnings and the published pages the import changes. Step 2 queues the
import as a background task (with warnings only once "Store despite the warnings" is ticked);
its page follows the run's progress and then shows the result.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from pathlib import Path

import polars as pl
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .importers import FORMATS, ImportLimits, ImportRefused, Problem, detect_format, read_import
from .importers.reading import ROW, column_name, read_table
from .models import ImportRun
from .plausibility import Plausibility, plausibility_of
from .services import UndoError, figures_of, import_run_undo
from .tasks import (
    ACTIVE,
    import_run_queue,
    import_runs_expire,
    pending_path,
    preview_max_age,
    upload_discard,
    upload_expiry_schedule,
    upload_store,
    uploads_prune,
)
from .units import unit_for

logger = logging.getLogger(__name__)

IMPORT_PERMISSION = "figures.add_importrun"
RUNS_URL_NAME = "wagtailsnippets_figures_importrun:list"
SERIES_EDIT_URL_NAME = "wagtailsnippets_figures_figureseries:edit"
SESSION_KEY = "figures_import_previews"
MAX_PREVIEWS = 5  # uploads previewed and waiting for "Import" per session
PREVIEW_ROWS = 10
PREVIEW_CELL_CHARS = 80
# Files up to this size are read in full for the preview (row count, every problem);
# larger ones show their first rows and are checked by the import itself.
DEFAULT_PREVIEW_CHECK_BYTES = 20 * 1024 * 1024
PREVIEW_HEAD_BYTES = 256 * 1024
RESULT_ROWS = 200
QUEUED_HINT_SECONDS = 30
# Columns that name a person or a device: the import counts them and drops them; the
# preview never shows their values.
IDENTIFYING = frozenset({"account", "display_name", "device_or_user"})
MASK = "•••"
_ZIP_MAGIC = b"PK\x03\x04"


def user_can_import(user) -> bool:
    return bool(user and user.is_active and user.has_perm(IMPORT_PERMISSION))


def upload_limit() -> int:
    """The largest import file accepted, by the admin and the API: the setting
    VITRINE_IMPORT_MAX_UPLOAD_BYTES, never above what the importers read."""
    return min(ImportLimits().max_bytes, settings.VITRINE_IMPORT_MAX_UPLOAD_BYTES)


def preview_check_bytes() -> int:
    return getattr(settings, "VITRINE_FIGURES_PREVIEW_CHECK_BYTES", DEFAULT_PREVIEW_CHECK_BYTES)


# --- the form ---------------------------------------------------------------------------------


class FiguresImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (comma, semicolon or tab separated; UTF-8 or Windows-1252) or Excel "
            "workbook (.xlsx, first sheet)."
        ),
        error_messages={
            "required": gettext_lazy("Choose a file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        help_text=gettext_lazy("Recognised from the header row unless you choose one."),
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a known format; choose one from the list."
            )
        },
    )
    date = forms.DateField(
        label=gettext_lazy("Date of the figures"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Empty: the date the file carries (Microsoft 365: its refresh date), else today."
        ),
        error_messages={
            "invalid": gettext_lazy("Enter the date as YYYY-MM-DD or DD.MM.YYYY, e.g. 2026-11-30.")
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", _("Recognise automatically"))] + [
            (key, fmt.label) for key, fmt in FORMATS.items()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = upload_limit()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file has %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class FiguresImportStartForm(forms.Form):
    """Step 2: the confirmation a preview with plausibility warnings needs."""

    accept_warnings = forms.BooleanField(
        label=gettext_lazy("Store despite the warnings"),
        required=False,
        help_text=gettext_lazy(
            "Only when you have checked the warnings and the figures are right: they replace "
            "the figures shown now, also on the published pages listed."
        ),
    )

    def __init__(self, *args, warned: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.warned = warned

    def clean_accept_warnings(self) -> bool:
        accepted = self.cleaned_data["accept_warnings"]
        if self.warned and not accepted:
            raise forms.ValidationError(
                _(
                    "The plausibility check warns about this import (see the warnings above). "
                    "Tick “Store despite the warnings” to store it anyway, or discard it."
                )
            )
        return accepted


# --- the preview ------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    """What step 1 shows: the format, the first rows, and the problems of a refused file."""

    file_name: str
    format: str = ""
    format_label: str = ""
    columns: list[str] = field(default_factory=list)
    masked: list[bool] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    checked: bool = False  # the whole file was read and validated
    row_count: int | None = None
    figure_date: Date | None = None
    refused: ImportRefused | None = None
    problems: list[Problem] = field(default_factory=list)
    plausibility: Plausibility | None = None  # for checked files

    @property
    def warned(self) -> bool:
        return bool(self.plausibility and self.plausibility.warnings)

    @property
    def changes(self) -> list:
        """The figures for the table, implausible ones first, at most RESULT_ROWS."""
        return self.plausibility.flagged_first[:RESULT_ROWS] if self.plausibility else []

    @property
    def more_changes(self) -> int:
        return len(self.plausibility.changes) - RESULT_ROWS if self.plausibility else 0

    @property
    def hides_values(self) -> bool:
        return any(self.masked)

    @property
    def more_problems(self) -> int:
        return self.refused.total - len(self.problems) if self.refused else 0


def import_preview(
    path: Path, *, filename: str, format: str | None, date: Date | None = None
) -> ImportPreview:
    """Preview a stored upload; any failure to read it becomes a refusal, never an error.
    `date` is the date chosen for the figures (else the file's own, else today)."""
    try:
        return _preview(path, filename=filename, format=format, date=date)
    except (Exception, pl.exceptions.PanicException) as error:
        logger.exception("Preview of an import upload failed")
        refused = ImportRefused.single(
            _("The file could not be read (%(error)s).") % {"error": type(error).__name__}
        )
        return ImportPreview(file_name=filename, refused=refused, problems=refused.problems)


def _preview(path: Path, *, filename: str, format: str | None, date: Date | None) -> ImportPreview:
    check = path.stat().st_size <= preview_check_bytes()
    preview = ImportPreview(file_name=filename, checked=check)
    try:
        table = read_table(
            path if check else _head_of(path),
            filename=filename,
            sheet=None,
            limits=ImportLimits(),
        )
        match = detect_format(table.header, format=format)
    except ImportRefused as refused:
        preview.refused, preview.problems = refused, _masked_problems(refused.problems, set())
        return preview
    preview.format, preview.format_label = match.format, match.label
    position = {cell: index for index, cell in enumerate(table.header)}
    shown = sorted(match.columns.items(), key=lambda item: position[item[1]])
    preview.columns = [cell for _key, cell in shown]
    preview.masked = [key in IDENTIFYING for key, _cell in shown]
    preview.unused_columns = [
        cell for cell in table.header if cell and cell not in match.columns.values()
    ]
    preview.rows = _first_rows(table, [position[cell] for cell in preview.columns], preview.masked)
    if check:
        shown_cells = zip(preview.columns, preview.masked, strict=True)
        visible = {cell for cell, hidden in shown_cells if not hidden}
        try:
            imported = read_import(path, filename=filename, format=match.format)
        except ImportRefused as refused:
            preview.refused = refused
            preview.problems = _masked_problems(refused.problems, visible)
            return preview
        preview.row_count, preview.figure_date = imported.row_count, imported.figure_date
        values = figures_of(imported, date or imported.figure_date or timezone.localdate())
        preview.plausibility = plausibility_of(
            values, format=imported.format, rows=imported.row_count
        )
    return preview


def _head_of(path: Path) -> Path | bytes:
    """The start of a large CSV file, cut after a whole record; workbooks are read whole
    (their size is bounded by the importers' unpacking limit)."""
    with path.open("rb") as handle:
        head = handle.read(PREVIEW_HEAD_BYTES)
    if head.startswith(_ZIP_MAGIC):
        return path
    cut, quotes = 0, 0
    for index, byte in enumerate(head):
        if byte == 0x22:  # '"': a line break inside quotes does not end the record
            quotes += 1
        elif byte == 0x0A and quotes % 2 == 0:
            cut = index + 1
    if cut % 2 and head.startswith(b"\xff\xfe"):
        cut += 1  # UTF-16 LE: the line end's second byte belongs to it
    return head[:cut] if cut else head


def _first_rows(table, positions: list[int], masked: list[bool]) -> list[tuple[int, list[str]]]:
    frame = table.frame.head(PREVIEW_ROWS * 5)
    frame = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    raw_columns = [name for name in frame.columns if name != ROW]
    rows = []
    for record in frame.iter_rows(named=True):
        if not any((record[name] or "").strip() for name in raw_columns):
            continue  # blank lines are skipped by the import, too
        cells = []
        for index, hidden in zip(positions, masked, strict=True):
            value = (record.get(column_name(index)) or "").strip()
            if hidden and value:
                value = MASK
            elif len(value) > PREVIEW_CELL_CHARS:
                value = value[:PREVIEW_CELL_CHARS] + "…"
            cells.append(value)
        rows.append((record[ROW], cells))
        if len(rows) == PREVIEW_ROWS:
            break
    return rows


def _masked_problems(problems: list[Problem], visible: set[str]) -> list[Problem]:
    """Problems with the values of columns that name people (or are not imported) masked."""
    return [
        p
        if p.value is None or p.column in visible
        else Problem(row=p.row, column=p.column, value=MASK, reason=p.reason)
        for p in problems
    ]


# --- previews waiting in the session ----------------------------------------------------------


def _previews(request: HttpRequest) -> dict:
    previews = request.session.get(SESSION_KEY)
    return previews if isinstance(previews, dict) else {}


def _remember(request: HttpRequest, entry: dict) -> str:
    """Keep a previewed upload for step 2; the oldest beyond MAX_PREVIEWS are deleted."""
    previews = _previews(request)
    while len(previews) >= MAX_PREVIEWS:
        oldest = next(iter(previews))
        upload_discard(previews.pop(oldest).get("file", ""))
    token = secrets.token_urlsafe(16)
    previews[token] = entry
    request.session[SESSION_KEY] = previews
    return token


def previews_discard(request: HttpRequest) -> None:
    """Delete every upload previewed in this session."""
    for entry in _previews(request).values():
        if isinstance(entry, dict):
            upload_discard(entry.get("file", ""))
    request.session.pop(SESSION_KEY, None)


def previews_discard_on_logout(sender, request: HttpRequest | None, **kwargs) -> None:
    """Receiver of user_logged_out: a preview cannot be started after its session ends."""
    if request is not None and hasattr(request, "session"):
        previews_discard(request)


def _take(request: HttpRequest, token: str) -> dict | None:
    previews = _previews(request)
    entry = previews.pop(token, None)
    request.session[SESSION_KEY] = previews
    return entry if isinstance(entry, dict) else None


# --- views ------------------------------------------------------------------------------------


class ImportPermissionMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not user_can_import(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class FiguresImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Step 1: upload a file and see what the import would read from it."""

    form_class = FiguresImportForm
    template_name = "figures/admin/import.html"
    page_title = gettext_lazy("Import figures")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(RUNS_URL_NAME), "label": _("Import runs")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "formats": [fmt.label for fmt in FORMATS.values()],
                "limit": upload_limit(),
                "preview_rows": PREVIEW_ROWS,
                "preview_minutes": max(1, round(preview_max_age().total_seconds() / 60)),
            }
        )
        return context

    def form_valid(self, form: FiguresImportForm):
        upload = form.cleaned_data["file"]
        uploads_prune()
        stored = upload_store(upload)
        day = form.cleaned_data["date"]
        preview = import_preview(
            pending_path(stored),
            filename=upload.name,
            format=form.cleaned_data["format"] or None,
            date=day,
        )
        token = None
        if preview.refused:
            upload_discard(stored)
        else:
            token = _remember(
                self.request,
                {
                    "file": stored,
                    "name": upload.name,
                    "format": preview.format,
                    "date": day.isoformat() if day else None,
                    "warned": preview.warned,
                },
            )
            upload_expiry_schedule(stored)
        return self._show(preview, token, day, FiguresImportStartForm(warned=preview.warned))

    def _show(self, preview, token, day, start_form) -> HttpResponse:
        context = self.get_context_data(
            form=FiguresImportForm(), preview=preview, token=token, start_form=start_form
        )
        return self.render_to_response(context | {"date": day})


class FiguresImportStartView(FiguresImportView):
    """Step 2: queue the previewed upload for import, or discard it. A preview with
    plausibility warnings is shown again, with the confirmation asked for, until it is
    ticked."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get("token", "")
        entry = _previews(request).get(token)
        form = FiguresImportStartForm(
            request.POST, warned=bool(isinstance(entry, dict) and entry.get("warned"))
        )
        if (
            isinstance(entry, dict)
            and request.POST.get("action") != "discard"
            and _still_there(entry.get("file", ""))
            and not form.is_valid()
        ):
            day = Date.fromisoformat(entry["date"]) if entry.get("date") else None
            preview = import_preview(
                pending_path(entry["file"]),
                filename=entry["name"],
                format=entry["format"],
                date=day,
            )
            return self._show(preview, token, day, form)
        entry = _take(request, token)
        if entry is None or not _still_there(entry.get("file", "")):
            messages.error(
                request,
                _(
                    "This preview is no longer available (already imported or expired). "
                    "Upload the file again."
                ),
            )
            return redirect("figures_admin:import")
        if request.POST.get("action") == "discard":
            upload_discard(entry["file"])
            messages.info(request, _("“%(file)s” was discarded.") % {"file": entry["name"]})
            return redirect("figures_admin:import")
        run = import_run_queue(
            pending_file=entry["file"],
            filename=entry["name"],
            format=entry["format"],
            date=Date.fromisoformat(entry["date"]) if entry.get("date") else None,
            user=request.user,
            accept_warnings=form.is_valid() and form.cleaned_data["accept_warnings"],
        )
        return redirect("figures_admin:run", pk=run.pk)


def _still_there(name: str) -> bool:
    try:
        return pending_path(name).is_file()
    except ValueError:
        return False


def run_state(run: ImportRun) -> dict:
    """What the progress page and its JSON endpoint say about a run."""
    message = run.progress_message
    waited = (timezone.now() - run.started_at).total_seconds()
    if run.status == ImportRun.Status.QUEUED and waited > QUEUED_HINT_SECONDS:
        message = _(
            "Still waiting for the background worker. If this does not change, ask the "
            "administrator to start it (make worker, or the worker service)."
        )
    return {
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "progress": run.progress,
        "progress_message": message,
        "finished": run.status not in ACTIVE,
    }


def _run_for(request: HttpRequest, pk: int) -> ImportRun:
    import_runs_expire()
    return get_object_or_404(ImportRun.objects.select_related("imported_by"), pk=pk)


class ImportRunView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """A run's progress while it runs, then its result: values written, or the problems."""

    template_name = "figures/admin/run.html"
    header_icon = "upload"

    def get_page_title(self):
        return _("Import of “%(file)s”") % {"file": self.run.file_name}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(RUNS_URL_NAME), "label": _("Import runs")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.run = _run_for(request, pk)
        return super().get(request, pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        snapshots = run.snapshots.select_related("series").order_by("series__topic", "series__key")
        fmt = FORMATS.get(run.format)
        context.update(
            {
                "run": run,
                "state": run_state(run),
                "format_label": fmt.label if fmt else run.format,
                "status_url": reverse("figures_admin:run_status", args=[run.pk]),
                "snapshots": [
                    (
                        s,
                        reverse(SERIES_EDIT_URL_NAME, args=[s.series_id]),
                        _number(s.value),
                        unit_for(s.series.unit, s.value),
                    )
                    for s in snapshots[:RESULT_ROWS]
                ],
                "snapshot_count": snapshots.count(),
                "more_problems": max(run.problem_count - len(run.problems), 0),
                "series_url": reverse("wagtailsnippets_figures_figureseries:list"),
                "can_undo": run.status == ImportRun.Status.SUCCEEDED and not run.dry_run,
            }
        )
        return context


def _number(value: Decimal) -> str:
    """A stored value as the reader's language writes it, without trailing zeros."""
    plain = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(plain, use_l10n=True, force_grouping=True)


class ImportRunStatusView(ImportPermissionMixin, View):
    """The small JSON document the progress page polls."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        try:
            run = _run_for(request, pk)
        except Http404:
            return JsonResponse({"error": _("There is no such import run.")}, status=404)
        response = JsonResponse(run_state(run))
        response["Cache-Control"] = "no-store"
        return response


class ImportRunUndoView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Undo a succeeded run: confirm first, then delete the values it wrote."""

    template_name = "figures/admin/undo.html"
    header_icon = "rotate"
    http_method_names = ["get", "post"]

    def get_page_title(self):
        return _("Undo the import of “%(file)s”") % {"file": self.run.file_name}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(RUNS_URL_NAME), "label": _("Import runs")},
            {"url": reverse("figures_admin:run", args=[self.run.pk]), "label": self.run.file_name},
            {"url": "", "label": _("Undo")},
        ]

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if user_can_import(request.user):
            self.run = get_object_or_404(ImportRun, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if self.run.status != ImportRun.Status.SUCCEEDED:
            messages.error(request, _("Only a succeeded import can be undone."))
            return redirect("figures_admin:run", pk=pk)
        return super().get(request, pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"run": self.run, "snapshot_count": self.run.snapshots.count()})
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            import_run_undo(run=self.run)
        except UndoError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The import of “%(file)s” was undone; the values it wrote were deleted.")
                % {"file": self.run.file_name},
            )
        return redirect("figures_admin:run", pk=pk)
