"""Plausibility before a figure goes live: previous value, change, warnings, affected pages,
and the confirmation the admin, the command and the background task ask for."""

import io
import json
import os
import subprocess
import sys
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from vitrine.excerpts.models import TopicExcerptPage
from vitrine.figures import tasks
from vitrine.figures.admin_views import SESSION_KEY
from vitrine.figures.models import FigureSeries, ImportRun, Snapshot
from vitrine.figures.plausibility import ImplausibleImport, plausibility_of
from vitrine.figures.sample_data import FILENAMES, make_sample_data
from vitrine.figures.services import SeriesValue, figures_check, figures_import
from vitrine.portal.models import NewsIndexPage

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)
IMPORT_URL = "/admin/figures/import/"
START_URL = "/admin/figures/import/start/"
IMMEDIATE = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
HEADER = "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"


def entitlements(*rows: tuple[str, int]) -> bytes:
    """An entitlements template export (German headers, semicolons) of (product, seats)."""
    lines = [
        f"{product};Microsoft;Benutzer;{seats};120,00;EUR;01.01.2026;31.12.2026\n"
        for product, seats in rows
    ]
    return (HEADER + "".join(lines)).encode("utf-8")


SIX = [
    ("Visio Plan 2", 10),
    ("Project Plan 3", 20),
    ("Acrobat Pro", 30),
    ("AutoCAD LT", 40),
    ("SnagIt", 50),
    ("Power BI Pro", 60),
]


# Page addresses come from the configured root URL, not from the Wagtail site record
# (its host name is "localhost" here).
PORTAL = "https://intranet.example.com/portal"


@pytest.fixture(autouse=True)
def _imports(settings, tmp_path):
    settings.PRIVATE_IMPORT_ROOT = tmp_path / "imports"
    settings.TASKS = {**settings.TASKS, "background": IMMEDIATE}
    settings.BASE_URL = PORTAL


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def news(home):
    index = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def excerpt(news, title: str, *keys: str, chart: tuple[str, ...] = (), publish: bool = True):
    """A topic excerpt with a figure block per series key and a bar chart of `chart`."""
    series = {s.key: s.pk for s in FigureSeries.objects.filter(key__in=keys + chart)}
    body = [
        {
            "type": "figure",
            "id": str(uuid.uuid4()),
            "value": {"series": series[key], "chart": "", "meanings": []},
        }
        for key in keys
    ]
    if chart:
        items = [{"type": "item", "id": str(uuid.uuid4()), "value": series[key]} for key in chart]
        body.append(
            {
                "type": "chart",
                "id": str(uuid.uuid4()),
                "value": {"kind": "bar", "series": items, "title": "", "description": ""},
            }
        )
    page = TopicExcerptPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        intro="In short.",
        body=json.dumps(body),
        live=publish,
    )
    news.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def values() -> dict[tuple[str, date], Decimal]:
    return {(s.series.key, s.date): s.value for s in Snapshot.objects.select_related("series")}


def import_file(tmp_path, name: str, data: bytes, **kwargs) -> ImportRun:
    path = tmp_path / name
    path.write_bytes(data)
    return figures_import(source=path, filename=name, **kwargs)


# --- the 4-row attack on demo-like data -----------------------------------------------------


@pytest.fixture
def demo(tmp_path):
    """Demo-like figures: entitlements, consumption and the Microsoft 365 report of a company,
    imported as the demo does, dated DAY."""
    folder = tmp_path / "sample"
    files = {
        f.format: f.path for f in make_sample_data(employees=120, out=folder, seed=40, as_of=DAY)
    }
    for key in ("entitlements", "consumption", "m365"):
        run = figures_import(source=files[key], filename=files[key].name, format=key, date=DAY)
        assert run.status == ImportRun.Status.SUCCEEDED, run.summary
    return files


def four_rows(path: Path) -> bytes:
    """The real report's header and its first four accounts."""
    lines = path.read_bytes().splitlines(keepends=True)
    return b"".join(lines[:5])


