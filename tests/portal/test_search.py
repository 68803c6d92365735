"""Portal search: only what is published, audience-aware, highlighted, paginated, safe."""

import datetime
import re

import pytest
from django.conf import settings
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from tests.conftest import add_child
from vitrine.portal.models import InfoBlockPage, NewsIndexPage, NewsPage
from vitrine.portal.search import clean_query, highlight, query_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_index(home):
    return add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))


def _news(index, title, *audiences, publish=True, **fields) -> NewsPage:
    fields.setdefault("teaser", f"Kurz gesagt: {title}.")
    fields.setdefault("body", "<p>Mehr dazu im Text.</p>")
    fields.setdefault("date", datetime.date(2025, 4, 1))
    page = NewsPage(title=title, live=publish, **fields)
    index.add_child(instance=page)
    page.audiences.set(audiences)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def _search(client, **params):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/suche/", params)
    assert response.status_code == 200
    return response


def _result_titles(response) -> list[str]:
    content = response.content.decode()
    titles = re.findall(r'class="search-result__title"><a href="[^"]*">(.*?)</a>', content)
    return [re.sub(r"</?mark>", "", title) for title in titles]


def test_a_newly_published_page_is_found(client, news_index):
    news = _news(news_index, "Lizenzpool für Zeichenprogramme", body="<p>Ein Zauberwort.</p>")

    response = _search(client, q="Zauberwort")

    assert _result_titles(response) == ["Lizenzpool für Zeichenprogramme"]
    assert f'href="{news.url}"' in response.content.decode()


def test_a_draft_never_appears(client, news_index):
    _news(news_index, "Geheimprojekt Budget 2027", publish=False)

    assert _result_titles(_search(client, q="Geheimprojekt")) == []


def test_unpublished_changes_of_a_live_page_are_not_searchable(client, news_index):
    news = _news(news_index, "Veröffentlichte Fassung", body="<p>Alter Text.</p>")
    news.title = "Entwurfsfassung"
    news.body = "<p>Vertraulicher Entwurfstext mit Schnapszahl.</p>"
    news.save_revision()

    assert _result_titles(_search(client, q="Schnapszahl")) == []
    assert _result_titles(_search(client, q="Entwurfsfassung")) == []
    assert _result_titles(_search(client, q="Veröffentlichte")) == ["Veröffentlichte Fassung"]


def test_unpublished_and_private_pages_never_appear(client, news_index):
    gone = _news(news_index, "Zurückgezogene Meldung Quartalszahlen")
    gone.unpublish()
    private = _news(news_index, "Interne Quartalszahlen")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert _result_titles(_search(client, q="Quartalszahlen")) == []


def test_results_for_other_audiences_are_hidden_with_a_link_to_show_them(
    client, news_index, audience, make_reader
):
    _news(news_index, "Lizenzrisiko für das Management", audience("management"))
    _news(news_index, "Lizenzfragen für alle", audience("alle"))

    anonymous = _search(client, q="Lizenzrisiko Lizenzfragen")
    content = anonymous.content.decode()

    assert _result_titles(anonymous) == ["Lizenzfragen für alle"]
    assert anonymous.context["outcome"].hidden_count == 1
    assert "1 more result is meant for other audiences." in content
    assert 'href="?q=Lizenzrisiko+Lizenzfragen&amp;alle=1"' in content

    everything = _search(client, q="Lizenzrisiko Lizenzfragen", alle="1")
    assert sorted(_result_titles(everything)) == [
        "Lizenzfragen für alle",
        "Lizenzrisiko für das Management",
    ]
    assert "Meant for other audiences" in everything.content.decode()

    client.force_login(make_reader("management"))
    manager = _search(client, q="Lizenzrisiko Lizenzfragen")
    assert len(_result_titles(manager)) == 2
    assert manager.context["outcome"].hidden_count == 0


