"""Import a file into figure series and snapshots, all or nothing, and undo an import run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date as Date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import calculations, selectors
from .importers import (
    WORKLOADS,
    ImportFrame,
    ImportRefused,
    Problem,
    consumption_per_product,
    m365_inactivity,
    read_import,
)
from .models import FigureSeries, ImportRun, InactivityThreshold, Snapshot, SupersededSnapshot
from .plausibility import ImplausibleImport, Plausibility, plausibility_of, refusal_summary

Topic = FigureSeries.Topic
SEATS = "seats"
ACCOUNTS = "accounts"
DAYS = "days"
PERCENT = "%"
MAX_VALUE = Decimal(10) ** 14  # Snapshot.value holds 14 digits before the point


@dataclass(frozen=True)
class SeriesValue:
    """One value an import computed for one series on one date."""

    key: str
    title: str
    unit: str
    topic: str
    product: str
    date: Date
    value: Decimal
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did, beyond what the run stores: the problems with their cell values
    (shown once, never stored) and the values written (also for a dry run)."""

    problems: list[Problem]
    total: int
    summary: str
    written: list[SeriesValue]
    dry_run: bool
    plausibility: Plausibility | None = None  # previous values, changes, warnings, pages


class UndoError(Exception):
    """An import run that cannot be undone."""


def figures_import(
    *,
    source: bytes | Path,
    filename: str,
    format: str | None = None,
    date: Date | None = None,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    progress: Callable[..., None] | None = None,
    run: ImportRun | None = None,
    accept_warnings: bool = True,
) -> ImportRun:
    """Read an import file, compute its figures and store them in one transaction.

    A refused file is recorded as a refused run (unless `dry_run`) and changes no figures.
    The figures are dated `date`, else the file's own date (M365 refresh date), else today.
    The returned run carries `outcome` (an ImportOutcome); after a dry run it is not saved.
    `progress(message, percent=…)` hears of each step. `run`, a saved run waiting for this
    import (a background upload), is filled in place of a new one.
    """
    say = progress or (lambda _message, percent=None: None)
    if run is None:
        run = ImportRun(
            file_name=filename[:255],
            format=format or "",
            imported_by=user if user is not None and user.is_authenticated else None,
            started_at=timezone.now(),
        )
    run.status = ImportRun.Status.SUCCEEDED  # until refused below
    say(_("Reading %(file)s …") % {"file": filename}, percent=5)
    try:
        imported = read_import(source, filename=filename, format=format)
    except ImportRefused as refused:
        return _refused(run, refused, dry_run=dry_run)
    run.format = imported.format
    run.row_count = imported.row_count
    day = date or imported.figure_date or timezone.localdate()
    run.figure_date = day
    say(
        _("Computing figures from %(rows)d rows (%(format)s) …")
        % {"rows": imported.row_count, "format": imported.format},
        percent=60,
    )
    values = figures_of(imported, day)
    series = len({v.key for v in values})
    if series > settings.VITRINE_IMPORT_MAX_SERIES:
        return _refused(
            run,
            ImportRefused.single(
                _(
                    "The file would make %(count)s figure series; at most %(limit)s can come "
                    "from one import (setting IMPORT_MAX_SERIES)."
                )
                % {"count": series, "limit": settings.VITRINE_IMPORT_MAX_SERIES}
            ),
            dry_run=dry_run,
        )
    too_large = [v for v in values if abs(v.value) >= MAX_VALUE]
    if too_large:
        return _refused(
            run,
            ImportRefused(
                [
                    Problem(
                        row=None,
                        column=None,
                        value=f"{v.value:f}",
                        reason=_("The figure “%(title)s” is too large to store; check the file.")
                        % {"title": v.title},
                    )
                    for v in too_large
                ]
            ),
            dry_run=dry_run,
        )
    check = plausibility_of(
        values, format=imported.format, rows=imported.row_count, exclude_run=run.pk
    )
    if check.warnings and not accept_warnings and not dry_run:
        problems = [
            Problem(row=None, column=None, value=None, reason=w.message) for w in check.warnings
        ]
        summary = refusal_summary(len(problems))
        refused = ImportRefused(problems[:100], total=len(problems), message=summary)
        run.plausibility = _kept(check)
        _refused(run, refused, dry_run=False)
        run.outcome = replace(run.outcome, plausibility=check)
        raise ImplausibleImport(run, check)
    run.plausibility = _kept(check)
    say(_("Writing %(count)d values …") % {"count": len(values)}, percent=85)
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.save()
        _write(run, values)
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        run.pk = None
    run.outcome = ImportOutcome(
        problems=[], total=0, summary="", written=values, dry_run=dry_run, plausibility=check
    )
    return run


