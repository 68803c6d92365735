"""A bar chart with long labels on an excerpt page, read in a real browser on a phone and on a
desktop: its type never renders below 12 CSS px, and no label is cut."""

import datetime

import pytest

from tests.conftest import add_child
from tests.excerpts.conftest import chart, make_excerpt, make_series
from tests.excerpts.export_fixtures import LONG_BAR_LABELS as LABELS
from tests.excerpts.export_fixtures import LONG_BAR_VALUES
from vitrine.portal.models import NewsIndexPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIEWPORTS = ((360, 780), (1440, 900))
MIN_FONT_PX = 12
CHART_TITLE = "Wo die Zeit zwischen Anfrage und Installation vergeht"

# Per text element of the shown drawing: its words, its font size as rendered (the computed
# size in the SVG's units times the drawing's scale), its box and whether it is a bar label.
TEXTS_JS = """
figure => {
  const svg = [...figure.querySelectorAll('svg.chart__svg')]
    .find(s => getComputedStyle(s).display !== 'none');
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  return {
    svg: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
    layout: svg.getAttribute('class'),
    texts: [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      return {
        text: t.textContent,
        lines: [...t.querySelectorAll('tspan')].map(s => s.textContent),
        size: parseFloat(getComputedStyle(t).fontSize) * scale,
        height: t.querySelector('tspan')
          ? t.querySelector('tspan').getBoundingClientRect().height
          : r.height,
        left: r.left, right: r.right, top: r.top, bottom: r.bottom,
        label: t.classList.contains('chart__label'),
      };
    }),
  };
}
"""


@pytest.fixture
def excerpt(home):
    index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    day = datetime.date(2026, 11, 1)
    series = [
        make_series(f"lead_time.test_{index}", label, "days", topic="lead_time", values=[(day, v)])
        for index, (label, v) in enumerate(zip(LABELS, LONG_BAR_VALUES, strict=True))
    ]
    return make_excerpt(
        index,
        "Software-Bereitstellung",
        [chart("bar", *series, title=CHART_TITLE, description="Median der Tage je Abschnitt.")],
        intro="Wie lange es von Ihrer Anfrage bis zur fertigen Installation dauert.",
    )


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_bar_chart_with_long_labels_reads_on_phone_and_desktop(page, excerpt, screenshot):
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(excerpt.url)
        figure = page.locator("figure.chart", has_text=CHART_TITLE)
        assert figure.count() == 1
        drawn = figure.evaluate(TEXTS_JS)
        texts = drawn["texts"]
        assert texts, f"no chart text at {width}px"
        where = f"{drawn['layout']} at {width}px"
        for text in texts:
            assert text["size"] >= MIN_FONT_PX, f"{text['text']!r}: {text['size']:.1f}px, {where}"
            # The glyphs' box agrees: a line of 12 px type is at least 12 px high.
            assert text["height"] >= MIN_FONT_PX, f"{text['text']!r}: {text['height']:.1f}px high"
            assert "…" not in text["text"] and "..." not in text["text"]
            # Nothing of it is cut at the drawing's edge, nor at the screen's.
            svg = drawn["svg"]
            assert text["left"] >= svg["left"] - 1 and text["right"] <= svg["right"] + 1, (
                f"{text['text']!r} sticks out of the chart, {where}"
            )
            assert text["top"] >= svg["top"] - 1 and text["bottom"] <= svg["bottom"] + 1
            assert text["right"] <= width, f"{text['text']!r} runs off the screen, {where}"
        # Every label whole: its lines put together give the full label, word for word.
        labels = [text for text in texts if text["label"]]
        assert sorted(squeeze(" ".join(t["lines"] or [t["text"]])) for t in labels) == sorted(
            squeeze(label) for label in LABELS
        ), where
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the excerpt at {width}px is {scroll_width}px wide"
        screenshot(page, f"excerpt-{width}")