def test_info_blocks_are_searched_and_filtered_by_audience_too(client, home, audience, make_reader):
    block = add_child(
        home,
        InfoBlockPage(
            title="Beschaffungsweg", kind="organisation_processes", summary="Bestellung."
        ),
    )
    block.audiences.set([audience("itsm-rollen")])
    block.save_revision().publish()

    assert _result_titles(_search(client, q="Beschaffungsweg")) == []
    client.force_login(make_reader("itsm-rollen"))
    assert _result_titles(_search(client, q="Beschaffungsweg")) == ["Beschaffungsweg"]


def test_query_terms_are_highlighted(client, news_index):
    _news(
        news_index,
        "Audit bestanden",
        teaser="Das Audit des Herstellers ist ohne Nachzahlung abgeschlossen.",
    )

    content = _search(client, q="audit").content.decode()

    assert '<a href="/neuigkeiten/audit-bestanden/"><mark>Audit</mark> bestanden</a>' in content
    assert "Das <mark>Audit</mark> des Herstellers" in content


def test_a_script_in_the_query_is_escaped_everywhere(client, news_index):
    _news(news_index, "Skriptsprachen im Katalog", teaser="Welche script-Sprachen erlaubt sind.")

    response = _search(client, q="<script>alert(1)</script>")
    content = response.content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<mark>script</mark>" in content  # the word itself is still found and marked


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("A & B amp", "amp", "A &amp; B <mark>amp</mark>"),
        ("x < y", "lt", "x &lt; y"),
        ("<b>Fett</b> & mehr", "fett", "<mark>Fett</mark> &amp; mehr"),
        ("Straße und STRASSE", "straße", "<mark>Straße</mark> und STRASSE"),
        ("Lizenz, Lizenzen", "lizenz", "<mark>Lizenz</mark>, <mark>Lizenz</mark>en"),
    ],
)
def test_highlight_escapes_before_marking(text, query, expected):
    assert highlight(text, query) == expected


def test_a_long_text_is_cut_around_the_first_match():
    text = ("Vorspann " * 60) + "Hier steht das Suchwort mitten im Text. " + ("Nachspann " * 60)

    excerpt = highlight(text, "suchwort", 120)

    assert "<mark>Suchwort</mark>" in excerpt
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert len(re.sub(r"</?mark>", "", excerpt)) <= 125


def test_an_empty_query_shows_a_helpful_hint_and_no_results(client, news_index):
    _news(news_index, "Irgendwas")

    response = _search(client, q="")
    content = response.content.decode()

    assert response.context["outcome"] is None
    assert 'id="search-help"' in content
    assert "for example" in content
    assert "search-result" not in content
    assert 'role="alert"' not in content


def test_a_query_without_words_says_so(client, db):
    content = _search(client, q="?!* ---").content.decode()

    assert 'role="alert"' in content
    assert "no words" in content


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "*",
        "(",
        ")",
        "AND",
        "NOT OR",
        "NEAR(a b)",
        'Lizenz"Pool',
        "Lizenz*",
        "col:umn",
        "a\x00b",
        "\x00",
        "%_%",
        "\\",
        "ü" * 500,
        "Straße ⚠️ 🙂",
        "a & b | !c <-> d",
        "x" * 5000,
    ],
)
def test_no_query_breaks_the_search(client, news_index, query):
    _news(news_index, "Lizenz Pool")

    response = client.get("/suche/", {"q": query})

    assert response.status_code == 200


def test_query_cleaning_drops_control_characters_and_syntax():
    assert clean_query("  Lizenz\x00 pool\t ") == "Lizenz pool"
    assert len(clean_query("x" * 1000)) == 200
    assert query_terms('"Office" AND (Visio*)') == ["Office", "AND", "Visio"]


def test_results_are_counted_and_paginated(client, news_index):
    for number in range(13):
        _news(news_index, f"Softwareverteilung Teil {number}")

    first = _search(client, q="Softwareverteilung")
    second = _search(client, q="Softwareverteilung", seite="2")
    content = first.content.decode()

    assert "13 results for “Softwareverteilung”" in content
    assert len(_result_titles(first)) == 10
    assert len(_result_titles(second)) == 3
    assert 'href="?q=Softwareverteilung&amp;seite=2"' in content
    assert set(_result_titles(first)).isdisjoint(_result_titles(second))
    assert _search(client, q="Softwareverteilung", seite="abc").status_code == 200


