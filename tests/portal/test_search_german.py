"""German queries as readers type them: word parts, inflected forms, typos, umlaut spellings.

The same set runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…); both must
find every expected title.
"""

import datetime
import re

import pytest

from tests.conftest import add_child
from vitrine.portal.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

PHOTOSHOP = "Adobe Photoshop (Adobe)"
BILD = "Bildbearbeitung ohne Abo"
ANTRAG = "So beantragen Sie Software"
LOESCHUNG = "Löschung alter Benutzerkonten"
STRASSE = "Neuer Standort in der Hauptstraße"
LIZENZEN = "Verlängerung der Lizenzen für 2027"
UEBERSICHT = "Übersicht der Anträge im ersten Quartal"
ALL_TITLES = {PHOTOSHOP, BILD, ANTRAG, LOESCHUNG, STRASSE, LIZENZEN, UEBERSICHT}

NEWS = [
    (
        BILD,
        "Bildbearbeitung geht auch mit freier Software.",
        "<p>Für einfache Bildbearbeitung brauchen Sie kein teures Abonnement: GIMP und "
        "Krita sind im Softwarekatalog freigegeben.</p>",
    ),
    (
        ANTRAG,
        "In drei Schritten zur neuen Software.",
        "<p>Stellen Sie einen Antrag im Serviceportal. Ihre Führungskraft prüft die "
        "Genehmigung. Ist der Antrag genehmigt, installiert der Service Desk die Software "
        "innerhalb von zwei Arbeitstagen.</p>",
    ),
    (
        LOESCHUNG,
        "Konten, die ein Jahr nicht genutzt wurden, werden gelöscht.",
        "<p>Die Löschung betrifft Konten ohne Anmeldung seit zwölf Monaten. Daten sichern "
        "Sie bitte vorher im Teamlaufwerk.</p>",
    ),
    (
        STRASSE,
        "Das Lizenzteam zieht um.",
        "<p>Ab Juni finden Sie uns in der Hauptstraße 12, dritter Stock. Die Straße ist mit "
        "der Linie 4 erreichbar.</p>",
    ),
    (
        LIZENZEN,
        "Die Jahreslizenzen laufen im Dezember aus.",
        "<p>Die Verlängerung der Lizenzen für Office und Acrobat erledigen wir gesammelt; "
        "Sie müssen nichts tun.</p>",
    ),
    (
        UEBERSICHT,
        "Wie viele Anträge kamen, wie schnell sie erledigt waren.",
        "<p>Die Übersicht zeigt alle Anträge nach Produkt und Bearbeitungsdauer.</p>",
    ),
]

# Each query with the titles it must find (more may be found).
QUERIES = [
    # Whole words, any case.
    ("Bildbearbeitung", {PHOTOSHOP, BILD}),
    ("bildbearbeitung", {PHOTOSHOP, BILD}),
    ("BILDBEARBEITUNG", {PHOTOSHOP, BILD}),
    ("Photoshop", {PHOTOSHOP}),
    ("adobe", {PHOTOSHOP}),
    # Parts of compounds: the beginning and the end.
    ("Bild", {PHOTOSHOP, BILD}),
    ("bearbeitung", {PHOTOSHOP, BILD}),
    ("Bearbeitung", {PHOTOSHOP, BILD}),
    ("Photo", {PHOTOSHOP}),
    ("Haupt", {STRASSE}),
    # Word beginnings.
    ("genehmig", {ANTRAG}),
    ("Genehm", {ANTRAG}),
    ("verläng", {LIZENZEN}),
    # Inflected and plural forms find each other.
    ("Antrag", {ANTRAG, UEBERSICHT}),
    ("Anträge", {ANTRAG, UEBERSICHT}),
    ("Antrags", {ANTRAG, UEBERSICHT}),
    ("beantragen", {ANTRAG}),
    ("beantragt", {ANTRAG}),
    ("Genehmigung", {ANTRAG}),
    ("Genehmigungen", {ANTRAG}),
    ("genehmigt", {ANTRAG}),
    ("genehmigen", {ANTRAG}),
    ("Lizenz", {LIZENZEN}),
    ("Lizenzen", {LIZENZEN}),
    ("Verlängerungen", {LIZENZEN}),
    ("Übersichten", {UEBERSICHT}),
    # One-letter typos: missing, doubled, wrong and swapped letters.
    ("Adbe", {PHOTOSHOP}),
    ("Photshop", {PHOTOSHOP}),
    ("Fotoshop", {PHOTOSHOP}),
    ("Lizens", {LIZENZEN}),
    ("Genehmigunng", {ANTRAG}),
    ("Verlängerugn", {LIZENZEN}),
    # Umlaut and ß spelled out, and the other way round.
    ("Loeschung", {LOESCHUNG}),
    ("loeschung", {LOESCHUNG}),
    ("Löschung", {LOESCHUNG}),
    ("Uebersicht", {UEBERSICHT}),
    ("Strasse", {STRASSE}),
    ("STRASSE", {STRASSE}),
    ("Straße", {STRASSE}),
    ("Antraege", {ANTRAG, UEBERSICHT}),
    ("Verlaengerung", {LIZENZEN}),
    # Several words: every one must match.
    ("Antrag genehmigt", {ANTRAG}),
    ("Verlängerung Lizenzen", {LIZENZEN}),
    ("Bild Adobe", {PHOTOSHOP}),
]

