"""The plausibility check through the API: a queued import the check warns about stores
nothing unless the upload accepts the warnings; every run (a dry run too) shows each figure
against its stored value, the warnings and the pages it changes."""

from io import BytesIO

import pytest

from vitrine.figures import services
from vitrine.figures.models import ImportRun, Snapshot

pytestmark = pytest.mark.django_db

HEADER = "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"


def entitlements(visio: int, acrobat: int) -> str:
    return (
        HEADER
        + f"Visio Plan 2;Microsoft;Abonnement;{visio};120,00;EUR;01.01.2026;31.12.2026\n"
        + f"Acrobat Pro;Adobe;Benutzer;{acrobat};200,00;EUR;01.01.2026;30.06.2027\n"
    )


def post_and_run(api, capture, text: str, **fields):
    handle = BytesIO(text.encode())
    handle.name = "lizenzen.csv"
    with capture(execute=True):
        response = api.post("/api/v1/imports", {"file": handle, **fields})
    assert response.status_code == 202, response.content
    return api.get(f"/api/v1/imports/{response.json()['id']}").json()


@pytest.fixture
def first_import(editor_api, import_dirs, django_capture_on_commit_callbacks):
    run = post_and_run(
        editor_api, django_capture_on_commit_callbacks, entitlements(100, 40), date="2026-10-01"
    )
    assert run["status"] == "succeeded"
    return run


def test_a_jump_is_refused_with_its_warning_and_stores_nothing(
    editor_api, first_import, django_capture_on_commit_callbacks
):
    before = Snapshot.objects.count()
    run = post_and_run(
        editor_api, django_capture_on_commit_callbacks, entitlements(4, 40), date="2026-11-01"
    )
    assert run["status"] == "refused"
    assert "plausibility" in run["summary"] and "--accept-warnings" in run["summary"]
    assert run["problems"] and all(p["row"] is None for p in run["problems"])
    warnings = run["plausibility"]["warnings"]
    flagged = {w["key"] for w in warnings if w["kind"] == "change"}
    assert "entitled.visio-plan-2" in flagged and "entitled.acrobat-pro" not in flagged
    visio = {c["key"]: c for c in run["plausibility"]["changes"]}["entitled.visio-plan-2"]
    assert (visio["previous"], visio["value"], visio["change"]) == ("100", "4", "-96")
    assert visio["implausible"] is True and visio["previous_date"] == "2026-10-01"
    assert run["plausibility"]["changes_total"] == len(run["plausibility"]["changes"])
    assert Snapshot.objects.count() == before
    assert ImportRun.objects.get(pk=run["id"]).snapshots.count() == 0


def test_accepted_warnings_store_the_figures(
    editor_api, first_import, django_capture_on_commit_callbacks
):
    run = post_and_run(
        editor_api,
        django_capture_on_commit_callbacks,
        entitlements(4, 40),
        date="2026-11-01",
        accept_warnings="true",
    )
    assert run["status"] == "succeeded"
    assert {v["key"]: v["value"] for v in run["values"]}["entitled.visio-plan-2"] == "4"
    assert run["plausibility"]["warnings"]  # what was accepted stays on record
    assert ImportRun.objects.get(pk=run["id"]).plausibility["warnings"]


def test_a_run_keeps_at_most_the_bound_of_changes_flagged_first(
    editor_api, first_import, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "KEPT_CHANGES", 1)
    run = post_and_run(
        editor_api, django_capture_on_commit_callbacks, entitlements(4, 41), date="2026-11-01"
    )
    kept = run["plausibility"]["changes"]
    assert len(kept) == 1 and kept[0]["implausible"] is True
    assert run["plausibility"]["changes_total"] > 1


def test_a_dry_run_shows_the_check_without_refusing(
    editor_api, first_import, django_capture_on_commit_callbacks
):
    run = post_and_run(
        editor_api,
        django_capture_on_commit_callbacks,
        entitlements(4, 40),
        date="2026-11-01",
        dry_run="true",
    )
    assert run["status"] == "succeeded" and run["dry_run"] is True
    flagged = {w["key"] for w in run["plausibility"]["warnings"]}
    assert "entitled.visio-plan-2" in flagged and "entitled.acrobat-pro" not in flagged
    assert not Snapshot.objects.filter(date="2026-11-01").exists()


def test_a_plausible_import_needs_no_confirmation(
    editor_api, first_import, django_capture_on_commit_callbacks
):
    run = post_and_run(
        editor_api, django_capture_on_commit_callbacks, entitlements(110, 42), date="2026-11-01"
    )
    assert run["status"] == "succeeded" and run["plausibility"]["warnings"] == []
    assert {c["key"] for c in run["plausibility"]["changes"]} >= {"entitled.visio-plan-2"}


def test_accept_warnings_must_be_a_boolean(editor_api, import_dirs):
    handle = BytesIO(entitlements(1, 1).encode())
    handle.name = "lizenzen.csv"
    response = editor_api.post("/api/v1/imports", {"file": handle, "accept_warnings": "vielleicht"})
    assert response.status_code == 422
    assert "accept_warnings" in response.content.decode()
