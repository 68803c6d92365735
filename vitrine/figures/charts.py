"""Accessible, server-rendered SVG charts (line, bar, stacked bar) with their data tables."""

from __future__ import annotations

import datetime
import math
import re
import textwrap
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.template.loader import render_to_string
from django.utils import dateformat, formats, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .units import Unit

__all__ = [
    "Chart",
    "bar_chart",
    "data_date",
    "format_date",
    "format_month",
    "format_period",
    "format_number",
    "format_value",
    "line_chart",
    "nice_ticks",
    "stacked_bar_chart",
]

WIDTH = 640
FONT_SIZE = 12
# The phone drawing: half as wide, with larger type, so that at the width of a phone (a
# drawing of NARROW_WIDTH shown from about 280 CSS px) its text stays at least FONT_SIZE px.
NARROW_WIDTH = 320
NARROW_FONT_SIZE = 14
# A rough average glyph width for the system sans fonts at FONT_SIZE; only used to decide
# what fits, so erring on the wide side keeps labels from overlapping.
CHAR_WIDTH = 7.0
SERIES_CLASSES = 6
# Fallback colours as presentation attributes, so the SVG still reads when rasterised without
# the stylesheet (slides, PDF); charts.css overrides them with the corporate design colours.
FALLBACK_COLOURS = ("#1f4e79", "#8a3b12", "#2e6b30", "#6b3fa0", "#4a5563", "#9b1b5a")
TEXT_COLOUR = "#1b1f24"
MUTED_COLOUR = "#4a5563"
GRID_COLOUR = "#c9d1da"

# Per language: how dates read in tables and how months read on an axis.
DATE_FORMATS = {
    "de": {"date": "d.m.Y", "month": "N Y", "period": "F Y"},
    "en": {"date": "M j, Y", "month": "M Y", "period": "F Y"},
}
# Units written before the number in English ("€1,234.5"); German always puts them after.
PREFIX_UNITS_EN = {"€", "$", "£", "EUR", "USD", "GBP"}
NO_SPACE_UNITS_EN = {"%"}

_UID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
# Characters XML 1.0 forbids; one stray control character from an import would otherwise
# make the whole SVG unparseable.
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NBSP = "\u00a0"


@dataclass(frozen=True)
class Chart:
    """A rendered chart: the SVG, its data table and what the template needs around them.

    `svg` is the wide drawing (pages on wider screens, the PDF and the slides); `svg_narrow`
    the same chart laid out for phones, which the page shows instead on narrow screens.
    """

    kind: str
    uid: str
    title: str
    description: str
    unit: str
    language: str
    svg: SafeString
    table: SafeString
    is_empty: bool
    svg_narrow: SafeString = mark_safe("")

    def render(self) -> SafeString:
        """The whole figure (SVG, collapsible data table, caption) as HTML."""
        return mark_safe(render_to_string("figures/charts/chart.html", {"chart": self}))

    # Like Django's forms: `{{ chart }}` in a template renders the whole figure.
    def __str__(self) -> str:
        return self.render()

    def __html__(self) -> str:
        return self.render()


# --- formatting -------------------------------------------------------------------------------


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "de").split("-")[0].lower()


def _decimals_for(values: Iterable[float]) -> int:
    """Fewest decimals (0–2) that show every value faithfully enough for a reader."""
    decimals = 0
    for value in values:
        if not math.isfinite(value) or abs(value) >= 1e15:
            continue
        if abs(value - round(value)) < 1e-9:
            continue
        decimals = max(decimals, 1 if abs(value * 10 - round(value * 10)) < 1e-6 else 2)
    return decimals


def format_number(value: float | Decimal, *, language: str | None = None, decimals: int = 0) -> str:
    """A number with the language's decimal and grouping marks: de "1.234,5", en "1,234.5".

    A Decimal (a stored figure) is printed exactly, rounded half away from zero.
    """
    if not math.isfinite(value):
        return "–"
    # Rounding first avoids "-0" for tiny negatives.
    if isinstance(value, Decimal):
        rounded: float | Decimal = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        if rounded == 0:
            rounded = abs(rounded)
    else:
        rounded = round(value, decimals)
        if rounded == 0:
            rounded = 0.0
    with translation.override(_language(language)):
        return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def format_value(
    value: float | Decimal, unit: str = "", *, language: str | None = None, decimals: int = 0
) -> str:
    """A number with its unit placed as the language writes it (de "12 %", en "12%", "€5").

    A `units.Unit` takes the form that fits the value ("1 Konto", "2 Konten").
    """
    number = format_number(value, language=language, decimals=decimals)
    if isinstance(unit, Unit):
        with translation.override(_language(language)):
            unit = unit.for_value(value, decimals)
    unit = _clean(unit).strip()
    if not unit or number == "–":
        return number
    if _language(language) == "en":
        if unit in PREFIX_UNITS_EN:
            if number.startswith("-"):
                return f"-{unit}{number[1:]}"
            return f"{unit}{number}"
        if unit in NO_SPACE_UNITS_EN:
            return f"{number}{unit}"
    return f"{number}{NBSP}{unit}"


