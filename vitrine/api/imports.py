"""Endpoints for figure imports: upload a file (queued for the background worker), list and
read the runs."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Status
from ninja import Path as PathParam
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from vitrine.figures.models import ImportRun
from vitrine.figures.tasks import import_runs_expire
from vitrine.portal.links import absolute_url

from . import selectors, services
from .auth import UploadTokenAuth
from .pagination import Pages
from .schemas import (
    ImportFilter,
    ImportForm,
    ImportRefusal,
    ImportRunDetail,
    ImportRunOut,
    Message,
    TooLarge,
)
from .uploads import uploads_cleaned

ADD_IMPORT = "figures.add_importrun"
UPLOAD_AUTH = UploadTokenAuth(ADD_IMPORT, gettext_lazy("Your account may not import figures."))

router = Router(tags=["imports"])


def _run_url(request: HttpRequest, run: ImportRun) -> str:
    """The run's address on the configured root URL: a script behind a proxy polls it."""
    return absolute_url(reverse("api-v1:import_detail", args=[run.pk]))


@router.post(
    "/imports",
    auth=UPLOAD_AUTH,
    response={202: ImportRunDetail, 403: Message, 413: TooLarge, 422: ImportRefusal},
    summary="Upload an import file",
)
@decorate_view(uploads_cleaned)
def import_upload(
    request: HttpRequest, response: HttpResponse, file: File[UploadedFile], form: Form[ImportForm]
):
    """Check a CSV or XLSX export and queue its import on the background worker: 202 with
    the run's address (also in `Location`); poll it until the run has succeeded, been
    refused or failed. A dry run goes the same way and keeps the values it computed in the
    run. A file the check refuses answers 422 with every problem (row, column, reason, and
    the cell's value where it cannot name a person) and changes nothing. A body above the
    upload limit answers 413 before it is read. Needs the permission to add import runs
    (`figures.add_importrun`)."""
    outcome = services.import_upload_queue(
        upload=file,
        format=form.format,
        date=form.date,
        user=request.user,
        dry_run=form.dry_run,
        accept_warnings=form.accept_warnings,
    )
    if isinstance(outcome, services.UploadRefused):
        run = outcome.run
        run.url = _run_url(request, run)
        run.problems = outcome.problems  # with the values that may be shown; not saved
        return Status(422, run)
    run = outcome
    run.url = _run_url(request, run)
    run.values = []
    response["Location"] = run.url
    return Status(202, run)


@router.get("/imports", response=list[ImportRunOut], summary="List import runs")
@paginate(Pages)
def import_list(request: HttpRequest, filters: Query[ImportFilter]):
    """Import runs, newest first; stored problems carry row, column and reason only."""
    import_runs_expire()
    return selectors.import_runs(status=filters.status, format=filters.format)


@router.get(
    "/imports/{run_id}",
    response={200: ImportRunDetail, 404: Message},
    summary="Read an import run",
    url_name="import_detail",
)
def import_detail(request: HttpRequest, run_id: Annotated[int, PathParam(ge=1)]):
    """A run's status and progress; once it has ended, its counts and problems (row, column,
    reason; no cell values) and the values it wrote, or for a dry run computed."""
    import_runs_expire()
    run = selectors.import_run_get(run_id)
    if run is None:
        raise HttpError(404, _("There is no import run %(id)s.") % {"id": run_id})
    run.url = _run_url(request, run)
    run.values = services.run_values(run)
    return run
