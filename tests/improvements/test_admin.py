"""The register in the Wagtail admin: status changes there write the history too."""

import pytest
from django.urls import reverse

from vitrine.improvements.choices import Status
from vitrine.improvements.models import ImprovementItem

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_improvements_improvementitem"


def form_data(item=None, **changes) -> dict:
    data = {
        "title": "Testversionen zentral registrieren",
        "description": "Ein Formular für Testversionen.",
        "benefit": "",
        "area": "acquisition",
        "status": "idea",
        "decline_reason": "",
        "status_note": "",
        "source": "feedback",
        "source_url": "",
        "source_label": "",
        "owner": "",
        "target_date": "",
    }
    if item is not None:
        data.update(
            title=item.title,
            description=item.description,
            area=item.area,
            status=item.status,
            source=item.source,
        )
    data.update(changes)
    return data


def test_the_menu_and_list_show_improvements(admin_client, make_item):
    make_item("Visio-Lizenzen zurückholen", status=Status.PLANNED)

    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    listing = admin_client.get(reverse(f"{URLS}:list")).content.decode()

    assert "Improvements" in dashboard
    assert "Visio-Lizenzen zurückholen" in listing
    assert "License management" in listing


def test_creating_in_the_admin_records_the_first_entry(admin_client, admin_user, audience):
    response = admin_client.post(
        reverse(f"{URLS}:add"),
        form_data(audiences=[audience("mitarbeitende").pk], status_note="Idee aus dem Forum"),
    )

    assert response.status_code == 302
    item = ImprovementItem.objects.get()
    assert [a.slug for a in item.audiences.all()] == ["mitarbeitende"]
    (change,) = item.history()
    assert (change.from_status, change.to_status, change.note) == ("", "idea", "Idee aus dem Forum")
    assert change.changed_by == admin_user


def test_a_status_change_in_the_admin_goes_into_the_history(admin_client, admin_user, make_item):
    item = make_item()

    response = admin_client.post(
        reverse(f"{URLS}:edit", args=[item.pk]),
        form_data(item, status="in_progress", status_note="Pilot gestartet"),
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    last = item.history().last()
    assert (last.from_status, last.to_status) == ("idea", "in_progress")
    assert last.note == "Pilot gestartet"
    assert last.changed_by == admin_user


def test_an_edit_without_a_status_change_writes_no_entry(admin_client, make_item):
    item = make_item()

    response = admin_client.post(
        reverse(f"{URLS}:edit", args=[item.pk]), form_data(item, title="Neuer Titel")
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Neuer Titel"
    assert item.status_changes.count() == 1


def test_declining_in_the_admin_without_a_reason_is_refused(admin_client, make_item):
    item = make_item()

    response = admin_client.post(
        reverse(f"{URLS}:edit", args=[item.pk]), form_data(item, status="declined")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["decline_reason"]
    item.refresh_from_db()
    assert item.status == Status.IDEA
    assert item.status_changes.count() == 1


def test_a_bad_source_link_is_refused_on_its_field(admin_client):
    response = admin_client.post(
        reverse(f"{URLS}:add"), form_data(source_url="javascript:alert(1)")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["source_url"]
    assert not ImprovementItem.objects.exists()


def test_the_history_shows_on_the_edit_and_inspect_views(admin_client, make_item):
    item = make_item()
    from vitrine.improvements import services

    services.improvement_set_status(item=item, status=Status.PLANNED, note="Termin steht")

    edit = admin_client.get(reverse(f"{URLS}:edit", args=[item.pk])).content.decode()
    inspect = admin_client.get(reverse(f"{URLS}:inspect", args=[item.pk])).content.decode()

    for html in (edit, inspect):
        assert "Status history" in html
        assert "Termin steht" in html
        assert "Idea → Planned" in html


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"status": "planned"}, "Geplantes", "Eine Idee"),
        ({"area": "financial"}, "Eine Idee", "Geplantes"),
        ({"q": "Geplantes"}, "Geplantes", "Eine Idee"),
    ],
)
def test_the_list_filters_and_searches(admin_client, make_item, params, shown, hidden):
    make_item("Geplantes", status=Status.PLANNED, area="license")
    make_item("Eine Idee", area="financial")

    html = admin_client.get(reverse(f"{URLS}:list"), params).content.decode()

    assert shown in html
    assert hidden not in html


def test_the_list_filters_by_audience(admin_client, make_item, audience):
    management = audience("management")
    make_item("Nur Management", audiences=[management])
    make_item("Nur Mitarbeitende", audiences=[audience("mitarbeitende")])

    html = admin_client.get(reverse(f"{URLS}:list"), {"audiences": management.pk}).content.decode()

    assert "Nur Management" in html
    assert "Nur Mitarbeitende" not in html


def test_an_item_opens_prefilled_from_a_survey_result(admin_client):
    from vitrine.improvements.prefill import improvement_add_url

    url = improvement_add_url(
        title="Wartezeit bei Genehmigungen senken",
        description="Freitext: „Die Genehmigung dauert zu lange.“",
        source_url="/umfragen/2026/ergebnisse/",
        source_label="Umfrage 2026",
        area="acquisition",
    )

    form = admin_client.get(url).context["form"]

    assert form.initial["title"] == "Wartezeit bei Genehmigungen senken"
    assert form.initial["source"] == "survey"
    assert form.initial["source_url"] == "/umfragen/2026/ergebnisse/"
    assert form.initial["area"] == "acquisition"


def test_prefill_drops_unknown_fields_and_bad_values(admin_client):
    response = admin_client.get(
        reverse(f"{URLS}:add"),
        {
            "title": "x" * 500,
            "status": "done",
            "area": "marketing",
            "source": "gerücht",
            "source_url": "javascript:alert(1)",
        },
    )

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["title"] == "x" * 160
    assert "status" not in initial
    assert "area" not in initial and "source_url" not in initial
    assert initial.get("source") != "gerücht"


def test_an_editor_can_add_the_board_below_the_home_page_only(admin_client, home):
    from vitrine.improvements.models import ImprovementBoardPage

    add = reverse("wagtailadmin_pages:add", args=["improvements", "improvementboardpage", home.pk])
    assert admin_client.get(add).status_code == 200
    assert "improvements.ImprovementBoardPage" in [
        f"{m._meta.app_label}.{m.__name__}" for m in home.specific_class.allowed_subpage_models()
    ]
    assert ImprovementBoardPage.allowed_parent_page_models() == [type(home)]


def test_a_member_of_the_editors_group_keeps_the_register(client, make_item):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="redakteurin", password="x-123-456!")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    item = make_item()

    assert client.get(reverse(f"{URLS}:list")).status_code == 200
    response = client.post(
        reverse(f"{URLS}:edit", args=[item.pk]), form_data(item, status="planned")
    )

    assert response.status_code == 302
    assert item.history().last().changed_by == user
    assert client.get(reverse(f"{URLS}:delete", args=[item.pk])).status_code in (302, 403)
    assert ImprovementItem.objects.filter(pk=item.pk).exists()
