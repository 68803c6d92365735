"""Honest statistics on every part of an excerpt: the page, its PDF and its PowerPoint.

A lead time or a share measured on fewer requests than the minimum sample shows only the count
and that it is too few for a statement; a change of a percentage reads in percentage points.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from tests.excerpts.conftest import chart, figure, make_excerpt, make_series

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.excerpts.export_urls")]

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


def _flat(text: str) -> str:
    return " ".join(text.replace("-\n", "-").replace("\u00a0", " ").split())


def _page_text(client, page) -> str:
    response = client.get(page.url, **GERMAN)
    assert response.status_code == 200
    main = response.content.decode()
    main = main[main.index("<main") : main.index("</main>")]
    # Text only (chart labels included): what a reader reads, not markup or attributes.
    return _flat(re.sub(r"<[^>]+>", " ", main))


def _pdf_text(client, page) -> str:
    response = client.get(f"/auszuege/{page.pk}/pdf", **GERMAN)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return _flat(" ".join(p.extract_text() for p in reader.pages))


def _deck_text(client, page) -> str:
    response = client.get(f"/auszuege/{page.pk}/pptx", **GERMAN)
    assert response.status_code == 200
    texts = []
    for slide in Presentation(io.BytesIO(response.content)).slides:
        texts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return _flat(" ".join(texts))


def _parts(client, page) -> dict[str, str]:
    return {
        "page": _page_text(client, page),
        "pdf": _pdf_text(client, page),
        "pptx": _deck_text(client, page),
    }


@pytest.fixture
def one_request(news_index, settings):
    """An excerpt of a lead time and a share, each measured on one request only."""
    settings.LANGUAGE_CODE = "de"
    lead_time = make_series(
        "lead_time.end_to_end",
        "Durchlaufzeit von der Anfrage bis zur Installation",
        "days",
        topic="lead_time",
        values=[(datetime.date(2026, 3, 1), "3.5", {"p90_days": 9, "requests": 1})],
    )
    share = make_series(
        "lead_time.within_catalog",
        "Anfragen aus dem Katalog",
        "%",
        topic="lead_time",
        values=[(datetime.date(2026, 3, 1), 100, {"requests": 1, "within": 1})],
    )
    return make_excerpt(
        news_index,
        "Durchlaufzeiten",
        [figure(lead_time, chart="line"), figure(share, chart="line")],
    )


def test_one_request_shows_its_count_and_no_statement_on_page_pdf_and_deck(client, one_request):
    for part, text in _parts(client, one_request).items():
        assert text.count("1 Anfrage ") >= 2, part
        assert text.count("zu wenige Anfragen für eine Aussage") >= 2, part
        # Neither the median (3,5 days), the 90th percentile (9 days) nor the share (100 %).
        for figure_text in ("3,5", "9 Tage", "100 %", "100%", "1 Tag", "Median"):
            assert figure_text not in text, (part, figure_text)


@pytest.fixture
def share_change(news_index, settings):
    """A share that rose from 40 to 58.2 percent, measured on enough requests."""
    settings.LANGUAGE_CODE = "de"
    share = make_series(
        "lead_time.within_catalog",
        "Anfragen aus dem Katalog",
        "%",
        topic="lead_time",
        values=[
            (datetime.date(2026, 2, 1), 40, {"requests": 50, "within": 20}),
            (datetime.date(2026, 3, 1), "58.2", {"requests": 55, "within": 32}),
        ],
    )
    return make_excerpt(news_index, "Katalog", [figure(share)])


def test_a_change_of_a_percentage_reads_in_percentage_points_everywhere(client, share_change):
    for part, text in _parts(client, share_change).items():
        assert "58,2 %" in text, part
        assert "+18,2 Prozentpunkte seit Februar 2026" in text, part
        assert "+18,2 %" not in text, part


# --- "Stand": the date of the data, one and the same on every part ------------------------------

STAND = re.compile(r"Stand:?\s+((?:\d{2}\.\d{2}\.\d{4})|(?:[A-ZÄÖÜ][a-zäöü]+\.? \d{4}))")


@pytest.fixture
def monthly(news_index, settings):
    """Lead times per month: the snapshot dated the 1st stands for the whole month."""
    settings.LANGUAGE_CODE = "de"
    lead_time = make_series(
        "lead_time.request_to_approval",
        "Durchlaufzeit bis zur Genehmigung",
        "days",
        topic="lead_time",
        values=[
            (datetime.date(2026, 9, 1), "4.5", {"p90_days": 9, "requests": 40}),
            (datetime.date(2026, 10, 1), "3.5", {"p90_days": 8, "requests": 42}),
        ],
    )
    return make_excerpt(
        news_index,
        "Durchlaufzeiten",
        [figure(lead_time, chart="line"), chart("bar", lead_time)],
        date=datetime.date(2026, 11, 20),
    )


def test_one_figure_has_one_stand_the_month_of_its_data_on_page_pdf_and_deck(client, monthly):
    response = client.get(monthly.url, **GERMAN)
    html = response.content.decode()

    parts = {"html": html, **_parts(client, monthly)}
    for part, text in parts.items():
        assert set(STAND.findall(text)) == {"Oktober 2026"}, part
        # The 1st of the month is no date of these figures: they measure the whole month.
        assert "01.10.2026" not in text and "01.09.2026" not in text, part
        assert "seit September 2026" in text, part


# --- units: German words, singular for one -------------------------------------------------------


@pytest.fixture
def one_account(news_index, settings):
    settings.LANGUAGE_CODE = "de"
    accounts = make_series(
        "cloud_inactivity.total",
        "Cloud-Konten ohne Aktivität",
        "accounts",
        topic="cloud_inactivity",
        values=[(datetime.date(2026, 10, 1), 3), (datetime.date(2026, 11, 1), 1)],
    )
    seats = make_series(
        "license_position.total",
        "Lizenzbilanz",
        "seats",
        values=[(datetime.date(2026, 10, 1), 11), (datetime.date(2026, 11, 1), 12)],
    )
    return make_excerpt(news_index, "Konten", [figure(accounts), figure(seats)])


def test_units_read_german_with_the_singular_for_one_on_page_pdf_and_deck(client, one_account):
    for part, text in _parts(client, one_account).items():
        assert "1 Konto " in f"{text} ", part
        assert "-2 Konten seit 01.10.2026" in text.replace("\u2212", "-"), part
        assert "12 Lizenzen" in text and "+1 Lizenz seit 01.10.2026" in text, part
        for wrong in ("1 Konten", "accounts", "seats", "1 Lizenzen"):
            assert wrong not in text, (part, wrong)