def _date_format(language: str | None, key: str) -> str:
    return DATE_FORMATS.get(_language(language), DATE_FORMATS["en"])[key]


def format_date(day: datetime.date, *, language: str | None = None) -> str:
    """A full date: de "31.12.2026", en "Dec 31, 2026"."""
    with translation.override(_language(language)):
        return dateformat.format(day, _date_format(language, "date"))


def format_month(day: datetime.date, *, language: str | None = None) -> str:
    """A month: de "Dez. 2026", en "Dec 2026"."""
    with translation.override(_language(language)):
        return dateformat.format(day, _date_format(language, "month"))


def format_period(day: datetime.date, *, language: str | None = None) -> str:
    """The month a figure measures, written out: de "Dezember 2026", en "December 2026"."""
    with translation.override(_language(language)):
        return dateformat.format(day, _date_format(language, "period"))


def data_date(day: datetime.date, *, monthly: bool = False, language: str | None = None) -> str:
    """The date of a figure's data: the day it was taken, or the month it measures."""
    return (format_period if monthly else format_date)(day, language=language)


# --- scales -----------------------------------------------------------------------------------


def _nice(value: float, *, round_: bool) -> float:
    """Heckbert's nice number: 1, 2, 5 or 10 times a power of ten."""
    exponent = math.floor(math.log10(value))
    fraction = value / 10**exponent
    if round_:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10.0**exponent


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Evenly spaced round tick values covering [low, high] and zero (bars start at zero)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        return [0.0, 1.0]
    try:
        span = _nice(high - low, round_=False)
        step = _nice(span / max(count - 1, 1), round_=True)
        first = math.floor(low / step) * step
        last = math.ceil(high / step) * step
        steps = round((last - first) / step)
    except (OverflowError, ValueError, ZeroDivisionError):
        return [low, high]
    if not (math.isfinite(first) and math.isfinite(last)) or steps > 50:
        return [low, high]
    digits = max(0, -math.floor(math.log10(step))) + 1
    return [round(first + i * step, digits) for i in range(steps + 1)]


def _tick_decimals(ticks: Sequence[float]) -> int:
    if len(ticks) < 2:
        return 0
    step = abs(ticks[1] - ticks[0])
    if not step or not math.isfinite(step):
        return 0
    return min(6, max(0, -math.floor(math.log10(step) + 1e-9)))


@dataclass(frozen=True)
class _Scale:
    domain_low: float
    domain_high: float
    range_low: float
    range_high: float

    def __call__(self, value: float) -> float:
        span = self.domain_high - self.domain_low
        if not span or not math.isfinite(span):
            return self.range_low
        ratio = (value - self.domain_low) / span
        return self.range_low + ratio * (self.range_high - self.range_low)


# --- SVG pieces -------------------------------------------------------------------------------


def _clean(text: object) -> str:
    return _XML_INVALID_RE.sub("", str(text))


def _e(text: object) -> str:
    """Escape for XML text and attribute values."""
    return escape(_clean(text))


def _n(value: float) -> str:
    """A coordinate, short and locale-free."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if math.isfinite(value) else "0"


@dataclass(frozen=True)
class _Layout:
    """One drawing of a chart: the wide one for pages, PDF and slides, the narrow one for phones.

    The narrow drawing is half as wide with larger type, so that shown at the width of a
    phone its text still reads at least FONT_SIZE CSS px; its labels stand above their bars
    and its axes carry fewer ticks.
    """

    name: str
    width: float
    font_size: float
    labels_above: bool
    max_ticks: int
    label_column: float = 220.0  # widest label column left of the bars

    @property
    def char_width(self) -> float:
        return CHAR_WIDTH * self.font_size / FONT_SIZE

    @property
    def line_height(self) -> float:
        return round(self.font_size * 1.25, 1)

    def text_width(self, text: str) -> float:
        return len(text) * self.char_width

    def chars(self, room: float) -> int:
        """How many characters fit into `room` px (at least a few, so every word shows)."""
        # Wrapping errs on the short side: a line wider than its room would be clipped.
        return max(8, int(room // (self.char_width * 1.1)))


WIDE = _Layout("wide", WIDTH, FONT_SIZE, labels_above=False, max_ticks=6)
NARROW = _Layout("narrow", NARROW_WIDTH, NARROW_FONT_SIZE, labels_above=True, max_ticks=4)
LAYOUTS = (WIDE, NARROW)


def _wrap(text: str, max_chars: int) -> list[str]:
    """A label broken into lines of at most `max_chars`; every character stays."""
    text = " ".join(_clean(text).split())
    return textwrap.wrap(text, width=max_chars, break_on_hyphens=True) or [""]


def _text(
    x: float,
    y: float,
    text: str,
    *,
    css: str,
    anchor: str = "start",
    fill: str = TEXT_COLOUR,
    baseline: str = "middle",
) -> str:
    """A one-line <text>."""
    return (
        f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" '
        f'dominant-baseline="{baseline}" fill="{fill}">{_e(text)}</text>'
    )


def _lines(
    x: float, y: float, lines: Sequence[str], *, css: str, line_height: float, anchor: str = "start"
) -> str:
    """A <text> of several lines (one <tspan> each), the first line's middle at `y`."""
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(y + index * line_height)}">{_e(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" '
        f'dominant-baseline="middle" fill="{TEXT_COLOUR}">{spans}</text>'
    )