# Words that must not pull in unrelated titles.
MUST_NOT_FIND = [
    ("Bild", {LOESCHUNG, STRASSE, LIZENZEN, ANTRAG}),
    ("Lizenz", {LOESCHUNG, BILD, PHOTOSHOP}),
    ("Strasse", {LOESCHUNG, LIZENZEN, UEBERSICHT}),
    ("Loeschung", {STRASSE, LIZENZEN, UEBERSICHT}),
    ("Adbe", {LOESCHUNG, STRASSE, LIZENZEN}),
]


@pytest.fixture
def german_content(home):
    from vitrine.catalog.models import CatalogCategory, CatalogEntry, CatalogPage

    add_child(home, CatalogPage(title="Softwarekatalog", slug="katalog"))
    category = CatalogCategory.objects.create(name="Grafik und Design", slug="grafik")
    CatalogEntry.objects.create(
        product="Adobe Photoshop",
        vendor="Adobe",
        category=category,
        description="Professionelle Bildbearbeitung für Fotos, Plakate und Bildschirmgrafiken.",
        benefit="Fotos retuschieren und freistellen.",
    )
    news_index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    for number, (title, teaser, body) in enumerate(NEWS, start=1):
        page = NewsPage(title=title, teaser=teaser, body=body, date=datetime.date(2026, 3, number))
        news_index.add_child(instance=page)
        page.save_revision().publish()


def _found(client, query: str) -> set[str]:
    response = client.get("/suche/", {"q": query}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    titles = re.findall(
        r'class="search-result__title"><a href="[^"]*">(.*?)</a>', response.content.decode()
    )
    return {re.sub(r"</?mark>", "", title) for title in titles}


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_a_german_query_finds_its_titles(client, german_content, query, expected):
    found = _found(client, query)

    assert expected <= found, f"{query!r} misses {sorted(expected - found)}"
    assert found <= ALL_TITLES  # nothing outside the fixture (the home page has no text)


@pytest.mark.parametrize(("query", "unrelated"), MUST_NOT_FIND, ids=[q for q, _ in MUST_NOT_FIND])
def test_a_german_query_leaves_unrelated_titles_out(client, german_content, query, unrelated):
    assert not _found(client, query) & unrelated


def test_german_search_hit_rate_is_complete(client, german_content, capsys):
    misses = [(query, expected - _found(client, query)) for query, expected in QUERIES]
    misses = [(query, missing) for query, missing in misses if missing]
    hits = len(QUERIES) - len(misses)

    with capsys.disabled():
        print(
            f"\nGerman search hit rate: {hits}/{len(QUERIES)} ({100 * hits / len(QUERIES):.0f} %)"
        )
        for query, missing in misses:
            print(f"  {query!r} misses {sorted(missing)}")
    assert hits == len(QUERIES) >= 25


@pytest.mark.parametrize(
    "query",
    [
        "Antrag " * 400,
        " ".join(f"Wort{number}" for number in range(200)),
        " ".join(["Lizenz", "Antrag", "Straße", "Bild"] * 50),
        "!?.,;:-–—…()[]{}<>\"'`´^°§$%&/=*+#~|\\@€",
        "a & | ! b",
        "Antrag & !Lizenz | (Bild <-> Straße)",
        "Bild:* & Antrag:A",
        "%",
        "_",
        "%Antrag%",
        "Antr_g",
        "ä",
        "ß",
        "Ü",
        "' OR 1=1 --",
        "'); DROP TABLE wagtailsearch_indexentry; --",
        "ae oe ue ss",
        "Straßenstraßestraße" * 20,
    ],
    ids=lambda query: query[:30],
)
def test_hostile_queries_answer_without_error(client, german_content, query):
    response = client.get("/suche/", {"q": query})

    assert response.status_code == 200
    assert _found(client, "Bildbearbeitung") == {PHOTOSHOP, BILD}  # the index is intact


@pytest.mark.parametrize(
    ("word", "searched_as", "never"),
    [
        ("beantragt", "beantrag", None),
        ("beantragte", "beantrag", None),
        ("beantragten", "beantrag", None),
        # A verb ending comes off long words only: "Rechte" must not find "Rechnung".
        ("Rechte", "recht", "rech"),
        ("Rechten", "recht", "rech"),
        ("Arbeiten", "arbeit", "arbei"),
    ],
)
def test_verb_endings_come_off_long_words_only(word, searched_as, never):
    from vitrine.portal.search import spellings

    assert searched_as in spellings(word)
    assert never not in spellings(word)
