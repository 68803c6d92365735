"""Imports through the API: a round trip with a small CSV, dry runs, refusals, limits."""

from io import BytesIO

import pytest
from django.test.client import MULTIPART_CONTENT

from vitrine.api import imports
from vitrine.figures.models import FigureSeries, ImportRun, Snapshot

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


def upload(text: str, name: str = "lizenzen.csv", **fields) -> dict:
    handle = BytesIO(text.encode("utf-8"))
    handle.name = name
    return {"file": handle, **fields}


def test_import_round_trip(editor_api, editor_user):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, date="2026-11-01"))
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "succeeded" and run["dry_run"] is False
    assert (run["format"], run["rows"], run["figure_date"]) == ("entitlements", 2, "2026-11-01")
    assert (run["file_name"], run["imported_by"], run["problems"]) == (
        "lizenzen.csv",
        editor_user.username,
        [],
    )
    written = {v["key"]: v for v in run["values"]}
    assert written["entitled.visio-plan-2"] == {
        "key": "entitled.visio-plan-2",
        "title": "Entitled seats: Visio Plan 2",
        "unit": "seats",
        "date": "2026-11-01",
        "value": "10",
    }
    stored = ImportRun.objects.get(pk=run["id"])
    assert stored.imported_by == editor_user and stored.snapshots.count() == len(written)

    listed = editor_api.get("/api/v1/imports").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == run["id"]
    assert "values" not in listed["items"][0]
    detail = editor_api.get(f"/api/v1/imports/{run['id']}").json()
    assert detail["status"] == "succeeded" and detail["rows"] == 2
    snapshots = editor_api.get("/api/v1/series/entitled.visio-plan-2/snapshots").json()
    assert snapshots["items"] == [
        {
            "date": "2026-11-01",
            "value": "10",
            "import_run": run["id"],
            "extra": {"unit_price": 120.0, "currency": "EUR"},
        }
    ]


def test_a_dry_run_stores_nothing(editor_api):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, dry_run="true"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True and body["id"] is None and body["values"]
    assert not ImportRun.objects.exists() and not Snapshot.objects.exists()
    assert not FigureSeries.objects.exists()


def test_a_refused_file_lists_its_problems_and_changes_nothing(editor_api):
    editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, date="2026-10-01"))
    before = sorted(Snapshot.objects.values_list("series__key", "date", "value"))
    response = editor_api.post("/api/v1/imports", upload(BROKEN, "kaputt.csv", date="2026-11-01"))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["status"] == "refused" and body["problem_count"] == 2
    assert [(p["row"], p["column"], p["value"]) for p in body["problems"]] == [
        (2, "quantity", "zehn"),
        (3, "end_date", "31.02.2027"),
    ]
    assert all(p["reason"] for p in body["problems"]) and body["values"] == []
    assert sorted(Snapshot.objects.values_list("series__key", "date", "value")) == before
    # The run is on record without the cell values.
    stored = editor_api.get(f"/api/v1/imports/{body['id']}").json()
    assert stored["status"] == "refused"
    assert [(p["row"], p["column"], p["value"]) for p in stored["problems"]] == [
        (2, "quantity", None),
        (3, "end_date", None),
    ]
    assert "zehn" not in str(ImportRun.objects.get(pk=body["id"]).problems)
    refused = editor_api.get("/api/v1/imports", status="refused").json()
    assert [r["id"] for r in refused["items"]] == [body["id"]]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("name,count\nA,1\n", "matches no known import format"),
        ("Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n", "no data"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(editor_api, text, reason):
    response = editor_api.post("/api/v1/imports", upload(text))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["status"] == "refused"
    assert reason in (body["summary"] + " ".join(p["reason"] for p in body["problems"]))
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"format": "sap"}, "format", "Input should be"),
        ({"date": "01.11.2026"}, "date", "not a date in the form YYYY-MM-DD"),
        ({"dry_run": "vielleicht"}, "dry_run", "boolean"),
    ],
)
def test_bad_form_fields_are_named(editor_api, fields, field, message):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, **fields))
    assert response.status_code == 422
    found = {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}
    assert message in found[field]
    assert not ImportRun.objects.exists()


def test_a_missing_file_is_named(editor_api):
    response = editor_api.post(
        "/api/v1/imports", {"format": "entitlements"}, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 422
    assert [item["loc"][-1] for item in response.json()["detail"]] == ["file"]


def test_blank_format_and_date_mean_detect_and_default(editor_api):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, format="", date=" "))
    assert response.status_code == 201, response.content
    assert response.json()["format"] == "entitlements"
    assert response.json()["figure_date"] is not None


def test_control_characters_leave_the_file_name(editor_api):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, "liz\x00enzen\x07.csv"))
    assert response.status_code == 201
    assert ImportRun.objects.get().file_name == "lizenzen.csv"


def test_an_explicit_format_is_used(editor_api):
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS, format="consumption"))
    assert response.status_code == 422
    assert "missing columns" in response.json()["problems"][0]["reason"]


def test_files_above_the_cap_are_413_before_and_after_reading(editor_api, monkeypatch):
    monkeypatch.setattr(imports.UPLOAD_AUTH, "max_bytes", 10)
    monkeypatch.setattr("vitrine.api.auth.MULTIPART_OVERHEAD", 0)
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS))
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    monkeypatch.setattr(imports.UPLOAD_AUTH, "max_bytes", 10_000_000)
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    response = editor_api.post("/api/v1/imports", upload(ENTITLEMENTS))
    assert response.status_code == 413
    assert not ImportRun.objects.exists()


def test_the_cap_is_the_importers_byte_limit():
    from vitrine.figures.importers import ImportLimits

    assert imports.MAX_BYTES == imports.UPLOAD_AUTH.max_bytes == ImportLimits().max_bytes


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


def test_broken_multipart_bodies_are_refused(editor_api):
    response = editor_api.post("/api/v1/imports", b"data", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not a readable multipart form."}
    response = editor_api.post(
        "/api/v1/imports", b"--x\r\nnonsense", content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 422
    assert [item["loc"][-1] for item in response.json()["detail"]] == ["file"]
    assert not ImportRun.objects.exists()
