"""Tests for the server-rendered SVG charts: structure, accessibility, formats, edge cases."""

import datetime
import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation

from vitrine.figures.charts import (
    Chart,
    bar_chart,
    format_date,
    format_month,
    format_value,
    line_chart,
    nice_ticks,
    stacked_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"

MONTHLY = [
    (datetime.date(2026, month, 1), value)
    for month, value in zip(range(7, 13), [12, 11.5, 14, 9, 1234.5, 4.5], strict=True)
]
BUCKETS = [
    ("0–30 Tage", [800, 120]),
    ("31–60 Tage", [60, 30]),
    ("61–90 Tage", [25, 12]),
    ("> 90 Tage", [40, 35]),
    ("nie aktiv", [15, 22]),
]


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def parse_table(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.table))


def all_text(element: ET.Element) -> str:
    return "".join(element.itertext())


def table_rows(chart: Chart) -> list[list[str]]:
    table = parse_table(chart)
    return [[all_text(cell) for cell in row] for row in table.iter("tr")]


def make_all(language: str = "de") -> list[Chart]:
    return [
        line_chart(
            title="Durchlaufzeit",
            description="Median je Monat.",
            points=MONTHLY,
            unit="Tage",
            language=language,
        ),
        bar_chart(
            title="Lizenzposition",
            description="Berechtigungen minus Nutzung.",
            bars=[("Microsoft 365 E3", 120), ("AutoCAD LT", -35)],
            unit="Lizenzen",
            language=language,
        ),
        stacked_bar_chart(
            title="Konten ohne Aktivität",
            description="Nach Tagen seit der letzten Anmeldung.",
            categories=["Microsoft 365 E3", "Power BI Pro"],
            segments=BUCKETS,
            unit="Konten",
            language=language,
        ),
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_svg_is_well_formed_with_title_and_desc_first(index):
    chart = make_all()[index]
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 ")
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].text == chart.title
    assert children[1].tag == f"{SVG}desc" and children[1].text.startswith(chart.description)
    label_ids = root.get("aria-labelledby").split()
    assert label_ids == [children[0].get("id"), children[1].get("id")]


def test_ids_are_unique_per_chart_and_references_resolve():
    first, second = make_all()[2], make_all()[2]
    assert first.uid != second.uid
    ids_first = {el.get("id") for el in parse(first).iter() if el.get("id")}
    ids_second = {el.get("id") for el in parse(second).iter() if el.get("id")}
    assert ids_first and not ids_first & ids_second
    assert all(id_.startswith(first.uid) for id_ in ids_first)
    # Every url(#…) the stacked chart uses for its hatchings points at its own pattern.
    references = set(re.findall(r"url\(#([^)]+)\)", str(first.svg)))
    assert references and references <= ids_first


def test_explicit_uid_is_used_and_validated():
    chart = bar_chart(title="T", description="", bars=[("A", 1)], unit="", uid="lizenzen-1")
    assert parse(chart).find(f"{SVG}title").get("id") == "lizenzen-1-title"
    with pytest.raises(ValueError, match="uid"):
        bar_chart(title="T", description="", bars=[("A", 1)], unit="", uid='x" onload="1')


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_inline_styles_or_scripts(language):
    for chart in make_all(language):
        root = parse(chart)
        for element in root.iter():
            assert element.get("style") is None
            assert element.tag not in (f"{SVG}style", f"{SVG}script")
        assert "style=" not in str(chart.table)


def test_number_and_unit_formats_per_language():
    assert format_value(1234.5, "€", language="de", decimals=1) == f"1.234,5{NBSP}€"
    assert format_value(1234.5, "€", language="en", decimals=1) == "€1,234.5"
    assert format_value(-1234.5, "€", language="en", decimals=1) == "-€1,234.5"
    assert format_value(12, "%", language="de") == f"12{NBSP}%"
    assert format_value(12, "%", language="en") == "12%"
    assert format_value(45, "Tage", language="de") == f"45{NBSP}Tage"
    assert format_value(1234567, "", language="de") == "1.234.567"
    assert format_value(-0.001, "", language="de", decimals=1) == "0,0"


def test_date_formats_per_language():
    day = datetime.date(2026, 12, 31)
    assert format_date(day, language="de") == "31.12.2026"
    assert format_date(day, language="en") == "Dec 31, 2026"
    assert format_month(day, language="de") == "Dez. 2026"
    assert format_month(day, language="en") == "Dec 2026"


