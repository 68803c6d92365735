"""Reads for topic excerpts: figures with their change and meanings, charts, the news stream."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from vitrine.audiences.selectors import for_audiences
from vitrine.figures.charts import (
    Chart,
    bar_chart,
    data_date,
    format_date,
    format_value,
    line_chart,
    stacked_bar_chart,
)
from vitrine.figures.models import FigureSeries, Snapshot
from vitrine.figures.selectors import sample_size, too_few
from vitrine.figures.units import PERCENT, Unit, points_text

from .document import Meaning

LINE = "line"
BAR = "bar"
STACKED = "stacked_bar"
# The figure block's chart of the inactivity buckets of its own series.
BREAKDOWN = "breakdown"

BUCKET_KEYS = ("within_first", "within_second", "within_third", "over_third", "never_active")


@dataclass(frozen=True)
class FigureView:
    """A series as a figure block shows it: value, change, meanings and an optional chart."""

    series: FigureSeries
    title: str
    has_data: bool
    value: str = ""
    date: datetime.date | None = None
    date_text: str = ""
    change: str = ""
    direction: str = ""  # "up", "down", "same" or "" without a previous snapshot
    # Why the value is no statement: measured on too few requests (the value is their count).
    note: str = ""
    meanings: list[Meaning] = field(default_factory=list)
    chart: Chart | None = None


# --- figures -----------------------------------------------------------------------------------


def unit_label(unit: str) -> Unit:
    """The unit as the reader reads it, in the active language ("Konten" for "accounts")."""
    return Unit(unit)


def latest_snapshots(series: FigureSeries, count: int = 2) -> list[Snapshot]:
    """The newest `count` snapshots of a series, newest first."""
    return list(series.snapshots.order_by("-date")[:count])


def decimals_for(values: Iterable[float]) -> int:
    """Fewest decimals (0–2) that show every value as stored."""
    decimals = 0
    for value in values:
        if not math.isfinite(value) or value == round(value):
            continue
        decimals = max(decimals, 1 if round(value, 1) == round(value, 6) else 2)
    return decimals


def change_text(
    current: float,
    previous: float,
    previous_date: datetime.date,
    unit: str,
    *,
    decimals: int,
    monthly: bool = False,
) -> tuple[str, str]:
    """("+12 seats since Oct 1, 2026", "up") for the change against the previous snapshot;
    the change of a percentage in percentage points ("+18.2 percentage points since …");
    since a month for figures that measure months ("since September 2026")."""
    difference = round(current - previous, decimals)
    when = data_date(previous_date, monthly=monthly)
    if difference == 0:
        return _("unchanged since %(date)s") % {"date": when}, "same"
    if getattr(unit, "code", unit).strip() == PERCENT:
        number = format_value(difference, decimals=decimals)
        amount = points_text(f"+{number}" if difference > 0 else number, difference, decimals)
    else:
        amount = format_value(difference, unit, decimals=decimals)
        if difference > 0:
            amount = f"+{amount}"
    direction = "up" if difference > 0 else "down"
    return _("%(change)s since %(date)s") % {"change": amount, "date": when}, direction


def figure_view(
    series: FigureSeries | None,
    *,
    chart: str = "",
    block_meanings: Sequence[tuple] = (),
    reader_audiences: Sequence = (),
    page_audiences: Sequence = (),
) -> FigureView | None:
    """Everything a figure block shows, formatted in the active language; None without series."""
    if series is None:
        return None
    meanings = meanings_for(series, block_meanings, reader_audiences, page_audiences)
    snapshots = latest_snapshots(series)
    if not snapshots:
        return FigureView(series=series, title=series.title, has_data=False, meanings=meanings)
    unit = unit_label(series.unit)
    latest = snapshots[0]
    if too_few(latest):
        # A median or a share of a handful of requests is no figure: only their count shows.
        requests = sample_size(latest)
        return FigureView(
            series=series,
            title=series.title,
            has_data=True,
            value=ngettext("%(count)s request", "%(count)s requests", requests)
            % {"count": requests},
            date=latest.date,
            date_text=data_date(latest.date, monthly=series.monthly),
            note=_("too few requests for a statement"),
            meanings=meanings,
            chart=series_chart(series, chart) if chart else None,
        )
    snapshots = [s for s in snapshots if not too_few(s)]
    values = [s.value for s in snapshots]  # exact decimals, as stored
    decimals = decimals_for(values)
    change, direction = "", ""
    if len(snapshots) > 1:
        change, direction = change_text(
            values[0],
            values[1],
            snapshots[1].date,
            unit,
            decimals=decimals,
            monthly=series.monthly,
        )
    return FigureView(
        series=series,
        title=series.title,
        has_data=True,
        value=format_value(values[0], unit, decimals=decimals),
        date=latest.date,
        date_text=data_date(latest.date, monthly=series.monthly),
        change=change,
        direction=direction,
        meanings=meanings,
        chart=series_chart(series, chart) if chart else None,
    )


# --- meanings ----------------------------------------------------------------------------------


def block_meanings(values: Iterable) -> list[tuple]:
    """(audience, text) of a figure block's meanings, without removed audiences or empty texts."""
    return [
        (value["audience"], value["text"].strip())
        for value in values
        if value["audience"] is not None and (value["text"] or "").strip()
    ]


