"""Info blocks with owners and review dates: the reader page, the report, the dashboard, the
admin "still valid" action and the confirmation service."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from tests.conftest import add_child
from vitrine.portal.models import Contact, InfoBlockPage, ReviewConfirmation
from vitrine.portal.services import info_block_confirm

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def make_owner(username: str, *, first="", last="", email=None):
    return get_user_model().objects.create_user(
        username=username,
        password="pruefen-pruefen-123",
        first_name=first,
        last_name=last,
        email=f"{username}@example.org" if email is None else email,
    )


def make_block(home, title: str, *, owner=None, review_by=None, interval=180, **fields):
    page = InfoBlockPage(
        title=title,
        kind="procedures_rules",
        owner_user=owner,
        review_by=review_by,
        review_interval_days=interval,
        **fields,
    )
    return add_child(home, page)


def make_admin_editor(username="petra"):
    """A non-superuser with admin access and page rights: a member of Wagtail's "Editors"."""
    user = make_owner(username, first="Petra", last="Pflege")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


# --- The reader page ----------------------------------------------------------------------


@pytest.mark.django_db
def test_info_block_page_leads_with_the_benefit_and_shows_contacts_and_review(client, home):
    owner = make_owner("anna", first="Anna", last="Albers")
    Contact.objects.create(
        name="Anna Albers", role="Lizenzmanagerin", topic="Lizenzen", email="ANNA@example.org"
    )
    desk = Contact.objects.create(
        name="Service Desk",
        role="Erste Hilfe",
        topic="Software-Anfragen",
        email="servicedesk@example.org",
        phone="+49 (89) 1234-567",
    )
    block = make_block(
        home,
        "Regeln für Software",
        owner=owner,
        review_by=days(40),
        benefit="Sie wissen, was Sie installieren dürfen – ohne Rückfrage.",
        summary="Was erlaubt ist und warum.",
        body="<p>Nur Software aus dem Katalog installieren.</p>",
    )
    block.contacts.set([desk])
    block.save_revision().publish()
    ReviewConfirmation.objects.create(
        page=block, confirmed_by=owner, previous_review_by=days(-140), new_review_by=days(40)
    )

    response = client.get(block.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ihr Nutzen" in html
    assert html.index('class="benefit"') < html.index("Was erlaubt ist und warum.")
    assert html.index("Was erlaubt ist und warum.") < html.index("Nur Software aus dem Katalog")
    assert 'href="mailto:servicedesk@example.org"' in html
    assert 'href="tel:+49891234567"' in html
    assert "Software-Anfragen" in html and "Erste Hilfe" in html
    # The owner appears by role (their contact entry), the dates in German.
    assert "Verantwortlich: Lizenzmanagerin" in html
    assert f"Zuletzt geprüft am {TODAY():%-d}." in html
    assert f"Nächste Prüfung am {days(40):%-d}." in html
    assert 'style="' not in html and "<style" not in html


@pytest.mark.django_db
def test_info_block_page_without_benefit_or_owner_shows_neither(client, home):
    block = make_block(home, "Organisation", summary="Wer macht was.")

    html = client.get(block.url).content.decode()

    assert 'class="benefit"' not in html
    assert "Verantwortlich" not in html
    assert "Wer macht was." in html


# --- The report ---------------------------------------------------------------------------


@pytest.fixture
def review_blocks(home):
    anna = make_owner("anna", first="Anna", last="Albers")
    stale = make_block(home, "Aufgaben und Ziele", owner=anna, review_by=days(-10))
    near = make_block(home, "Ansprechpartner", owner=anna, review_by=days(5))
    far = make_block(home, "Prozesse", owner=anna, review_by=days(60))
    undated = make_block(home, "Ohne Datum", owner=anna)
    draft = InfoBlockPage(title="Entwurf", kind="contacts", review_by=days(-30))
    home.add_child(instance=draft)
    draft.save_revision()
    draft.live = False
    draft.save()
    ownerless = make_block(home, "=HYPERLINK(1)", review_by=days(-1))
    ReviewConfirmation.objects.create(
        page=stale, confirmed_by=anna, previous_review_by=days(-200), new_review_by=days(-10)
    )
    return {
        "anna": anna,
        "stale": stale,
        "near": near,
        "far": far,
        "undated": undated,
        "draft": draft,
        "ownerless": ownerless,
    }


@pytest.mark.django_db
def test_report_lists_only_live_blocks_past_or_near_their_review_with_owner(client, review_blocks):
    client.force_login(make_admin_editor())

    response = client.get(reverse("portal_review_due"))

    assert response.status_code == 200
    html = response.content.decode()
    for key in ("stale", "near", "ownerless"):
        assert reverse("wagtailadmin_pages:edit", args=[review_blocks[key].pk]) in html
    for key in ("far", "undated", "draft"):
        assert reverse("wagtailadmin_pages:edit", args=[review_blocks[key].pk]) not in html
    assert "Anna Albers" in html
    assert "10 Tage überfällig" in html
    assert "fällig in 5 Tagen" in html
    assert "nie bestätigt" in html
    assert reverse("portal_info_block_still_valid", args=[review_blocks["stale"].pk]) in html


@pytest.mark.django_db
def test_report_filters_to_overdue_blocks(client, review_blocks):
    client.force_login(make_admin_editor())

    html = client.get(reverse("portal_review_due"), {"state": "overdue"}).content.decode()

    assert reverse("wagtailadmin_pages:edit", args=[review_blocks["stale"].pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[review_blocks["near"].pk]) not in html


@pytest.mark.django_db
def test_report_exports_csv_safely_and_xlsx(client, review_blocks, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    client.force_login(make_admin_editor())

    response = client.get(reverse("portal_review_due"), {"export": "csv"})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4  # heading + stale, near, ownerless
    by_title = {row[0]: row for row in rows[1:]}
    assert "'=HYPERLINK(1)" in by_title  # never read as a formula
    stale = by_title["Aufgaben und Ziele"]
    assert stale[1] == "Anna Albers"
    assert stale[2] == "anna@example.org"
    assert stale[4] == "10"
    assert stale[6] == "Anna Albers"
    edit_path = reverse("wagtailadmin_pages:edit", args=[review_blocks["stale"].pk])
    assert stale[7] == "https://portal.example.org" + edit_path

    xlsx = client.get(reverse("portal_review_due"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_report_says_so_when_nothing_is_due(client, home):
    make_block(home, "Aktuell", review_by=days(90))
    client.force_login(make_admin_editor())

    html = client.get(reverse("portal_review_due")).content.decode()

    assert "Alle Infoblöcke sind aktuell" in html


# --- Dashboard ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_shows_stale_and_due_counts_to_a_non_superuser_editor(client, review_blocks):
    editor = make_admin_editor()
    assert not editor.is_superuser
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="info-block-review-section"' in html
    assert "2 Infoblöcke haben ihr Prüfdatum überschritten." in html
    assert "1 weiterer ist in den nächsten 14 Tagen fällig." in html
    assert reverse("portal_review_due") in html
    # The summary item counts the stale blocks only.
    assert "2 Infoblöcke überfällig" in html


@pytest.mark.django_db
def test_dashboard_panel_is_shown_also_when_everything_is_current(client, home):
    make_block(home, "Aktuell", review_by=days(90))
    reviewer = make_owner("kurt")
    reviewer.groups.add(Group.objects.get(name="Kommunikation"))
    client.force_login(reviewer)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="info-block-review-section"' in html
    assert "Alle Infoblöcke sind aktuell" in html
    assert "0 Infoblöcke überfällig" in html


# --- "Still valid" in the admin -----------------------------------------------------------


@pytest.mark.django_db
def test_still_valid_button_confirms_as_the_logged_in_editor(client, home):
    owner = make_owner("anna")
    block = make_block(home, "Aufgaben", owner=owner, review_by=days(-3), interval=90)
    editor = make_admin_editor()
    client.force_login(editor)
    url = reverse("portal_info_block_still_valid", args=[block.pk])

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[block.pk]))
    assert url in edit_page.content.decode()

    shown = client.get(url)
    assert shown.status_code == 200
    assert "Ja, noch gültig" in shown.content.decode()
    block.refresh_from_db()
    assert block.review_by == days(-3)  # a GET changes nothing
    assert not ReviewConfirmation.objects.exists()

    revisions_before = Revision.objects.count()
    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[block.pk])
    block.refresh_from_db()
    assert block.review_by == days(90)
    confirmation = ReviewConfirmation.objects.get()
    assert confirmation.confirmed_by == editor
    assert confirmation.previous_review_by == days(-3)
    assert confirmation.new_review_by == days(90)
    assert Revision.objects.count() == revisions_before
    assert block.get_latest_revision().content["review_by"] == days(90).isoformat()


@pytest.mark.django_db
def test_still_valid_twice_records_one_confirmation(client, home):
    block = make_block(home, "Aufgaben", review_by=days(-3))
    client.force_login(make_admin_editor())
    url = reverse("portal_info_block_still_valid", args=[block.pk])

    client.post(url)
    second = client.post(url, follow=True)

    assert ReviewConfirmation.objects.count() == 1
    assert "bereits heute bestätigt" in second.content.decode()


@pytest.mark.django_db
def test_still_valid_is_refused_to_someone_who_may_not_edit(client, home):
    block = make_block(home, "Aufgaben", review_by=days(-3))
    outsider = make_owner("paul")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)

    response = client.post(reverse("portal_info_block_still_valid", args=[block.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    block.refresh_from_db()
    assert block.review_by == days(-3)
    assert not ReviewConfirmation.objects.exists()


@pytest.mark.django_db
def test_still_valid_ignores_a_foreign_next_url(client, home):
    block = make_block(home, "Aufgaben", review_by=days(-3))
    client.force_login(make_admin_editor())

    response = client.post(
        reverse("portal_info_block_still_valid", args=[block.pk]),
        {"next": "https://evil.example.com/"},
    )

    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[block.pk])


# --- The service and revisions ------------------------------------------------------------


@pytest.mark.django_db
def test_confirmation_survives_publishing_a_pending_draft(home):
    owner = make_owner("anna")
    block = make_block(home, "Aufgaben", owner=owner, review_by=days(-3), interval=30)
    draft = block.get_latest_revision_as_object()
    draft.title = "Aufgaben und Ziele"
    draft_revision = draft.save_revision(user=owner)
    live_revision_id = InfoBlockPage.objects.get(pk=block.pk).live_revision_id

    outcome = info_block_confirm(page=block, user=owner)

    assert outcome.created
    fresh = InfoBlockPage.objects.get(pk=block.pk)
    assert fresh.review_by == days(30)
    assert fresh.title == "Aufgaben"  # the draft is not published by confirming
    assert fresh.has_unpublished_changes
    assert Revision.objects.get(pk=live_revision_id).content["review_by"] == days(30).isoformat()

    draft_revision.refresh_from_db()
    draft_revision.publish()

    fresh = InfoBlockPage.objects.get(pk=block.pk)
    assert fresh.title == "Aufgaben und Ziele"
    assert fresh.review_by == days(30)


@pytest.mark.django_db
def test_confirmation_is_logged_in_the_page_history(client, home):
    owner = make_owner("anna")
    block = make_block(home, "Aufgaben", owner=owner, review_by=days(-3))
    info_block_confirm(page=block, user=owner)
    client.force_login(make_admin_editor())

    html = client.get(reverse("wagtailadmin_pages:history", args=[block.pk])).content.decode()

    assert "Als noch gültig bestätigt" in html


@pytest.mark.django_db
def test_page_explorer_offers_still_valid_for_info_blocks_only(client, home):
    block = make_block(home, "Aufgaben", review_by=days(-3))
    client.force_login(make_admin_editor())

    explorer = client.get(reverse("wagtailadmin_explore", args=[home.pk])).content.decode()
    home_edit = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()

    assert reverse("portal_info_block_still_valid", args=[block.pk]) in explorer
    assert "noch-gueltig" not in home_edit


@pytest.mark.django_db
def test_report_survives_nonsense_parameters(client, review_blocks):
    client.force_login(make_admin_editor())

    response = client.get(
        reverse("portal_review_due"),
        {"state": "bald", "owner_user": "abc", "ordering": "password", "p": "zz"},
    )
    results = client.get(reverse("portal_review_due_results"), {"owner_user": "99999"})

    assert response.status_code == 200
    assert results.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[review_blocks["stale"].pk]) in (
        response.content.decode()
    )