def _series_css(index: int) -> str:
    return f"chart__series chart__series--{index % SERIES_CLASSES}"


def _pattern_defs(uid: str, count: int) -> str:
    """Hatchings laid over the colours so segments differ without relying on colour."""
    shapes = [
        "",  # the first series stays plain
        '<path class="chart__hatch" d="M0 8L8 0" stroke="#fff" stroke-width="1.5"/>',
        '<circle class="chart__hatch chart__hatch--dot" cx="4" cy="4" r="1.5" fill="#fff"/>',
        '<path class="chart__hatch" d="M0 0L8 8M0 8L8 0" stroke="#fff" stroke-width="1"/>',
        '<path class="chart__hatch" d="M0 4H8" stroke="#fff" stroke-width="1.5"/>',
        '<path class="chart__hatch" d="M4 0V8" stroke="#fff" stroke-width="1.5"/>',
    ]
    parts = []
    for index in range(1, min(count, SERIES_CLASSES)):
        parts.append(
            f'<pattern id="{uid}-pattern-{index}" width="8" height="8" '
            f'patternUnits="userSpaceOnUse">{shapes[index]}</pattern>'
        )
    return f"<defs>{''.join(parts)}</defs>" if parts else ""


def _swatch(uid: str, index: int, x: float, y: float, width: float, height: float) -> str:
    """A coloured rectangle plus, from the second series on, its hatching."""
    colour = FALLBACK_COLOURS[index % SERIES_CLASSES]
    box = f'x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"'
    rect = f'<rect class="{_series_css(index)}" {box} fill="{colour}"/>'
    pattern = index % SERIES_CLASSES
    if pattern:
        rect += f'<rect class="chart__pattern" {box} fill="url(#{uid}-pattern-{pattern})"/>'
    return rect


def _svg(
    *,
    uid: str,
    kind: str,
    title: str,
    description: str,
    height: float,
    body: str,
    defs: str = "",
    layout: _Layout = WIDE,
) -> SafeString:
    width = _n(layout.width)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'class="chart__svg chart__svg--{kind} chart__svg--{layout.name}" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'viewBox="0 0 {width} {_n(height)}" width="{width}" height="{_n(height)}" '
        f'preserveAspectRatio="xMinYMin meet" font-size="{_n(layout.font_size)}" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{uid}-title">{_e(title)}</title>'
        f'<desc id="{uid}-desc">{_e(description)}</desc>'
        f"{defs}{body}</svg>"
    )


def _described(description: str, summary: str) -> str:
    """The editor's description, then the chart's summary, read out as two sentences."""
    description = " ".join(_clean(description).split())
    if description and summary and description[-1] not in ".!?:;":
        description += "."
    return f"{description} {summary}".strip()


def _layout_uid(uid: str, layout: _Layout) -> str:
    """Ids inside the narrow drawing differ from the wide one's: both sit in one page."""
    return uid if layout is WIDE else f"{uid}-{layout.name}"


def _drawings(draw: Callable[[_Layout], SafeString]) -> dict[str, SafeString]:
    """The chart's SVG in every layout, as the Chart's `svg` and `svg_narrow`."""
    return {"svg": draw(WIDE), "svg_narrow": draw(NARROW)}


def _empty_chart(
    *, uid: str, kind: str, title: str, description: str, unit: str, language: str
) -> Chart:
    message = _("No data yet.")

    def draw(layout: _Layout) -> SafeString:
        body = (
            f'<rect class="chart__empty-frame" x="1" y="1" width="{_n(layout.width - 2)}" '
            f'height="118" fill="none" stroke="{GRID_COLOUR}" stroke-dasharray="6 4"/>'
            + _text(layout.width / 2, 60, message, css="chart__empty-text", anchor="middle")
        )
        return _svg(
            uid=_layout_uid(uid, layout),
            kind=kind,
            title=title,
            description=_described(description, message),
            height=120,
            body=body,
            layout=layout,
        )

    return Chart(
        kind=kind,
        uid=uid,
        title=title,
        description=description,
        unit=unit,
        language=language,
        table=mark_safe(""),
        is_empty=True,
        **_drawings(draw),
    )


