"""The figures import in the Wagtail admin: preview, background run, progress, result, undo."""

import csv
import json
import os
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from vitrine.figures import tasks
from vitrine.figures.admin_views import MASK, SESSION_KEY
from vitrine.figures.models import ImportRun, Snapshot
from vitrine.figures.sample_data import FILENAMES, make_sample_data

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/figures/import/"
START_URL = "/admin/figures/import/start/"
IMMEDIATE = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}

ENTITLEMENTS = (
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
    "Visio Plan 2;Microsoft;Abonnement;10;120,00;EUR;01.01.2026;31.12.2026\n"
    "Acrobat Pro;Adobe;Benutzer;5;200,00;EUR;01.01.2026;30.06.2027\n"
    "Microsoft 365 E3;Microsoft;Benutzer;6;431,00;EUR;01.01.2026;31.03.2027\n"
)
BAD_ENTITLEMENTS = ENTITLEMENTS.replace(";10;", ";zehn;")


@pytest.fixture(autouse=True)
def _imports(settings, tmp_path):
    settings.PRIVATE_IMPORT_ROOT = tmp_path / "imports"
    settings.TASKS = {**settings.TASKS, "background": IMMEDIATE}


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def stored_files(settings) -> list:
    root = settings.PRIVATE_IMPORT_ROOT
    return sorted(root.iterdir()) if root.exists() else []


def preview(client, data: bytes, name: str = "lizenzen.csv", **fields):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), **fields})


def token_of(client) -> str:
    return next(reversed(client.session[SESSION_KEY]))


def start(client, django_capture_on_commit_callbacks, action: str = "import", execute=True):
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        response = client.post(START_URL, {"token": token_of(client), "action": action})
    return response, callbacks