KEPT_CHANGES = 1000


def _kept(check: Plausibility) -> dict[str, Any]:
    """The check as the run keeps it: every warning and page, the changes flagged ones first
    and at most KEPT_CHANGES of them (a file of many products would else make a huge row)."""
    data = check.as_data()
    data["changes"] = [change.as_data() for change in check.flagged_first[:KEPT_CHANGES]]
    data["changes_total"] = len(check.changes)
    return data


def figures_check(
    *, source: bytes | Path, filename: str, format: str | None = None, date: Date | None = None
) -> dict[str, Any]:
    """What importing a file would change, as plain data, storing nothing: `status`
    ("succeeded" or "refused"), `problems` of a refused file, and the plausibility's `changes`,
    `warnings` and `pages` (see Plausibility.as_data)."""
    run = figures_import(source=source, filename=filename, format=format, date=date, dry_run=True)
    check = run.outcome.plausibility or Plausibility()
    problems = [
        {"row": p.row, "column": p.column, "reason": str(p.reason)} for p in run.outcome.problems
    ]
    return {
        "status": run.status,
        "format": run.format,
        "date": run.figure_date.isoformat() if run.figure_date else None,
        "problems": problems,
    } | check.as_data()


def _refused(run: ImportRun, refused: ImportRefused, *, dry_run: bool) -> ImportRun:
    run.status = ImportRun.Status.REFUSED
    run.summary = str(refused.summary)[:500]
    run.problem_count = refused.total
    # Cell values may name a person (a user principal name in a bad row): not stored.
    run.problems = [
        {"row": p.row, "column": p.column, "reason": str(p.reason)} for p in refused.problems
    ]
    run.finished_at = timezone.now()
    if not dry_run:
        run.save()
    run.outcome = ImportOutcome(
        problems=list(refused.problems),
        total=refused.total,
        summary=run.summary,
        written=[],
        dry_run=dry_run,
    )
    return run


@transaction.atomic
def import_run_undo(*, run: ImportRun) -> ImportRun:
    """Delete the snapshots a succeeded run wrote, bring back those it had replaced, and mark
    it undone.

    A replaced snapshot comes back only where the undone run's value is still the one shown;
    where a later run has replaced that value in turn, undoing the later run brings it back.
    A snapshot the run removed without writing in its place (a product only an older file of
    the same format and date had) comes back unless another run has written there since;
    then undoing that run brings it back.
    """
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.SUCCEEDED:
        raise UndoError(
            _("Only a succeeded import can be undone; this one is %(status)s.")
            % {"status": run.get_status_display()}
        )
    if run.dry_run:
        raise UndoError(_("A dry run stored no figures; there is nothing to undo."))
    live = set(run.snapshots.values_list("series_id", "date"))
    # What this run had replaced, and later runs replaced in turn: who replaced it there.
    replaced_later = {
        (s.series_id, s.date): s
        for s in SupersededSnapshot.objects.filter(import_run=run).exclude(replaced_by=run)
    }
    removed = list(SupersededSnapshot.objects.filter(replaced_by=run))
    # Places the run never wrote to, and who holds them now.
    elsewhere = {(o.series_id, o.date) for o in removed} - live - set(replaced_later)
    holders = {}
    if elsewhere:
        series_ids = {series_id for series_id, _day in elsewhere}
        holders = {
            (s.series_id, s.date): s
            for s in Snapshot.objects.filter(series_id__in=series_ids).only(
                "series_id", "date", "import_run_id"
            )
            if (s.series_id, s.date) in elsewhere
        }
    restore = []
    for old in removed:
        place = (old.series_id, old.date)
        if place in elsewhere:
            holder = holders.get(place)
            if holder is None:
                restore.append(_restored(old))
                old.delete()
            elif holder.import_run_id is not None:
                old.replaced_by_id = holder.import_run_id
                old.save(update_fields=["replaced_by"])
            else:
                old.delete()
        elif place in live:
            restore.append(_restored(old))
            old.delete()
        elif place in replaced_later:
            old.replaced_by_id = replaced_later[place].replaced_by_id
            old.save(update_fields=["replaced_by"])
        else:
            old.delete()
    SupersededSnapshot.objects.filter(import_run=run).delete()
    run.snapshots.all().delete()
    Snapshot.objects.bulk_create(restore)
    run.status = ImportRun.Status.UNDONE
    run.undone_at = timezone.now()
    run.save(update_fields=["status", "undone_at"])
    return run