def _table(*, caption: str, head: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> str:
    head_html = "".join(f'<th scope="col">{_e(cell)}</th>' for cell in head)
    body_html = "".join(
        f'<tr><th scope="row">{_e(label)}</th>'
        + "".join(f'<td class="chart__number">{_e(cell)}</td>' for cell in cells)
        + "</tr>"
        for label, cells in rows
    )
    return mark_safe(
        f'<table class="chart__table"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{head_html}</tr></thead><tbody>{body_html}</tbody></table>"
    )


def _uid(uid: str | None) -> str:
    if uid is None:
        return f"chart-{uuid.uuid4().hex[:10]}"
    if not _UID_RE.match(uid):
        raise ValueError(f"Chart uid {uid!r} must be a letter followed by letters, digits, - or _.")
    return uid


def _value_heading(unit: str) -> str:
    unit = _clean(unit).strip()
    return _("Value (%(unit)s)") % {"unit": unit} if unit else _("Value")


def _finite(value: object) -> float:
    """A float for drawing; missing or non-finite values count as absent (NaN)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _value_axis(
    values: Sequence[float], length: float, label_room: float, *, language: str, layout: _Layout
) -> tuple[list[float], int, list[str]]:
    """Ticks for a value axis, fewer when their labels would collide."""
    low = min(values, default=0.0)
    high = max(values, default=0.0)
    for count in range(layout.max_ticks, 1, -1):
        ticks = nice_ticks(low, high, count)
        decimals = _tick_decimals(ticks)
        # The unit stands once in the axis label, not on every tick.
        labels = [format_number(t, language=language, decimals=decimals) for t in ticks]
        widest = max(layout.text_width(label) for label in labels)
        # The narrow drawing holds to its number of ticks; the wide one takes it as a target.
        if layout.labels_above and len(ticks) > layout.max_ticks:
            continue
        if label_room <= 0 or (widest + label_room) * len(ticks) <= length:
            break
    return ticks, decimals, labels


# --- line chart -------------------------------------------------------------------------------


def line_chart(
    *,
    title: str,
    description: str,
    points: Sequence[tuple[datetime.date, float]],
    unit: str,
    language: str | None = None,
    uid: str | None = None,
    monthly: bool = False,
) -> Chart:
    """A series over time: one line with markers, dates along x, values (from zero) along y.

    `monthly`: each point measures the month it is dated in (its 1st), so points read as
    months ("Oktober 2026"), never as the 1st of the month."""
    lang = _language(language)
    uid = _uid(uid)
    with translation.override(lang):
        clean = sorted(((day, _finite(value)) for day, value in points), key=lambda point: point[0])
        drawn = [(day, value) for day, value in clean if not math.isnan(value)]
        if not drawn:
            return _empty_chart(
                uid=uid, kind="line", title=title, description=description, unit=unit, language=lang
            )
        decimals = _decimals_for(value for _day, value in drawn)
        values = [value for _day, value in drawn]
        value_labels = [format_value(v, unit, language=lang, decimals=decimals) for v in values]
        first_day, last_day = drawn[0][0], drawn[-1][0]
        summary = _("From %(start)s to %(end)s the value went from %(first)s to %(last)s.") % {
            "start": data_date(first_day, monthly=monthly, language=lang),
            "end": data_date(last_day, monthly=monthly, language=lang),
            "first": value_labels[0],
            "last": value_labels[-1],
        }
        if len(drawn) == 1 and monthly:
            summary = _("In %(month)s the value was %(value)s.") % {
                "month": format_period(first_day, language=lang),
                "value": value_labels[0],
            }
        elif len(drawn) == 1:
            summary = _("On %(day)s the value was %(value)s.") % {
                "day": format_date(first_day, language=lang),
                "value": value_labels[0],
            }

        def draw(layout: _Layout) -> SafeString:
            height, body = _line_body(layout, drawn, value_labels, unit, lang, monthly=monthly)
            return _svg(
                uid=_layout_uid(uid, layout),
                kind="line",
                title=title,
                description=_described(description, summary),
                height=height,
                body=body,
                layout=layout,
            )

        drawings = _drawings(draw)
        table = _table(
            caption=title,
            head=[_("Date"), _value_heading(unit)],
            rows=[
                (
                    data_date(day, monthly=monthly, language=lang),
                    [format_value(value, unit, language=lang, decimals=decimals)],
                )
                for day, value in clean
            ],
        )
    return Chart(
        kind="line",
        uid=uid,
        title=title,
        description=description,
        unit=unit,
        language=lang,
        table=table,
        is_empty=False,
        **drawings,
    )


def _line_body(
    layout: _Layout,
    drawn: Sequence[tuple[datetime.date, float]],
    value_labels: Sequence[str],
    unit: str,
    lang: str,
    *,
    monthly: bool = False,
) -> tuple[float, str]:
    """The line chart's drawing in one layout: its height and SVG body."""
    values = [value for _day, value in drawn]
    months = monthly or _reads_as_months([day for day, _value in drawn])
    day_label = format_month if months else format_date
    text_width = layout.text_width
    height = 240.0 if layout.labels_above else 300.0
    top, bottom = 2 * layout.font_size + 4, height - 3 * layout.font_size - 8
    ticks, _tick_decimals, tick_labels = _value_axis(
        values, bottom - top, label_room=0, language=lang, layout=layout
    )
    left = 12.0 + max(text_width(label) for label in tick_labels)
    right = layout.width - 24.0 - text_width(value_labels[-1]) / 2
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    first_day, last_day = drawn[0][0], drawn[-1][0]
    span = (last_day - first_day).days
    if span:
        x_scale = _Scale(0, span, left + 16, right)

        def x(day: datetime.date) -> float:
            return x_scale((day - first_day).days)
    else:

        def x(day: datetime.date) -> float:
            return (left + right) / 2

    parts = []
    for tick, label in zip(ticks, tick_labels, strict=True):
        parts.append(
            f'<line class="chart__grid{" chart__grid--zero" if tick == 0 else ""}" '
            f'x1="{_n(left)}" x2="{_n(right)}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" '
            f'stroke="{GRID_COLOUR}"/>'
        )
        parts.append(
            _text(left - 6, y(tick), label, css="chart__tick", anchor="end", fill=MUTED_COLOUR)
        )
    if unit.strip():
        parts.append(
            _text(left, layout.font_size, unit.strip(), css="chart__axis-label", fill=MUTED_COLOUR)
        )
    parts.append(
        _text(
            (left + right) / 2,
            height - 8,
            _("Date"),
            css="chart__axis-label",
            anchor="middle",
            fill=MUTED_COLOUR,
        )
    )

    # Date labels along x: keep those that do not collide, always the newest.
    shown: list[tuple[float, str]] = []
    for index, (day, _value) in enumerate(drawn):
        label = day_label(day, language=lang)
        position = x(day)
        room = (text_width(label) + 12) / 2
        if shown and position - room < shown[-1][0] + (text_width(shown[-1][1]) + 12) / 2:
            if index != len(drawn) - 1:
                continue
            shown.pop()
        shown.append((position, label))
    for position, label in shown:
        # The outermost labels stay inside the drawing.
        half = text_width(label) / 2
        position = min(max(position, half + 2), layout.width - half - 2)
        parts.append(
            _text(
                position,
                bottom + layout.font_size + 4,
                label,
                css="chart__tick",
                anchor="middle",
                fill=MUTED_COLOUR,
            )
        )

    coordinates = [(x(day), y(value)) for day, value in drawn]
    if len(coordinates) > 1:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{_n(px)} {_n(py)}" for i, (px, py) in enumerate(coordinates)
        )
        parts.append(
            f'<path class="chart__line" d="{path}" fill="none" '
            f'stroke="{FALLBACK_COLOURS[0]}" stroke-width="2.5"/>'
        )
    spacing = min(
        (b[0] - a[0] for a, b in zip(coordinates, coordinates[1:], strict=False)),
        default=layout.width,
    )
    label_all = spacing >= max(text_width(label) for label in value_labels) + 6
    for index, ((px, py), (day, _value), label) in enumerate(
        zip(coordinates, drawn, value_labels, strict=True)
    ):
        parts.append(
            f'<circle class="chart__marker" cx="{_n(px)}" cy="{_n(py)}" r="4" '
            f'fill="{FALLBACK_COLOURS[0]}"><title>'
            f"{_e(data_date(day, monthly=monthly, language=lang))}: {_e(label)}</title></circle>"
        )
        if label_all or index in (0, len(drawn) - 1):
            # Centred over its point, but clear of the value axis and inside the drawing.
            half = text_width(label) / 2
            lx = min(max(px, left + half + 2), layout.width - half - 2)
            parts.append(
                _text(lx, py - 12, label, css="chart__value", anchor="middle", baseline="auto")
            )
    return height, "".join(parts)


