"""Imports through the API: upload, 202 and the queued run, polling, dry runs, refusals."""

from io import BytesIO

import pytest
from django.test.client import MULTIPART_CONTENT

from vitrine.figures import tasks
from vitrine.figures.models import FigureSeries, ImportRun, Snapshot

from .conftest import files_left

pytestmark = pytest.mark.django_db

ENTITLEMENTS = (
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
    "Visio Plan 2;Microsoft;Abonnement;10;120,00;EUR;01.01.2026;31.12.2026\n"
    "Acrobat Pro;Adobe;Benutzer;5;200,00;EUR;01.01.2026;30.06.2027\n"
)
BROKEN = (
    "product,vendor,metric,quantity,unit_price,currency,start_date,end_date\n"
    "Visio Plan 2,Microsoft,subscription,zehn,120.00,EUR,2026-01-01,2026-12-31\n"
    "Acrobat Pro,Adobe,user,5,200.00,EUR,2026-01-01,31.02.2027\n"
)
M365_HEADER = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    "Exchange Last Activity Date,OneDrive Last Activity Date,SharePoint Last Activity Date,"
    "Teams Last Activity Date,Assigned Products\n"
)


def upload(text: str, name: str = "lizenzen.csv", **fields) -> dict:
    handle = BytesIO(text.encode("utf-8"))
    handle.name = name
    return {"file": handle, **fields}