def _restored(old: SupersededSnapshot) -> Snapshot:
    return Snapshot(
        series_id=old.series_id,
        date=old.date,
        value=old.value,
        extra=old.extra,
        import_run_id=old.import_run_id,
    )


def _write(run: ImportRun, values: list[SeriesValue]) -> None:
    if not values:
        return
    keys = {v.key: v for v in values}
    FigureSeries.objects.bulk_create(
        [
            FigureSeries(key=v.key, title=v.title, unit=v.unit, topic=v.topic, product=v.product)
            for v in keys.values()
        ],
        ignore_conflicts=True,  # existing series keep the title an editor may have changed
    )
    series = FigureSeries.objects.in_bulk(list(keys), field_name="key")
    # One snapshot per series and date: a newer import of the same date replaces the older.
    # And a newer import of the same format replaces that date's figures of the format as a
    # whole: products only the older file had do not stay beside the newer file's.
    by_date: dict[Date, list[int]] = defaultdict(list)
    for v in values:
        by_date[v.date].append(series[v.key].pk)
    for day, ids in by_date.items():
        same = Q(series_id__in=ids)
        if run.format:
            same |= Q(import_run__format=run.format)
        snapshots_replace(Snapshot.objects.filter(same, date=day).exclude(import_run=run), by=run)
    Snapshot.objects.bulk_create(
        [
            Snapshot(
                series=series[v.key], date=v.date, value=v.value, import_run=run, extra=v.extra
            )
            for v in values
        ]
    )


def snapshots_replace(snapshots, *, by: ImportRun | None) -> None:
    """Delete snapshots that newer values replace, keeping them for `by`'s undo."""
    if by is not None:
        SupersededSnapshot.objects.bulk_create(
            [
                SupersededSnapshot(
                    series_id=s.series_id,
                    date=s.date,
                    value=s.value,
                    extra=s.extra,
                    import_run_id=s.import_run_id,
                    replaced_by=by,
                )
                for s in snapshots
            ]
        )
    snapshots.delete()


# --- what each format yields -----------------------------------------------------------------


def figures_of(imported: ImportFrame, day: Date) -> list[SeriesValue]:
    """The series values an import yields, using stored figures for the other side if needed."""
    # Reports and exports of millions of rows come with their counts (`digest`) instead.
    workload = next((w for w in WORKLOADS if w.key == imported.format), None)
    large = imported.format in ("m365", "consumption") or workload is not None
    frame = imported.lazy if large else imported.frame
    values: list[SeriesValue] = []
    entitlements = consumption = None
    snipeit = imported.format in ("snipeit", "snipeit_import")
    if imported.format == "entitlements" or snipeit:
        entitlements = calculations.entitlements_per_product(frame)
        values += _entitled(entitlements, day)
        values += _renewals(frame, day)
    # Snipe-IT's import layout without the person a seat is checked out to says nothing about
    # use: no seats in use, position or savings from it (nor from stored figures), never 0.
    use_unknown = snipeit and frame["used"].null_count() == frame.height
    if snipeit and not use_unknown:
        consumption = frame.group_by("product").agg(
            total=pl.col("used").sum().cast(pl.Int64), used_90_days=pl.lit(None, dtype=pl.Int64)
        )
    if imported.format == "consumption":
        consumption = consumption_per_product(imported, day)
    if consumption is not None:
        # "Visio" and "visio" in one file are one product, as in the license position.
        consumption = consumption.group_by(calculations.product_key()).agg(
            product=pl.col("product").first(),
            total=pl.col("total").sum(),
            used_90_days=pl.col("used_90_days").sum()
            if consumption["used_90_days"].null_count() < consumption.height
            else pl.lit(None, dtype=pl.Int64),
        )
        values += _consumed(consumption.drop("product_key").sort("product"), day)
    if (entitlements is not None or consumption is not None) and not use_unknown:
        entitlements = entitlements if entitlements is not None else selectors.latest_entitlements()
        consumption = consumption if consumption is not None else selectors.latest_consumption()
        if entitlements is not None and consumption is not None:
            values += _positions(entitlements, consumption, day)
    if imported.format == "m365":
        values += _inactivity(imported, selectors.latest_entitlements(), day)
    if workload is not None:
        values += _workload_inactivity(imported, workload.workload, workload.workload_label, day)
    if imported.format == "requests_log":
        values += _lead_times(calculations.lead_times(frame))
        values += _within_lead_time(frame)
    return _unique_keys(values)