def test_four_row_file_replacing_a_published_excerpts_figures_is_refused_unless_accepted(
    demo, news, tmp_path
):
    live = excerpt(
        news, "Cloud accounts", "cloud_inactivity.total", chart=("cloud_inactivity.yearly_cost",)
    )
    excerpt(news, "Draft about accounts", "cloud_inactivity.total", publish=False)
    excerpt(news, "Renewals", "renewals.next_four_quarters")
    before = values()
    accounts = ImportRun.objects.get(format="m365").row_count
    assert accounts > 100

    with pytest.raises(ImplausibleImport) as refused:
        import_file(tmp_path, FILENAMES["m365"], four_rows(demo["m365"]), accept_warnings=False)

    assert values() == before  # nothing stored
    check = refused.value.plausibility
    coverage = [w.message for w in check.warnings if w.kind == "coverage"]
    assert any(
        "covers 4 accounts" in m and f"covered {accounts:,}" in m and FILENAMES["m365"] in m
        for m in coverage
    ), coverage
    total = next(c for c in check.changes if c.key == "cloud_inactivity.total")
    assert total.previous == before[("cloud_inactivity.total", DAY)] and total.previous_date == DAY
    assert total.change == total.value - total.previous and total.implausible
    assert "cloud_inactivity.total" in {w.key for w in check.warnings if w.kind == "change"}
    # The published excerpt is listed with its URL; the draft and the other page are not.
    assert [(p.title, p.url) for p in check.pages] == [
        ("Cloud accounts", f"{PORTAL}/news/cloud-accounts/")
    ]
    assert live.get_full_url() == "http://localhost/news/cloud-accounts/"  # not used
    # The refusal is recorded, with the warnings as its problems and no cell values.
    run = refused.value.run
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REFUSED and run.snapshots.count() == 0
    assert "--accept-warnings" in run.summary
    assert {p["reason"] for p in run.problems} == {str(w.message) for w in check.warnings}

    accepted = import_file(
        tmp_path, FILENAMES["m365"], four_rows(demo["m365"]), accept_warnings=True
    )
    assert accepted.status == ImportRun.Status.SUCCEEDED
    assert values()[("cloud_inactivity.total", DAY)] == total.value != total.previous


def test_the_same_file_again_raises_no_warning(demo, tmp_path):
    before = values()
    run = figures_import(
        source=demo["m365"], filename="again.csv", format="m365", date=DAY, accept_warnings=False
    )
    check = run.outcome.plausibility
    assert run.status == ImportRun.Status.SUCCEEDED and check.warnings == []
    assert all(c.change == 0 and not c.implausible for c in check.changes)
    assert check.pages == [] and values() == before


# --- steps of a figure ----------------------------------------------------------------------


def test_a_jump_of_more_than_half_warns_and_a_smaller_one_does_not(tmp_path, settings, news):
    import_file(tmp_path, "januar.csv", entitlements(*SIX), date=DAY)
    later = DAY + timedelta(days=30)
    excerpt(news, "Visio", "entitled.visio-plan-2")

    small = import_file(
        tmp_path,
        "klein.csv",
        entitlements(("Visio Plan 2", 14), *SIX[1:]),
        date=later,
        dry_run=True,
    )
    visio = next(c for c in small.outcome.plausibility.changes if c.key == "entitled.visio-plan-2")
    assert (visio.previous, visio.previous_date, visio.value) == (10, DAY, 14)
    assert visio.change == 4 and visio.relative == Decimal("0.4") and not visio.implausible

    jump = import_file(
        tmp_path,
        "gross.csv",
        entitlements(("Visio Plan 2", 16), *SIX[1:]),
        date=later,
        dry_run=True,
    )
    check = jump.outcome.plausibility
    visio = next(c for c in check.changes if c.key == "entitled.visio-plan-2")
    assert visio.relative == Decimal("0.6") and visio.implausible
    (warning,) = [w for w in check.warnings if w.key == "entitled.visio-plan-2"]
    assert warning.message == (
        "Entitled seats: Visio Plan 2: 10 → 16 (+60 %), more than the plausible ±50 %."
    )
    assert visio.change_display == "+6 (+60 %)"
    assert [c.key for c in check.changes if c.implausible] == ["entitled.visio-plan-2"]
    assert visio.published and visio.warns

    settings.VITRINE_IMPORT_PLAUSIBLE_CHANGE = 0.7
    jump = import_file(
        tmp_path,
        "gross.csv",
        entitlements(("Visio Plan 2", 16), *SIX[1:]),
        date=later,
        dry_run=True,
    )
    assert jump.outcome.plausibility.warnings == []


def product_value(key: str, product: str, number: str, day: date) -> SeriesValue:
    return SeriesValue(
        key=key,
        title=f"{key.split('.')[0]}: {product}",
        unit="seats",
        topic="license_position",
        product=product,
        date=day,
        value=Decimal(number),
    )


