"""Series and snapshots: list, filter, page, read with meanings, post and replace values."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from vitrine.figures.models import FigureSeries, ImportRun, SeriesMeaning, Snapshot

pytestmark = pytest.mark.django_db

Topic = FigureSeries.Topic


def series(key: str, topic=Topic.LICENSE_POSITION, product: str = "", **values) -> FigureSeries:
    made = FigureSeries.objects.create(
        key=key, title=f"Titel {key}", unit="seats", topic=topic, product=product
    )
    for day, value in values.items():
        Snapshot.objects.create(
            series=made, date=date.fromisoformat(day[1:].replace("_", "-")), value=value
        )
    return made


@pytest.fixture
def figures(db):
    return [
        series(
            "license_position.visio", product="Visio Plan 2", d2026_10_01="3", d2026_11_01="-2.5"
        ),
        series("license_position.acrobat", product="Acrobat Pro", d2026_11_01="4"),
        series("cloud_inactivity.total", topic=Topic.CLOUD_INACTIVITY, d2026_11_20="17"),
        series("lead_time.end_to_end", topic=Topic.LEAD_TIME),
    ]


def keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["key"] for item in response.json()["items"]]


def errors(response) -> dict[str, str]:
    """Field → message of a 422 answer."""
    assert response.status_code == 422, response.content
    return {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}


def test_list_gives_latest_values_by_topic_and_key(editor_api, figures):
    response = editor_api.get("/api/v1/series")
    assert keys(response) == [
        "cloud_inactivity.total",
        "lead_time.end_to_end",
        "license_position.acrobat",
        "license_position.visio",
    ]
    body = response.json()
    assert body["count"] == 4
    assert body["items"][3] == {
        "key": "license_position.visio",
        "title": "Titel license_position.visio",
        "unit": "seats",
        "topic": "license_position",
        "product": "Visio Plan 2",
        "latest_value": "-2.5",
        "latest_date": "2026-11-01",
    }
    assert body["items"][1]["latest_value"] is None and body["items"][1]["latest_date"] is None


def test_list_filters_by_topic_and_product_and_pages(editor_api, figures):
    assert keys(editor_api.get("/api/v1/series", topic="cloud_inactivity")) == [
        "cloud_inactivity.total"
    ]
    assert keys(editor_api.get("/api/v1/series", product="visio plan 2")) == [
        "license_position.visio"
    ]
    assert keys(editor_api.get("/api/v1/series", topic="lead_time", product="Visio Plan 2")) == []
    everything = keys(editor_api.get("/api/v1/series"))
    page = editor_api.get("/api/v1/series", limit=2, offset=1)
    assert page.json()["count"] == 4 and keys(page) == everything[1:3]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"topic": "kosten"}, "topic"),
        ({"limit": "0"}, "limit"),
        ({"limit": "5000"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"limit": "viele"}, "limit"),
        ({"product": "x" * 201}, "product"),
    ],
)
def test_bad_list_parameters_name_the_field(editor_api, figures, params, field):
    assert field in errors(editor_api.get("/api/v1/series", **params))


def test_detail_gives_meanings_per_audience_slug(editor_api, figures, audience):
    visio = figures[0]
    visio.description = "Lizenzen minus Nutzung."
    visio.save()
    visio.audiences.add(audience("alle"))
    SeriesMeaning.objects.create(series=visio, audience=audience("alle"), text="Alles im Lot.")
    response = editor_api.get("/api/v1/series/license_position.visio")
    assert response.status_code == 200
    body = response.json()
    assert body["latest_value"] == "-2.5" and body["description"] == "Lizenzen minus Nutzung."
    assert body["audiences"] == ["alle"]
    assert body["meanings"] == {"alle": "Alles im Lot."}


def test_unknown_series_is_404_with_a_message(editor_api, figures):
    for path in ("/api/v1/series/gibt.es.nicht", "/api/v1/series/gibt.es.nicht/snapshots"):
        response = editor_api.get(path)
        assert response.status_code == 404
        assert "no series with the key “gibt.es.nicht”" in response.json()["detail"]


def test_snapshots_oldest_first_within_a_date_range(editor_api, figures, django_user_model):
    run = ImportRun.objects.create(file_name="lizenzen.csv", format="entitlements")
    Snapshot.objects.filter(series=figures[0], date=date(2026, 10, 1)).update(
        import_run=run, extra={"entitled": 10}
    )
    path = "/api/v1/series/license_position.visio/snapshots"
    response = editor_api.get(path)
    assert response.json() == {
        "items": [
            {"date": "2026-10-01", "value": "3", "import_run": run.pk, "extra": {"entitled": 10}},
            {"date": "2026-11-01", "value": "-2.5", "import_run": None, "extra": {}},
        ],
        "count": 2,
    }
    later = editor_api.get(path, date_from="2026-10-02")
    assert [s["date"] for s in later.json()["items"]] == ["2026-11-01"]
    earlier = editor_api.get(path, date_to="2026-10-01")
    assert [s["date"] for s in earlier.json()["items"]] == ["2026-10-01"]
    assert errors(editor_api.get(path, date_from="01.10.2026")) == {
        "date_from": "Value error, “01.10.2026” is not a date in the form YYYY-MM-DD."
    }
    assert "date_to" in errors(editor_api.get(path, date_from="2026-11-02", date_to="2026-11-01"))


def test_post_creates_then_replaces_the_snapshot_of_a_date(editor_api, figures):
    path = "/api/v1/series/license_position.visio/snapshots"
    run = ImportRun.objects.create(file_name="x.csv")
    Snapshot.objects.filter(series=figures[0], date=date(2026, 11, 1)).update(import_run=run)
    created = editor_api.post(path, {"date": "2026-12-01", "value": 7.25, "extra": {"q": 1}})
    assert created.status_code == 201, created.content
    assert created.json() == {
        "date": "2026-12-01",
        "value": "7.25",
        "import_run": None,
        "extra": {"q": 1},
    }
    replaced = editor_api.post(path, {"date": "2026-11-01", "value": "1234567890.1234"})
    assert replaced.status_code == 200
    assert replaced.json()["value"] == "1234567890.1234"
    stored = Snapshot.objects.get(series=figures[0], date=date(2026, 11, 1))
    assert (stored.value, stored.import_run, stored.extra) == (
        Decimal("1234567890.1234"),
        None,
        {},
    )
    assert figures[0].snapshots.count() == 3
    listed = editor_api.get("/api/v1/series", product="Visio Plan 2").json()["items"][0]
    assert (listed["latest_date"], listed["latest_value"]) == ("2026-12-01", "7.25")


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"value": 1}, "date", "Field required"),
        ({"date": "2026-12-01"}, "value", "Field required"),
        ({"date": "1.12.2026", "value": 1}, "date", "not a date in the form YYYY-MM-DD"),
        ({"date": 1764547200, "value": 1}, "date", "Give the date as text"),
        ({"date": "2026-02-30", "value": 1}, "date", "not a date"),
        ({"date": "2026-12-01", "value": "viel"}, "value", "“viel” is not a number"),
        ({"date": "2026-12-01", "value": "NaN"}, "value", "finite number"),
        ({"date": "2026-12-01", "value": True}, "value", "Give the value as a number"),
        ({"date": "2026-12-01", "value": "1e20"}, "value", "too large"),
        ({"date": "2026-12-01", "value": "0.00001"}, "value", "more than 4 decimal places"),
        ({"date": "2026-12-01", "value": 1, "extra": [1]}, "extra", "dictionary"),
        ({"date": "2026-12-01", "value": 1, "extra": {"x": "y" * 10_001}}, "extra", "longer"),
    ],
)
def test_bad_snapshots_name_the_field_and_change_nothing(editor_api, figures, body, field, message):
    before = list(Snapshot.objects.values_list("pk", "value", "date"))
    found = errors(editor_api.post("/api/v1/series/license_position.visio/snapshots", body))
    assert message in found[field]
    assert list(Snapshot.objects.values_list("pk", "value", "date")) == before


def test_a_body_that_is_not_json_is_refused(editor_api, figures):
    response = editor_api.post(
        "/api/v1/series/license_position.visio/snapshots", "{date:", content_type="application/json"
    )
    assert response.status_code == 400
    assert Snapshot.objects.count() == 4


def test_posting_to_an_unknown_series_is_404(editor_api, figures):
    response = editor_api.post(
        "/api/v1/series/neu.serie/snapshots", {"date": "2026-12-01", "value": 1}
    )
    assert response.status_code == 404
    assert not FigureSeries.objects.filter(key="neu.serie").exists()


def test_users_without_the_permission_cannot_write(api_as, reviewer_user, figures):
    api = api_as(reviewer_user)
    assert api.get("/api/v1/series").status_code == 200  # reading is fine
    response = api.post(
        "/api/v1/series/license_position.visio/snapshots", {"date": "2026-12-01", "value": 1}
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Your account may not post snapshots."}
    created = api.post("/api/v1/series", {"key": "a.b", "title": "A", "topic": "savings"})
    assert created.status_code == 403
    assert Snapshot.objects.count() == 4 and FigureSeries.objects.count() == 4


def test_the_add_snapshot_permission_alone_allows_posting(api_as, reviewer_user, figures):
    reviewer_user.user_permissions.add(
        Permission.objects.get(content_type__app_label="figures", codename="add_snapshot")
    )
    response = api_as(reviewer_user).post(
        "/api/v1/series/license_position.visio/snapshots", {"date": "2026-12-01", "value": 1}
    )
    assert response.status_code == 201


def test_series_are_created_by_those_allowed(api_as, superuser, editor_user, figures):
    body = {
        "key": "savings.manuell",
        "title": "Einsparungen (manuell)",
        "unit": "EUR",
        "topic": "savings",
    }
    assert api_as(editor_user).post("/api/v1/series", body).status_code == 403
    api = api_as(superuser)
    response = api.post("/api/v1/series", body)
    assert response.status_code == 201, response.content
    assert response.json() | {"meanings": {}} == {
        **body,
        "product": "",
        "description": "",
        "latest_value": None,
        "latest_date": None,
        "audiences": [],
        "meanings": {},
    }
    again = api.post("/api/v1/series", body | {"title": "Doppelt"})
    assert again.status_code == 409
    assert "“savings.manuell” exists already" in again.json()["detail"]
    assert FigureSeries.objects.get(key="savings.manuell").title == "Einsparungen (manuell)"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"key": "Lizenz Position!"}, "key", "lower-case letters"),
        ({"key": "k" * 201}, "key", "at most 200 characters"),
        ({"title": "   "}, "title", "A title is required."),
        ({"topic": "kosten"}, "topic", "Input should be"),
        ({"unit": "u" * 21}, "unit", "at most 20 characters"),
    ],
)
def test_bad_series_name_the_field(api_as, superuser, change, field, message):
    body = {"key": "savings.x", "title": "X", "topic": "savings"} | change
    found = errors(api_as(superuser).post("/api/v1/series", body))
    assert message in found[field]
    assert not FigureSeries.objects.exists()


def test_nul_characters_are_refused_before_the_database(api_as, superuser, figures):
    # PostgreSQL cannot store NUL; each place one could enter says so or finds nothing.
    api = api_as(superuser)
    assert api.get("/api/v1/series/license_position%00visio").status_code == 404
    assert api.get("/api/v1/series/a%00b/snapshots").status_code == 404
    assert "NUL" in errors(api.get("/api/v1/series", product="Visio\x00"))["product"]
    assert "NUL" in errors(api.get("/api/v1/imports", format="m365\x00"))["format"]
    body = {"key": "savings.x", "title": "X\x00", "topic": "savings"}
    assert "NUL" in errors(api.post("/api/v1/series", body))["title"]
    snapshot = {"date": "2026-12-01", "value": 1, "extra": {"a": ["b", {"c\x00": 1}]}}
    path = "/api/v1/series/license_position.visio/snapshots"
    assert "NUL" in errors(api.post(path, snapshot))["extra"]
    assert FigureSeries.objects.count() == 4 and Snapshot.objects.count() == 4