def _unique_keys(values: list[SeriesValue]) -> list[SeriesValue]:
    """Give products whose names differ only in punctuation ("A-B", "A B") keys of their own."""
    seen: set[tuple[str, Date]] = set()
    unique = []
    for value in values:
        key, number = value.key, 1
        while (key, value.date) in seen:
            number += 1
            key = f"{value.key}-{number}"
        seen.add((key, value.date))
        unique.append(value if key == value.key else replace(value, key=key))
    return unique


def _dec(number: Decimal | float | int | None) -> Decimal:
    """A figure's value as the exact decimal it is; money arrives as decimals already."""
    if number is None:
        return Decimal(0)
    if isinstance(number, Decimal):
        return number
    return Decimal(str(number))


def _json_value(value: Any) -> Any:
    if isinstance(value, Date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # A breakdown is JSON: a number there prints as the shortest text that reads back
        # the same, so an amount in cents keeps its digits ("52730996.31"). A decimal no
        # binary float holds (more than 15 digits) is kept as its text.
        number = float(value)
        return number if Decimal(repr(number)) == value else f"{value.normalize():f}"
    return value


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _json_value(v) for k, v in row.items()}


def _currency(frame: pl.DataFrame, default: str = "") -> str:
    currencies = frame["currency"].drop_nulls().unique().to_list()
    return currencies[0] if len(currencies) == 1 else default


def _product_value(
    prefix: str, topic: str, title: str, unit: str, product: str, day: Date, value, extra
) -> SeriesValue:
    return SeriesValue(
        key=f"{prefix}.{slugify(product) or 'product'}",
        title=title % {"product": product},
        unit=unit,
        topic=topic,
        product=product,
        date=day,
        value=_dec(value),
        extra=_json(extra),
    )


def _entitled(entitlements: pl.DataFrame, day: Date) -> list[SeriesValue]:
    return [
        _product_value(
            "entitled",
            Topic.LICENSE_POSITION,
            _("Entitled seats: %(product)s"),
            SEATS,
            row["product"],
            day,
            row["entitled"],
            {"unit_price": row["unit_price"], "currency": row["currency"]},
        )
        for row in entitlements.iter_rows(named=True)
    ]


def _consumed(consumption: pl.DataFrame, day: Date) -> list[SeriesValue]:
    return [
        _product_value(
            "consumed",
            Topic.LICENSE_POSITION,
            _("Seats in use: %(product)s"),
            SEATS,
            row["product"],
            day,
            row["total"],
            {"used_90_days": row["used_90_days"]},
        )
        for row in consumption.iter_rows(named=True)
    ]


def _total(key: str, topic: str, title: str, unit: str, day: Date, value, extra=None):
    return SeriesValue(
        key=key,
        title=title,
        unit=unit,
        topic=topic,
        product="",
        date=day,
        value=_dec(value),
        extra=_json(extra or {}),
    )


