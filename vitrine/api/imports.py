"""Endpoints for figure imports: upload a file, list and read the runs."""

from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja import Path as PathParam
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from vitrine.figures.importers import ImportLimits
from vitrine.figures.models import ImportRun

from . import selectors, services
from .auth import UploadTokenAuth, require_permission, too_large_message
from .errors import PayloadTooLarge
from .pagination import Pages
from .schemas import ImportFilter, ImportForm, ImportResult, ImportRunOut, Message

ADD_IMPORT = "figures.add_importrun"
MAX_BYTES = ImportLimits().max_bytes
UPLOAD_AUTH = UploadTokenAuth(MAX_BYTES)

router = Router(tags=["imports"])


@router.post(
    "/imports",
    auth=UPLOAD_AUTH,
    response={200: ImportResult, 201: ImportResult, 403: Message, 413: Message, 422: ImportResult},
    summary="Upload an import file",
)
def import_upload(request: HttpRequest, file: File[UploadedFile], form: Form[ImportForm]):
    """Import a CSV or XLSX export, all or nothing (201; 200 for a dry run). A refused file
    answers 422 with every problem: row, column, value and reason; the values are only in
    this answer, never stored. Needs the permission to add import runs
    (`figures.add_importrun`)."""
    require_permission(request, ADD_IMPORT, _("Your account may not import figures."))
    if file.size is not None and file.size > MAX_BYTES:
        raise PayloadTooLarge(too_large_message(MAX_BYTES))
    run = services.upload_import(
        upload=file, format=form.format, date=form.date, user=request.user, dry_run=form.dry_run
    )
    if run.status == ImportRun.Status.REFUSED:
        return Status(422, run)
    return Status(200 if form.dry_run else 201, run)


@router.get("/imports", response=list[ImportRunOut], summary="List import runs")
@paginate(Pages)
def import_list(request: HttpRequest, filters: Query[ImportFilter]):
    """Import runs, newest first; stored problems carry row, column and reason only."""
    return selectors.import_runs(status=filters.status, format=filters.format)


@router.get(
    "/imports/{run_id}", response={200: ImportRunOut, 404: Message}, summary="Read an import run"
)
def import_detail(request: HttpRequest, run_id: Annotated[int, PathParam(ge=1)]):
    run = selectors.import_run_get(run_id)
    if run is None:
        raise HttpError(404, _("There is no import run %(id)s.") % {"id": run_id})
    return run