def test_a_derived_product_figure_is_marked_and_warns_only_on_a_published_page(news):
    """A product's license position (entitled − used) crossing zero is no sign of a wrong
    file; its inputs are checked themselves. On a published page it warns all the same."""
    stored = {
        "entitled.visio-plan-2": "10",
        "license_position.visio-plan-2": "2",
        "shelfware.visio-plan-2": "4",
    }
    for key, old in stored.items():
        series = FigureSeries.objects.create(
            key=key, title=key, unit="seats", topic="license_position", product="Visio Plan 2"
        )
        Snapshot.objects.create(series=series, date=DAY, value=Decimal(old))
    later = DAY + timedelta(days=7)
    new = [
        product_value("entitled.visio-plan-2", "Visio Plan 2", "11", later),
        product_value("license_position.visio-plan-2", "Visio Plan 2", "-3", later),
        product_value("shelfware.visio-plan-2", "Visio Plan 2", "0", later),
    ]
    check = plausibility_of(new, format="consumption", rows=10)
    entitled, position, shelfware = check.changes
    assert not entitled.implausible
    assert position.relative == Decimal("-2.5") and position.implausible and position.derived
    assert shelfware.relative == -1 and shelfware.implausible and shelfware.derived
    assert not position.warns and not shelfware.warns and check.warnings == []

    page = excerpt(news, "Visio position", "license_position.visio-plan-2")
    check = plausibility_of(new, format="consumption", rows=10)
    assert [(w.kind, w.key) for w in check.warnings] == [
        ("change", "license_position.visio-plan-2")
    ]
    assert [p.pk for p in check.pages] == [page.pk]
    assert [c.published for c in check.changes] == [False, True, False]


def test_a_figure_on_a_page_within_the_step_is_listed_without_a_warning(tmp_path, news):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    excerpt(news, "Renewals", "renewals.next_four_quarters")
    run = import_file(
        tmp_path,
        "b.csv",
        entitlements(("Visio Plan 2", 14), *SIX[1:]),
        date=DAY,
        accept_warnings=False,
    )
    check = run.outcome.plausibility
    assert run.status == ImportRun.Status.SUCCEEDED and check.warnings == []
    # The renewals total moved by 4 × 120 EUR of 25,200 EUR: shown, but within the step.
    renewals = next(c for c in check.changes if c.key == "renewals.next_four_quarters")
    assert renewals.published and renewals.change == 480 and not renewals.implausible
    assert [p.title for p in check.pages] == ["Renewals"]


def test_a_jump_of_a_total_warns_without_a_page(tmp_path):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    with pytest.raises(ImplausibleImport) as refused:
        import_file(
            tmp_path,
            "b.csv",
            entitlements(*[(p, n * 2) for p, n in SIX]),
            date=DAY,
            accept_warnings=False,
        )
    check = refused.value.plausibility
    keys = {w.key for w in check.warnings}
    assert "renewals.next_four_quarters" in keys and "entitled.visio-plan-2" in keys
    assert len(keys) == 7 and check.pages == []


def test_a_drop_to_zero_warns_and_a_rise_from_zero_has_no_relative_change(tmp_path):
    import_file(tmp_path, "a.csv", entitlements(("Visio Plan 2", 10), ("SnagIt", 0)), date=DAY)
    run = import_file(
        tmp_path, "b.csv", entitlements(("Visio Plan 2", 0), ("SnagIt", 5)), date=DAY, dry_run=True
    )
    changes = {c.key: c for c in run.outcome.plausibility.changes}
    assert changes["entitled.visio-plan-2"].relative == -1
    assert changes["entitled.visio-plan-2"].implausible
    assert changes["entitled.snagit"].relative is None and changes["entitled.snagit"].change == 5
    assert not changes["entitled.snagit"].implausible


def value(key: str, unit: str, number: str, day: date = DAY) -> SeriesValue:
    return SeriesValue(
        key=key,
        title=key,
        unit=unit,
        topic="utilisation",
        product="",
        date=day,
        value=Decimal(number),
    )


