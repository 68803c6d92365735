"""The item model's rules and the services that write its history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from vitrine.improvements import selectors, services
from vitrine.improvements.choices import Status, grouped_area_choices
from vitrine.improvements.models import ImprovementItem, StatusChange

pytestmark = pytest.mark.django_db


def test_create_writes_the_first_history_entry(make_item, editor, contact, audience):
    item = make_item(
        "Softwarekatalog um Lieferzeiten ergänzen",
        source="survey",
        source_url="/umfragen/zufriedenheit-2026/ergebnisse/",
        source_label="Umfrage 2026",
        area="service_level",
        audiences=[audience("mitarbeitende")],
        owner=contact,
        user=editor,
        note="Aus der Umfrage.",
    )

    item.refresh_from_db()
    assert item.status == Status.IDEA
    assert [a.slug for a in item.audiences.all()] == ["mitarbeitende"]
    (change,) = item.history()
    assert (change.from_status, change.to_status) == ("", Status.IDEA)
    assert change.note == "Aus der Umfrage."
    assert change.changed_by == editor
    assert change.is_creation


def test_create_accepts_audience_ids(make_item, audience):
    item = make_item(audiences=[audience("management").pk, str(audience("itsm-rollen").pk)])
    assert {a.slug for a in item.audiences.all()} == {"management", "itsm-rollen"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"area": "marketing"}, "area"),
        ({"source": "gerücht"}, "source"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "//evil.example/x"}, "source_url"),
        ({"status": "declined"}, "decline_reason"),
        ({"audiences": [999999]}, "audiences"),
        ({"audiences": ["abc"]}, "audiences"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(make_item, fields, field):
    with pytest.raises(ValidationError) as caught:
        make_item(**fields)
    assert field in caught.value.message_dict
    assert not ImprovementItem.objects.exists()
    assert not StatusChange.objects.exists()


def test_source_link_takes_web_addresses_and_portal_paths(make_item):
    assert make_item("A", source_url="https://umfragen.muster-ag.example/42").source_url
    assert make_item("B", source_url="/woran-wir-arbeiten/").source_url == "/woran-wir-arbeiten/"


def test_declined_needs_a_reason_in_validation_and_in_the_database(make_item):
    item = make_item()
    item.status = Status.DECLINED
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "decline_reason" in caught.value.message_dict

    item.decline_reason = "   "
    with pytest.raises(ValidationError):
        item.full_clean()

    item.decline_reason = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementItem.objects.filter(pk=item.pk).update(status=Status.DECLINED)


def test_set_status_records_every_change_with_date_note_and_user(make_item, editor):
    item = make_item()
    before = timezone.now()

    change = services.improvement_set_status(
        item=item, status=Status.PLANNED, note="Im nächsten Quartal.", user=editor
    )
    services.improvement_set_status(item=item, status=Status.IN_PROGRESS)

    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    assert item.status_changed_at >= before
    history = list(item.history())
    assert [(c.from_status, c.to_status) for c in history] == [
        ("", Status.IDEA),
        (Status.IDEA, Status.PLANNED),
        (Status.PLANNED, Status.IN_PROGRESS),
    ]
    assert change == history[1]
    assert history[1].note == "Im nächsten Quartal."
    assert history[1].changed_by == editor
    assert history[1].changed_at >= before


def test_set_status_to_the_same_status_writes_no_entry(make_item):
    item = make_item()
    assert services.improvement_set_status(item=item, status=Status.IDEA) is None
    assert item.status_changes.count() == 1


def test_declining_without_a_reason_changes_nothing(make_item):
    item = make_item()

    with pytest.raises(ValidationError) as caught:
        services.improvement_set_status(item=item, status=Status.DECLINED)

    assert "decline_reason" in caught.value.message_dict
    assert item.status == Status.IDEA
    item.refresh_from_db()
    assert item.status == Status.IDEA
    assert item.status_changes.count() == 1

    services.improvement_set_status(
        item=item, status=Status.DECLINED, decline_reason="Vertrag erlaubt es nicht."
    )
    item.refresh_from_db()
    assert (item.status, item.decline_reason) == (Status.DECLINED, "Vertrag erlaubt es nicht.")
    assert item.status_changes.last().to_status == Status.DECLINED


def test_an_unknown_status_is_refused(make_item):
    item = make_item()
    with pytest.raises(ValidationError) as caught:
        services.improvement_set_status(item=item, status="vielleicht")
    assert "status" in caught.value.message_dict
    assert item.status_changes.count() == 1


def test_area_choices_are_grouped_as_the_standard_groups_them():
    groups = dict(grouped_area_choices())
    assert [value for value, _ in groups["Life cycle"]] == [
        "specification",
        "acquisition",
        "release",
        "deployment",
        "operation",
        "retirement",
    ]
    assert "license" in dict(groups["Cross-cutting"])
    assert "risk" in dict(groups["Cross-cutting"])
    assert [value for value, _ in groups["Beyond the standard"]] == ["communication"]


def test_open_items_filters_by_audience_and_area_and_limits(make_item, audience):
    management, users = audience("management"), audience("mitarbeitende")
    for_all = make_item("Für alle", area="communication")
    for_management = make_item("Für das Management", area="financial", audiences=[management])
    for_users = make_item("Für Mitarbeitende", area="license", audiences=[users])
    done = make_item("Erledigt", status=Status.DONE)
    planned = make_item("Geplant", status=Status.PLANNED, area="license")

    assert set(selectors.open_items()) == {for_all, for_management, for_users, planned}
    assert done not in selectors.open_items()
    assert set(selectors.open_items(audiences=[management])) == {for_all, for_management, planned}
    assert set(selectors.open_items(area="license")) == {for_users, planned}
    assert selectors.open_items(limit=1) == [planned]  # planned comes before ideas


def test_recently_done_keeps_ninety_days(make_item):
    now = timezone.now()
    recent = make_item("Neu erledigt")
    old = make_item("Lange erledigt")
    services.improvement_set_status(
        item=recent, status=Status.DONE, at=now - datetime.timedelta(days=89)
    )
    services.improvement_set_status(
        item=old, status=Status.DONE, at=now - datetime.timedelta(days=91)
    )

    assert list(selectors.recently_done()) == [recent]


def test_items_for_source(make_item):
    url = "/umfragen/zufriedenheit/ergebnisse/"
    first = make_item("Eins", source="survey", source_url=url)
    make_item("Zwei", source="survey", source_url="/anders/")
    assert list(selectors.items_for_source(url)) == [first]
    assert not selectors.items_for_source("").exists()


def test_a_long_source_label_is_shortened_not_refused(make_item):
    item = make_item(source_label="Umfrage " + "sehr lang " * 40)
    assert len(item.source_label) == 160
    assert item.source_label.endswith("…")