def _positions(
    entitlements: pl.DataFrame, consumption: pl.DataFrame, day: Date
) -> list[SeriesValue]:
    position = calculations.license_position(entitlements, consumption)
    money = _currency(position)
    values = [
        _product_value(
            "license_position",
            Topic.LICENSE_POSITION,
            _("License position: %(product)s"),
            SEATS,
            row["product"],
            day,
            row["position"],
            row,
        )
        for row in position.iter_rows(named=True)
    ]
    values += [
        _total(
            "license_position.true_up_cost",
            Topic.LICENSE_POSITION,
            _("True-up cost of all shortfalls"),
            money,
            day,
            position["true_up_cost"].sum(),
            {"under_licensed": int((position["status"] == calculations.UNDER_LICENSED).sum())},
        ),
        _total(
            "license_position.unused_cost",
            Topic.LICENSE_POSITION,
            _("Cost of unused rights"),
            money,
            day,
            position["unused_cost"].sum(),
            {"over_licensed": int((position["status"] == calculations.OVER_LICENSED).sum())},
        ),
    ]
    used = calculations.utilisation(position)
    for row in used.iter_rows(named=True):
        values.append(
            _product_value(
                "utilisation",
                Topic.UTILISATION,
                _("Utilisation: %(product)s"),
                PERCENT,
                row["product"],
                day,
                row["utilisation"],
                {"entitled": row["entitled"], "used_90_days": row["used_90_days"]},
            )
        )
        values.append(
            _product_value(
                "shelfware",
                Topic.SHELFWARE,
                _("Shelfware: %(product)s"),
                SEATS,
                row["product"],
                day,
                row["shelfware"],
                {"cost": row["shelfware_cost"], "currency": row["currency"]},
            )
        )
    if used.height:
        values.append(
            _total(
                "shelfware.cost",
                Topic.SHELFWARE,
                _("Cost of shelfware"),
                money,
                day,
                used["shelfware_cost"].sum(),
                {"seats": int(used["shelfware"].sum())},
            )
        )
    previous = selectors.previous_positions(day)
    if previous is not None:
        saved = calculations.savings(previous, position).filter(
            pl.col("yearly_savings").is_not_null()
        )
        for row in saved.iter_rows(named=True):
            values.append(
                _product_value(
                    "savings",
                    Topic.SAVINGS,
                    _("Savings per year from reclaimed seats: %(product)s"),
                    row["currency"] or money,
                    row["product"],
                    day,
                    row["yearly_savings"],
                    {"reclaimed": row["reclaimed"], "unit_price": row["unit_price"]},
                )
            )
        if saved.height:
            values.append(
                _total(
                    "savings.total",
                    Topic.SAVINGS,
                    _("Savings per year from reclaimed seats"),
                    money,
                    day,
                    saved["yearly_savings"].sum(),
                    {"reclaimed": int(saved["reclaimed"].sum())},
                )
            )
    return values


def _renewals(frame: pl.DataFrame, day: Date) -> list[SeriesValue]:
    quarters = calculations.renewals(frame, day)
    money = _currency(frame.select("currency"))
    return [
        _total(
            "renewals.next_four_quarters",
            Topic.RENEWALS,
            _("Renewals in the next four quarters"),
            money,
            day,
            quarters["cost"].sum(),
            {"quarters": [_json(row) for row in quarters.iter_rows(named=True)]},
        )
    ]


# What a stacked bar of one product's inactivity needs, besides the thresholds.
_INACTIVITY_KEYS = (
    "accounts",
    "within_first",
    "within_second",
    "within_third",
    "over_third",
    "never_active",
    "inactive",
    "unit_price",
    "currency",
    "yearly_cost",
)


def _inactivity_table(imported: ImportFrame, prices: pl.DataFrame | None) -> pl.DataFrame:
    thresholds = {
        product.casefold(): (first, second, third)
        for product, first, second, third in InactivityThreshold.objects.values_list(
            "product", "first_days", "second_days", "third_days"
        )
    }
    return calculations.cloud_inactivity(m365_inactivity(imported, thresholds), prices)