def test_line_chart_german_and_english():
    german, english = make_all("de")[0], make_all("en")[0]
    assert table_rows(german)[1:] == [
        ["01.07.2026", f"12,0{NBSP}Tage"],
        ["01.08.2026", f"11,5{NBSP}Tage"],
        ["01.09.2026", f"14,0{NBSP}Tage"],
        ["01.10.2026", f"9,0{NBSP}Tage"],
        ["01.11.2026", f"1.234,5{NBSP}Tage"],
        ["01.12.2026", f"4,5{NBSP}Tage"],
    ]
    assert table_rows(english)[-2] == ["Nov 1, 2026", f"1,234.5{NBSP}Tage"]
    german_texts = [all_text(t) for t in parse(german).iter(f"{SVG}text")]
    english_texts = [all_text(t) for t in parse(english).iter(f"{SVG}text")]
    assert "Dez. 2026" in german_texts and "Dec 2026" in english_texts
    assert "1.000" in german_texts and "1,000" in english_texts  # y-axis ticks
    assert "Tage" in german_texts  # the unit as axis label


def test_language_defaults_to_the_active_one():
    with translation.override("en"):
        chart = bar_chart(title="T", description="", bars=[("A", 1234.5)], unit="€")
    assert chart.language == "en"
    assert table_rows(chart)[1] == ["A", "€1,234.5"]


def test_line_chart_sorts_points_and_draws_a_path():
    chart = line_chart(
        title="T",
        description="",
        points=list(reversed(MONTHLY)),
        unit="",
        language="de",
    )
    root = parse(chart)
    assert [row[0] for row in table_rows(chart)[1:]][0] == "01.07.2026"
    path = root.find(f".//{SVG}path[@class='chart__line']")
    xs = [float(x) for x in re.findall(r"[ML]([\d.]+) ", path.get("d"))]
    assert xs == sorted(xs) and len(xs) == len(MONTHLY)
    assert len(root.findall(f".//{SVG}circle")) == len(MONTHLY)


def test_line_chart_uses_full_dates_for_points_within_a_month():
    points = [(datetime.date(2026, 3, day), day) for day in (3, 10, 17)]
    chart = line_chart(title="T", description="", points=points, unit="", language="de")
    texts = [all_text(t) for t in parse(chart).iter(f"{SVG}text")]
    assert "10.03.2026" in texts


def test_table_structure_has_caption_and_scopes():
    for chart in make_all():
        table = parse_table(chart)
        assert table.find("caption").text == chart.title
        assert {th.get("scope") for th in table.find("thead").iter("th")} == {"col"}
        assert all(row.find("th").get("scope") == "row" for row in table.find("tbody"))


def test_bar_chart_table_and_negative_bar_left_of_baseline():
    chart = make_all("de")[1]
    assert table_rows(chart) == [
        ["Name", "Wert (Lizenzen)"],
        ["Microsoft 365 E3", f"120{NBSP}Lizenzen"],
        ["AutoCAD LT", f"-35{NBSP}Lizenzen"],
    ]
    root = parse(chart)
    baseline = float(root.find(f".//{SVG}line[@class='chart__baseline']").get("x1"))
    positive, negative = root.findall(f".//{SVG}rect[@width]")[:2]
    assert float(positive.get("x")) == pytest.approx(baseline)
    assert float(negative.get("x")) + float(negative.get("width")) == pytest.approx(baseline, 0.1)
    assert float(negative.get("x")) < baseline
    assert "Microsoft 365 E3" in (root.find(f"{SVG}desc").text)  # highest named in the summary


def test_stacked_bar_chart_table_legend_and_patterns():
    chart = stacked_bar_chart(
        title="Konten",
        description="",
        categories=["Microsoft 365 E3", "Power BI Pro"],
        segments=BUCKETS,
        unit="",
        language="de",
    )
    rows = table_rows(chart)
    assert rows[0] == ["Name", *[name for name, _values in BUCKETS], "Summe"]
    assert rows[1] == ["Microsoft 365 E3", "800", "60", "25", "40", "15", "940"]
    assert rows[2] == ["Power BI Pro", "120", "30", "12", "35", "22", "219"]
    root = parse(chart)
    legend = root.find(f".//{SVG}g[@class='chart__legend']")
    assert [all_text(t) for t in legend.iter(f"{SVG}text")] == [n for n, _v in BUCKETS]
    # Colour is not the only carrier: each segment after the first has its own hatching.
    assert len(root.findall(f".//{SVG}pattern")) == len(BUCKETS) - 1
    segments = root.findall(f".//{SVG}g[@class='chart__segment']")
    assert len(segments) == 10
    assert segments[0].find(f"{SVG}title").text == "Microsoft 365 E3, 0–30 Tage: 800"
    assert "940" in [all_text(t) for t in root.iter(f"{SVG}text")]  # total beside the bar


def test_stacked_bar_chart_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="'nie aktiv' has 1 values for 2 categories"):
        stacked_bar_chart(
            title="T",
            description="",
            categories=["A", "B"],
            segments=[("nie aktiv", [1])],
            unit="",
        )