def _reads_as_months(days: Sequence[datetime.date]) -> bool:
    """Month labels when each point stands for its own month (monthly figures)."""
    months = {(day.year, day.month) for day in days}
    if len(months) != len(days):
        return False
    return all(day.day == 1 for day in days) or (days[-1] - days[0]).days >= 120


# --- bar charts -------------------------------------------------------------------------------

ROW_HEIGHT = 32.0
BAR_THICKNESS = 20.0


@dataclass(frozen=True)
class _Row:
    middle: float  # of the bar
    label: str  # the label's <text>, whole, on as many lines as it needs


def _rows(layout: _Layout, names: Sequence[str], top: float) -> tuple[float, list[_Row], float]:
    """Where the bars start, each row's bar and label, and where the rows end.

    Labels are never cut: left of their bar they wrap within the label column, in the
    narrow layout they stand above their bar across the whole width.
    """
    line_height = layout.line_height
    if layout.labels_above:
        wrapped = [_wrap(name, layout.chars(layout.width - 24)) for name in names]
        plot_left = 12.0
    else:
        wrapped = [_wrap(name, layout.chars(layout.label_column)) for name in names]
        widest = max((layout.text_width(line) for lines in wrapped for line in lines), default=0)
        plot_left = 16.0 + min(widest, layout.label_column) + 12
    rows, y = [], top
    for lines in wrapped:
        text_height = len(lines) * line_height
        if layout.labels_above:
            label = _lines(
                plot_left,
                y + line_height / 2 + 2,
                lines,
                css="chart__label",
                line_height=line_height,
            )
            middle = y + text_height + 4 + BAR_THICKNESS / 2
            height = text_height + 4 + BAR_THICKNESS + 10
        else:
            height = max(ROW_HEIGHT, text_height + 12)
            middle = y + height / 2
            label = _lines(
                plot_left - 12,
                middle - (len(lines) - 1) * line_height / 2,
                lines,
                css="chart__label",
                line_height=line_height,
                anchor="end",
            )
        rows.append(_Row(middle, label))
        y += height
    return plot_left, rows, y


