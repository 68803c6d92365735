"""Writes of the software catalog: importing a catalog file or rows, all or nothing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from vitrine.audiences.models import Audience

from .importer import (
    COLUMNS_BY_KEY,
    CatalogImportRefused,
    ImportPlan,
    ImportProblem,
    PlannedRow,
    table_from_dicts,
    validate_table,
)
from .models import CatalogCategory, CatalogEntry, CatalogEntryAlternative
from .tabular import Table, TableError, read_table

__all__ = [
    "CatalogImportRefused",
    "CatalogImportResult",
    "ImportProblem",
    "catalog_import_file",
    "catalog_import_rows",
    "catalog_import_table",
]

# Defaults for a new entry when the file leaves an optional column out.
_NEW_ENTRY_DEFAULTS: dict[str, Any] = {
    "benefit": "",
    "how_to_request": "",
    "request_url": "",
    "lead_time_days": None,
    "cost_class": "",
    "license_type": "",
}


@dataclass
class CatalogImportResult:
    """What an import changed (or, in a dry run, would change)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    categories_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        text = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.categories_created:
            text += " " + _("New categories: %(names)s.") % {
                "names": ", ".join(self.categories_created)
            }
        return text


def _read_bytes(file: str | os.PathLike | bytes | IO[bytes], limit: int) -> tuple[bytes, str]:
    """The file's bytes and name; refuse files above the upload cap before reading them all."""

    def too_big(name: str, size: int) -> CatalogImportRefused:
        reason = _("The file has %(size)s; files up to %(limit)s can be imported.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
        return CatalogImportRefused([ImportProblem(None, "", name, reason)])

    if isinstance(file, bytes):
        data, name = file, ""
    elif isinstance(file, (str, os.PathLike)):
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > limit:
                raise too_big(path.name, size)
            data, name = path.read_bytes(), path.name
        except OSError as exc:
            raise CatalogImportRefused(
                [ImportProblem(None, "", str(path), _("The file cannot be opened."))]
            ) from exc
    else:
        name = os.path.basename(getattr(file, "name", "") or "")
        size = getattr(file, "size", None)  # uploaded files know it without reading
        if size is not None and size > limit:
            raise too_big(name, size)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise too_big(name, len(data))
    return data, name


def catalog_import_file(
    *,
    file: str | os.PathLike | bytes | IO[bytes] | None = None,
    path: str | os.PathLike | None = None,
    filename: str = "",
    sheet: str | None = None,
    dry_run: bool = False,
) -> CatalogImportResult:
    """Import a catalog file (CSV or XLSX) from a path, bytes or an open binary file.

    Give `file` (a path, bytes or a binary file object) or `path`. The whole file is
    validated first; any problem refuses it with CatalogImportRefused (up to 50 problems
    plus the total) and nothing changes. Files above settings.VITRINE_CATALOG_IMPORT_MAX_BYTES
    are refused unread.
    """
    source = file if file is not None else path
    if source is None:
        raise TypeError("catalog_import_file() needs file= or path=")
    data, name = _read_bytes(source, settings.VITRINE_CATALOG_IMPORT_MAX_BYTES)
    try:
        table = read_table(data, filename=filename or name, sheet=sheet)
    except TableError as exc:
        raise CatalogImportRefused(
            [ImportProblem(exc.row, exc.column or "", "", exc.message)]
        ) from exc
    return catalog_import_table(table=table, dry_run=dry_run)


def catalog_import_rows(
    *, rows: Iterable[Mapping[str, Any]], dry_run: bool = False
) -> CatalogImportResult:
    """Import entries given as dicts keyed by column heading, e.g. {"Produkt": …, "vendor": …}.

    Headings and values follow the file format (German or English); audiences and
    alternatives may also be lists. Rows are numbered from 2 in problems, as in a sheet.
    """
    return catalog_import_table(table=table_from_dicts(rows), dry_run=dry_run)


def catalog_import_table(*, table: Table, dry_run: bool = False) -> CatalogImportResult:
    """Validate a table and write it in one transaction, or refuse it whole."""
    plan = validate_table(table)
    result = CatalogImportResult(notes=list(plan.notes), dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(plan, result)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as exc:
        # Someone may have changed the catalog between validation and writing.
        raise CatalogImportRefused(
            [
                ImportProblem(
                    None,
                    "",
                    "",
                    _("The database refused the change (%(error)s). Nothing was imported.")
                    % {"error": exc},
                )
            ],
            notes=plan.notes,
        ) from exc
    return result


def _categories(plan: ImportPlan, result: CatalogImportResult) -> dict[str, CatalogCategory]:
    by_key: dict[str, CatalogCategory] = {}
    for category in CatalogCategory.objects.all():
        by_key[category.name.lower()] = category
        by_key.setdefault(category.slug.lower(), category)
    next_order = (CatalogCategory.objects.aggregate(m=Max("order"))["m"] or 0) + 10
    for row in plan.rows:
        key = row.category_name.lower()
        if key not in by_key:
            category = CatalogCategory(name=row.category_name, order=next_order)
            category.save()
            next_order += 10
            by_key[key] = category
            result.categories_created.append(category.name)
    return by_key


def _row_refused(row: PlannedRow, error: ValidationError, notes) -> CatalogImportRefused:
    """The model's own validation, as a last guard, in problems naming row and column."""
    problems = []
    for name, messages in error.message_dict.items():
        spec = COLUMNS_BY_KEY.get(name)
        column = spec.header if spec else ""
        for message in messages:
            problems.append(ImportProblem(row.row, column, str(row.values.get(name, "")), message))
    return CatalogImportRefused(problems, notes=notes)


def _write(plan: ImportPlan, result: CatalogImportResult) -> None:
    """Write the plan; raising out of here rolls the whole import back."""
    categories = _categories(plan, result)
    audiences = Audience.objects.in_bulk(
        {pk for row in plan.rows for pk in (row.audience_pks or [])}
    )
    entries: dict[Any, CatalogEntry] = {}
    changed: dict[Any, bool] = {}
    # Rows with their own slug first, so generated slugs never take one a later row needs.
    ordered = sorted(plan.rows, key=lambda row: not row.values.get("slug"))
    for row in ordered:
        category = categories[row.category_name.lower()]
        entry = row.existing
        is_new = entry is None
        if is_new:
            entry = CatalogEntry(**_NEW_ENTRY_DEFAULTS)
        dirty = is_new or entry.category_id != category.pk
        entry.category = category
        for name, value in row.values.items():
            if getattr(entry, name) != value:
                setattr(entry, name, value)
                dirty = True
        if row.audience_pks is not None:
            current = set() if is_new else {a.pk for a in entry.audiences.all()}
            if current != set(row.audience_pks):
                entry.audiences.set([audiences[pk] for pk in row.audience_pks])
                dirty = True
        if dirty:
            try:
                # Uniqueness and the check constraints were validated for the whole file
                # already (and the database keeps them); this guards the single fields.
                entry.full_clean(
                    exclude=["alternatives", "audiences"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                raise _row_refused(row, error, plan.notes) from error
            entry.save()
        entries[row.target] = entry
        changed[row.target] = dirty
    _write_alternatives(plan, entries, changed)
    for row in plan.rows:
        if row.existing is None:
            result.created += 1
        elif changed[row.target]:
            result.updated += 1
        else:
            result.unchanged += 1


def _write_alternatives(
    plan: ImportPlan, entries: dict[Any, CatalogEntry], changed: dict[Any, bool]
) -> None:
    """Second pass, once every row has its entry: alternatives may point to later rows.

    The links are written straight to their table: alternatives are neither searched
    nor in Wagtail's reference index, so saving each entry again would only cost time.
    """
    rows = [row for row in plan.rows if row.alternative_refs is not None]
    if not rows:
        return
    current: dict[int, set[int]] = {}
    for entry_id, alternative_id in CatalogEntryAlternative.objects.filter(
        entry__in=[entries[row.target].pk for row in rows]
    ).values_list("entry_id", "alternative_id"):
        current.setdefault(entry_id, set()).add(alternative_id)
    touched: list[int] = []
    for row in rows:
        entry = entries[row.target]
        wanted = [entries[t].pk if t in entries else t for t in row.alternative_targets]
        if current.get(entry.pk, set()) == set(wanted):
            continue
        CatalogEntryAlternative.objects.filter(entry=entry).delete()
        CatalogEntryAlternative.objects.bulk_create(
            CatalogEntryAlternative(entry=entry, alternative_id=pk) for pk in wanted
        )
        changed[row.target] = True
        touched.append(entry.pk)
    if touched:
        CatalogEntry.objects.filter(pk__in=touched).update(updated_at=timezone.now())
