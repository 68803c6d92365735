"""The news index (pagination, audience filter) and a single news item."""

import datetime
import re

import pytest
from django.conf import settings
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.conftest import add_child
from vitrine.portal.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def _news(index, title, *audiences, date=None, **fields) -> NewsPage:
    fields.setdefault("teaser", f"Kurz gesagt: {title}.")
    fields.setdefault("body", f"<p>Alles über {title}.</p>")
    page = NewsPage(title=title, date=date or datetime.date(2025, 5, 1), **fields)
    index.add_child(instance=page)
    page.audiences.set(audiences)
    page.save_revision().publish()
    return page


@pytest.fixture
def news_index(home):
    return add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten", per_page=2))


def _titles(content: str) -> list[str]:
    return re.findall(r'class="news-card__title"><a href="[^"]*">([^<]*)</a>', content)


def test_the_index_lists_the_newest_news_first_and_paginates(client, news_index):
    for day in range(1, 6):
        _news(news_index, f"Meldung {day}", date=datetime.date(2025, 5, day))

    first = client.get(news_index.url)
    second = client.get(news_index.url, {"seite": 2})
    third = client.get(news_index.url, {"seite": 3})

    assert _titles(first.content.decode()) == ["Meldung 5", "Meldung 4"]
    assert _titles(second.content.decode()) == ["Meldung 3", "Meldung 2"]
    assert _titles(third.content.decode()) == ["Meldung 1"]
    assert 'href="?seite=2"' in first.content.decode()
    assert 'rel="prev"' in second.content.decode()
    assert 'rel="next"' not in third.content.decode()


@pytest.mark.parametrize("value", ["abc", "0", "-1", "999", "1.5", "9" * 40])
def test_a_bad_page_number_shows_a_page_and_never_fails(client, news_index, value):
    for day in range(1, 4):
        _news(news_index, f"Meldung {day}", date=datetime.date(2025, 5, day))

    response = client.get(news_index.url, {"seite": value})

    assert response.status_code == 200
    assert _titles(response.content.decode())


def test_the_audience_filter_shows_news_for_that_audience_and_for_everyone(
    client, news_index, audience
):
    news_index.per_page = 10
    news_index.save_revision().publish()
    _news(news_index, "Risiko im Griff", audience("management"))
    _news(news_index, "Schneller zur Software", audience("mitarbeitende"))
    _news(news_index, "Für alle", audience("alle"))
    _news(news_index, "Ohne Zielgruppe")

    response = client.get(news_index.url, {"zielgruppe": "management"})
    titles = _titles(response.content.decode())

    assert sorted(titles) == ["Für alle", "Ohne Zielgruppe", "Risiko im Griff"]
    assert response.context["selected_audience"] == audience("management")
    assert response.context["unknown_audience"] is False


def test_without_a_filter_the_index_shows_the_news_for_the_readers_audiences(
    client, news_index, audience, make_reader
):
    _news(news_index, "Risiko im Griff", audience("management"))
    _news(news_index, "Schneller zur Software", audience("mitarbeitende"))

    anonymous = _titles(client.get(news_index.url).content.decode())
    client.force_login(make_reader("mitarbeitende"))
    employee = _titles(client.get(news_index.url).content.decode())

    assert anonymous == []
    assert employee == ["Schneller zur Software"]


def test_the_filter_is_a_labelled_select_in_a_get_form(client, news_index):
    content = client.get(news_index.url, {"zielgruppe": "management"}).content.decode()

    form = re.search(r"<form[^>]*>.*?</form>", content[content.index("<main") :], re.S).group(0)
    assert 'method="get"' in form
    assert '<label for="news-audience">' in form
    assert '<select id="news-audience" name="zielgruppe">' in form
    assert '<option value="management" selected>' in form
    assert '<option value="mitarbeitende">' in form