def test_pages_with_all_words_come_first_and_any_word_is_the_fallback(client, news_index):
    _news(news_index, "Adobe Acrobat beantragen")
    _news(news_index, "Adobe Creative Cloud")

    both = _search(client, q="Adobe beantragen")
    fallback = _search(client, q="Acrobat Fotoapparat")

    assert _result_titles(both) == ["Adobe Acrobat beantragen"]
    assert both.context["outcome"].matched_all_terms
    assert _result_titles(fallback) == ["Adobe Acrobat beantragen"]
    assert not fallback.context["outcome"].matched_all_terms
    assert "No page contains all of your words." in fallback.content.decode()


def test_a_title_match_ranks_above_a_mention_in_the_text(client, news_index):
    _news(news_index, "Neues aus dem Team", teaser="Nebenbei: Visio ist jetzt im Pool.")
    _news(news_index, "Visio im Lizenzpool")

    assert _result_titles(_search(client, q="Visio")) == [
        "Visio im Lizenzpool",
        "Neues aus dem Team",
    ]


def test_pages_the_editors_promote_come_first(client, home, news_index):
    _news(news_index, "Softwareantrag: so geht es", teaser="Antrag stellen.")
    lifecycle_block = add_child(
        home, InfoBlockPage(title="Verfahren und Regeln", kind="procedures_rules")
    )
    draft = _news(news_index, "Unfertiger Antrag", publish=False)
    query = Query.get("Antrag")
    SearchPromotion.objects.create(query=query, page=lifecycle_block, sort_order=0)
    SearchPromotion.objects.create(query=query, page=draft, sort_order=1)

    response = _search(client, q="antrag")

    titles = _result_titles(response)
    assert titles[0] == "Verfahren und Regeln"
    assert "Unfertiger Antrag" not in titles
    assert "Softwareantrag: so geht es" in titles
    assert "Recommended by the editorial team" in response.content.decode()


def _entry(product, vendor, *audiences, **fields):
    from vitrine.catalog.models import CatalogCategory, CatalogEntry

    category, _ = CatalogCategory.objects.get_or_create(
        slug="grafik", defaults={"name": "Grafik und Design"}
    )
    fields.setdefault("description", f"{product} von {vendor}.")
    entry = CatalogEntry(product=product, vendor=vendor, category=category, **fields)
    entry.audiences.set(audiences)  # a parental relation: stored by the save below
    entry.save()
    return entry


def test_catalog_entries_and_pages_are_found_together(client, home, news_index):
    from vitrine.catalog.models import CatalogPage

    catalog = add_child(home, CatalogPage(title="Softwarekatalog", slug="katalog"))
    entry = _entry("Inkscape", "Inkscape Project", description="Vektorgrafik ohne Lizenzkosten.")
    _news(news_index, "Vektorgrafik: Inkscape statt teurer Abos")

    response = _search(client, q="Inkscape")
    titles = _result_titles(response)

    assert sorted(titles) == [
        "Inkscape (Inkscape Project)",
        "Vektorgrafik: Inkscape statt teurer Abos",
    ]
    assert f'href="{entry.get_url()}"' in response.content.decode()
    assert entry.get_url().startswith(catalog.url)
    assert response.context["outcome"].count == 2


def test_catalog_entries_for_other_audiences_are_hidden_by_default(
    client, home, audience, make_reader
):
    from vitrine.catalog.models import CatalogPage

    add_child(home, CatalogPage(title="Softwarekatalog", slug="katalog"))
    _entry("Power BI Pro", "Microsoft", audience("management"))
    _entry("Power Automate", "Microsoft")

    anonymous = _search(client, q="Power")
    everything = _search(client, q="Power", alle="1")
    client.force_login(make_reader("management"))
    manager = _search(client, q="Power")

    assert _result_titles(anonymous) == ["Power Automate (Microsoft)"]
    assert anonymous.context["outcome"].hidden_count == 1
    assert len(_result_titles(everything)) == 2
    assert len(_result_titles(manager)) == 2


