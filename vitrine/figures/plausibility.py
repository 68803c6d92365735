"""Plausibility of an import before its figures go live.

For the values an import is about to store: each figure's previous value (the one shown now:
the latest snapshot on or before the import's date), the change, warnings when a figure moves
by more than a plausible step or the file covers far fewer rows or products than the last
import of its format, and the published pages that show the figures the import changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date as Date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, ReferenceIndex

from vitrine.portal.links import page_url

from .models import FigureSeries, ImportRun, Snapshot, SupersededSnapshot
from .units import unit_for

if TYPE_CHECKING:  # the values come from services, which imports this module
    from .services import SeriesValue

DEFAULT_PLAUSIBLE_CHANGE = 0.5  # ±50 % (percentages: ±50 percentage points)
DEFAULT_PLAUSIBLE_COVERAGE = 0.5  # at least half the rows and products of the last import
PERCENT = "%"
_CHUNK = 500  # ids per query, well below SQLite's limit of variables
_ROWS_NAMED = {"m365": "accounts"}  # formats with one row per account
_DERIVED = ("license_position.", "shelfware.", "savings.")  # see FigureChange.derived


def plausible_change() -> Decimal:
    """The largest plausible move of a figure, as a fraction of its previous value."""
    return Decimal(
        str(getattr(settings, "VITRINE_IMPORT_PLAUSIBLE_CHANGE", DEFAULT_PLAUSIBLE_CHANGE))
    )


def plausible_coverage() -> Decimal:
    """The smallest plausible share of the last import's rows and products."""
    return Decimal(
        str(getattr(settings, "VITRINE_IMPORT_PLAUSIBLE_COVERAGE", DEFAULT_PLAUSIBLE_COVERAGE))
    )


@dataclass(frozen=True)
class FigureChange:
    """One figure the import writes, beside the value shown now."""

    key: str
    title: str
    unit: str
    date: Date
    value: Decimal
    previous: Decimal | None = None
    previous_date: Date | None = None
    change: Decimal | None = None  # new − previous; for percentages in percentage points
    relative: Decimal | None = None  # change / |previous|; None for percentages and from 0
    implausible: bool = False  # moves by more than the plausible step
    product: str = ""  # empty for totals
    published: bool = False  # shown on a published page

    @property
    def derived(self) -> bool:
        """True for a product's figure derived from two others: its license position
        (entitled − used seats), shelfware (entitled − used in 90 days), savings (seats
        reclaimed since the last position). Their share of change means little: a position
        of 2 seats becoming −3 is −250 %."""
        return bool(self.product) and self.key.startswith(_DERIVED)

    @property
    def warns(self) -> bool:
        """An implausible move that needs a confirmation: of any figure but a product's
        derived one (its inputs are checked themselves), and of every figure shown on a
        published page."""
        return self.implausible and (self.published or not self.derived)

    @property
    def points(self) -> bool:
        """True when the change is in percentage points."""
        return self.unit == PERCENT

    @property
    def changes_what_is_shown(self) -> bool:
        return self.previous is None or (self.previous, self.previous_date) != (
            self.value,
            self.date,
        )

    @property
    def previous_unit(self) -> str:
        """The unit's word beside the previous value ("1 Konto", "2 Konten")."""
        return unit_for(self.unit, self.previous)

    @property
    def value_unit(self) -> str:
        return unit_for(self.unit, self.value)

    @property
    def previous_display(self) -> str:
        return number(self.previous)

    @property
    def value_display(self) -> str:
        return number(self.value)

    @property
    def change_display(self) -> str:
        """The change as the active language writes it: "+12 (+25 %)", "−3,5 Prozentpunkte"."""
        if self.change is None:
            return "–"
        if self.points:
            return _("%(change)s percentage points") % {"change": signed(self.change)}
        if self.relative is None:
            return signed(self.change)
        return f"{signed(self.change)} ({signed(self.relative * 100)} %)"

    def as_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "date": self.date.isoformat(),
            "value": _plain(self.value),
            "previous": _plain(self.previous),
            "previous_date": self.previous_date.isoformat() if self.previous_date else None,
            "change": _plain(self.change),
            "change_unit": "percentage_points" if self.points else self.unit,
            "relative": _plain(self.relative),
            "implausible": self.implausible,
            "published": self.published,
            "warns": self.warns,
        }


@dataclass(frozen=True)
class PlausibilityWarning:
    """Why an import looks wrong; `key` names the figure of a change warning."""

    kind: Literal["change", "coverage"]
    message: str
    key: str = ""

    def as_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key or None, "message": str(self.message)}


