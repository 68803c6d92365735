"""The demo company loads fully, and a second run changes and duplicates nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision, WorkflowState

from vitrine.catalog.models import CatalogEntry
from vitrine.portal.models import Contact, InfoBlockPage, LifecyclePage, NewsFlash, NewsPage
from vitrine.portal.selectors import active_news_flashes

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "entries": CatalogEntry.objects.count(),
        "flashes": NewsFlash.objects.count(),
        "contacts": Contact.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_has_the_promised_substance(home):
    call_command("load_demo", stdout=StringIO())
    assert InfoBlockPage.objects.live().count() == 4
    assert {b.kind for b in InfoBlockPage.objects.all()} == {
        "tasks_goals",
        "organisation_processes",
        "procedures_rules",
        "contacts",
    }
    assert NewsPage.objects.live().count() >= 8
    aimed_at = {a.slug for n in NewsPage.objects.live() for a in n.audiences.all()}
    assert {"management", "budgetverantwortliche", "mitarbeitende", "itsm-rollen"} <= aimed_at
    assert CatalogEntry.objects.count() >= 30
    assert CatalogEntry.objects.values("category").distinct().count() >= 6
    assert len(active_news_flashes([])) == 1
    assert LifecyclePage.objects.get().stages.count() == 6
    pending = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert pending.count() == 1
    assert pending.get().workflow.name == "Freigabe"


def test_demo_twice_changes_nothing(home):
    call_command("load_demo", stdout=StringIO())
    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "nothing changed" in out.getvalue()


def test_ensure_admin_creates_once_and_prints_the_password():
    first = StringIO()
    call_command("ensure_admin", stdout=first)
    admin = get_user_model().objects.get(username="admin")
    lines = first.getvalue().splitlines()
    password = next(line.split(":", 1)[1].strip() for line in lines if "password" in line)
    assert admin.check_password(password) and admin.is_superuser
    second = StringIO()
    call_command("ensure_admin", stdout=second)
    admin.refresh_from_db()
    assert admin.check_password(password)
    assert password not in second.getvalue()
