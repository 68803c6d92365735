"""The editor is warned, in the edit view and on saving, when an excerpt shows no open work."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.excerpts.conftest import chart, figure, items, make_excerpt
from vitrine.excerpts.models import TopicExcerptPage

pytestmark = pytest.mark.django_db

NOTICE = "This excerpt has no “What we are still working on” block yet."
PUBLISHED_WARNING = "is published without a “What we are still working on” block"
SAVED_WARNING = "“Adobe licenses” has no “What we are still working on” block yet."


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def list_block(*texts) -> dict:
    data = {
        str(index): {"value": text, "deleted": "", "order": str(index), "id": ""}
        for index, text in enumerate(texts)
    }
    data["count"] = str(len(texts))
    return data


def excerpt_form(*blocks, **overrides) -> dict:
    data = {
        "title": "Adobe licenses",
        "slug": "adobe-licenses",
        "date": datetime.date(2026, 11, 2).isoformat(),
        "intro": "Where we stand with Adobe.",
        "body": streamfield(list(blocks)),
        "benefit": "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
        "action-publish": "Publish",
    }
    data.update(overrides)
    return nested_form_data(data)


WINS = ("wins", list_block("Forty accounts reclaimed"))
OPEN_WORK = ("open_work", list_block("Contracts still to merge"))
TEXT = ("text", {"heading": "Background", "text": rich_text("<p>Some context.</p>")})


def _edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)


def test_the_edit_view_shows_a_notice_while_there_is_no_open_work(admin_client, news_index):
    without = make_excerpt(news_index, "Without", [items("wins", "Good")])
    with_open_work = make_excerpt(news_index, "With", [items("open_work", "To do")])

    notice = admin_client.get(reverse("wagtailadmin_pages:edit", args=[without.pk]))
    no_notice = admin_client.get(reverse("wagtailadmin_pages:edit", args=[with_open_work.pk]))

    assert notice.status_code == 200 and no_notice.status_code == 200
    assert NOTICE in notice.content.decode()
    assert NOTICE not in no_notice.content.decode()


def test_the_edit_view_renders_figure_and_chart_blocks(admin_client, news_index, licenses, cloud):
    page = make_excerpt(
        news_index,
        "Figures",
        [figure(licenses, chart="line"), chart("stacked_bar", cloud), items("open_work", "x")],
    )

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "License position" in content  # the chosen series, in the block data
    assert NOTICE not in content


def test_publishing_without_open_work_warns_but_publishes(admin_client, news_index):
    page = make_excerpt(news_index, "Adobe licenses", [items("wins", "Good")])

    response = _edit(admin_client, page, excerpt_form(WINS, TEXT))

    assert response.status_code == 200
    content = response.content.decode()
    assert PUBLISHED_WARNING in content
    page.refresh_from_db()
    assert page.live and page.live_revision_id == page.latest_revision_id
    assert [block.block_type for block in page.body] == ["wins", "text"]


def test_publishing_with_open_work_gives_no_warning(admin_client, news_index):
    page = make_excerpt(news_index, "Adobe licenses", [items("wins", "Good")])

    response = _edit(admin_client, page, excerpt_form(WINS, OPEN_WORK))

    content = response.content.decode()
    assert PUBLISHED_WARNING not in content and SAVED_WARNING not in content
    page.refresh_from_db()
    assert page.has_open_work and page.live


def test_saving_a_draft_without_open_work_warns_and_the_edit_view_keeps_the_notice(
    admin_client, news_index
):
    page = make_excerpt(news_index, "Adobe licenses", [items("open_work", "To do")])
    data = excerpt_form(WINS)
    del data["action-publish"]

    response = _edit(admin_client, page, data)

    content = response.content.decode()
    assert SAVED_WARNING in content
    assert NOTICE in content  # back in the edit view, which shows the draft
    page.refresh_from_db()
    assert page.has_open_work  # the live version is untouched


def test_creating_an_excerpt_without_open_work_warns(admin_client, news_index):
    url = reverse("wagtailadmin_pages:add", args=["excerpts", "topicexcerptpage", news_index.pk])

    assert NOTICE in admin_client.get(url).content.decode()
    response = admin_client.post(url, excerpt_form(WINS), follow=True)

    assert PUBLISHED_WARNING in response.content.decode()
    assert TopicExcerptPage.objects.get(slug="adobe-licenses").live


def test_a_background_save_answers_without_warning(admin_client, news_index):
    page = make_excerpt(news_index, "Adobe licenses", [items("wins", "Good")])
    data = excerpt_form(WINS)
    del data["action-publish"]

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        data,
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json()["success"] is True
    follow_up = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[page.pk])
    ).content.decode()
    assert SAVED_WARNING not in follow_up
