"""The Atom feeds: valid Atom, what each audience gets, news, News Flashes and info blocks."""

import datetime

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import add_child
from vitrine.portal.models import (
    CorporateDesign,
    InfoBlockPage,
    NewsFlash,
    NewsIndexPage,
    NewsPage,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PORTAL = "https://vitrine.muster-ag.example"


@pytest.fixture(autouse=True)
def _portal_address(settings):
    settings.BASE_URL = PORTAL


def _parse(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def _titles(feed) -> set[str]:
    return {entry.title for entry in feed.entries}


@pytest.fixture
def news_index(home):
    return add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))


def _news(index, title, *audiences, publish=True, **fields) -> NewsPage:
    fields.setdefault("teaser", f"Kurz gesagt: {title}.")
    fields.setdefault("body", "<p>Text</p>")
    page = NewsPage(title=title, live=publish, **fields)
    index.add_child(instance=page)
    page.audiences.set(audiences)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def _flash(title, *audiences, **fields) -> NewsFlash:
    now = timezone.now()
    fields.setdefault("text", "Bitte beachten.")
    fields.setdefault("starts_at", now - DAY)
    fields.setdefault("ends_at", now + DAY)
    flash = NewsFlash.objects.create(title=title, **fields)
    flash.audiences.set(audiences)
    return flash


def test_each_audience_feed_has_its_own_items_and_those_for_everyone(client, news_index, audience):
    _news(news_index, "Risiko: Audit bestanden", audience("management"))
    _news(news_index, "Software schneller bekommen", audience("mitarbeitende"))
    _news(news_index, "Neue Ansprechpartnerin", audience("alle"))
    _news(news_index, "Ohne Zielgruppe")

    management = _titles(_parse(client, "/feeds/management.atom"))
    employees = _titles(_parse(client, "/feeds/mitarbeitende.atom"))
    everyone = _titles(_parse(client, "/feeds/all.atom"))

    assert management == {"Risiko: Audit bestanden", "Neue Ansprechpartnerin", "Ohne Zielgruppe"}
    assert employees == {"Software schneller bekommen", "Neue Ansprechpartnerin", "Ohne Zielgruppe"}
    assert everyone == {"Neue Ansprechpartnerin", "Ohne Zielgruppe"}


def test_an_unknown_audience_has_no_feed(client, db):
    assert client.get("/feeds/gibt-es-nicht.atom").status_code == 404
    assert client.get("/feeds/../etc.atom").status_code == 404
    assert client.get("/feeds/management.rss").status_code == 404


def test_the_feed_has_title_subtitle_self_link_author_and_updated(client, home, news_index):
    design = CorporateDesign.for_site(home.get_site())
    design.company_name = "Muster AG"
    design.portal_name = "Lizenzmanagement & IT-Services"
    design.save()
    _news(news_index, "Neu im Katalog")

    feed = _parse(client, "/feeds/management.atom")

    assert feed.feed.title == "Lizenzmanagement & IT-Services – Geschäftsführung und Management"
    assert feed.feed.subtitle
    assert feed.feed.author == "Muster AG"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == f"{PORTAL}/feeds/management.atom"
    assert links["alternate"] == f"{PORTAL}/"
    assert feed.feed.updated_parsed is not None
    assert feed.feed.id == f"{PORTAL}/feeds/management.atom"
    assert _parse(client, "/feeds/all.atom").feed.title == "Lizenzmanagement & IT-Services – Alle"


def test_a_news_entry_has_everything_a_feed_reader_needs(client, news_index, audience):
    news = _news(
        news_index,
        "Adobe: 40 Konten zurückgeholt & neu verteilt",
        audience("budgetverantwortliche"),
        teaser="Ungenutzte Konten <eingesammelt>.",
        benefit="Ihre Kostenstelle spart 18.000 Euro im Jahr.",
    )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    feed = _parse(client, "/feeds/budgetverantwortliche.atom")
    (entry,) = feed.entries

    assert entry.title == "Adobe: 40 Konten zurückgeholt & neu verteilt"
    assert entry.link == f"{PORTAL}{news.url}"
    assert "Your benefit:" in entry.summary
    assert "Ihre Kostenstelle spart 18.000 Euro im Jahr." in entry.summary
    assert "Ungenutzte Konten &lt;eingesammelt&gt;." in entry.summary
    assert entry.summary.index("18.000 Euro") < entry.summary.index("Ungenutzte Konten")
    assert entry.published_parsed is not None and entry.updated_parsed is not None
    assert entry.author == "Muster AG"
    assert entry.id.startswith("tag:vitrine.muster-ag.example,")
    assert entry.id.endswith(f":news/{news.pk}")
    assert [tag.term for tag in entry.tags] == ["Budgetverantwortliche und Produktverantwortliche"]


def test_an_entry_for_everyone_is_categorised_for_everyone(client, news_index):
    _news(news_index, "Für alle")

    (entry,) = _parse(client, "/feeds/all.atom").entries

    assert [tag.term for tag in entry.tags] == ["Alle"]


