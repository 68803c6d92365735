"""Fixtures for topic excerpts: English messages, a news index, series with snapshots."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.utils import translation

from tests.conftest import add_child
from vitrine.excerpts.models import TopicExcerptPage
from vitrine.figures.models import FigureSeries, SeriesMeaning, Snapshot
from vitrine.portal.models import NewsIndexPage


def _id() -> str:
    return str(uuid.uuid4())


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def news_index(home):
    return add_child(home, NewsIndexPage(title="News", slug="news"))


def make_series(key, title, unit="seats", *, values=(), topic="license_position", **fields):
    """A series with snapshots from (date, value[, extra]) tuples."""
    series = FigureSeries.objects.create(key=key, title=title, unit=unit, topic=topic, **fields)
    for day, value, *extra in values:
        Snapshot.objects.create(
            series=series, date=day, value=Decimal(str(value)), extra=extra[0] if extra else {}
        )
    return series


def add_meaning(series, audience, text):
    return SeriesMeaning.objects.create(series=series, audience=audience, text=text)


@pytest.fixture
def licenses():
    return make_series(
        "license_position.total",
        "License position",
        values=[
            (datetime.date(2026, 9, 1), 1180),
            (datetime.date(2026, 10, 1), 1222),
            (datetime.date(2026, 11, 1), 1234),
        ],
        description="Seats we own minus seats in use.",
    )


def buckets(accounts, first, second, third, over, never, thresholds=(30, 60, 90)):
    return {
        "accounts": accounts,
        "within_first": first,
        "within_second": second,
        "within_third": third,
        "over_third": over,
        "never_active": never,
        "inactive": over + never,
        "thresholds": list(thresholds),
        "unit_price": 20.5,
        "currency": "EUR",
        "yearly_cost": (over + never) * 20.5,
    }


@pytest.fixture
def cloud():
    return make_series(
        "cloud_inactivity.microsoft-365-e3",
        "Cloud accounts without activity: Microsoft 365 E3",
        "accounts",
        topic="cloud_inactivity",
        product="Microsoft 365 E3",
        values=[(datetime.date(2026, 11, 1), 57, buckets(500, 400, 30, 13, 40, 17))],
    )


def figure(series, *meanings, chart=""):
    """Raw data of a figure block; meanings are (audience, text)."""
    return {
        "type": "figure",
        "value": {
            "series": series.pk,
            "chart": chart,
            "meanings": [
                {"type": "item", "id": _id(), "value": {"audience": audience.pk, "text": text}}
                for audience, text in meanings
            ],
        },
    }


def chart(kind, *series, title="", description=""):
    return {
        "type": "chart",
        "value": {
            "kind": kind,
            "series": [{"type": "item", "id": _id(), "value": s.pk} for s in series],
            "title": title,
            "description": description,
        },
    }


def items(kind, *texts):
    return {"type": kind, "value": [{"type": "item", "id": _id(), "value": text} for text in texts]}


def text(heading, html):
    return {"type": "text", "value": {"heading": heading, "text": html}}


def make_excerpt(index, title, body, *audiences, publish=True, **fields):
    fields.setdefault("intro", f"In short: {title}.")
    fields.setdefault("date", datetime.date(2026, 11, 2))
    page = TopicExcerptPage(title=title, body=json.dumps(body), live=publish, **fields)
    index.add_child(instance=page)
    page.audiences.set(audiences)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return TopicExcerptPage.objects.get(pk=page.pk)
