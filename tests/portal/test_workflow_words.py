"""The editorial approval step has one German name: "Freigabe", "freigeben".

"Genehmigung" and "genehmigen" belong to software requests (a licence approved in the catalog),
a different thing; the workflow "Freigabe" never uses them.
"""

import datetime
import gettext as gettext_module
from pathlib import Path

import pytest
import wagtail
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Workflow

from tests.conftest import add_child
from vitrine.portal.models import NewsIndexPage, NewsPage

WAGTAIL = Path(wagtail.__file__).parent


def _wagtail_msgids() -> set[str]:
    """Every message Wagtail translates into German, singular forms."""
    msgids = set()
    for mo in WAGTAIL.glob("**/locale/de/LC_MESSAGES/django.mo"):
        with mo.open("rb") as handle:
            catalog = gettext_module.GNUTranslations(handle)._catalog
        for key in catalog:
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid and "\x04" not in msgid:
                msgids.add(msgid)
    return msgids


def test_wagtails_workflow_messages_say_freigabe_in_german():
    approving = sorted(m for m in _wagtail_msgids() if "approv" in m.lower())
    assert len(approving) > 20  # the workflow's messages were found

    with translation.override("de"):
        german = {msgid: translation.gettext(msgid) for msgid in approving}

    wrong = {msgid: text for msgid, text in german.items() if "genehmig" in text.lower()}
    assert wrong == {}
    assert german["Approve"] == "Freigeben"
    assert german["Approve with comment"] == "Mit Kommentar freigeben"
    assert german["Group approval task"] == "Gruppen-Freigabeaufgabe"


@pytest.fixture
def in_review(home):
    """A news item waiting in the first step of the workflow "Freigabe"."""
    author = get_user_model().objects.create_user(username="lena", password="x-x-x-x-123")
    author.groups.add(Group.objects.get(name="Editors"))
    news_index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    page = NewsPage(
        title="Neue Regeln für Testversionen",
        teaser="Was gilt.",
        body="<p>Text</p>",
        date=datetime.date(2026, 11, 2),
        live=False,
    )
    news_index.add_child(instance=page)
    page.save_revision(user=author)
    Workflow.objects.get(name="Freigabe").start(page, author)
    return page


@pytest.mark.django_db
def test_a_reviewer_is_offered_to_freigeben_never_to_genehmigen(in_review):
    reviewer = get_user_model().objects.create_user(username="kim", password="x-x-x-x-123")
    reviewer.groups.add(Group.objects.get(name="Kommunikation"))
    client = Client()
    client.force_login(reviewer)

    pages = [
        client.get(
            reverse("wagtailadmin_pages:edit", args=[in_review.pk]), HTTP_ACCEPT_LANGUAGE="de"
        ),
        client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="de"),
    ]

    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert 'lang="de"' in html
        assert "genehmig" not in html.lower()
    edit = pages[0].content.decode()
    assert "Mit Kommentar freigeben" in edit and "Freigeben" in edit


@pytest.mark.django_db
def test_the_workflow_task_types_are_named_freigabe(client, editor):
    client.force_login(editor)

    html = client.get(
        reverse("wagtailadmin_workflows:task_index"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    chooser = client.get(
        reverse("wagtailadmin_workflows:select_task_type"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()

    assert "Kommunikation" in html and "Betriebsrat" in html
    for text in (html, chooser):
        assert "genehmig" not in text.lower()