def test_shares_change_in_percentage_points():
    for key, old in (("utilisation.visio", "80"), ("utilisation.snagit", "2")):
        series = FigureSeries.objects.create(key=key, title=key, unit="%", topic="utilisation")
        Snapshot.objects.create(series=series, date=DAY, value=Decimal(old))
    later = DAY + timedelta(days=7)
    check = plausibility_of(
        [
            value("utilisation.visio", "%", "45", later),
            value("utilisation.snagit", "%", "4", later),
        ],
        format="consumption",
        rows=10,
    )
    visio, snagit = check.changes
    # 80 % → 45 %: −35 points, within ±50 points; 2 % → 4 % is +2 points, not "+100 %".
    assert (visio.change, visio.relative, visio.points, visio.implausible) == (
        -35,
        None,
        True,
        False,
    )
    assert (snagit.change, snagit.relative, snagit.implausible) == (2, None, False)
    assert visio.change_display == "−35 percentage points"
    assert check.warnings == []
    assert check.as_data()["changes"][0]["change_unit"] == "percentage_points"

    check = plausibility_of(
        [value("utilisation.visio", "%", "20", later)], format="consumption", rows=10
    )
    (warning,) = check.warnings
    assert warning.message == (
        "utilisation.visio: 80 % → 20 % (−60 percentage points), more than the plausible "
        "±50 points."
    )


# --- coverage --------------------------------------------------------------------------------


def test_far_fewer_products_than_the_last_import_warns(tmp_path, settings):
    import_file(tmp_path, "bestand-november.csv", entitlements(*SIX), date=DAY)
    # As many rows as before, but two products only.
    fewer = entitlements(
        ("Visio Plan 2", 3), ("Visio Plan 2", 3), ("Visio Plan 2", 4), *[("SnagIt", 10)] * 3
    )
    run = import_file(
        tmp_path, "bestand-dezember.csv", fewer, date=DAY + timedelta(days=30), dry_run=True
    )
    coverage = [w.message for w in run.outcome.plausibility.warnings if w.kind == "coverage"]
    assert coverage == [
        "The file covers 2 products; the last import of this format (“bestand-november.csv”, "
        "11/20/2026) covered 6. That is fewer than 50 % of them."
    ]

    settings.VITRINE_IMPORT_PLAUSIBLE_COVERAGE = 0.3
    run = import_file(
        tmp_path, "bestand-dezember.csv", fewer, date=DAY + timedelta(days=30), dry_run=True
    )
    assert [w for w in run.outcome.plausibility.warnings if w.kind == "coverage"] == []


def test_far_fewer_rows_than_the_last_import_of_that_format_warns(tmp_path):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    run = import_file(tmp_path, "b.csv", entitlements(*SIX[:2]), date=DAY, dry_run=True)
    messages = [w.message for w in run.outcome.plausibility.warnings if w.kind == "coverage"]
    assert any(m.startswith("The file has 2 data rows;") and "had 6" in m for m in messages)
    # A refused or undone run is not "the last import"; nor is one of another format.
    ImportRun.objects.create(
        file_name="x.csv", format="entitlements", row_count=1000, status=ImportRun.Status.REFUSED
    )
    ImportRun.objects.create(file_name="y.csv", format="m365", row_count=1000)
    run = import_file(tmp_path, "c.csv", entitlements(*SIX), date=DAY, dry_run=True)
    assert run.outcome.plausibility.warnings == []


def test_the_first_import_of_a_format_has_nothing_to_compare(tmp_path):
    run = import_file(
        tmp_path, "a.csv", entitlements(("Visio Plan 2", 10)), date=DAY, accept_warnings=False
    )
    check = run.outcome.plausibility
    assert run.status == ImportRun.Status.SUCCEEDED and check.warnings == [] and check.pages == []
    assert all(c.previous is None and c.change is None for c in check.changes)


# --- plain data for other callers ---------------------------------------------------------------


def test_figures_check_answers_plain_data_and_stores_nothing(tmp_path, news):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    page = excerpt(news, "Visio", "entitled.visio-plan-2")
    before = (values(), ImportRun.objects.count())
    path = tmp_path / "b.csv"
    path.write_bytes(entitlements(("Visio Plan 2", 30), *SIX[1:]))
    data = figures_check(source=path, filename="b.csv", date=DAY)
    assert (values(), ImportRun.objects.count()) == before
    assert json.loads(json.dumps(data)) == data  # plain JSON, no Decimal or date objects
    assert data["status"] == "succeeded" and data["format"] == "entitlements"
    assert data["date"] == "2026-11-20" and data["problems"] == []
    visio = next(c for c in data["changes"] if c["key"] == "entitled.visio-plan-2")
    assert visio | {"title": ""} == {
        "key": "entitled.visio-plan-2",
        "title": "",
        "unit": "seats",
        "date": "2026-11-20",
        "value": "30",
        "previous": "10",
        "previous_date": "2026-11-20",
        "change": "20",
        "change_unit": "seats",
        "relative": "2",
        "implausible": True,
        "published": True,
        "warns": True,
    }
    assert {"kind": "change", "key": "entitled.visio-plan-2"}.items() <= data["warnings"][0].items()
    assert data["pages"] == [{"id": page.pk, "title": "Visio", "url": f"{PORTAL}{page.url}"}]

    refused = figures_check(source=b"Produkt;Menge\nVisio;zehn\n", filename="c.csv")
    assert refused["status"] == "refused" and refused["problems"] and refused["changes"] == []


