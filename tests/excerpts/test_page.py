"""The excerpt page as readers see it: figures, change, meanings per audience, charts, lists."""

import datetime
import html
import json
import re

import pytest
from django.core.exceptions import ValidationError

from tests.excerpts.conftest import (
    add_meaning,
    chart,
    figure,
    items,
    make_excerpt,
    make_series,
    text,
)
from vitrine.excerpts.blocks import ExcerptStreamBlock
from vitrine.excerpts.models import TopicExcerptPage
from vitrine.portal.models import HomePage

pytestmark = pytest.mark.django_db


def _meaning_section(content: str) -> str:
    match = re.search(r'<div class="excerpt-meaning">(.*?)</div>\s*</div>', content, re.S)
    assert match, "no meaning shown"
    return match.group(1)


def _get(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def excerpt(news_index, licenses, audience):
    management, employees = audience("management"), audience("mitarbeitende")
    body = [
        figure(
            licenses,
            (management, "We pay for 1,234 seats nobody uses: a budget lever."),
            (employees, "Return licenses you no longer need."),
        ),
        items("wins", "Audit passed without findings"),
        items("open_work", "Adobe contracts still to be consolidated"),
    ]
    return make_excerpt(news_index, "Microsoft 365", body, management, employees)


def test_a_figure_shows_its_current_value_and_change_since_the_previous_snapshot(client, excerpt):
    content = _get(client, excerpt)

    assert '<h2 class="excerpt-figure__title">License position</h2>' in content
    assert "1,234\u00a0seats" in content
    assert "as of Nov 1, 2026" in content
    assert "+12\u00a0seats since Oct 1, 2026" in content
    assert "excerpt-figure__change--up" in content
    assert "What is going well" in content and "Audit passed without findings" in content
    assert "What we are still working on" in content
    assert "Adobe contracts still to be consolidated" in content
    assert "Topic excerpt" in content


def test_german_readers_get_german_numbers_and_dates(client, excerpt, settings):
    settings.LANGUAGE_CODE = "de"
    content = client.get(excerpt.url, headers={"accept-language": "de"}).content.decode()

    assert "1.234\u00a0" in content
    assert "01.11.2026" in content


def test_a_reader_sees_the_meaning_for_their_own_audience(client, excerpt, make_reader):
    client.force_login(make_reader("management"))

    meaning = _meaning_section(_get(client, excerpt))

    assert "What does this mean for you?" in meaning
    assert "budget lever" in meaning
    assert "Return licenses" not in meaning


def test_another_audience_sees_its_own_meaning(client, excerpt, make_reader):
    client.force_login(make_reader("mitarbeitende"))

    meaning = _meaning_section(_get(client, excerpt))

    assert "Return licenses you no longer need." in meaning
    assert "budget lever" not in meaning


def test_a_reader_without_audience_sees_every_meaning_labelled(client, excerpt, audience):
    meaning = _meaning_section(_get(client, excerpt))

    management, employees = audience("management").name, audience("mitarbeitende").name
    assert f"For {html.escape(management)}" in meaning
    assert f"For {html.escape(employees)}" in meaning
    assert meaning.index("budget lever") < meaning.index("Return licenses")


def test_without_a_meaning_in_the_block_the_series_meaning_then_its_description_is_shown(
    client, news_index, licenses, audience, make_reader
):
    management, itsm = audience("management"), audience("itsm-rollen")
    add_meaning(licenses, itsm, "Fewer tickets for unused seats.")
    page = make_excerpt(news_index, "Lizenzen", [figure(licenses, (management, "Nur Management."))])

    client.force_login(make_reader("itsm-rollen"))
    from_series = _meaning_section(_get(client, page))
    client.force_login(make_reader("budgetverantwortliche"))
    from_description = _meaning_section(_get(client, page))

    assert "Fewer tickets for unused seats." in from_series
    assert "Nur Management." not in from_series
    assert "Seats we own minus seats in use." in from_description
    assert "Nur Management." not in from_description


def test_a_series_without_snapshots_says_so_honestly(client, news_index):
    empty = make_series("shelfware.total", "Shelfware", topic="shelfware")
    page = make_excerpt(news_index, "Shelfware", [figure(empty, chart="line"), chart("bar", empty)])

    content = _get(client, page)

    assert "No figures imported yet." in content
    assert "<svg" in content  # the bar chart shows the series without a value


def test_editor_text_is_escaped(client, news_index, licenses, audience):
    body = [
        figure(licenses, (audience("management"), "<script>alert(1)</script> & more")),
        items("open_work", "<b>bold</b> claim"),
        text("Heading <i>", "<p>Rich <b>text</b></p>"),
    ]
    page = make_excerpt(news_index, "Escaping", body, intro="Intro <em>raw</em>")

    content = _get(client, page)

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in content
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in content
    assert "<h2>Heading &lt;i&gt;</h2>" in content
    assert "Intro &lt;em&gt;raw&lt;/em&gt;" in content
    assert "Rich <b>text</b>" in content


def test_a_figure_can_show_its_development_as_a_line_chart(client, news_index, licenses):
    page = make_excerpt(news_index, "Lines", [figure(licenses, chart="line")])

    content = _get(client, page)

    assert 'class="chart__svg chart__svg--line chart__svg--wide"' in content
    assert "<title" in content and "<desc" in content
    assert "Data table" in content
    # Reader pages run under a strict Content-Security-Policy.
    assert "style=" not in content.split("<body", 1)[1]
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)


