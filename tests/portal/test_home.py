"""The home page: news for the reader's audiences, info blocks, teasers, contacts, feeds."""

import datetime

import pytest
from django.conf import settings
from wagtail.models import PageViewRestriction

from tests.conftest import add_child
from vitrine.catalog.models import CatalogPage
from vitrine.portal.models import (
    Contact,
    InfoBlockPage,
    LifecyclePage,
    LifecycleStage,
    NewsIndexPage,
    NewsPage,
)

pytestmark = pytest.mark.django_db


def _news(index, title, *audiences, benefit="", date=None, publish=True) -> NewsPage:
    page = NewsPage(
        title=title,
        teaser=f"Kurz gesagt: {title}.",
        body=f"<p>Alles über {title}.</p>",
        benefit=benefit,
        date=date or datetime.date.today(),
        live=publish,
    )
    index.add_child(instance=page)
    page.audiences.set(audiences)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


@pytest.fixture
def news_index(home):
    return add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))


def test_two_readers_in_different_audiences_see_different_news(
    client, home, news_index, audience, make_reader
):
    _news(news_index, "Audit bestanden: 1,2 Mio. Euro Risiko vom Tisch", audience("management"))
    _news(news_index, "Software in drei Tagen statt drei Wochen", audience("mitarbeitende"))
    _news(news_index, "Neue Ansprechpartnerin im Lizenzmanagement")

    client.force_login(make_reader("management"))
    manager_home = client.get("/").content.decode()
    client.force_login(make_reader("mitarbeitende"))
    employee_home = client.get("/").content.decode()

    assert "Audit bestanden" in manager_home
    assert "Software in drei Tagen" not in manager_home
    assert "Software in drei Tagen" in employee_home
    assert "Audit bestanden" not in employee_home
    # What is meant for everyone reaches both.
    assert "Neue Ansprechpartnerin" in manager_home
    assert "Neue Ansprechpartnerin" in employee_home


def test_anonymous_readers_see_only_news_for_everyone(client, home, news_index, audience):
    _news(news_index, "Lizenzposition für die Geschäftsführung", audience("management"))
    _news(news_index, "Was Sie jetzt ohne Antrag nutzen dürfen", audience("alle"))

    content = client.get("/").content.decode()

    assert "Was Sie jetzt ohne Antrag nutzen dürfen" in content
    assert "Lizenzposition für die Geschäftsführung" not in content


def test_news_cards_show_date_teaser_benefit_and_audience_tags(client, home, news_index, audience):
    news = _news(
        news_index,
        "Microsoft-365-Konten aufgeräumt",
        audience("alle"),
        benefit="Ihr Team bekommt neue Konten sofort, ohne auf Budget zu warten.",
        date=datetime.date(2025, 3, 14),
    )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    content = response.content.decode()

    assert f'href="{news.url}"' in content
    assert 'datetime="2025-03-14"' in content
    assert "Kurz gesagt: Microsoft-365-Konten aufgeräumt." in content
    assert "Your benefit:" in content
    assert "ohne auf Budget zu warten" in content
    assert '<li class="tag">Alle</li>' in content
    assert f'href="{news_index.url}"' in content  # the link to all news


def test_the_home_page_shows_no_more_news_than_configured(client, home, news_index):
    home.news_count = 2
    home.save_revision().publish()
    for day in range(1, 5):
        _news(news_index, f"Meldung vom {day}. März", date=datetime.date(2025, 3, day))

    content = client.get("/").content.decode()

    assert "Meldung vom 4. März" in content
    assert "Meldung vom 3. März" in content
    assert "Meldung vom 2. März" not in content


def test_draft_news_is_not_on_the_home_page(client, home, news_index):
    _news(news_index, "Entwurf: Budgetplanung 2026", publish=False)

    assert "Entwurf: Budgetplanung 2026" not in client.get("/").content.decode()


def test_info_blocks_are_cards_with_summary_and_link(client, home):
    block = add_child(
        home,
        InfoBlockPage(
            title="Aufgaben und Ziele",
            kind="tasks_goals",
            summary="Wir sorgen dafür, dass jede Lizenz bezahlt und genutzt wird.",
        ),
    )
    draft = InfoBlockPage(title="Verfahren (Entwurf)", kind="procedures_rules", live=False)
    home.add_child(instance=draft)
    draft.save_revision()

    content = client.get("/").content.decode()

    assert f'<a href="{block.url}">Aufgaben und Ziele</a>' in content
    assert "jede Lizenz bezahlt und genutzt wird" in content
    assert "Verfahren (Entwurf)" not in content


def test_private_info_blocks_stay_off_the_home_page(client, home):
    block = add_child(home, InfoBlockPage(title="Nur für die Revision", kind="tasks_goals"))
    PageViewRestriction.objects.create(page=block, restriction_type=PageViewRestriction.LOGIN)

    assert "Nur für die Revision" not in client.get("/").content.decode()


def test_catalog_and_lifecycle_are_teased_with_links(client, home):
    catalog = add_child(home, CatalogPage(title="Softwarekatalog", slug="katalog"))
    lifecycle = LifecyclePage(title="Von der Anfrage bis zur Rückgabe", slug="lebenszyklus")
    lifecycle.stages.add(
        LifecycleStage(
            stage="request", title="Bedarf", what_happens="Sie fragen an.", who_acts="Sie"
        )
    )
    add_child(home, lifecycle)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get("/").content.decode()

    assert f'href="{catalog.url}"' in content
    assert f'href="{lifecycle.url}"' in content
    assert "how to request it" in content
    assert "speed it up" in content


def test_without_catalog_and_lifecycle_there_is_no_empty_teaser_section(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get("/").content.decode()

    assert "Getting software" not in content


def test_contacts_are_listed_with_mail_and_phone_links(client, home):
    Contact.objects.create(
        name="Lizenzmanagement",
        topic="Lizenzen und Softwareanfragen",
        email="lizenzmanagement@muster-ag.example",
        phone="+49 89 1234 567",
        is_mailbox=True,
    )

    content = client.get("/").content.decode()

    assert "Lizenzen und Softwareanfragen" in content
    assert 'href="mailto:lizenzmanagement@muster-ag.example"' in content
    assert 'href="tel:+49891234567"' in content


def test_the_home_page_links_the_feeds_for_everyone_and_the_readers_audiences(
    client, home, make_reader
):
    anonymous = client.get("/").content.decode()
    client.force_login(make_reader("management", "itsm-rollen"))
    reader = client.get("/").content.decode()

    atom = 'rel="alternate" type="application/atom+xml"'
    assert f'{atom} title="' in anonymous
    assert 'href="/feeds/all.atom"' in anonymous
    assert 'href="/feeds/management.atom"' not in anonymous
    assert 'href="/feeds/all.atom"' in reader
    assert 'href="/feeds/management.atom"' in reader
    assert 'href="/feeds/itsm-rollen.atom"' in reader
    assert 'href="/feeds/mitarbeitende.atom"' not in reader
    assert client.get("/feeds/management.atom").status_code == 200


def test_the_home_page_has_one_h1_and_its_stylesheet_is_local(client, home):
    content = client.get("/").content.decode()

    assert content.count("<h1") == 1
    assert 'href="/static/vitrine/css/portal-reader.css"' in content
    assert client.get("/static/vitrine/css/portal-reader.css").status_code == 200