def test_the_settings_are_read_from_the_environment(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "VAR_DIR": str(tmp_path),
        "IMPORT_PLAUSIBLE_CHANGE": "0.25",
        "IMPORT_PLAUSIBLE_COVERAGE": "0.8",
        "DJANGO_SETTINGS_MODULE": "vitrine.settings",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.VITRINE_IMPORT_PLAUSIBLE_CHANGE, s.VITRINE_IMPORT_PLAUSIBLE_COVERAGE)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["0.25", "0.8"]


# --- the admin ------------------------------------------------------------------------------


def preview(client, data: bytes, name: str = "lizenzen.csv", **fields):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), **fields})


def token_of(client) -> str:
    return next(reversed(client.session[SESSION_KEY]))


def test_admin_preview_shows_the_changes_and_asks_for_confirmation(
    admin_client, news, tmp_path, django_capture_on_commit_callbacks
):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    page = excerpt(news, "Visio in use", "entitled.visio-plan-2")
    response = preview(
        admin_client, entitlements(("Visio Plan 2", 30), *SIX[1:]), date="2026-11-20"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The figures beside those shown now" in html
    assert '<th scope="col">Previous</th>' in html and '<th scope="col">Change</th>' in html
    assert 'Entitled seats: Visio Plan 2 <span class="w-status">published</span></th>' in html
    assert "+20 (+200 %)" in html
    assert "Entitled seats: Visio Plan 2: 10 → 30 (+200 %), more than the plausible ±50 %." in html
    assert "Published pages whose figures this import changes" in html
    assert f'<a href="{PORTAL}{page.url}">Visio in use</a>' in html
    assert 'name="accept_warnings"' in html and "Store despite the warnings" in html
    token = token_of(admin_client)

    # Without the confirmation: the preview again, with the field's message; nothing queued.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(START_URL, {"token": token, "action": "import"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tick “Store despite the warnings” to store it anyway" in html
    assert "The figures beside those shown now" in html
    assert not ImportRun.objects.exclude(file_name="a.csv").exists()
    assert values()[("entitled.visio-plan-2", DAY)] == 10
    assert token in admin_client.session[SESSION_KEY]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            START_URL, {"token": token, "action": "import", "accept_warnings": "on"}
        )
    run = ImportRun.objects.get(file_name="lizenzen.csv")
    assert response.status_code == 302 and response["Location"].endswith(f"/{run.pk}/")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert values()[("entitled.visio-plan-2", DAY)] == 30


def test_admin_preview_without_warnings_needs_no_confirmation(
    admin_client, tmp_path, django_capture_on_commit_callbacks
):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    html = preview(admin_client, entitlements(*SIX), date="2026-11-20").content.decode()
    assert "The figures beside those shown now" in html
    assert "plausibility check warns" not in html and 'name="accept_warnings"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(START_URL, {"token": token_of(admin_client), "action": "import"})
    assert ImportRun.objects.get(file_name="lizenzen.csv").status == ImportRun.Status.SUCCEEDED


def test_admin_discard_of_a_warned_preview_needs_no_confirmation(admin_client, tmp_path, settings):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    html = preview(admin_client, entitlements(("Visio Plan 2", 30)), date="2026-11-20").content
    assert b'name="accept_warnings"' in html  # fewer rows and products: coverage warnings
    response = admin_client.post(START_URL, {"token": token_of(admin_client), "action": "discard"})
    assert response.status_code == 302
    assert not list(settings.PRIVATE_IMPORT_ROOT.iterdir())
    assert ImportRun.objects.count() == 1