def test_labels_are_escaped_everywhere():
    evil = '<script>alert("x")</script> & Co'
    chart = bar_chart(
        title=f"Titel {evil}", description=evil, bars=[(evil, 3)], unit="<b>€</b>", language="de"
    )
    for html in (str(chart.svg), str(chart.table), str(chart.render())):
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;" in html
    root = parse(chart)
    assert root.find(f"{SVG}title").text == f"Titel {evil}"
    assert table_rows(chart)[1] == [evil, f"3{NBSP}<b>€</b>"]


def test_control_characters_do_not_break_the_xml():
    chart = bar_chart(
        title="T\x00", description="\x1b", bars=[("Produkt\x07 A", 1)], unit="", language="de"
    )
    root = parse(chart)
    parse_table(chart)
    assert root.find(f"{SVG}title").text == "T"
    assert table_rows(chart)[1][0] == "Produkt A"


LEAD_TIMES = [
    ("Durchlaufzeit von der Anfrage bis zur Genehmigung (Median)", 1.1),
    ("Durchlaufzeit von der Genehmigung bis zur Bestellung (Median)", 1.0),
    ("Durchlaufzeit von der Anfrage bis zur Bereitstellung (Median)", 2.0),
]


def drawings(chart: Chart) -> list[ET.Element]:
    return [ET.fromstring(str(chart.svg)), ET.fromstring(str(chart.svg_narrow))]


def label_texts(root: ET.Element, css: str = "chart__label") -> list[str]:
    """Each label's text as read: its lines joined by spaces."""
    return [
        " ".join(span.text for span in text.iter(f"{SVG}tspan"))
        for text in root.iter(f"{SVG}text")
        if css in text.get("class").split()
    ]


@pytest.mark.parametrize("make", ["bar", "stacked"])
def test_long_labels_wrap_whole_in_both_drawings(make):
    names = [name for name, _value in LEAD_TIMES]
    if make == "bar":
        chart = bar_chart(title="T", description="", bars=LEAD_TIMES, unit="Tage", language="de")
    else:
        chart = stacked_bar_chart(
            title="T",
            description="",
            categories=names,
            segments=[("Schritt", [1, 2, 3]), (names[0], [1, 1, 1])],
            unit="Tage",
            language="de",
        )
    for root in drawings(chart):
        assert label_texts(root) == names
        assert "…" not in "".join(root.itertext())
        # The long labels need more than one line; each line fits its drawing.
        width = float(root.get("width"))
        for text in root.iter(f"{SVG}text"):
            spans = list(text.iter(f"{SVG}tspan"))
            if "chart__label" in text.get("class"):
                assert len(spans) >= 2
            for span in spans:
                assert len(span.text) * 7.0 * float(root.get("font-size")) / 12 < width - 24
        if make == "stacked":
            assert label_texts(root, "chart__legend-label") == ["Schritt", names[0]]
    assert table_rows(chart)[1][0] == names[0]


def test_narrow_drawing_is_for_phones_with_larger_type_and_labels_above_bars():
    chart = bar_chart(title="T", description="", bars=LEAD_TIMES, unit="Tage", language="de")
    wide, narrow = drawings(chart)
    assert (wide.get("width"), wide.get("font-size")) == ("640", "12")
    assert (narrow.get("width"), narrow.get("font-size")) == ("320", "14")
    assert "chart__svg--wide" in wide.get("class") and "chart__svg--narrow" in narrow.get("class")
    # Its ids differ from the wide drawing's: both stand in one page.
    ids = [{el.get("id") for el in root.iter() if el.get("id")} for root in (wide, narrow)]
    assert not ids[0] & ids[1]
    # Above its bar: the label starts at the bar's left edge and ends above the bar's top.
    for text, bar in zip(
        [t for t in narrow.iter(f"{SVG}text") if t.get("class") == "chart__label"],
        narrow.iter(f"{SVG}rect"),
        strict=False,
    ):
        last_line = float(list(text.iter(f"{SVG}tspan"))[-1].get("y"))
        assert text.get("text-anchor") == "start"
        assert last_line + 7 <= float(bar.get("y"))
    ticks = [t for t in narrow.iter(f"{SVG}text") if t.get("class") == "chart__tick"]
    assert 2 <= len(ticks) <= 4