def test_the_excerpt_shows_the_text_that_matched(client, home, news_index):
    from vitrine.portal.models import LifecyclePage, LifecycleStage

    lifecycle = LifecyclePage(title="Lebenszyklus", slug="lebenszyklus", intro="<p>Einleitung.</p>")
    lifecycle.stages.add(
        LifecycleStage(
            stage="retirement",
            title="Rückgabe",
            what_happens="Die Lizenz geht in den Bestand zurück.",
            who_acts="Sie",
            speed_up="Geben Sie ungenutzte Software im Selbstbedienungsportal zurück.",
        )
    )
    add_child(home, lifecycle)
    _news(news_index, "Kurz notiert", teaser="Nichts Besonderes.", benefit="Weniger Warterei.")

    content = _search(client, q="Selbstbedienungsportal Warterei").content.decode()

    assert "<mark>Selbstbedienungsportal</mark>" in content
    assert "Weniger <mark>Warterei</mark>." in content


def test_changed_stages_of_a_published_lifecycle_page_are_found(client, home):
    from vitrine.portal.models import LifecyclePage, LifecycleStage

    lifecycle = LifecyclePage(title="Lebenszyklus", slug="lebenszyklus")
    lifecycle.stages.add(
        LifecycleStage(stage="request", title="Anfrage", what_happens="Sie fragen.", who_acts="Sie")
    )
    add_child(home, lifecycle)
    lifecycle = LifecyclePage.objects.get(pk=lifecycle.pk)
    lifecycle.stages.add(
        LifecycleStage(
            stage="use", title="Nutzung", what_happens="Lizenzernte im Herbst.", who_acts="Sie"
        )
    )
    lifecycle.save_revision().publish()

    assert _result_titles(_search(client, q="Lizenzernte")) == ["Lebenszyklus"]


def test_when_nothing_has_every_word_catalog_entries_with_some_of_them_are_found(
    client, home, news_index
):
    from vitrine.catalog.models import CatalogPage

    add_child(home, CatalogPage(title="Softwarekatalog", slug="katalog"))
    _entry("Inkscape", "Inkscape Project", description="Vektorgrafik ohne Kosten.")
    _news(news_index, "Neue Regeln für Testversionen")

    response = _search(client, q="Inkscape Testversionen")
    titles = _result_titles(response)
    assert sorted(titles) == ["Inkscape (Inkscape Project)", "Neue Regeln für Testversionen"]
    assert response.context["outcome"].matched_all_terms is False


def test_excerpts_keep_words_of_neighbouring_list_items_apart(client, news_index):
    _news(
        news_index,
        "Drei Handgriffe",
        body="<ol><li><b>Katalog</b> wählen.</li><li>Kostenstelle angeben.</li></ol>",
    )
    content = _search(client, q="Kostenstelle").content.decode()
    assert "wählen. <mark>Kostenstelle</mark>" in content


def test_the_empty_result_hint_links_to_the_contacts_on_the_home_page(client, home):
    from vitrine.portal.models import Contact

    Contact.objects.create(name="Lizenzteam", topic="Software und Lizenzen", email="l@example.org")

    content = _search(client, q="Quetzalcoatl").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german = client.get("/suche/", {"q": "Quetzalcoatl"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    link = re.search(r'<a href="([^"]*)">ask one of our contacts</a>', content)
    assert link, "the hint does not link to the contacts"
    path, _, anchor = link.group(1).partition("#")
    assert path == home.url
    target = client.get(path).content.decode()
    # The anchor is the heading of the section that lists the contact.
    section = re.search(
        rf'<section[^>]*aria-labelledby="{anchor}">(.*?)</section>', target, re.DOTALL
    )
    assert section and f'id="{anchor}"' in section.group(1)
    assert "Lizenzteam" in section.group(1)
    assert f'<a href="{link.group(1)}">fragen Sie einen unserer Ansprechpartner</a>' in (
        german.content.decode()
    )


def test_without_contacts_the_empty_result_hint_promises_none(client, home):
    content = _search(client, q="Quetzalcoatl").content.decode()

    assert "Nothing found. Try a shorter or more general word or check the spelling." in content
    assert "contacts" not in content.split('id="main"')[-1]