def bar_chart(
    *,
    title: str,
    description: str,
    bars: Sequence[tuple[str, float]],
    unit: str,
    language: str | None = None,
    uid: str | None = None,
) -> Chart:
    """Products compared: horizontal bars from a zero baseline, negatives to the left."""
    lang = _language(language)
    uid = _uid(uid)
    with translation.override(lang):
        rows = [(_clean(name), _finite(value)) for name, value in bars]
        values = [value for _name, value in rows if not math.isnan(value)]
        if not values:
            return _empty_chart(
                uid=uid, kind="bar", title=title, description=description, unit=unit, language=lang
            )
        decimals = _decimals_for(values)
        value_labels = [
            format_value(value, unit, language=lang, decimals=decimals) for _name, value in rows
        ]
        highest = max((row for row in rows if not math.isnan(row[1])), key=lambda row: row[1])
        summary = ngettext(
            "%(count)d entry; highest: %(name)s with %(value)s.",
            "%(count)d entries; highest: %(name)s with %(value)s.",
            len(rows),
        ) % {
            "count": len(rows),
            "name": highest[0],
            "value": format_value(highest[1], unit, language=lang, decimals=decimals),
        }

        def draw(layout: _Layout) -> SafeString:
            height, body = _bar_body(layout, rows, values, value_labels, unit, lang)
            return _svg(
                uid=_layout_uid(uid, layout),
                kind="bar",
                title=title,
                description=_described(description, summary),
                height=height,
                body=body,
                layout=layout,
            )

        drawings = _drawings(draw)
        table = _table(
            caption=title,
            head=[_("Name"), _value_heading(unit)],
            rows=[
                (name, [label]) for (name, _value), label in zip(rows, value_labels, strict=True)
            ],
        )
    return Chart(
        kind="bar",
        uid=uid,
        title=title,
        description=description,
        unit=unit,
        language=lang,
        table=table,
        is_empty=False,
        **drawings,
    )


def _bar_body(
    layout: _Layout,
    rows: Sequence[tuple[str, float]],
    values: Sequence[float],
    value_labels: Sequence[str],
    unit: str,
    lang: str,
) -> tuple[float, str]:
    """The bar chart's drawing in one layout: its height and SVG body."""
    top = 8.0
    plot_left, placed, bottom = _rows(layout, [name for name, _value in rows], top)
    widest_value = max(layout.text_width(label) for label in value_labels) + 8
    plot_right = layout.width - 12.0
    # Room for value labels beyond the bar ends on either side of zero.
    left_room = widest_value if min(values) < 0 else 0.0
    right_room = widest_value if max(values) > 0 else 0.0
    ticks, _tick_dec, tick_labels = _value_axis(
        values,
        plot_right - plot_left - left_room - right_room,
        label_room=16,
        language=lang,
        layout=layout,
    )
    scale = _Scale(ticks[0], ticks[-1], plot_left + left_room, plot_right - right_room)
    height = bottom + 4 * layout.font_size
    parts = _value_grid(scale, ticks, tick_labels, top, bottom, unit, height, layout)
    zero = scale(0.0)
    for row, (name, value), value_label in zip(placed, rows, value_labels, strict=True):
        middle = row.middle
        parts.append(row.label)
        if math.isnan(value):
            parts.append(
                _text(
                    zero + 6,
                    middle,
                    _("no value"),
                    css="chart__value chart__value--missing",
                    fill=MUTED_COLOUR,
                )
            )
            continue
        end = scale(value)
        bar_x, bar_width = min(zero, end), abs(end - zero)
        parts.append(
            f'<rect class="{_series_css(0)} chart__bar" x="{_n(bar_x)}" '
            f'y="{_n(middle - BAR_THICKNESS / 2)}" width="{_n(bar_width)}" '
            f'height="{_n(BAR_THICKNESS)}" fill="{FALLBACK_COLOURS[0]}">'
            f"<title>{_e(name)}: {_e(value_label)}</title></rect>"
        )
        if value < 0:
            parts.append(_text(end - 6, middle, value_label, css="chart__value", anchor="end"))
        else:
            parts.append(_text(end + 6, middle, value_label, css="chart__value"))
    parts.append(_baseline(zero, top, bottom))
    return height, "".join(parts)