@pytest.mark.parametrize(
    "make",
    [
        lambda: line_chart(title="Leer", description="Noch nichts.", points=[], unit="€"),
        lambda: bar_chart(title="Leer", description="Noch nichts.", bars=[], unit="€"),
        lambda: stacked_bar_chart(
            title="Leer", description="Noch nichts.", categories=[], segments=[], unit=""
        ),
        lambda: bar_chart(title="Leer", description="", bars=[("A", math.nan)], unit=""),
        lambda: line_chart(
            title="Leer", description="", points=[(datetime.date(2026, 1, 1), math.inf)], unit=""
        ),
    ],
)
def test_empty_data_gives_an_honest_no_data_chart(make):
    chart = make()
    assert chart.is_empty
    assert str(chart.table) == ""
    root = parse(chart)
    assert root.find(f"{SVG}title").text == "Leer"
    assert "No data yet." in root.find(f"{SVG}desc").text
    assert [all_text(t) for t in root.iter(f"{SVG}text")] == ["No data yet."]
    assert not root.findall(f".//{SVG}circle") and not root.findall(f".//{SVG}path")


def test_single_point_line_chart():
    day = datetime.date(2026, 12, 31)
    chart = line_chart(title="T", description="", points=[(day, 42.0)], unit="%", language="en")
    root = parse(chart)
    assert len(root.findall(f".//{SVG}circle")) == 1
    assert root.find(f".//{SVG}path") is None
    assert "On Dec 31, 2026 the value was 42%." in root.find(f"{SVG}desc").text
    assert table_rows(chart)[1] == ["Dec 31, 2026", "42%"]


def test_all_zeros_draw_zero_width_bars_and_an_axis():
    chart = bar_chart(title="T", description="", bars=[("A", 0), ("B", 0)], unit="", language="de")
    root = parse(chart)
    bars = root.findall(f".//{SVG}rect[@class='chart__series chart__series--0 chart__bar']")
    assert [float(bar.get("width")) for bar in bars] == [0, 0]
    assert [all_text(t) for t in root.iter(f"{SVG}text") if t.get("class") == "chart__tick"] == [
        "0",
        "1",
    ]
    line = line_chart(
        title="T", description="", points=[(datetime.date(2026, 1, 1), 0)] * 2, unit=""
    )
    parse(line)


def test_huge_values_do_not_crash():
    chart = bar_chart(
        title="T", description="", bars=[("A", 2.5e12), ("B", 1e300)], unit="€", language="en"
    )
    parse(chart)
    assert table_rows(chart)[1] == ["A", "€2,500,000,000,000"]
    line = line_chart(
        title="T",
        description="",
        points=[(datetime.date(2026, 1, 1), -1e308), (datetime.date(2026, 2, 1), 1e308)],
        unit="",
    )
    parse(line)


def test_missing_values_show_as_dash_in_the_table():
    chart = bar_chart(
        title="T", description="", bars=[("A", 1), ("B", math.nan)], unit="", language="de"
    )
    assert table_rows(chart)[1:] == [["A", "1"], ["B", "–"]]
    texts = [all_text(t) for t in parse(chart).iter(f"{SVG}text")]
    assert "kein Wert" in texts


def test_stacked_negative_values_diverge_from_zero():
    chart = stacked_bar_chart(
        title="T",
        description="",
        categories=["A"],
        segments=[("plus", [10]), ("minus", [-4])],
        unit="",
        language="de",
    )
    root = parse(chart)
    baseline = float(root.find(f".//{SVG}line[@class='chart__baseline']").get("x1"))
    plus, minus = (
        segment.find(f"{SVG}rect")
        for segment in root.iter(f"{SVG}g")
        if segment.find(f"{SVG}rect") is not None and segment.get("class") == "chart__segment"
    )
    assert float(plus.get("x")) == pytest.approx(baseline)
    assert float(minus.get("x")) < baseline
    assert table_rows(chart)[1] == ["A", "10", "-4", "6"]


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 97, [0, 20, 40, 60, 80, 100]),
        (3, 8, [0, 2, 4, 6, 8]),
        (-35, 120, [-50, 0, 50, 100, 150]),
        (0, 0, [0, 1]),
        (0, 0.37, [0, 0.1, 0.2, 0.3, 0.4]),
    ],
)
def test_nice_ticks(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_template_renders_figure_with_collapsible_table_and_caption():
    chart = make_all("de")[1]
    html = Template("{% include 'figures/charts/chart.html' %}").render(Context({"chart": chart}))
    assert html.count("<figure") == 1 and "<figcaption" in html
    assert '<details class="chart__data" open>' in html and "<summary>" in html
    assert str(chart.svg) in html and str(chart.table) in html
    assert "Berechtigungen minus Nutzung." in html
    assert "vitrine/css/charts.css" in html
    assert html.index("<svg") < html.index("<details") < html.index("<figcaption")
    # `{{ chart }}` renders the same figure.
    assert Template("{{ chart }}").render(Context({"chart": chart})).strip() == html.strip()


def test_template_for_empty_chart_says_so_without_a_table():
    chart = bar_chart(title="Leer", description="", bars=[], unit="")
    html = chart.render()
    assert "<details" not in html and "<table" not in html
    assert "No data yet." in html