def test_a_chart_compares_the_latest_values_of_several_series(client, news_index, licenses):
    other = make_series(
        "license_position.adobe",
        "License position: Adobe",
        product="Adobe Acrobat",
        values=[(datetime.date(2026, 11, 1), 321)],
    )
    page = make_excerpt(news_index, "Bars", [chart("bar", licenses, other, title="Compared")])

    content = _get(client, page)

    assert 'class="chart__svg chart__svg--bar chart__svg--wide"' in content
    assert "Compared" in content
    assert "Adobe Acrobat" in content and "1,234" in content and "321" in content


def test_inactivity_buckets_are_labelled_from_the_thresholds(client, news_index, cloud):
    page = make_excerpt(news_index, "Cloud", [chart("stacked_bar", cloud), figure(cloud)])
    cloud.snapshots.update(extra={**cloud.snapshots.get().extra, "thresholds": [14, 45, 120]})

    content = _get(client, page)

    assert 'class="chart__svg chart__svg--stacked_bar chart__svg--wide"' in content
    for label in ("up to 14 days", "15–45 days", "46–120 days", "over 120 days", "never active"):
        assert label in content
    assert "57\u00a0accounts" in content


def _errors(block_data):
    block = ExcerptStreamBlock()
    with pytest.raises(ValidationError) as raised:
        block.clean(block.to_python(block_data))
    return json.dumps(raised.value.as_json_data(), ensure_ascii=False)


def test_a_line_chart_takes_exactly_one_series(licenses, cloud):
    assert "exactly one series" in _errors([chart("line", licenses, cloud)])


def test_stacked_bars_need_inactivity_series(licenses):
    assert "no such breakdown" in _errors([chart("stacked_bar", licenses)])


def test_bars_need_one_unit(licenses, cloud):
    assert "different units" in _errors([chart("bar", licenses, cloud)])


def test_a_figure_breakdown_needs_an_inactivity_series(licenses):
    assert "Inactivity buckets exist only" in _errors([figure(licenses, chart="breakdown")])


def test_one_meaning_per_audience(licenses, audience):
    management = audience("management")
    errors = _errors([figure(licenses, (management, "One."), (management, "Two."))])
    assert "has a meaning already" in errors


def test_valid_blocks_pass(licenses, cloud, audience):
    block = ExcerptStreamBlock()
    data = [
        chart("stacked_bar", cloud),
        chart("bar", licenses),
        figure(cloud, (audience("management"), "Text."), chart="breakdown"),
    ]
    block.clean(block.to_python(data))


def test_excerpts_live_below_the_news_index_only(home, news_index):
    assert TopicExcerptPage.can_create_at(news_index)
    assert not TopicExcerptPage.can_create_at(home)
    assert (
        TopicExcerptPage.allowed_parent_page_models() == [news_index.specific_class]
        and HomePage not in TopicExcerptPage.allowed_parent_page_models()
    )


def test_a_deleted_series_leaves_the_page_readable(client, news_index, licenses, cloud):
    page = make_excerpt(
        news_index,
        "Gone",
        [figure(licenses), chart("bar", licenses), items("open_work", "Still listed")],
    )
    licenses.delete()

    content = _get(client, page)

    assert "License position" not in content
    assert "Still listed" in content


def test_download_links_appear_once_the_downloads_are_mounted(client, excerpt, settings):
    settings.ROOT_URLCONF = "tests.excerpts.urls_with_downloads"

    content = _get(client, excerpt)

    assert f'href="/auszuege/{excerpt.pk}/pdf" download>Download as PDF<' in content
    assert f'href="/auszuege/{excerpt.pk}/pptx" download>Download as PowerPoint<' in content