def _value_grid(
    scale: _Scale,
    ticks: Sequence[float],
    tick_labels: Sequence[str],
    top: float,
    bottom: float,
    unit: str,
    height: float,
    layout: _Layout,
) -> list[str]:
    """Vertical grid lines with tick labels below and the unit as axis label."""
    parts = []
    for tick, label in zip(ticks, tick_labels, strict=True):
        position = scale(tick)
        parts.append(
            f'<line class="chart__grid" x1="{_n(position)}" x2="{_n(position)}" '
            f'y1="{_n(top)}" y2="{_n(bottom)}" stroke="{GRID_COLOUR}"/>'
        )
        parts.append(
            _text(
                position,
                bottom + layout.font_size + 2,
                label,
                css="chart__tick",
                anchor="middle",
                fill=MUTED_COLOUR,
            )
        )
    if unit.strip():
        middle = (scale.range_low + scale.range_high) / 2
        parts.append(
            _text(
                middle,
                height - 8,
                unit.strip(),
                css="chart__axis-label",
                anchor="middle",
                fill=MUTED_COLOUR,
            )
        )
    return parts


def _baseline(zero: float, top: float, bottom: float) -> str:
    return (
        f'<line class="chart__baseline" x1="{_n(zero)}" x2="{_n(zero)}" y1="{_n(top - 4)}" '
        f'y2="{_n(bottom + 4)}" stroke="{TEXT_COLOUR}" stroke-width="1.5"/>'
    )


def stacked_bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    segments: Sequence[tuple[str, Sequence[float]]],
    unit: str,
    language: str | None = None,
    uid: str | None = None,
) -> Chart:
    """One horizontal bar per category, split into named segments (e.g. inactivity buckets).

    Each entry of ``segments`` is (segment name, one value per category). Segments are told
    apart by colour, hatching and a legend; values that fit are written into their segment.
    """
    lang = _language(language)
    uid = _uid(uid)
    for name, values in segments:
        if len(values) != len(categories):
            raise ValueError(
                f"Segment {name!r} has {len(values)} values for {len(categories)} categories."
            )
    with translation.override(lang):
        names = [_clean(name) for name, _values in segments]
        matrix = [[_finite(v) for v in values] for _name, values in segments]
        everything = [v for column in matrix for v in column if not math.isnan(v)]
        if not categories or not segments or not everything:
            return _empty_chart(
                uid=uid,
                kind="stacked_bar",
                title=title,
                description=description,
                unit=unit,
                language=lang,
            )
        decimals = _decimals_for(everything)
        category_names = [_clean(category) for category in categories]
        # Positives stack rightwards from zero, negatives leftwards: a diverging stack.
        highs, lows, totals = [], [], []
        for row in range(len(categories)):
            column = [matrix[s][row] for s in range(len(segments))]
            highs.append(sum(v for v in column if v > 0))
            lows.append(sum(v for v in column if v < 0))
            totals.append(sum(v for v in column if not math.isnan(v)))
        total_labels = [
            format_value(total, unit, language=lang, decimals=decimals) for total in totals
        ]
        stack = _Stack(names, category_names, matrix, highs, lows, total_labels, decimals)
        summary = _(
            "%(segments)s per %(count)s categories; the number after each bar is its total."
        ) % {
            "segments": ", ".join(names),
            "count": format_number(len(categories), language=lang),
        }

        def draw(layout: _Layout) -> SafeString:
            layout_uid = _layout_uid(uid, layout)
            height, body = _stacked_body(layout, layout_uid, stack, unit, lang)
            return _svg(
                uid=layout_uid,
                kind="stacked_bar",
                title=title,
                description=_described(description, summary),
                height=height,
                body=body,
                defs=_pattern_defs(layout_uid, len(names)),
                layout=layout,
            )

        drawings = _drawings(draw)
        table = _table(
            caption=title,
            head=[_("Name"), *names, _("Total")],
            rows=[
                (
                    category,
                    [
                        format_value(matrix[s][row], unit, language=lang, decimals=decimals)
                        for s in range(len(names))
                    ]
                    + [total_labels[row]],
                )
                for row, category in enumerate(category_names)
            ],
        )
    return Chart(
        kind="stacked_bar",
        uid=uid,
        title=title,
        description=description,
        unit=unit,
        language=lang,
        table=table,
        is_empty=False,
        **drawings,
    )


