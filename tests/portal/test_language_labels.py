"""English labels inside German content carry lang="en"; the content keeps lang="de".

With the English interface over German content, `<main>` is marked German. Every interface
label inside it must mark itself English, so that each text is read with its own language's
rules; with the German interface nothing inside `<main>` needs a language of its own.
"""

import re
from io import StringIO
from pathlib import Path

import lxml.html
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

import vitrine
from tests.demo_pages import demo_pages
from vitrine.catalog.models import CatalogEntry, CatalogPage
from vitrine.portal.models import InfoBlockPage, NewsIndexPage

pytestmark = pytest.mark.django_db

CATALOG_PO = Path(vitrine.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(\(\w+\))?[sd]|\{\{|\{%")
TAG = re.compile(r"<[^>]+>")
# The search page is interface throughout: its <h1> is a label, not a page title.
INTERFACE_PAGES = {"search"}


def _normal(text: str) -> str:
    return " ".join(text.split())


def english_labels() -> set[str]:
    """The interface's English strings that German translates into something else."""
    labels = set()
    for entry in polib.pofile(str(CATALOG_PO)):
        if entry.obsolete or entry.fuzzy or not entry.msgstr:
            continue
        if entry.msgstr == entry.msgid or PLACEHOLDER.search(entry.msgid):
            continue
        for part in TAG.split(entry.msgid):
            part = _normal(part)
            if len(part) >= 4:
                labels.add(part)
    return labels


def reader_pages() -> dict[str, str]:
    pages = demo_pages()
    catalog = CatalogPage.objects.get()
    # An entry that names alternatives shows the most labels.
    entries = CatalogEntry.objects.order_by("product")
    entry = entries.filter(alternatives__isnull=False).first() or entries.first()
    pages["entry"] = catalog.url + catalog.reverse_subpage("entry", args=[entry.slug])
    pages["news index"] = NewsIndexPage.objects.get().url
    pages["info block"] = InfoBlockPage.objects.live().order_by("path").first().url
    pages["search"] = reverse("search") + "?q=Software"
    return pages


def _lang(element) -> str | None:
    """The language an element's text is read in: its nearest `lang` attribute."""
    while element is not None:
        if element.get("lang") is not None:
            return element.get("lang")
        element = element.getparent()
    return None


def text_nodes(main):
    """(text, effective language) of every text node inside `main`."""
    for element in main.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if element.text and element.text.strip():
            yield _normal(element.text), _lang(element)
        if element is not main and element.tail and element.tail.strip():
            yield _normal(element.tail), _lang(element.getparent())


def _main(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content).get_element_by_id("main")


@pytest.fixture
def demo(home):
    call_command("load_demo", stdout=StringIO())
    return reader_pages()


def test_english_labels_over_german_content_are_marked_english(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    labels = english_labels()
    wrong = []
    for name, url in demo.items():
        main = _main(client, url)
        assert main.get("lang") == "de" or name in INTERFACE_PAGES, name
        wrong += [
            f"{name}: {text!r} ({lang})"
            for text, lang in text_nodes(main)
            if text in labels and lang != "en"
        ]
        # Dates are written by the interface ("June 15, 2026"), so they are read as English.
        wrong += [
            f"{name}: date {time.text_content()!r} ({_lang(time)})"
            for time in main.iter("time")
            if _lang(time) != "en"
        ]
        if name not in INTERFACE_PAGES:
            (h1,) = main.iter("h1")
            assert _lang(h1) == "de", name
    assert not wrong, "\n".join(dict.fromkeys(wrong))


def test_german_labels_over_german_content_carry_no_language_of_their_own(client, demo):
    marked = []
    for name, url in demo.items():
        main = _main(client, url)
        marked += [
            (name, element.tag, element.get("lang"))
            for element in main.iter()
            if isinstance(element.tag, str) and element.get("lang") not in (None, "de")
        ]
    assert marked == []
