"""The public board "What we are working on" and each item's own page."""

import datetime
import re

import pytest
from django.utils import timezone

from vitrine.improvements import services
from vitrine.improvements.choices import Status

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'class="improvement-card__title"><a href="[^"]*">([^<]*)</a>', html)


def _column(html: str, status: str) -> str:
    match = re.search(
        rf'<section class="improvement-column improvement-column--{status}".*?</section>',
        html,
        re.S,
    )
    return match.group(0) if match else ""


def test_the_board_groups_open_items_by_status(client, board, make_item):
    make_item("Eine Idee")
    make_item("Etwas Geplantes", status=Status.PLANNED)
    make_item("In Arbeit", status=Status.IN_PROGRESS)
    make_item("Abgelehnt", status=Status.DECLINED, decline_reason="Zu teuer.")

    response = client.get(board.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert _titles(_column(html, "idea")) == ["Eine Idee"]
    assert _titles(_column(html, "planned")) == ["Etwas Geplantes"]
    assert _titles(_column(html, "in_progress")) == ["In Arbeit"]
    assert all("Abgelehnt" not in _column(html, s) for s in ("idea", "planned", "in_progress"))
    assert "3 open items for your audiences" in html


def test_recently_done_items_show_for_ninety_days(client, board, make_item):
    now = timezone.now()
    fresh = make_item("Frisch erledigt")
    old = make_item("Vor langer Zeit erledigt")
    services.improvement_set_status(
        item=fresh, status=Status.DONE, at=now - datetime.timedelta(days=10)
    )
    services.improvement_set_status(
        item=old, status=Status.DONE, at=now - datetime.timedelta(days=120)
    )

    html = client.get(board.url).content.decode()

    done = html.split('aria-labelledby="recently-done"', 1)[1]
    assert _titles(done) == ["Frisch erledigt"]
    assert "Vor langer Zeit erledigt" not in html


def test_the_reader_sees_the_items_of_their_audiences_by_default(
    client, board, make_item, make_reader, audience
):
    make_item("Für alle")
    make_item("Für das Management", audiences=[audience("management")])
    make_item("Für die ITSM-Rollen", audiences=[audience("itsm-rollen")])

    anonymous = _titles(client.get(board.url).content.decode())
    client.force_login(make_reader("management"))
    manager = _titles(client.get(board.url).content.decode())

    assert anonymous == ["Für alle"]
    assert sorted(manager) == ["Für alle", "Für das Management"]


def test_the_audience_filter_chooses_another_audience_or_all(client, board, make_item, audience):
    make_item("Für alle")
    make_item("Für das Management", audiences=[audience("management")])
    make_item("Für die ITSM-Rollen", audiences=[audience("itsm-rollen")])

    chosen = client.get(board.url, {"zielgruppe": "itsm-rollen"}).content.decode()
    everything = client.get(board.url, {"zielgruppe": "*"}).content.decode()

    assert sorted(_titles(chosen)) == ["Für alle", "Für die ITSM-Rollen"]
    assert sorted(_titles(everything)) == ["Für alle", "Für das Management", "Für die ITSM-Rollen"]
    assert 'value="itsm-rollen" selected' in chosen


def test_the_area_filter(client, board, make_item):
    make_item("Lizenzthema", area="license")
    make_item("Kommunikationsthema", area="communication")

    html = client.get(board.url, {"bereich": "communication"}).content.decode()

    assert _titles(html) == ["Kommunikationsthema"]
    assert 'value="communication" selected' in html
    assert "<optgroup" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bereich": "marketing"}, "Process area: there is no area “marketing”."),
        ({"bereich": "<script>x</script>"}, "Process area: there is no area “&lt;script&gt;"),
        ({"zielgruppe": "vorstand"}, "Audience: there is no audience “vorstand”."),
        ({"zielgruppe": "../../etc"}, "Audience: there is no audience “../../etc”."),
        ({"zielgruppe": "x" * 500}, "Audience: there is no audience “" + "x" * 60 + "…”."),
    ],
)
def test_bad_filter_values_get_a_clear_message_and_no_error(
    client, board, make_item, params, message
):
    make_item("Für alle")

    response = client.get(board.url, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "<script>x</script>" not in html
    assert _titles(html) == ["Für alle"]


def test_the_item_page_shows_everything_a_reader_needs(client, board, make_item, contact):
    item = make_item(
        "Softwarekatalog um Lieferzeiten ergänzen",
        description="Jeder Eintrag zeigt die Lieferzeit.\n\nZweiter Absatz.",
        source="survey",
        source_url="/umfragen/2026/ergebnisse/",
        source_label="Umfrage 2026",
        area="service_level",
        owner=contact,
        target_date=datetime.date(2026, 12, 31),
        note="Aus der Umfrage",
    )
    services.improvement_set_status(item=item, status=Status.IN_PROGRESS, note="Begonnen")

    response = client.get(board.url + f"{item.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Softwarekatalog um Lieferzeiten ergänzen</h1>" in html
    assert "<p>Zweiter Absatz.</p>" in html
    assert "Service level management" in html
    assert 'href="/umfragen/2026/ergebnisse/">Umfrage 2026</a>' in html
    assert "Team Lizenzmanagement" in html
    assert contact.email not in html
    assert 'datetime="2026-12-31"' in html
    assert "Recorded as “Idea”" in html
    assert "From “Idea” to “In progress”" in html
    assert "Begonnen" in html and "Aus der Umfrage" in html
    assert f'href="{board.url}"' in html


def test_a_declined_item_page_gives_the_reason(client, board, make_item):
    item = make_item(
        "Private Nutzung", status=Status.DECLINED, decline_reason="Vertrag verbietet es."
    )

    html = client.get(board.url + f"{item.pk}/").content.decode()

    assert "Why we declined it" in html
    assert "Vertrag verbietet es." in html


@pytest.mark.parametrize("path", ["999999/", "abc/", "0/", "9" * 30 + "/", "1/2/"])
def test_an_unknown_item_is_a_404(client, board, path):
    assert client.get(board.url + path).status_code == 404


def test_board_and_item_page_keep_the_strict_policy(client, board, make_item):
    item = make_item("<b>Fett</b> im Titel", description='<script>alert("x")</script>')

    pages = [client.get(board.url), client.get(board.url + f"{item.pk}/")]

    for response in pages:
        html = response.content.decode()
        assert "style=" not in html
        assert "<script>alert" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert "&lt;b&gt;Fett&lt;/b&gt;" in html
        assert "improvements/improvements.css" in html


def test_the_board_item_link_opens_the_item(client, board, make_item):
    item = make_item("Verlinkt")

    html = client.get(board.url).content.decode()

    assert f'href="{board.url}{item.pk}/"' in html