def meanings_for(
    series: FigureSeries,
    block_meanings: Sequence[tuple],
    reader_audiences: Sequence,
    page_audiences: Sequence,
) -> list[Meaning]:
    """What the figure means for the reader ("Was bedeutet das für Sie?").

    For a reader with audiences of their own: the block's meanings for them, else the series'
    meanings for them, else the series' description. Each step prefers the reader's own
    audiences to the audience that stands for everyone. A reader with no audience of their own
    (or no reader, as in an export for all) gets the meanings of all the page's audiences
    (of every audience when the page is for everyone), each labelled with its audience.
    """
    own = [a for a in reader_audiences if not a.is_everyone]
    series_meanings = [(m.audience, m.text) for m in series.meanings.select_related("audience")]
    if own:
        everyone = [a for a in reader_audiences if a.is_everyone]
        for source in (block_meanings, series_meanings):
            for wanted in (own, everyone):
                found = _matching(source, wanted)
                if found:
                    return found
    else:
        for source in (block_meanings, series_meanings):
            found = _matching(source, page_audiences) if page_audiences else _labelled(source)
            if found:
                return found
    if series.description.strip():
        return [Meaning(audience="", text=series.description.strip())]
    return []


def _matching(source: Sequence[tuple], audiences: Sequence) -> list[Meaning]:
    """The meanings in `source` for `audiences`, in the order of the audiences."""
    by_audience = {audience.pk: text for audience, text in source}
    return [
        Meaning(audience=audience.name, text=by_audience[audience.pk])
        for audience in audiences
        if audience.pk in by_audience
    ]


def _labelled(source: Sequence[tuple]) -> list[Meaning]:
    return [Meaning(audience=audience.name, text=text) for audience, text in source]


# --- charts ------------------------------------------------------------------------------------


def has_buckets(series: FigureSeries | None) -> bool:
    """True for a cloud inactivity series of one product, whose snapshots hold the buckets."""
    return (
        series is not None
        and series.topic == FigureSeries.Topic.CLOUD_INACTIVITY
        and bool(series.product)
    )


def chart_problem(kind: str, series: Sequence[FigureSeries]) -> str:
    """Why these series cannot make a chart of this kind; empty when they can."""
    if not series:
        return _("Choose at least one figure series.")
    if kind == LINE and len(series) != 1:
        return _("A line chart shows one series over time; choose exactly one series.")
    if kind == BAR and len({s.unit for s in series}) > 1:
        units = ", ".join(sorted({unit_label(s.unit) or "–" for s in series}))
        return _(
            "Bars compare values of one unit; these series have different units (%(units)s)."
        ) % {"units": units}
    if kind == STACKED:
        others = [s.title for s in series if not has_buckets(s)]
        if others:
            return _(
                "Stacked bars show the inactivity of cloud accounts per product; these series "
                "have no such breakdown: %(titles)s."
            ) % {"titles": ", ".join(others)}
    return ""


def series_chart(series: FigureSeries, kind: str) -> Chart | None:
    """The chart a figure block shows below its value."""
    if kind == LINE:
        return chart_for(LINE, [series])
    if kind == BREAKDOWN and has_buckets(series):
        return chart_for(STACKED, [series])
    return None


def chart_for(
    kind: str, series: Sequence[FigureSeries], *, title: str = "", description: str = ""
) -> Chart | None:
    """A chart of the series in the active language; None when they cannot make one."""
    series = [s for s in series if s is not None]
    if chart_problem(kind, series):
        return None
    if kind == LINE:
        return _line(series[0], title, description)
    if kind == BAR:
        return _bars(series, title, description)
    if kind == STACKED:
        return _stacked(series, title, description)
    return None


def _line(series: FigureSeries, title: str, description: str) -> Chart:
    points = [(s.date, float(s.value)) for s in series.snapshots.order_by("date") if not too_few(s)]
    return line_chart(
        title=title or series.title,
        description=description or _("One point per date of imported figures."),
        points=points,
        unit=unit_label(series.unit),
        monthly=series.monthly,
    )


def _category(series: FigureSeries) -> str:
    return series.product or series.title


