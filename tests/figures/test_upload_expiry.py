"""Previewed import files (they name people) do not stay behind: deleted on cancel, on logout,
and by the background worker once no one started them within the preview's max age."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone, translation

from vitrine.figures import tasks
from vitrine.figures.admin_views import SESSION_KEY
from vitrine.figures.models import ImportRun

IMPORT_URL = "/admin/figures/import/"
START_URL = "/admin/figures/import/start/"
LOGOUT_URL = "/admin/logout/"
DATABASE_QUEUE = {"BACKEND": "django_tasks_db.backend.DatabaseBackend", "QUEUES": []}
IN_MEMORY_QUEUE = {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
ENTITLEMENTS = (
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
    "Visio Plan 2;Microsoft;Abonnement;10;120,00;EUR;01.01.2026;31.12.2026\n"
)
EXPIRY_TASK = "vitrine.figures.tasks.import_uploads_expire_task"


@pytest.fixture(autouse=True)
def _imports(settings, tmp_path):
    settings.PRIVATE_IMPORT_ROOT = tmp_path / "imports"


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def stored_files(settings) -> list[str]:
    root = settings.PRIVATE_IMPORT_ROOT
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


def preview(client, settings, name: str = "lizenzen.csv") -> str:
    """Upload a file for preview through the admin; return the name it waits under."""
    before = set(stored_files(settings))
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, ENTITLEMENTS.encode())})
    assert response.status_code == 200 and 'value="import"' in response.content.decode()
    (stored,) = set(stored_files(settings)) - before
    return stored


def token_of(client) -> str:
    return next(reversed(client.session[SESSION_KEY]))


def age(settings, name: str, seconds: float) -> None:
    """Make a waiting file look `seconds` old."""
    path = settings.PRIVATE_IMPORT_ROOT / name
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def run_worker() -> None:
    call_command(
        "db_worker",
        "--backend=background",
        "--queue-name=*",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )


# --- the editor cancels ---------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelled_preview_is_deleted_at_once(admin_client, settings):
    settings.TASKS = {**settings.TASKS, "background": IN_MEMORY_QUEUE}
    stored = preview(admin_client, settings)
    assert stored_files(settings) == [stored]
    response = admin_client.post(START_URL, {"token": token_of(admin_client), "action": "discard"})
    assert response.status_code == 302
    assert stored_files(settings) == [] and not ImportRun.objects.exists()


@pytest.mark.django_db
def test_logging_out_deletes_the_previews_of_the_session(admin_client, settings):
    settings.TASKS = {**settings.TASKS, "background": IN_MEMORY_QUEUE}
    preview(admin_client, settings)
    preview(admin_client, settings, name="zweite.csv")
    assert len(stored_files(settings)) == 2
    admin_client.post(LOGOUT_URL)
    assert stored_files(settings) == []


# --- nobody starts it: the worker deletes it ------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unstarted_preview_is_deleted_by_the_worker_after_an_hour(admin_client, settings):
    settings.TASKS = {**settings.TASKS, "background": DATABASE_QUEUE}
    from django_tasks_db.models import DBTaskResult

    stored = preview(admin_client, settings)
    (expiry,) = DBTaskResult.objects.filter(task_path=EXPIRY_TASK)
    due_in = (expiry.run_after - timezone.now()).total_seconds()
    assert 3600 - 60 < due_in <= 3600
    run_worker()  # not due yet: the editor still has the hour to start the import
    assert stored_files(settings) == [stored]

    # An hour later (the file itself is not touched, so only the queued task can delete it).
    DBTaskResult.objects.update(run_after=F("run_after") - timedelta(hours=1))
    run_worker()
    assert stored_files(settings) == []
    expiry.refresh_from_db()
    assert expiry.status == "SUCCESSFUL"
    # The session still names the preview; starting it now says it is gone.
    response = admin_client.post(START_URL, {"token": token_of(admin_client), "action": "import"})
    assert response["Location"] == IMPORT_URL and not ImportRun.objects.exists()


@pytest.mark.django_db
def test_preview_max_age_is_a_setting(admin_client, settings):
    settings.TASKS = {**settings.TASKS, "background": IN_MEMORY_QUEUE}
    settings.VITRINE_IMPORT_PREVIEW_MAX_AGE = 600
    from django_tasks import task_backends

    backend = task_backends["background"]
    backend.clear()
    response = admin_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("lizenzen.csv", ENTITLEMENTS.encode())}
    )
    assert "Start the import within 10 minutes; after that" in response.content.decode()
    (stored,) = stored_files(settings)
    (result,) = [r for r in backend.results if r.task.module_path == EXPIRY_TASK]
    assert (list(result.args), result.kwargs) == ([], {"name": stored})
    due_in = (result.task.run_after - timezone.now()).total_seconds()
    assert 600 - 60 < due_in <= 600


@pytest.mark.django_db
def test_the_sweep_deletes_every_stale_file_but_not_a_running_imports(editor, settings):
    settings.TASKS = {**settings.TASKS, "background": IN_MEMORY_QUEUE}
    root = settings.PRIVATE_IMPORT_ROOT
    root.mkdir(parents=True)
    (root / "vor-der-aenderung.csv").write_bytes(b"user@example.org;Anna\n")  # older layout
    old_preview = tasks.upload_store(SimpleUploadedFile("a.csv", b"x"))
    fresh_preview = tasks.upload_store(SimpleUploadedFile("b.csv", b"y"))
    running = ImportRun.objects.create(
        file_name="gross.csv",
        status=ImportRun.Status.RUNNING,
        pending_file=tasks.upload_store(SimpleUploadedFile("gross.csv", b"z")),
        imported_by=editor,
    )
    (root / "unterordner").mkdir()
    for name in ("vor-der-aenderung.csv", old_preview, running.pending_file):
        age(settings, name, 3600 + 60)

    removed = tasks.import_uploads_expire_task.call()

    assert removed == 2
    assert stored_files(settings) == sorted([fresh_preview, running.pending_file, "unterordner"])


@pytest.mark.django_db
def test_a_started_import_keeps_its_file_when_its_preview_expires(admin_client, settings):
    settings.TASKS = {**settings.TASKS, "background": IN_MEMORY_QUEUE}
    stored = preview(admin_client, settings)
    admin_client.post(START_URL, {"token": token_of(admin_client), "action": "import"})
    run = ImportRun.objects.get()
    assert (run.status, run.pending_file) == (ImportRun.Status.QUEUED, stored)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    age(settings, stored, 2 * 3600)

    assert tasks.import_uploads_expire_task.call(name=stored) == 0
    assert stored_files(settings) == [stored]
    # Once the run has ended, its leftover (had it any) goes with the next expiry.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.REFUSED)
    assert tasks.import_uploads_expire_task.call(name=stored) == 1
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_preview_says_in_german_how_long_the_file_waits(client, editor, settings):
    settings.TASKS = {**settings.TASKS, "background": IN_MEMORY_QUEUE}
    client.force_login(editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    with translation.override("de"):
        response = client.post(
            IMPORT_URL, {"file": SimpleUploadedFile("lizenzen.csv", ENTITLEMENTS.encode())}
        )
    html = response.content.decode()
    assert "Starten Sie den Import innerhalb von 60 Minuten; danach wird die hochgeladene" in html