def status_of(client, run: ImportRun) -> dict:
    response = client.get(reverse("figures_admin:run_status", args=[run.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)


# --- who may import -------------------------------------------------------------------------


def test_reader_and_anonymous_are_turned_away(client, make_reader, settings):
    run = ImportRun.objects.create(file_name="x.csv", status=ImportRun.Status.QUEUED)
    urls = [
        IMPORT_URL,
        reverse("figures_admin:run", args=[run.pk]),
        reverse("figures_admin:run_status", args=[run.pk]),
        reverse("figures_admin:run_undo", args=[run.pk]),
    ]
    for url in urls:
        assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(make_reader("mitarbeitende"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = preview(client, ENTITLEMENTS.encode())
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert stored_files(settings) == [] and ImportRun.objects.count() == 1


def test_admin_user_without_the_import_permission_is_turned_away(client):
    user = get_user_model().objects.create_user("redakteurin", password="geheim-geheim-1")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert IMPORT_URL not in client.get("/admin/").content.decode()
    user.user_permissions.add(Permission.objects.get(codename="add_importrun"))
    assert client.get(IMPORT_URL).status_code == 200


def test_menu_item_and_buttons_on_the_import_runs(admin_client):
    run = ImportRun.objects.create(file_name="x.csv", status=ImportRun.Status.REFUSED)
    assert IMPORT_URL in admin_client.get("/admin/").content.decode()
    listing = admin_client.get(reverse("wagtailsnippets_figures_importrun:list")).content.decode()
    assert IMPORT_URL in listing
    assert reverse("figures_admin:run", args=[run.pk]) in listing
    assert "Progress and result" in listing
    page = admin_client.get(IMPORT_URL).content.decode()
    assert "Import figures" in page and "Microsoft 365 active user detail report" in page


# --- step 1: the preview --------------------------------------------------------------------


def test_preview_shows_the_format_and_the_first_rows(admin_client, settings):
    response = preview(admin_client, ENTITLEMENTS.encode("cp1252"), date="2026-11-01")
    html = response.content.decode()
    assert response.status_code == 200
    assert "was recognised as: Entitlements (generic template)" in html
    assert "The whole file was checked: 3 data rows, no problems." in html
    assert '<th scope="row">2</th><td>Visio Plan 2</td><td>Microsoft</td>' in html
    assert "Acrobat Pro" in html and "431,00" in html
    assert "dated 11/01/2026" in html
    assert 'name="action" value="import"' in html
    assert not ImportRun.objects.exists()
    # The upload waits under a random name, never the user's.
    (waiting,) = stored_files(settings)
    assert "lizenzen" not in waiting.name and waiting.read_bytes() == ENTITLEMENTS.encode("cp1252")


def test_m365_preview_shows_no_user_names(admin_client, tmp_path):
    make_sample_data(employees=15, out=tmp_path / "sample", as_of=date(2026, 11, 20))
    path = tmp_path / "sample" / FILENAMES["m365"]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    response = preview(admin_client, path.read_bytes(), name=path.name)
    html = response.content.decode()
    assert "Microsoft 365 active user detail report" in html
    assert "User Principal Name" in html and MASK in html
    assert "name people or devices are hidden" in html
    for record in records:
        assert record["User Principal Name"] not in html
        assert record["Display Name"] not in html
    assert "muster-ag.example" not in html


def test_refused_preview_lists_the_problems_and_keeps_no_file(admin_client, settings):
    response = preview(admin_client, BAD_ENTITLEMENTS.encode())
    html = response.content.decode()
    assert "cannot be imported: 1 problem." in html
    assert "<td>2</td>\n      <td>Menge</td>\n      <td>zehn</td>" in html
    assert 'name="action" value="import"' not in html
    assert stored_files(settings) == []
    assert not ImportRun.objects.exists()


def test_refused_preview_caps_the_problems(admin_client):
    rows = "".join(f"Visio {n};Microsoft;Abonnement;viele;1,00;EUR;;\n" for n in range(150))
    response = preview(admin_client, (ENTITLEMENTS.splitlines()[0] + "\n" + rows).encode())
    html = response.content.decode()
    assert "cannot be imported: 150 problems." in html
    assert html.count("<td>viele</td>") == 100
    assert "… and 50 more problems." in html


def test_unknown_header_names_the_formats_tried(admin_client):
    html = preview(admin_client, b"Spalte A;Spalte B\n1;2\n").content.decode()
    assert "The header row matches no known import format." in html
    assert "Snipe-IT licenses: missing columns" in html


def test_preview_masks_problem_values_of_identifying_columns(admin_client):
    header = "product,device_or_user,last_used\n"
    data = header + "Visio,PC-GEHEIM-4711,2026-13-45\nVisio," + "x" * 10_001 + ",\n"
    html = preview(admin_client, data.encode(), name="verbrauch.csv").content.decode()
    assert "cannot be imported: 2 problems." in html
    assert "2026-13-45" in html  # a date is not personal
    assert "xxxxxxxxxx" not in html and "PC-GEHEIM" not in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose a file to import."),
        ({"file": SimpleUploadedFile("leer.csv", b"")}, "The file is empty."),
        ({"format": "bogus"}, "“bogus” is not a known format"),
        ({"date": "12/31/2026"}, "Enter the date as YYYY-MM-DD or DD.MM.YYYY"),
        ({"date": "2026-02-30"}, "Enter the date as YYYY-MM-DD or DD.MM.YYYY"),
    ],
)
def test_bad_form_input_names_the_field(admin_client, settings, fields, message):
    data = {"file": SimpleUploadedFile("l.csv", ENTITLEMENTS.encode())} if fields else {}
    response = admin_client.post(IMPORT_URL, data | fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors
    assert stored_files(settings) == [] and not ImportRun.objects.exists()


def test_file_above_the_cap_is_refused_by_the_form(admin_client, settings):
    settings.VITRINE_IMPORT_MAX_UPLOAD_BYTES = 100
    response = preview(admin_client, ENTITLEMENTS.encode())
    assert "files up to 100" in response.content.decode()
    assert response.context["form"].errors["file"]
    assert stored_files(settings) == []


def test_explicit_format_and_german_date_are_accepted(admin_client):
    response = preview(admin_client, ENTITLEMENTS.encode(), format="entitlements", date="1.11.2026")
    assert "recognised as: Entitlements" in response.content.decode()
    response = preview(admin_client, ENTITLEMENTS.encode(), format="m365")
    assert "Microsoft 365 active user detail report: missing columns" in response.content.decode()


def test_a_file_that_is_not_a_table_is_refused(admin_client):
    html = preview(admin_client, b"%PDF-1.7\n\x00\x01binary", name="bericht.pdf").content.decode()
    assert "is a PDF document, not a table" in html


# --- step 2: the background import ----------------------------------------------------------


def test_import_runs_in_the_background_and_shows_the_result(
    admin_client, editor, settings, django_capture_on_commit_callbacks
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # the upload arrives as a temporary file
    preview(admin_client, ENTITLEMENTS.encode(), date="2026-11-01")
    (waiting,) = stored_files(settings)
    assert waiting.read_bytes() == ENTITLEMENTS.encode() and waiting.stat().st_mode & 0o077 == 0
    response, callbacks = start(admin_client, django_capture_on_commit_callbacks)
    assert len(callbacks) == 1  # the task was enqueued once the run was committed
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("figures_admin:run", args=[run.pk])
    assert run.status == ImportRun.Status.SUCCEEDED and run.format == "entitlements"
    assert (run.row_count, run.figure_date, run.imported_by) == (3, date(2026, 11, 1), editor)
    assert (run.progress, run.pending_file) == (100, "")
    assert run.progress_message.startswith("Done:")
    assert Snapshot.objects.filter(import_run=run, series__key="entitled.visio-plan-2").exists()
    assert stored_files(settings) == []
    assert SESSION_KEY in admin_client.session and not admin_client.session[SESSION_KEY]

    html = admin_client.get(response["Location"]).content.decode()
    assert "Imported 3 rows as Entitlements (generic template)." in html
    assert f"{run.snapshots.count()} values were written, dated 11/01/2026." in html
    assert "Entitled seats: Visio Plan 2" in html and ">10<" in html
    assert reverse("wagtailsnippets_figures_figureseries:list") in html
    assert reverse("figures_admin:run_undo", args=[run.pk]) in html
    assert "import-progress.js" in html and "<progress" not in html
    state = status_of(admin_client, run)
    assert state == {
        "status": "succeeded",
        "status_label": "Succeeded",
        "progress": 100,
        "progress_message": run.progress_message,
        "finished": True,
    }


def test_a_queued_run_shows_its_progress_and_a_hint_when_no_worker_comes(
    admin_client, django_capture_on_commit_callbacks, settings
):
    preview(admin_client, ENTITLEMENTS.encode())
    response, _callbacks = start(admin_client, django_capture_on_commit_callbacks, execute=False)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED and run.pending_file
    assert tasks.pending_path(run.pending_file).is_file()
    html = admin_client.get(response["Location"]).content.decode()
    assert '<progress id="import-progress-bar"' in html and 'data-finished="false"' in html
    assert "import-progress.js" in html
    state = status_of(admin_client, run)
    assert (state["status"], state["progress"], state["finished"]) == ("queued", 0, False)
    assert state["progress_message"] == "Waiting for the background worker …"
    ImportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    assert (
        "Still waiting for the background worker"
        in status_of(admin_client, run)["progress_message"]
    )
    # The worker comes: the run is imported.
    tasks.figures_import_task.enqueue(run_id=run.pk, language="en")
    assert status_of(admin_client, run)["status"] == "succeeded"


def test_progress_is_written_to_the_run_while_it_runs(monkeypatch, editor, settings):
    seen = []

    def import_watching(**kwargs):
        progress = kwargs["progress"]
        progress("Reading …", percent=5)
        seen.append(ImportRun.objects.values_list("status", "progress", "progress_message").get())
        progress("Reading … still", percent=5)  # same percentage within a second: not written
        seen.append(ImportRun.objects.values_list("progress_message", flat=True).get())
        progress("Computing …", percent=60)
        seen.append(ImportRun.objects.values_list("progress", "progress_message").get())
        raise ValueError("stop here")

    monkeypatch.setattr(tasks, "figures_import", import_watching)
    run = queued_run(editor, ENTITLEMENTS.encode())
    with pytest.raises(ValueError):
        tasks.import_run_execute(run.pk)
    assert seen == [("running", 5, "Reading …"), "Reading …", (60, "Computing …")]


def queued_run(user, data: bytes, name: str = "lizenzen.csv") -> ImportRun:
    stored = tasks.upload_store(SimpleUploadedFile(name, data))
    return ImportRun.objects.create(
        file_name=name, status=ImportRun.Status.QUEUED, pending_file=stored, imported_by=user
    )


def test_a_crashed_task_ends_the_run_as_failed(monkeypatch, editor, settings, admin_client):
    def crash(**_kwargs):
        raise MemoryError

    monkeypatch.setattr(tasks, "figures_import", crash)
    run = queued_run(editor, ENTITLEMENTS.encode())
    tasks.figures_import_task.enqueue(run_id=run.pk, language="en")  # logs, does not raise
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.finished_at is not None
    assert "stopped unexpectedly (MemoryError)" in run.summary
    assert (run.pending_file, run.progress) == ("", 100)
    assert stored_files(settings) == []
    html = admin_client.get(reverse("figures_admin:run", args=[run.pk])).content.decode()
    assert "stopped unexpectedly (MemoryError)" in html


def test_runs_whose_worker_died_end_as_refused(admin_client, editor, settings):
    running = queued_run(editor, ENTITLEMENTS.encode())
    long_ago = timezone.now() - timedelta(hours=4)
    ImportRun.objects.filter(pk=running.pk).update(
        status=ImportRun.Status.RUNNING, started_at=long_ago
    )
    queued = queued_run(editor, ENTITLEMENTS.encode())
    ImportRun.objects.filter(pk=queued.pk).update(started_at=timezone.now() - timedelta(days=2))
    fresh = queued_run(editor, ENTITLEMENTS.encode())
    state = status_of(admin_client, running)
    assert state["status"] == "refused" and state["finished"]
    assert "did not finish within 3 hours" in state["progress_message"]
    queued.refresh_from_db()
    assert queued.status == ImportRun.Status.REFUSED and "within a day" in queued.summary
    fresh.refresh_from_db()
    assert fresh.status == ImportRun.Status.QUEUED
    assert [path.name for path in stored_files(settings)] == [fresh.pending_file]
    # A late task for an ended run changes nothing.
    assert tasks.import_run_execute(running.pk) is None


def test_refusal_found_by_the_background_import_shows_stored_problems(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.VITRINE_FIGURES_PREVIEW_CHECK_BYTES = 10  # as for a large file: first rows only
    html = preview(admin_client, BAD_ENTITLEMENTS.encode()).content.decode()
    assert "The file is large: the preview shows its first rows only." in html
    assert "<td>zehn</td>" in html  # the first rows, as they are
    response, _callbacks = start(admin_client, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REFUSED
    assert [(p["row"], p["column"]) for p in run.problems] == [(2, "Menge")]
    assert set(run.problems[0]) == {"row", "column", "reason"}  # the value is not kept
    html = admin_client.get(response["Location"]).content.decode()
    assert "was refused; no figures were changed." in html
    assert "<td>2</td>\n      <td>Menge</td>" in html and "zehn" not in html
    assert stored_files(settings) == [] and not Snapshot.objects.exists()


def test_large_csv_preview_cuts_after_a_whole_record(admin_client, settings):
    settings.VITRINE_FIGURES_PREVIEW_CHECK_BYTES = 10
    header = "product,device_or_user,last_used\n"
    rows = "".join(f'"Visio\nPlan {n}",PC-{n},2026-11-01\n' for n in range(20_000))
    html = preview(admin_client, (header + rows).encode(), name="v.csv").content.decode()
    assert "recognised as: Consumption (generic template)" in html
    assert "PC-1" not in html and html.count(f"<td>{MASK}</td>") == 10
    assert "<td>Visio\nPlan 9</td>" in html and "Plan 10<" not in html


def test_preview_that_expired_or_was_discarded(admin_client, settings):
    response = admin_client.post(START_URL, {"token": "unbekannt", "action": "import"})
    assert response["Location"] == IMPORT_URL
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("no longer available" in m for m in messages)
    preview(admin_client, ENTITLEMENTS.encode())
    token = token_of(admin_client)
    response = admin_client.post(START_URL, {"token": token, "action": "discard"})
    assert response["Location"] == IMPORT_URL
    assert stored_files(settings) == [] and not ImportRun.objects.exists()
    response = admin_client.post(START_URL, {"token": token, "action": "import"})
    assert not ImportRun.objects.exists()
    assert admin_client.get(START_URL).status_code == 405


def test_unused_uploads_are_pruned(settings, editor):
    old = tasks.upload_store(SimpleUploadedFile("a.csv", b"x"))
    waiting = queued_run(editor, b"y")
    for name in (old, waiting.pending_file):
        path = tasks.pending_path(name)
        stamp = path.stat().st_mtime - 2 * 86400
        os.utime(path, (stamp, stamp))
    assert tasks.uploads_prune() == 1
    assert [path.name for path in stored_files(settings)] == [waiting.pending_file]
    with pytest.raises(ValueError):
        tasks.pending_path("../../etc/passwd.upload")


def test_unknown_run_is_404(admin_client):
    assert admin_client.get(reverse("figures_admin:run", args=[999])).status_code == 404
    response = admin_client.get(reverse("figures_admin:run_status", args=[999]))
    assert response.status_code == 404 and "error" in json.loads(response.content)


# --- undo -----------------------------------------------------------------------------------


def test_undo_asks_first_then_deletes_the_values(
    admin_client, settings, django_capture_on_commit_callbacks
):
    preview(admin_client, ENTITLEMENTS.encode(), date="2026-11-01")
    start(admin_client, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    count = run.snapshots.count()
    undo_url = reverse("figures_admin:run_undo", args=[run.pk])
    confirm = admin_client.get(undo_url).content.decode()
    assert f"The {count} values this import wrote will be deleted." in confirm
    assert Snapshot.objects.count() == count  # asking changes nothing
    response = admin_client.post(undo_url)
    assert response["Location"] == reverse("figures_admin:run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE and not Snapshot.objects.exists()
    html = admin_client.get(response["Location"]).content.decode()
    assert "This import was undone on" in html and undo_url not in html
    # A second undo is refused with a message, not an error.
    assert admin_client.get(undo_url)["Location"] == response["Location"]
    again = admin_client.post(undo_url)
    assert any("Only a succeeded import" in str(m) for m in again.wsgi_request._messages)


# --- the real queue -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_queue_and_worker_import_the_file(client, settings, tmp_path):
    settings.TASKS = {
        **settings.TASKS,
        "background": {"BACKEND": "django_tasks_db.backend.DatabaseBackend", "QUEUES": []},
    }
    from django_tasks_db.models import DBTaskResult

    user = get_user_model().objects.create_superuser("admin2", "a@example.org", "x-y-z-123456")
    client.force_login(user)
    preview(client, ENTITLEMENTS.encode(), date="2026-11-01")
    client.post(START_URL, {"token": token_of(client), "action": "import"})
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED
    queued = DBTaskResult.objects.filter(backend_name="background")
    # The import, and the deletion of the file should it never be started.
    assert sorted(queued.values_list("task_path", flat=True)) == [
        "vitrine.figures.tasks.figures_import_task",
        "vitrine.figures.tasks.import_uploads_expire_task",
    ]
    call_command(
        "db_worker",
        "--backend=background",
        "--queue-name=*",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.snapshots.exists()
    assert stored_files(settings) == []