def _inactivity_extra(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    extra = {key: row[key] for key in keys}
    extra["thresholds"] = [row["threshold_1"], row["threshold_2"], row["threshold_3"]]
    return extra


def _inactivity(imported: ImportFrame, prices: pl.DataFrame | None, day: Date) -> list[SeriesValue]:
    table = _inactivity_table(imported, prices)
    values: list[SeriesValue] = []
    for row in table.iter_rows(named=True):
        days = {"days": row["threshold_3"], "product": "%(product)s"}
        values.append(
            _product_value(
                "cloud_inactivity",
                Topic.CLOUD_INACTIVITY,
                _("Cloud accounts without activity for over %(days)d days: %(product)s") % days,
                ACCOUNTS,
                row["product"],
                day,
                row["inactive"],
                _inactivity_extra(row, _INACTIVITY_KEYS),
            )
        )
    limits = table["threshold_3"].unique().to_list() or [90]  # no accounts: the default
    values.append(
        _total(
            "cloud_inactivity.total",
            Topic.CLOUD_INACTIVITY,
            _("Cloud accounts without activity for over %(days)d days") % {"days": limits[0]}
            if len(limits) == 1
            else _("Cloud accounts without activity for longer than their product's threshold"),
            ACCOUNTS,
            day,
            table["inactive"].sum(),
            {"accounts": int(table["accounts"].sum())},
        )
    )
    priced = table.filter(pl.col("yearly_cost").is_not_null())
    if priced.height:
        values.append(
            _total(
                "cloud_inactivity.yearly_cost",
                Topic.CLOUD_INACTIVITY,
                _("Yearly cost bound by inactive cloud accounts"),
                _currency(priced),
                day,
                priced["yearly_cost"].sum(),
                {"accounts": int(priced["inactive"].sum())},
            )
        )
    return values


# A report of one workload knows no prices: its breakdown holds no cost.
_WORKLOAD_KEYS = _INACTIVITY_KEYS[:7]


def _workload_inactivity(
    imported: ImportFrame, workload: str, label: str, day: Date
) -> list[SeriesValue]:
    """Accounts per product without activity in one workload, and their total; no cost."""
    table = _inactivity_table(imported, None)
    values: list[SeriesValue] = []
    for row in table.iter_rows(named=True):
        words = {"workload": label, "days": row["threshold_3"], "product": "%(product)s"}
        values.append(
            _product_value(
                f"cloud_inactivity.{workload}",
                Topic.CLOUD_INACTIVITY,
                _(
                    "Cloud accounts without %(workload)s activity for over %(days)d days:"
                    " %(product)s"
                )
                % words,
                ACCOUNTS,
                row["product"],
                day,
                row["inactive"],
                _inactivity_extra(row, _WORKLOAD_KEYS),
            )
        )
    limits = table["threshold_3"].unique().to_list() or [90]  # no accounts: the default
    values.append(
        _total(
            f"cloud_inactivity.{workload}.total",
            Topic.CLOUD_INACTIVITY,
            _("Cloud accounts without %(workload)s activity for over %(days)d days")
            % {"workload": label, "days": limits[0]}
            if len(limits) == 1
            else _(
                "Cloud accounts without %(workload)s activity for longer than their product's"
                " threshold"
            )
            % {"workload": label},
            ACCOUNTS,
            day,
            table["inactive"].sum(),
            {"accounts": int(table["accounts"].sum())},
        )
    )
    return values


def _lead_times(table: pl.DataFrame) -> list[SeriesValue]:
    titles = {
        "request_to_approval": _("Lead time from request to approval (median)"),
        "approval_to_order": _("Lead time from approval to order (median)"),
        "order_to_provision": _("Lead time from order to provision (median)"),
        "end_to_end": _("Lead time from request to provision (median)"),
    }
    return [
        _total(
            f"lead_time.{row['stage']}",
            Topic.LEAD_TIME,
            titles[row["stage"]],
            DAYS,
            row["month"],
            row["median_days"],
            {"p90_days": row["p90_days"], "requests": row["requests"]},
        )
        for row in table.iter_rows(named=True)
    ]


def _within_lead_time(requests: pl.DataFrame) -> list[SeriesValue]:
    from vitrine.catalog.selectors import promised_lead_times

    promised = promised_lead_times()
    if promised.is_empty():
        return []
    return [
        _total(
            "lead_time.within_catalog",
            Topic.LEAD_TIME,
            _("Requests provisioned within the catalog's typical lead time"),
            PERCENT,
            row["month"],
            row["share"],
            {"requests": row["requests"], "within": row["within"]},
        )
        for row in calculations.within_lead_time(requests, promised).iter_rows(named=True)
    ]