@dataclass(frozen=True)
class _Stack:
    """A stacked bar chart's data, ready to draw in any layout."""

    names: list[str]
    categories: list[str]
    matrix: list[list[float]]
    highs: list[float]
    lows: list[float]
    total_labels: list[str]
    decimals: int


def _stacked_body(
    layout: _Layout, uid: str, stack: _Stack, unit: str, lang: str
) -> tuple[float, str]:
    """The stacked bar chart's drawing in one layout: its height and SVG body."""
    legend_parts, legend_height = _legend(uid, stack.names, layout)
    top = legend_height + 8
    plot_left, placed, bottom = _rows(layout, stack.categories, top)
    widest_total = max(layout.text_width(label) for label in stack.total_labels) + 8
    plot_right = layout.width - 12.0 - widest_total
    height = bottom + 4 * layout.font_size
    ticks, _tick_dec, tick_labels = _value_axis(
        stack.highs + stack.lows,
        plot_right - plot_left,
        label_room=16,
        language=lang,
        layout=layout,
    )
    scale = _Scale(ticks[0], ticks[-1], plot_left, plot_right)
    parts = [
        *legend_parts,
        *_value_grid(scale, ticks, tick_labels, top, bottom, unit, height, layout),
    ]
    zero = scale(0.0)
    for row, (category, placement) in enumerate(zip(stack.categories, placed, strict=True)):
        middle = placement.middle
        parts.append(placement.label)
        positive, negative = 0.0, 0.0
        for index, segment in enumerate(stack.names):
            value = stack.matrix[index][row]
            if math.isnan(value) or value == 0:
                continue
            if value > 0:
                start, positive = positive, positive + value
                x1, x2 = scale(start), scale(positive)
            else:
                start, negative = negative, negative + value
                x1, x2 = scale(negative), scale(start)
            value_label = format_value(value, unit, language=lang, decimals=stack.decimals)
            parts.append(
                f'<g class="chart__segment"><title>{_e(category)}, {_e(segment)}: '
                f"{_e(value_label)}</title>"
                + _swatch(uid, index, x1, middle - BAR_THICKNESS / 2, x2 - x1, BAR_THICKNESS)
                + f'<rect class="chart__separator" x="{_n(x2 - 0.5)}" '
                f'y="{_n(middle - BAR_THICKNESS / 2)}" width="1" '
                f'height="{_n(BAR_THICKNESS)}" fill="#fff"/></g>'
            )
            if x2 - x1 >= layout.text_width(value_label) + 8:
                parts.append(
                    _text(
                        (x1 + x2) / 2,
                        middle,
                        value_label,
                        css="chart__value chart__value--inside",
                        anchor="middle",
                        fill="#fff",
                    )
                )
        end = scale(stack.highs[row]) if stack.highs[row] else zero
        parts.append(
            _text(end + 6, middle, stack.total_labels[row], css="chart__value chart__total")
        )
    parts.append(_baseline(zero, top, bottom))
    return height, "".join(parts)


def _legend(uid: str, names: Sequence[str], layout: _Layout) -> tuple[list[str], float]:
    """Legend entries flowing in rows across the top; returns the parts and the height used.

    A name wider than a row wraps; none is cut.
    """
    parts = ['<g class="chart__legend">']
    line_height = layout.line_height
    swatch = 14.0
    room = layout.width - 16 - 12 - swatch - 6
    x, y, row_height = 16.0, 8.0, 0.0
    for index, name in enumerate(names):
        lines = _wrap(name, layout.chars(room))
        width = swatch + 6 + max(layout.text_width(line) for line in lines) + 18
        height = max(swatch, len(lines) * line_height) + 6
        if x + width > layout.width - 12 and x > 16:
            x, y, row_height = 16.0, y + row_height, 0.0
        row_height = max(row_height, height)
        parts.append(_swatch(uid, index, x, y, swatch, swatch))
        parts.append(
            _lines(
                x + swatch + 6,
                y + swatch / 2,
                lines,
                css="chart__legend-label",
                line_height=line_height,
            )
        )
        x += width
    parts.append("</g>")
    return parts, y + row_height
