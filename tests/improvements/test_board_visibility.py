"""The board is for everyone: hidden items are counted, declined items stay with their
reason, a status filter, and the site search finds items with the same audience filter."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from vitrine.improvements.choices import Status
from vitrine.improvements.models import ImprovementItem

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'class="improvement-card__title"><a href="[^"]*">([^<]*)</a>', html)


def _section(html: str, label: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{label}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_hidden_items_are_counted_for_an_anonymous_reader_without_their_titles(
    client, board, make_item, audience
):
    make_item("Für alle sichtbar")
    make_item("Nur für das Management", audiences=[audience("management")])
    make_item("Nur für die ITSM-Rollen", audiences=[audience("itsm-rollen")], status="planned")

    html = client.get(board.url).content.decode()

    assert _titles(html) == ["Für alle sichtbar"]
    assert "2 more items are only visible to certain audiences." in html
    assert "Nur für das Management" not in html
    assert "Nur für die ITSM-Rollen" not in html
    assert 'href="?zielgruppe=%2A"' in html


def test_a_signed_in_reader_sees_their_audience_and_the_count_of_the_rest(
    client, board, make_item, make_reader, audience
):
    make_item("Für alle sichtbar")
    make_item("Nur für das Management", audiences=[audience("management")])
    make_item("Nur für die ITSM-Rollen", audiences=[audience("itsm-rollen")])
    client.force_login(make_reader("management"))

    html = client.get(board.url).content.decode()

    assert sorted(_titles(html)) == ["Für alle sichtbar", "Nur für das Management"]
    assert "1 more item is only visible to certain audiences." in html
    assert "Nur für die ITSM-Rollen" not in html


def test_nothing_is_said_to_be_hidden_when_all_items_are_shown(client, board, make_item, audience):
    make_item("Für alle sichtbar")
    make_item("Nur für das Management", audiences=[audience("management")])

    html = client.get(board.url, {"zielgruppe": "*"}).content.decode()

    assert len(_titles(html)) == 2
    assert "only visible to certain audiences" not in html


def test_an_item_saved_in_the_admin_without_audiences_is_for_everyone(client, board, editor):
    client.force_login(editor)
    add_url = reverse("wagtailsnippets_improvements_improvementitem:add")
    form = client.get(add_url).content.decode()
    assert not re.search(r'name="audiences"[^>]*checked', form)

    response = client.post(
        add_url,
        {
            "title": "Katalog um Alternativen ergänzen",
            "description": "Jeder Eintrag nennt eine Alternative.",
            "area": "service_level",
            "status": "idea",
            "source": "idea",
        },
    )
    assert response.status_code == 302
    item = ImprovementItem.objects.get()
    assert list(item.audiences.all()) == []

    client.logout()
    assert _titles(client.get(board.url).content.decode()) == [item.title]


def test_declined_items_stay_on_the_board_with_their_reason(client, board, make_item):
    make_item("Eine Idee")
    make_item(
        "Office privat nutzen",
        status=Status.DECLINED,
        decline_reason="Der Vertrag erlaubt die private Nutzung nicht.",
    )

    html = client.get(board.url).content.decode()

    declined = _section(html, "declined")
    assert _titles(declined) == ["Office privat nutzen"]
    assert "Der Vertrag erlaubt die private Nutzung nicht." in declined
    assert "Eine Idee" not in declined


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("declined", ["Abgelehnt"]),
        ("planned", ["Geplant"]),
        ("done", ["Erledigt"]),
        ("", ["Abgelehnt", "Eine Idee", "Erledigt", "Geplant"]),
    ],
)
def test_the_status_filter_shows_only_that_status(client, board, make_item, status, expected):
    make_item("Eine Idee")
    make_item("Geplant", status=Status.PLANNED)
    make_item("Erledigt", status=Status.DONE)
    make_item("Abgelehnt", status=Status.DECLINED, decline_reason="Zu teuer.")

    html = client.get(board.url, {"status": status}).content.decode()

    assert sorted(_titles(html)) == expected
    if status:
        assert f'<option value="{status}" selected>' in html


def test_an_unknown_status_is_explained_and_everything_shown(client, board, make_item):
    make_item("Eine Idee")

    html = client.get(board.url, {"status": "<b>weg</b>"}).content.decode()

    assert "Status: there is no status “&lt;b&gt;weg&lt;/b&gt;”." in html
    assert _titles(html) == ["Eine Idee"]


def _search_titles(client, query, **params) -> tuple[list[str], object]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/suche/", {"q": query, **params})
    assert response.status_code == 200
    content = response.content.decode()
    titles = re.findall(r'class="search-result__title"><a href="([^"]*)">(.*?)</a>', content)
    return [(url, re.sub(r"</?mark>", "", title)) for url, title in titles], response


def test_the_site_search_finds_items_with_the_audience_filter(
    client, board, make_item, make_reader, audience
):
    public = make_item("Visio-Lizenzen automatisch zurückholen")
    make_item("Visio-Bestand für das Management prüfen", audiences=[audience("management")])

    found, response = _search_titles(client, "Visio")
    assert found == [(board.url + f"{public.pk}/", public.title)]
    assert response.context["outcome"].hidden_count == 1
    assert client.get(found[0][0]).status_code == 200

    found, _ = _search_titles(client, "Visio", alle="1")
    assert len(found) == 2

    client.force_login(make_reader("management"))
    found, response = _search_titles(client, "Visio")
    assert len(found) == 2
    assert response.context["outcome"].hidden_count == 0