def post_and_run(api, django_capture_on_commit_callbacks, data: dict):
    """Upload; the queued import runs when the request's transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return api.post("/api/v1/imports", data)


def test_an_upload_is_queued_and_its_run_polled(
    editor_api, editor_user, import_dirs, django_capture_on_commit_callbacks, settings
):
    # The run's address is on the configured root URL, not on the host the request used.
    settings.BASE_URL = "https://intranet.example.com/portal"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, date="2026-11-01"))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["dry_run"] is False and body["values"] == []
    assert response["Location"] == body["url"]
    assert body["url"] == f"https://intranet.example.com/portal/api/v1/imports/{body['id']}"
    assert (body["file_name"], body["format"], body["imported_by"]) == (
        "lizenzen.csv",
        "entitlements",
        editor_user.username,
    )
    # Stored under a random name in the private directory until the worker takes it.
    [waiting] = files_left(import_dirs)
    assert waiting.parent == import_dirs["imports"] and "lizenzen" not in waiting.name
    assert not Snapshot.objects.exists() and len(queued) == 1

    queued[0]()  # the worker runs the task
    run = editor_api.get(body["url"].removeprefix(settings.BASE_URL)).json()
    assert (run["status"], run["rows"], run["figure_date"], run["progress"]) == (
        "succeeded",
        2,
        "2026-11-01",
        100,
    )
    written = {v["key"]: v for v in run["values"]}
    assert written["entitled.visio-plan-2"] == {
        "key": "entitled.visio-plan-2",
        "title": "Entitled seats: Visio Plan 2",
        "unit": "seats",
        "date": "2026-11-01",
        "value": "10",
    }
    stored = ImportRun.objects.get(pk=body["id"])
    assert stored.imported_by == editor_user and stored.snapshots.count() == len(written)
    assert files_left(import_dirs) == []

    listed = editor_api.get("/api/v1/imports").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert "values" not in listed["items"][0]
    snapshots = editor_api.get("/api/v1/series/entitled.visio-plan-2/snapshots").json()
    assert snapshots["items"] == [
        {
            "date": "2026-11-01",
            "value": "10",
            "import_run": body["id"],
            "extra": {"unit_price": 120.0, "currency": "EUR"},
        }
    ]


def test_a_dry_run_is_queued_too_and_keeps_what_it_computed(
    editor_api, import_dirs, django_capture_on_commit_callbacks
):
    response = post_and_run(
        editor_api,
        django_capture_on_commit_callbacks,
        upload(ENTITLEMENTS, dry_run="true", date="2026-11-01"),
    )
    assert response.status_code == 202, response.content
    assert response.json()["dry_run"] is True
    run = editor_api.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert run["status"] == "succeeded" and run["dry_run"] is True and run["rows"] == 2
    values = {v["key"]: v["value"] for v in run["values"]}
    assert values["entitled.visio-plan-2"] == "10" and values["entitled.acrobat-pro"] == "5"
    assert "none stored" in run["progress_message"]
    assert not Snapshot.objects.exists() and not FigureSeries.objects.exists()
    assert files_left(import_dirs) == []


def test_a_refused_file_lists_its_problems_and_changes_nothing(
    editor_api, import_dirs, django_capture_on_commit_callbacks
):
    post_and_run(
        editor_api, django_capture_on_commit_callbacks, upload(ENTITLEMENTS, date="2026-10-01")
    )
    before = sorted(Snapshot.objects.values_list("series__key", "date", "value"))
    response = post_and_run(
        editor_api,
        django_capture_on_commit_callbacks,
        upload(BROKEN, "kaputt.csv", date="2026-11-01"),
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["status"] == "refused" and body["problem_count"] == 2
    assert [(p["row"], p["column"], p["value"]) for p in body["problems"]] == [
        (2, "quantity", "zehn"),
        (3, "end_date", "31.02.2027"),
    ]
    assert all(p["reason"] for p in body["problems"])
    assert sorted(Snapshot.objects.values_list("series__key", "date", "value")) == before
    assert files_left(import_dirs) == []
    # The run is on record without the cell values.
    stored = editor_api.get(f"/api/v1/imports/{body['id']}").json()
    assert stored["status"] == "refused" and stored["values"] == []
    assert [(p["row"], p["column"], p["value"]) for p in stored["problems"]] == [
        (2, "quantity", None),
        (3, "end_date", None),
    ]
    assert "zehn" not in str(ImportRun.objects.get(pk=body["id"]).problems)
    refused = editor_api.get("/api/v1/imports", status="refused").json()
    assert [r["id"] for r in refused["items"]] == [body["id"]]


def test_a_refusal_never_repeats_what_names_a_person(editor_api, import_dirs):
    rows = [
        "2026-11-30,anna.berg@example.org,Anna Berg,vielleicht,,,,,,Microsoft 365 E3",
        "2026-11-30,   ,Bernd Kranz,False,,,,,,Microsoft 365 E3",
        "30.11.2026,carla.dorn@example.org,Carla Dorn,False,,,,,,Microsoft 365 E3",
    ]
    response = editor_api.post("/api/v1/imports", upload(M365_HEADER + "\n".join(rows) + "\n"))
    assert response.status_code == 422, response.content
    problems = response.json()["problems"]
    by_column = {p["column"]: p for p in problems}
    assert by_column["Is Deleted"]["value"] == "vielleicht"
    assert by_column["User Principal Name"]["row"] == 3
    assert by_column["User Principal Name"]["value"] is None
    text = response.content.decode()
    for personal in ("anna.berg", "Anna Berg", "Bernd Kranz", "carla.dorn", "Carla Dorn"):
        assert personal not in text
    assert files_left(import_dirs) == []


def test_a_file_the_preview_cannot_place_repeats_no_value(editor_api, import_dirs):
    response = editor_api.post(
        "/api/v1/imports", upload("name,count\nanna.berg@example.org,1\n", format="m365")
    )
    assert response.status_code == 422
    assert all(p["value"] is None for p in response.json()["problems"])
    assert "anna.berg" not in response.content.decode()


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("name,count\nA,1\n", "matches no known import format"),
        ("Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n", "no data"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(editor_api, import_dirs, text, reason):
    response = editor_api.post("/api/v1/imports", upload(text))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["status"] == "refused"
    assert reason in (body["summary"] + " ".join(p["reason"] for p in body["problems"]))
    assert not Snapshot.objects.exists() and files_left(import_dirs) == []


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"format": "sap"}, "format", "Input should be"),
        ({"date": "01.11.2026"}, "date", "not a date in the form YYYY-MM-DD"),
        ({"dry_run": "vielleicht"}, "dry_run", "boolean"),
    ],
)
def test_bad_form_fields_are_named(editor_api, import_dirs, fields, field, message):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, **fields))
    assert response.status_code == 422
    found = {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}
    assert message in found[field]
    assert not ImportRun.objects.exists()
    assert files_left(import_dirs) == []  # the streamed file went with the refusal


def test_a_missing_file_is_named(editor_api):
    response = editor_api.post(
        "/api/v1/imports", {"format": "entitlements"}, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 422
    assert [item["loc"][-1] for item in response.json()["detail"]] == ["file"]


def test_blank_format_and_date_mean_detect_and_default(
    editor_api, django_capture_on_commit_callbacks
):
    response = post_and_run(
        editor_api, django_capture_on_commit_callbacks, upload(ENTITLEMENTS, format="", date=" ")
    )
    assert response.status_code == 202, response.content
    assert response.json()["format"] == "entitlements"
    assert editor_api.get(f"/api/v1/imports/{response.json()['id']}").json()["figure_date"]


def test_control_characters_leave_the_file_name(editor_api):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, "liz\x00enzen\x07.csv"))
    assert response.status_code == 202
    assert ImportRun.objects.get().file_name == "lizenzen.csv"


def test_an_explicit_format_is_used(editor_api):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, format="consumption"))
    assert response.status_code == 422
    assert "missing columns" in response.json()["problems"][0]["reason"]


def test_a_large_file_is_checked_by_the_worker(
    editor_api, settings, import_dirs, django_capture_on_commit_callbacks
):
    """Above the preview's size only the format is checked at once; the worker refuses the
    bad rows then, and the run says so without the values."""
    settings.VITRINE_FIGURES_PREVIEW_CHECK_BYTES = 100
    text = ENTITLEMENTS + "Project Plan 3;Microsoft;Abonnement;drei;1,00;EUR;01.01.2026;;\n"
    response = post_and_run(editor_api, django_capture_on_commit_callbacks, upload(text))
    assert response.status_code == 202, response.content
    run = editor_api.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert run["status"] == "refused" and run["problem_count"] >= 1
    assert {(p["row"], p["column"], p["value"]) for p in run["problems"]} >= {(4, "Menge", None)}
    assert "drei" not in str(run) and not Snapshot.objects.exists()
    assert files_left(import_dirs) == []


def test_a_crash_in_the_import_ends_the_run_as_failed(
    editor_api, monkeypatch, import_dirs, django_capture_on_commit_callbacks
):
    def crash(**_kwargs):
        raise RuntimeError("the reader broke")

    monkeypatch.setattr(tasks, "figures_import", crash)
    response = post_and_run(editor_api, django_capture_on_commit_callbacks, upload(ENTITLEMENTS))
    assert response.status_code == 202
    run = editor_api.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert run["status"] == "failed" and run["finished_at"] is not None
    assert "stopped unexpectedly (RuntimeError)" in run["summary"]
    assert run["values"] == [] and not Snapshot.objects.exists()
    assert files_left(import_dirs) == []
    failed = editor_api.get("/api/v1/imports", status="failed").json()
    assert [r["id"] for r in failed["items"]] == [run["id"]]


def test_users_without_the_permission_cannot_import(api_as, reviewer_user, make_reader):
    response = api_as(reviewer_user).post("/api/v1/imports", upload(ENTITLEMENTS))
    assert response.status_code == 403
    assert response.json() == {"detail": "Your account may not import figures."}
    assert api_as(reviewer_user).get("/api/v1/imports").status_code == 200
    reader = api_as(make_reader("alle"))
    assert reader.post("/api/v1/imports", upload(ENTITLEMENTS)).status_code == 401
    assert not ImportRun.objects.exists()


def test_unknown_runs_and_bad_ids(editor_api):
    assert editor_api.get("/api/v1/imports/999").status_code == 404
    assert "no import run 999" in editor_api.get("/api/v1/imports/999").json()["detail"]
    for bad in ("abc", "0"):
        assert editor_api.get(f"/api/v1/imports/{bad}").status_code == 422
    # Beyond any id: nothing there, as for any other unknown id (issue 9 §5).
    assert editor_api.get("/api/v1/imports/99999999999999999999").status_code == 404
    assert editor_api.get("/api/v1/imports", offset=10**12).status_code == 422
    assert editor_api.get("/api/v1/imports", status="kaputt").status_code == 422


def test_broken_multipart_bodies_are_refused(editor_api, import_dirs):
    response = editor_api.post("/api/v1/imports", b"data", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not a readable multipart form."}
    response = editor_api.post(
        "/api/v1/imports", b"--x\r\nnonsense", content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 422
    assert [item["loc"][-1] for item in response.json()["detail"]] == ["file"]
    assert not ImportRun.objects.exists() and files_left(import_dirs) == []