@pytest.mark.parametrize("slug", ["gibt-es-nicht", "<script>alert(1)</script>", "a" * 300])
def test_an_unknown_audience_gives_a_visible_message_not_an_error(client, news_index, slug):
    _news(news_index, "Für alle")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(news_index.url, {"zielgruppe": slug})
    content = response.content.decode()

    assert response.status_code == 200
    assert response.context["unknown_audience"] is True
    assert 'role="alert"' in content
    assert "there is no audience" in content
    assert "<script>alert(1)</script>" not in content
    assert _titles(content) == ["Für alle"]


def test_pagination_links_keep_the_audience_filter(client, news_index, audience):
    for day in range(1, 4):
        _news(
            news_index, f"Meldung {day}", audience("management"), date=datetime.date(2025, 5, day)
        )

    content = client.get(news_index.url, {"zielgruppe": "management"}).content.decode()

    assert 'href="?zielgruppe=management&amp;seite=2"' in content


def test_a_news_item_shows_date_title_benefit_teaser_image_body_tags_and_breadcrumb(
    client, home, news_index, audience
):
    image = Image.objects.create(title="Foto", file=get_test_image_file())
    news = _news(
        news_index,
        "Adobe-Lizenzen: 40 Konten zurückgeholt",
        audience("budgetverantwortliche"),
        audience("management"),
        date=datetime.date(2025, 2, 3),
        teaser="Wir haben ungenutzte Konten eingesammelt.",
        body="<p>So sind wir vorgegangen: <b>erst fragen</b>, dann umhängen.</p>",
        benefit="Ihre Kostenstelle zahlt ab März 18.000 Euro weniger im Jahr.",
        image=image,
        image_alt="Das Team des Lizenzmanagements vor dem Whiteboard",
    )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(news.url)
    content = response.content.decode()
    main = content[content.index("<main") :]

    assert response.status_code == 200
    assert "<h1>Adobe-Lizenzen: 40 Konten zurückgeholt</h1>" in main
    assert '<time datetime="2025-02-03">' in main
    assert "Your benefit:" in main
    assert "Wir haben ungenutzte Konten eingesammelt." in main
    assert "<b>erst fragen</b>" in main
    # The benefit leads: it comes before the text.
    assert main.index("18.000 Euro weniger") < main.index("So sind wir vorgegangen")
    assert re.search(r'<img [^>]*alt="Das Team des Lizenzmanagements vor dem Whiteboard"', main)
    assert '<li class="tag">Budgetverantwortliche und Produktverantwortliche</li>' in main
    assert '<li class="tag">Geschäftsführung und Management</li>' in main
    breadcrumb = re.search(r'<nav class="breadcrumb".*?</nav>', main, re.S).group(0)
    assert f'<a href="{home.url}">Startseite</a>' in breadcrumb
    assert f'<a href="{news_index.url}">Neuigkeiten</a>' in breadcrumb
    assert 'aria-current="page">Adobe-Lizenzen' in breadcrumb


def test_a_news_item_without_image_or_benefit_renders_neither(client, news_index):
    news = _news(news_index, "Kurz notiert")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    main = client.get(news.url).content.decode()
    main = main[main.index("<main") :]

    assert "<img" not in main
    assert "Your benefit:" not in main
    assert '<li class="tag" lang="en">Everyone</li>' in main


def test_a_news_item_aimed_at_one_audience_can_still_be_opened_by_link(
    client, news_index, audience
):
    # Audiences decide what is offered to whom, not who may read: a shared link works.
    news = _news(news_index, "Nur für das Management", audience("management"))

    assert client.get(news.url).status_code == 200


def test_news_index_refuses_a_nul_byte_audience_without_error(client, home):
    from tests.conftest import add_child
    from vitrine.portal.models import NewsIndexPage

    index = add_child(home, NewsIndexPage(title="Meldungen", slug="meldungen"))
    response = client.get(index.url, {"zielgruppe": "\x00boom"})
    assert response.status_code == 200
    assert response.context["unknown_audience"] is True