def test_news_flashes_that_are_active_or_recent_are_in_the_feed(client, home, audience):
    now = timezone.now()
    index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    active = _flash("Wartung heute", link_page=index)
    recent = _flash("Vor drei Wochen", starts_at=now - 21 * DAY, ends_at=now - 20 * DAY)
    _flash("Vor drei Monaten", starts_at=now - 90 * DAY, ends_at=now - 89 * DAY)
    _flash("Nächste Woche", starts_at=now + 7 * DAY, ends_at=now + 8 * DAY)
    _flash("Nur Management", audience("management"))

    feed = _parse(client, "/feeds/all.atom")
    entries = {entry.title: entry for entry in feed.entries}

    assert set(entries) == {"Wartung heute", "Vor drei Wochen"}
    assert entries["Wartung heute"].link == f"{PORTAL}{index.url}"
    assert entries["Vor drei Wochen"].link == f"{PORTAL}/"  # no link: the home page
    assert entries["Wartung heute"].id.endswith(f":flash/{active.pk}")
    assert entries["Vor drei Wochen"].id.endswith(f":flash/{recent.pk}")
    assert "Nur Management" in _titles(_parse(client, "/feeds/management.atom"))


def test_a_flash_keeps_its_id_when_it_is_edited(client, db):
    flash = _flash("Wartung", link_url="https://intranet.example/wartung")
    before = _parse(client, "/feeds/all.atom").entries[0]

    flash.title = "Wartung verschoben"
    flash.save()
    after = _parse(client, "/feeds/all.atom").entries[0]

    assert after.title == "Wartung verschoben"
    assert after.link == "https://intranet.example/wartung"
    assert after.id == before.id


def test_a_changed_info_block_is_an_entry_with_a_new_id_per_change(client, home, audience):
    block = add_child(
        home,
        InfoBlockPage(
            title="Verfahren und Regeln",
            kind="procedures_rules",
            summary="Was erlaubt ist und warum.",
        ),
    )
    block.audiences.set([audience("mitarbeitende")])
    block.save_revision().publish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = _parse(client, "/feeds/mitarbeitende.atom").entries

    block.summary = "Was erlaubt ist, was nicht, und warum."
    block.save_revision().publish()
    second = _parse(client, "/feeds/mitarbeitende.atom").entries

    assert [e.title for e in first] == ["Updated: Verfahren und Regeln"]
    assert [e.title for e in second] == ["Updated: Verfahren und Regeln"]
    assert "Was erlaubt ist, was nicht, und warum." in second[0].summary
    assert first[0].id != second[0].id
    assert second[0].link == f"{PORTAL}{block.url}"
    assert "Verfahren und Regeln" not in str(_titles(_parse(client, "/feeds/management.atom")))


def test_only_live_public_pages_are_in_the_feed(client, news_index):
    _news(news_index, "Entwurf", publish=False)
    private = _news(news_index, "Nur mit Anmeldung")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    gone = _news(news_index, "Zurückgezogen")
    gone.unpublish()
    _news(news_index, "Veröffentlicht")

    assert _titles(_parse(client, "/feeds/all.atom")) == {"Veröffentlicht"}


def test_the_feed_is_newest_first_and_holds_at_most_50_entries(client, news_index):
    now = timezone.now()
    for number in range(55):
        _news(news_index, f"Meldung {number:02d}")
    NewsPage.objects.update(last_published_at=now)
    for page in NewsPage.objects.all():
        number = int(page.title.split()[1])
        NewsPage.objects.filter(pk=page.pk).update(
            first_published_at=now - datetime.timedelta(days=100 - number),
            last_published_at=now - datetime.timedelta(days=100 - number),
        )

    feed = _parse(client, "/feeds/all.atom")

    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Meldung 54"
    assert feed.entries[-1].title == "Meldung 05"
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids)


def _all_links(feed) -> list[str]:
    links = [link.href for link in feed.feed.links]
    for entry in feed.entries:
        links += [link.href for link in entry.links]
    return links


def test_every_link_and_id_is_on_the_configured_root_url_whatever_the_host(
    client, settings, site, news_index, audience
):
    root = "https://intranet.example.com/portal"
    settings.BASE_URL = root
    settings.ALLOWED_HOSTS = ["*"]
    # The Wagtail site record and the request name other hosts: neither may leak.
    site.hostname = "localhost"
    site.save()
    _news(news_index, "Neue Lizenzen", audience("mitarbeitende"))
    block = add_child(site.root_page, InfoBlockPage(title="Regeln", kind="procedures_rules"))
    block.save_revision().publish()
    _flash("Wartung heute", link_page=news_index)
    _flash("Ohne Link")
    _flash("Extern", link_url="https://status.example.org/")

    for host in ("localhost", "127.0.0.1:8000", "vitrine-app-7f9c:8000"):
        feed = _parse(client, "/feeds/mitarbeitende.atom", HTTP_HOST=host)

        assert len(feed.entries) == 5
        links = [href for href in _all_links(feed) if href != "https://status.example.org/"]
        assert len(links) == 2 + 4  # self and home; one per entry but the external one
        assert all(href.startswith(f"{root}/") for href in links), links
        assert feed.feed.id == f"{root}/feeds/mitarbeitende.atom"
        assert {link.href for link in feed.feed.links} == {
            f"{root}/feeds/mitarbeitende.atom",
            f"{root}/",
        }
        assert f"{root}{news_index.url}" in links
        for entry in feed.entries:
            assert entry.id.startswith("tag:intranet.example.com,"), entry.id