def test_a_large_file_is_checked_by_the_background_import(
    admin_client, tmp_path, settings, django_capture_on_commit_callbacks, news
):
    """A file too large to check in the preview: the checkbox is offered, and the background
    import refuses on a warning unless it was ticked."""
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    excerpt(news, "Visio", "entitled.visio-plan-2")
    settings.VITRINE_FIGURES_PREVIEW_CHECK_BYTES = 10
    html = preview(
        admin_client, entitlements(("Visio Plan 2", 30)), date="2026-11-20"
    ).content.decode()
    assert "too large to compare its figures here" in html and 'name="accept_warnings"' in html
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(START_URL, {"token": token_of(admin_client), "action": "import"})
    run = ImportRun.objects.get(file_name="lizenzen.csv")
    assert run.status == ImportRun.Status.REFUSED and run.pending_file == ""
    assert any("10 → 30" in p["reason"] for p in run.problems)
    assert values()[("entitled.visio-plan-2", DAY)] == 10
    page = admin_client.get(f"/admin/figures/import/runs/{run.pk}/").content.decode()
    assert "10 → 30" in page and "was refused; no figures were changed" in page


# --- the command ----------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_figures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_dry_run_prints_changes_warnings_and_pages(tmp_path, news):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    page = excerpt(news, "Visio in use", "entitled.visio-plan-2")
    path = tmp_path / "b.csv"
    path.write_bytes(entitlements(("Visio Plan 2", 30), *SIX[1:]))
    out, _err = command(str(path), "--date", "2026-11-20", "--dry-run")
    table = [line.split() for line in out.splitlines()]
    assert ["Series", "Date", "Previous", "Value", "Change", "Unit"] in table
    assert [
        "!",
        "entitled.visio-plan-2",
        "2026-11-20",
        "10",
        "30",
        "+20",
        "(+200",
        "%)",
        "seats",
    ] in table
    assert [
        "entitled.project-plan-3",
        "2026-11-20",
        "20",
        "20",
        "+0",
        "(+0",
        "%)",
        "seats",
    ] in table
    assert "Plausibility warnings (1):" in out
    assert "! Entitled seats: Visio Plan 2: 10 → 30 (+200 %)" in out
    assert f"Visio in use – {PORTAL}{page.url}" in out
    assert "Without --accept-warnings, the import of this file would store nothing" in out
    assert "Dry run" in out and values()[("entitled.visio-plan-2", DAY)] == 10


def test_command_refuses_a_warning_with_exit_code_3_unless_accepted(tmp_path, news):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    excerpt(news, "Visio", "entitled.visio-plan-2")
    path = tmp_path / "b.csv"
    path.write_bytes(entitlements(("Visio Plan 2", 30), *SIX[1:]))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_figures", str(path), "--date", "2026-11-20", stdout=io.StringIO(), stderr=err
        )
    assert exit_info.value.code == 3
    assert "Nothing was stored: 1 plausibility warning (listed above)" in err.getvalue()
    assert "--accept-warnings" in err.getvalue()
    assert values()[("entitled.visio-plan-2", DAY)] == 10
    assert ImportRun.objects.get(file_name="b.csv").status == ImportRun.Status.REFUSED

    out, _err = command(str(path), "--date", "2026-11-20", "--accept-warnings")
    assert "Imported 6 rows as entitlements" in out and "Plausibility warnings (1):" in out
    assert values()[("entitled.visio-plan-2", DAY)] == 30


# --- the background task --------------------------------------------------------------------


def queue(settings, tmp_path, data: bytes, editor, **kwargs) -> ImportRun:
    root = settings.PRIVATE_IMPORT_ROOT
    root.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}{tasks.PENDING_SUFFIX}"
    (root / name).write_bytes(data)
    run = tasks.import_run_queue(
        pending_file=name, filename="lizenzen.csv", format="", date=DAY, user=editor, **kwargs
    )
    return run, root / name


def test_the_task_refuses_warnings_unless_accepted(
    settings, tmp_path, editor, django_capture_on_commit_callbacks, news
):
    import_file(tmp_path, "a.csv", entitlements(*SIX), date=DAY)
    excerpt(news, "Visio", "entitled.visio-plan-2")
    jump = entitlements(("Visio Plan 2", 30), *SIX[1:])
    with django_capture_on_commit_callbacks(execute=True):
        run, path = queue(settings, tmp_path, jump, editor)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REFUSED and not path.exists()
    assert "--accept-warnings" in run.summary or "Store despite the warnings" in run.summary
    assert any("Visio Plan 2: 10 → 30" in p["reason"] for p in run.problems)
    assert run.progress == 100 and values()[("entitled.visio-plan-2", DAY)] == 10

    with django_capture_on_commit_callbacks(execute=True):
        run, path = queue(settings, tmp_path, jump, editor, accept_warnings=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and not path.exists()
    assert values()[("entitled.visio-plan-2", DAY)] == 30