@dataclass(frozen=True)
class AffectedPage:
    """A published page that shows a figure the import changes."""

    pk: int
    title: str
    url: str

    def as_data(self) -> dict[str, Any]:
        return {"id": self.pk, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class Plausibility:
    """What an import would change, and what looks implausible about it."""

    changes: list[FigureChange] = field(default_factory=list)
    warnings: list[PlausibilityWarning] = field(default_factory=list)
    pages: list[AffectedPage] = field(default_factory=list)

    @property
    def flagged_first(self) -> list[FigureChange]:
        """The changes: those that warn first, then other implausible ones, then the rest,
        each group in the import's order."""
        return sorted(self.changes, key=lambda c: (not c.warns, not c.implausible))

    def as_data(self) -> dict[str, Any]:
        """Plain data (strings, numbers as strings, lists) for JSON answers."""
        return {
            "changes": [c.as_data() for c in self.changes],
            "warnings": [w.as_data() for w in self.warnings],
            "pages": [p.as_data() for p in self.pages],
        }


class ImplausibleImport(Exception):
    """An import refused because of warnings nobody accepted; it stored nothing.

    `run` is the refused run (saved), `plausibility` holds the warnings, changes and pages.
    """

    def __init__(self, run: ImportRun, plausibility: Plausibility) -> None:
        self.run = run
        self.plausibility = plausibility
        super().__init__(refusal_summary(len(plausibility.warnings)))


def refusal_summary(count: int) -> str:
    return ngettext(
        "Nothing was stored: the import raised %(count)d plausibility warning. Check it; "
        "to store the figures anyway, confirm it (admin: “Store despite the warnings”; "
        "command: --accept-warnings; API: accept_warnings=true).",
        "Nothing was stored: the import raised %(count)d plausibility warnings. Check them; "
        "to store the figures anyway, confirm them (admin: “Store despite the warnings”; "
        "command: --accept-warnings; API: accept_warnings=true).",
        count,
    ) % {"count": count}


def plausibility_of(
    values: Sequence[SeriesValue], *, format: str, rows: int, exclude_run: int | None = None
) -> Plausibility:
    """Compare the values an import would store with the stored figures.

    `rows` is the file's number of data rows; `exclude_run` a saved run of this import itself,
    which is not "the last import" of its format.
    """
    changes = _changes(values, plausible_change())
    pages, published = _pages_of([c.key for c in changes if c.changes_what_is_shown])
    changes = [replace(c, published=True) if c.key in published else c for c in changes]
    warnings = [
        PlausibilityWarning(kind="change", key=c.key, message=_change_message(c))
        for c in changes
        if c.warns
    ]
    warnings += _coverage(values, format=format, rows=rows, exclude_run=exclude_run)
    return Plausibility(changes=changes, warnings=warnings, pages=pages)


# --- changes ---------------------------------------------------------------------------------


def _changes(values: Sequence[SeriesValue], step: Decimal) -> list[FigureChange]:
    shown = _shown_values({(v.key, v.date) for v in values})
    changes = []
    for v in values:
        previous = shown.get((v.key, v.date))
        if previous is None:
            changes.append(FigureChange(v.key, v.title, v.unit, v.date, v.value, product=v.product))
            continue
        before, before_date = previous
        change = v.value - before
        if v.unit == PERCENT:
            relative = None
            implausible = abs(change) > step * 100
        else:
            relative = change / abs(before) if before else None
            implausible = relative is not None and abs(relative) > step
        changes.append(
            FigureChange(
                v.key,
                v.title,
                v.unit,
                v.date,
                v.value,
                previous=before,
                previous_date=before_date,
                change=change,
                relative=relative,
                implausible=implausible,
                product=v.product,
            )
        )
    return changes


def _shown_values(wanted: set[tuple[str, Date]]) -> dict[tuple[str, Date], tuple[Decimal, Date]]:
    """For each (series key, date): the value and date of the series' latest snapshot on or
    before that date, where there is one."""
    by_date: dict[Date, list[str]] = {}
    for key, day in wanted:
        by_date.setdefault(day, []).append(key)
    found = {}
    for day, keys in by_date.items():
        for chunk in _chunks(sorted(keys)):
            ids = dict(FigureSeries.objects.filter(key__in=chunk).values_list("pk", "key"))
            latest = (
                Snapshot.objects.filter(series_id__in=ids, date__lte=day)
                .values("series_id")
                .annotate(last=Max("date"))
            )
            last = {row["series_id"]: row["last"] for row in latest}
            snapshots = Snapshot.objects.filter(
                series_id__in=last, date__in=set(last.values())
            ).values_list("series_id", "date", "value")
            for series_id, snapshot_date, value in snapshots:
                if last[series_id] == snapshot_date:
                    found[(ids[series_id], day)] = (value, snapshot_date)
    return found


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _change_message(c: FigureChange) -> str:
    if c.points:
        return _(
            "%(title)s: %(previous)s %% → %(value)s %% (%(change)s percentage points), more "
            "than the plausible ±%(step)s points."
        ) % {
            "title": c.title,
            "previous": number(c.previous),
            "value": number(c.value),
            "change": signed(c.change),
            "step": number(plausible_change() * 100),
        }
    return _(
        "%(title)s: %(previous)s → %(value)s (%(relative)s %%), more than the plausible "
        "±%(step)s %%."
    ) % {
        "title": c.title,
        "previous": number(c.previous),
        "value": number(c.value),
        "relative": signed(c.relative * 100),
        "step": number(plausible_change() * 100),
    }


# --- coverage --------------------------------------------------------------------------------


def _coverage(
    values: Sequence[SeriesValue], *, format: str, rows: int, exclude_run: int | None
) -> list[PlausibilityWarning]:
    last = (
        ImportRun.objects.filter(format=format, status=ImportRun.Status.SUCCEEDED)
        .exclude(pk=exclude_run)
        .order_by("-started_at", "-pk")
        .first()
    )
    if last is None:
        return []
    share = plausible_coverage()
    when = formats.date_format(last.figure_date or last.started_at, "SHORT_DATE_FORMAT")
    warnings = []
    if last.row_count and rows < share * last.row_count:
        if _ROWS_NAMED.get(format) == "accounts":
            message = _(
                "The file covers %(count)s accounts; the last import of this format "
                "(“%(file)s”, %(date)s) covered %(previous)s. That is fewer than %(share)s %% "
                "of them."
            )
        else:
            message = _(
                "The file has %(count)s data rows; the last import of this format "
                "(“%(file)s”, %(date)s) had %(previous)s. That is fewer than %(share)s %% "
                "of them."
            )
        warnings.append(
            PlausibilityWarning(
                kind="coverage",
                message=message
                % {
                    "count": number(rows),
                    "file": last.file_name,
                    "date": when,
                    "previous": number(last.row_count),
                    "share": number(share * 100),
                },
            )
        )
    products = {v.product.casefold() for v in values if v.product}
    before = _products_of(last)
    if before and len(products) < share * len(before):
        warnings.append(
            PlausibilityWarning(
                kind="coverage",
                message=_(
                    "The file covers %(count)s products; the last import of this format "
                    "(“%(file)s”, %(date)s) covered %(previous)s. That is fewer than "
                    "%(share)s %% of them."
                )
                % {
                    "count": number(len(products)),
                    "file": last.file_name,
                    "date": when,
                    "previous": number(len(before)),
                    "share": number(share * 100),
                },
            )
        )
    return warnings


def _products_of(run: ImportRun) -> set[str]:
    """The products a run wrote figures for, also where a later run has replaced them."""
    live = Snapshot.objects.filter(import_run=run).values_list("series_id", flat=True)
    replaced = SupersededSnapshot.objects.filter(import_run=run).values_list("series_id", flat=True)
    names = FigureSeries.objects.filter(Q(pk__in=live) | Q(pk__in=replaced)).exclude(product="")
    return {name.casefold() for name in names.values_list("product", flat=True)}


# --- pages -----------------------------------------------------------------------------------


def pages_showing(keys: Sequence[str]) -> list[AffectedPage]:
    """The published pages that show any of the series `keys` (in a figure, a chart or any
    other block or field that chooses a series), found through Wagtail's reference index."""
    return _pages_of(keys)[0]


def _pages_of(keys: Sequence[str]) -> tuple[list[AffectedPage], set[str]]:
    """The published pages that show any of the series `keys`, and which of the keys they
    show."""
    page_type = ContentType.objects.get_for_model(Page)
    shows: dict[int, set[str]] = {}  # page id -> series keys
    for chunk in _chunks(sorted(set(keys))):
        series = FigureSeries.objects.filter(key__in=chunk)
        key_of = {str(pk): key for pk, key in series.values_list("pk", "key")}
        references = ReferenceIndex.get_references_to_in_bulk(series).filter(
            base_content_type=page_type
        )
        for page_id, series_id in references.values_list("object_id", "to_object_id"):
            shows.setdefault(int(page_id), set()).add(key_of[series_id])
    pages = Page.objects.live().filter(pk__in=shows).order_by("title", "pk")
    affected = [AffectedPage(pk=page.pk, title=page.title, url=page_url(page)) for page in pages]
    return affected, set().union(*(shows[page.pk] for page in affected))


# --- numbers ---------------------------------------------------------------------------------


def number(value: Decimal | int | None) -> str:
    """A number as the active language writes it: grouped, at most two decimals."""
    if value is None:
        return "–"
    value = Decimal(value)
    plain = value.quantize(Decimal(1)) if value == value.to_integral() else value
    if plain != plain.to_integral():
        plain = plain.quantize(Decimal("0.01")).normalize()
    return formats.number_format(plain, use_l10n=True, force_grouping=True)


def signed(value: Decimal | None) -> str:
    """A change with its sign: +12, −3,5."""
    if value is None:
        return "–"
    text = number(abs(value))
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


def _plain(value: Decimal | None) -> str | None:
    """A decimal as a plain string for JSON, without exponent or float noise."""
    if value is None:
        return None
    return f"{value.quantize(Decimal('0.0001')).normalize():f}"