def _latest_by_series(series: Sequence[FigureSeries]) -> dict[int, Snapshot]:
    latest: dict[int, Snapshot] = {}
    snapshots = Snapshot.objects.filter(series__in=series).order_by("series_id", "-date")
    for snapshot in snapshots:
        latest.setdefault(snapshot.series_id, snapshot)
    return latest


def _bars(series: Sequence[FigureSeries], title: str, description: str) -> Chart:
    latest = _latest_by_series(series)
    bars = [
        (
            _category(s),
            float(latest[s.pk].value) if s.pk in latest and not too_few(latest[s.pk]) else math.nan,
        )
        for s in series
    ]
    dates = sorted({latest[s.pk].date for s in series if s.pk in latest})
    if not description and dates:
        monthly = all(s.monthly for s in series)
        description = _("Latest values as of %(date)s.") % {
            "date": data_date(dates[-1], monthly=monthly)
        }
    return bar_chart(
        title=title or _("Latest values compared"),
        description=description,
        bars=bars,
        unit=unit_label(series[0].unit),
    )


def bucket_labels(thresholds: Sequence[int]) -> list[str]:
    """Segment names from the thresholds, e.g. "up to 30 days", "31–60 days", "never active"."""
    first, second, third = (int(t) for t in thresholds)
    return [
        ngettext("up to %(days)s day", "up to %(days)s days", first) % {"days": first},
        _("%(start)s–%(end)s days") % {"start": first + 1, "end": second},
        _("%(start)s–%(end)s days") % {"start": second + 1, "end": third},
        _("over %(days)s days") % {"days": third},
        _("never active"),
    ]


def _thresholds(snapshot: Snapshot | None) -> tuple[int, ...] | None:
    thresholds = (snapshot.extra or {}).get("thresholds") if snapshot else None
    if not isinstance(thresholds, list | tuple) or len(thresholds) != 3:
        return None
    try:
        return tuple(int(t) for t in thresholds)
    except (TypeError, ValueError):
        return None


def _stacked(series: Sequence[FigureSeries], title: str, description: str) -> Chart:
    latest = _latest_by_series(series)
    snapshots = [latest.get(s.pk) for s in series]
    thresholds = {t for t in map(_thresholds, snapshots) if t is not None}
    if len(thresholds) == 1:
        names = bucket_labels(next(iter(thresholds)))
    else:
        names = [
            _("within the first threshold"),
            _("up to the second threshold"),
            _("up to the third threshold"),
            _("beyond the third threshold"),
            _("never active"),
        ]
        described = [
            f"{_category(s)}: {' / '.join(str(d) for d in t)}"
            for s, snap in zip(series, snapshots, strict=True)
            if (t := _thresholds(snap))
        ]
        if described:
            description = " ".join(
                filter(None, [description, _("Thresholds in days:"), "; ".join(described) + "."])
            )
    matrix = [[_bucket(snapshot, key) for snapshot in snapshots] for key in BUCKET_KEYS]
    dates = sorted({s.date for s in snapshots if s is not None})
    if not description:
        description = _("Cloud accounts by days since their last activity.")
        if dates:
            description += " " + _("As of %(date)s.") % {"date": format_date(dates[-1])}
    return stacked_bar_chart(
        title=title or (series[0].title if len(series) == 1 else _("Cloud accounts by inactivity")),
        description=description,
        categories=[_category(s) for s in series],
        segments=list(zip(names, matrix, strict=True)),
        unit=unit_label("accounts"),
    )


def _bucket(snapshot: Snapshot | None, key: str) -> float:
    if snapshot is None:
        return math.nan
    value = (snapshot.extra or {}).get(key)
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


# --- the news stream ---------------------------------------------------------------------------


def news_stream(
    audiences, *, descendant_of: Page | None = None, child_of: Page | None = None
) -> QuerySet[Page]:
    """Live public news and topic excerpts meant for `audiences`, newest first, as specific
    pages; below `descendant_of` or directly below `child_of`."""
    from vitrine.portal.models import NewsPage

    from .models import TopicExcerptPage

    pieces = []
    for model in (NewsPage, TopicExcerptPage):
        pages = model.objects.live().public()
        if descendant_of is not None:
            pages = pages.descendant_of(descendant_of)
        if child_of is not None:
            pages = pages.child_of(child_of)
        pieces.append(for_audiences(pages, audiences).values("pk"))
    news, excerpts = pieces
    return (
        Page.objects.filter(Q(pk__in=news) | Q(pk__in=excerpts))
        .annotate(stream_date=Coalesce("newspage__date", "topicexcerptpage__date"))
        .order_by("-stream_date", "-first_published_at", "-pk")
        .specific()
    )
