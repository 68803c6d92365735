"""Excerpts beside news: on the home page, in the news index, in the feeds and in search."""

import datetime
import re

import feedparser
import pytest

from tests.excerpts.conftest import figure, items, make_excerpt
from vitrine.portal.models import NewsPage

pytestmark = pytest.mark.django_db


def _news(index, title, *audiences, date):
    page = NewsPage(title=title, teaser=f"About {title}.", body="<p>Text</p>", date=date)
    index.add_child(instance=page)
    page.audiences.set(audiences)
    page.save_revision().publish()
    return page


def _titles(content: str) -> list[str]:
    return re.findall(r'class="news-card__title"><a href="[^"]*">([^<]*)</a>', content)


@pytest.fixture
def stream(news_index, licenses, audience):
    management, employees = audience("management"), audience("mitarbeitende")
    body = [figure(licenses), items("open_work", "More to do")]
    _news(news_index, "Old news", date=datetime.date(2026, 10, 1))
    make_excerpt(
        news_index, "Licenses for management", body, management, date=datetime.date(2026, 11, 5)
    )
    make_excerpt(news_index, "Excerpt for everyone", body, date=datetime.date(2026, 10, 20))
    _news(news_index, "Employee news", employees, date=datetime.date(2026, 11, 1))
    make_excerpt(news_index, "Draft excerpt", body, date=datetime.date(2026, 11, 30), publish=False)
    return news_index


def test_the_news_index_lists_excerpts_beside_news_newest_first(client, stream, make_reader):
    client.force_login(make_reader("management"))

    content = client.get(stream.url).content.decode()

    assert _titles(content) == ["Licenses for management", "Excerpt for everyone", "Old news"]
    label = 'class="card__meta news-card__label" lang="en"><strong>Topic excerpt<'
    assert content.count(label) == 2
    assert "In short: Licenses for management." in content
    assert "3 news items for your audiences" in content


def test_the_audience_filter_of_the_news_index_applies_to_excerpts(client, stream):
    content = client.get(stream.url, {"zielgruppe": "mitarbeitende"}).content.decode()

    assert _titles(content) == ["Employee news", "Excerpt for everyone", "Old news"]


def test_the_home_page_shows_excerpts_for_the_reader(client, home, stream, make_reader):
    home.news_count = 2
    home.save()
    client.force_login(make_reader("management"))
    manager = _titles(client.get("/").content.decode())
    client.force_login(make_reader("mitarbeitende"))
    employee = _titles(client.get("/").content.decode())

    assert manager == ["Licenses for management", "Excerpt for everyone"]
    assert employee == ["Employee news", "Excerpt for everyone"]


def _feed(client, slug):
    response = client.get(f"/feeds/{slug}.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_excerpts_are_in_the_feeds_of_their_audiences(client, stream):
    management = {e.title: e for e in _feed(client, "management").entries}
    employees = {e.title for e in _feed(client, "mitarbeitende").entries}
    everyone = {e.title for e in _feed(client, "all").entries}

    assert "Topic excerpt: Licenses for management" in management
    assert "Topic excerpt: Excerpt for everyone" in management
    assert "Topic excerpt: Licenses for management" not in employees
    assert "Topic excerpt: Excerpt for everyone" in employees
    assert "Topic excerpt: Licenses for management" not in everyone
    assert "Topic excerpt: Excerpt for everyone" in everyone
    assert not any("Draft excerpt" in title for title in {*management, *employees, *everyone})
    entry = management["Topic excerpt: Licenses for management"]
    assert "In short: Licenses for management." in entry.summary
    assert re.search(r":excerpt/\d+$", entry.id)
    assert [tag.term for tag in entry.tags] == ["Geschäftsführung und Management"]


def test_search_finds_excerpts_by_intro_and_block_text(client, news_index, licenses, audience):
    body = [
        figure(licenses, (audience("management"), "Quarterly truing saves money.")),
        items("wins", "Zebracontract renegotiated"),
        items("open_work", "Giraffeprocess still slow"),
    ]
    make_excerpt(news_index, "Searchable excerpt", body, intro="Okapi licensing explained.")

    for word in ("Okapi", "Zebracontract", "Giraffeprocess", "truing"):
        response = client.get("/suche/", {"q": word})
        assert response.status_code == 200
        assert "Searchable excerpt" in response.content.decode(), word
