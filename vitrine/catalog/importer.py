"""Validation of catalog imports: columns, values and references, checked row by row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vitrine.audiences.models import Audience
from vitrine.exports.spreadsheet import csv_bytes

from .choices import CostClass, HowToGet, LicenseType
from .models import MAX_LEAD_TIME_DAYS, CatalogCategory, CatalogEntry
from .tabular import Table, column_letter

MAX_PROBLEMS_SHOWN = 50
MAX_VALUE_SHOWN = 80
MAX_LIST_CELL = 1000
# The longest audience name holds two commas; more pieces than this are never one name.
MAX_PIECES_IN_A_NAME = 8


@dataclass(frozen=True)
class ImportProblem:
    """One reason to refuse a file: where (row as a spreadsheet shows it, column) and why."""

    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        place = ", ".join(where) or _("file")
        value = f" “{self.value}”" if self.value else ""
        return f"{place[:1].upper()}{place[1:]}:{value} {self.reason}"


class CatalogImportRefused(Exception):
    """The file was refused as a whole; nothing was changed."""

    def __init__(self, problems: list[ImportProblem], *, notes: Iterable[str] = ()):
        self.total = len(problems)
        self.problems = problems[:MAX_PROBLEMS_SHOWN]
        self.notes = list(notes)
        super().__init__(
            _("The catalog file was refused: %(count)s problem(s).") % {"count": self.total}
        )


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str  # the German heading of the template file
    label: Any  # what the column means, for messages
    aliases: tuple[str, ...]
    required: bool = False
    max_length: int | None = None


def _field_length(name: str) -> int | None:
    return CatalogEntry._meta.get_field(name).max_length


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "product",
        "Produkt",
        gettext_lazy("product"),
        ("Produkt", "Produktname", "Software", "product", "product name"),
        required=True,
        max_length=_field_length("product"),
    ),
    ColumnSpec(
        "vendor",
        "Hersteller",
        gettext_lazy("vendor"),
        ("Hersteller", "Anbieter", "vendor", "manufacturer", "publisher"),
        required=True,
        max_length=_field_length("vendor"),
    ),
    ColumnSpec(
        "category",
        "Kategorie",
        gettext_lazy("category"),
        ("Kategorie", "category"),
        required=True,
        max_length=CatalogCategory._meta.get_field("name").max_length,
    ),
    ColumnSpec(
        "description",
        "Beschreibung",
        gettext_lazy("short description"),
        ("Beschreibung", "Kurzbeschreibung", "description", "short description"),
        required=True,
        max_length=_field_length("description"),
    ),
    ColumnSpec(
        "benefit",
        "Ihr Nutzen",
        gettext_lazy("your benefit"),
        ("Ihr Nutzen", "Nutzen", "benefit", "your benefit"),
        max_length=_field_length("benefit"),
    ),
    ColumnSpec(
        "audiences",
        "Zielgruppen",
        gettext_lazy("audiences"),
        ("Zielgruppen", "Zielgruppe", "Für wen", "audiences", "audience", "who may use it"),
        max_length=MAX_LIST_CELL,
    ),
    ColumnSpec(
        "how_to_get",
        "Bezug",
        gettext_lazy("how to get it"),
        ("Bezug", "Wie erhalten", "Bezugsweg", "how to get", "how to get it", "how_to_get"),
        required=True,
    ),
    ColumnSpec(
        "how_to_request",
        "Beantragung",
        gettext_lazy("how to request it"),
        ("Beantragung", "Wie beantragen", "So beantragen", "how to request", "how to request it"),
        max_length=_field_length("how_to_request"),
    ),
    ColumnSpec(
        "request_url",
        "Antragslink",
        gettext_lazy("request link"),
        ("Antragslink", "Link zum Antrag", "request link", "request url"),
        max_length=_field_length("request_url"),
    ),
    ColumnSpec(
        "lead_time_days",
        "Durchlaufzeit",
        gettext_lazy("typical lead time in working days"),
        (
            "Durchlaufzeit",
            "Durchlaufzeit in Arbeitstagen",
            "lead time",
            "typical lead time",
            "lead time in working days",
            "lead_time_days",
        ),
    ),
    ColumnSpec(
        "cost_class",
        "Kostenklasse",
        gettext_lazy("cost class"),
        ("Kostenklasse", "Kosten", "cost class", "cost", "cost_class"),
    ),
    ColumnSpec(
        "license_type",
        "Lizenztyp",
        gettext_lazy("license type"),
        ("Lizenztyp", "Lizenzart", "Lizenzmodell", "license type", "licence type", "license_type"),
    ),
    ColumnSpec(
        "alternatives",
        "Alternativen",
        gettext_lazy("alternatives"),
        ("Alternativen", "Alternative", "Stattdessen", "alternatives", "instead"),
        max_length=MAX_LIST_CELL,
    ),
    ColumnSpec(
        "slug",
        "Kurzname",
        gettext_lazy("slug"),
        ("Kurzname", "slug"),
        max_length=_field_length("slug"),
    ),
)
COLUMNS_BY_KEY = {spec.key: spec for spec in COLUMNS}
# Plain text columns stored as they are (after trimming and the length check).
TEXT_FIELDS = ("product", "vendor", "description", "benefit", "how_to_request")

# Words editors use in their spreadsheets besides the labels and keys of the choices.
HOW_TO_GET_WORDS = {
    HowToGet.SELF_SERVICE: (
        "Selbstbedienung",
        "Self-Service",
        "Softwareshop",
        "Software-Shop",
        "Frei verfügbar",
        "Selbst installieren",
    ),
    HowToGet.REQUEST: (
        "Antrag",
        "Antrag mit Genehmigung",
        "Anfrage",
        "Anfrage mit Genehmigung",
        "Mit Genehmigung",
        "Genehmigungspflichtig",
        "Beantragen",
        "Request",
        "Approval",
    ),
    HowToGet.NOT_ALLOWED: (
        "Nicht erlaubt",
        "Nicht zugelassen",
        "Verboten",
        "Gesperrt",
        "Forbidden",
        "Blocked",
    ),
}
COST_CLASS_WORDS = {
    CostClass.FREE: ("Kostenlos", "Gratis", "Frei", "Keine Kosten", "0 €"),
    CostClass.LOW: ("Gering", "Niedrig", "< 100 €/Jahr", "unter 100 €/Jahr", "bis 100 €/Jahr"),
    CostClass.MEDIUM: ("Mittel", "100–1.000 €/Jahr", "100 bis 1.000 €/Jahr"),
    CostClass.HIGH: ("Hoch", "> 1.000 €/Jahr", "über 1.000 €/Jahr"),
    CostClass.ON_REQUEST: ("Auf Anfrage", "Nach Aufwand", "Preis auf Anfrage"),
}
LICENSE_TYPE_WORDS = {
    LicenseType.FREEWARE: ("Kostenlose Software",),
    LicenseType.OPEN_SOURCE: ("Open-Source", "OSS", "Quelloffen"),
    LicenseType.SUBSCRIPTION_PER_USER: (
        "Abonnement pro Benutzer",
        "Abonnement je Benutzer",
        "Abo pro Benutzer",
        "Abo je Benutzer",
        "Abo pro Nutzer",
        "Abonnement",
        "Abo",
        "Subscription",
        "Pro Benutzer",
        "Per user",
        "Benutzerlizenz",
        "Named User",
    ),
    LicenseType.PER_DEVICE: ("Pro Gerät", "Gerätelizenz", "Device license"),
    LicenseType.PERPETUAL: ("Kauflizenz", "Dauerlizenz", "Unbefristet", "Perpetual"),
    LicenseType.CONCURRENT: (
        "Gleichzeitige Nutzer",
        "Gleichzeitige Nutzung",
        "Gleichzeitige Benutzer",
        "Floating",
        "Netzwerklizenz",
        "Concurrent",
    ),
    LicenseType.ENTERPRISE: (
        "Standort- oder Konzernvertrag",
        "Konzernvertrag",
        "Konzernlizenz",
        "Rahmenvertrag",
        "Standortlizenz",
        "Unternehmenslizenz",
        "Enterprise Agreement",
        "Site license",
        "Enterprise",
    ),
}

_LEAD_TIME = re.compile(
    r"^(?P<days>\d{1,6})(?:[.,]0+)?\s*"
    r"(?:arbeitstage?|werktage?|tage?|at|wt|d|working\s+days?|business\s+days?|days?)?\.?$",
    re.IGNORECASE,
)
_URL = URLValidator(schemes=["http", "https"])


def normalise(text: str) -> str:
    """Compare words, not spelling: case, punctuation, dashes and thousands separators go."""
    text = str(text).casefold().replace("ß", "ss")
    text = re.sub(r"(?<=\d)[.,'’](?=\d{3}\b)", "", text)
    text = re.sub(r"[^\w<>]+|_", " ", text)
    return " ".join(text.split())


def normalise_header(text: str) -> str:
    """Headings may carry a hint in brackets and a required-marker: "Durchlaufzeit (Tage)*"."""
    return normalise(re.sub(r"[(\[].*?[)\]]", " ", str(text)).strip().rstrip("*:"))


def _choice_table(choices, words: dict) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, aliases in words.items():
        for alias in aliases:
            table[normalise(alias)] = value
    for language in ("de", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                table[normalise(str(label))] = value
    for value in choices.values:
        table[normalise(value)] = value
    return table


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for spec in COLUMNS:
        for alias in (*spec.aliases, spec.key, spec.header):
            table[normalise_header(alias)] = spec.key
        for language in ("de", "en"):
            with translation.override(language):
                table.setdefault(normalise_header(str(spec.label)), spec.key)
    return table


def split_references(cell: str, is_known: Callable[[str], bool]) -> list[str]:
    """Split a list cell at "," and ";", but keep names that contain a comma together.

    Audience names such as "ITSM-Rollen (Service Desk, IT-Einkauf, …)" hold commas, so
    the longest run of pieces that names something known wins.
    """
    parts = re.split(r"([,;\n])", cell)
    pieces, separators = parts[0::2], parts[1::2]
    found: list[str] = []
    i = 0
    while i < len(pieces):
        match = None
        text = pieces[i]
        candidates = [(i, text)]
        for j in range(i + 1, min(len(pieces), i + MAX_PIECES_IN_A_NAME)):
            text = text + separators[j - 1] + pieces[j]
            candidates.append((j, text))
        for j, candidate in reversed(candidates):
            if candidate.strip() and is_known(candidate.strip()):
                match = (j, candidate.strip())
                break
        if match is not None:
            found.append(match[1])
            i = match[0] + 1
        else:
            if pieces[i].strip():
                found.append(pieces[i].strip())
            i += 1
    return found


@dataclass
class PlannedRow:
    """A validated row, ready to be written."""

    row: int
    values: dict[str, Any]
    category_name: str
    audience_pks: list[int] | None
    alternative_refs: str | None  # the cell as written; resolved once all rows are read
    existing: CatalogEntry | None = None
    alternative_targets: list[Any] = field(default_factory=list)

    @property
    def target(self):
        """The entry this row writes: an existing pk, or the row itself for a new entry."""
        return self.existing.pk if self.existing is not None else ("row", self.row)


@dataclass
class ImportPlan:
    """The validated rows of a file and the notes for the editor."""

    rows: list[PlannedRow]
    notes: list[str]


def _shown(value: str) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= MAX_VALUE_SHOWN else value[: MAX_VALUE_SHOWN - 1] + "…"


class _Validator:
    def __init__(self, table: Table):
        self.table = table
        self.problems: list[ImportProblem] = []
        self.notes: list[str] = []
        self.columns: dict[str, tuple[int, str]] = {}  # key → (index, heading as written)

    def problem(self, row: int | None, column: str, value: str, reason: str) -> None:
        self.problems.append(ImportProblem(row, column, _shown(value), reason))

    def column_name(self, key: str) -> str:
        index, heading = self.columns[key]
        return f"{heading} ({column_letter(index)})"

    # Columns ----------------------------------------------------------------------------

    def map_columns(self) -> None:
        headers = _header_table()
        seen: dict[str, int] = {}
        for index, heading in enumerate(self.table.header):
            letter = column_letter(index)
            if not heading:
                if any(index < len(cells) and cells[index] for _row, cells in self.table.rows):
                    self.notes.append(
                        _("Column %(letter)s has no heading; its values were ignored.")
                        % {"letter": letter}
                    )
                continue
            norm = normalise_header(heading)
            if norm in seen:
                self.problem(
                    self.table.header_row,
                    f"{heading} ({letter})",
                    heading,
                    _("This heading appears twice (columns %(first)s and %(second)s).")
                    % {"first": column_letter(seen[norm]), "second": letter},
                )
                continue
            seen[norm] = index
            key = headers.get(norm)
            if key is None:
                self.notes.append(
                    _("Column %(letter)s “%(heading)s” is no catalog column and was ignored.")
                    % {"letter": letter, "heading": _shown(heading)}
                )
                continue
            if key in self.columns:
                first_index, first_heading = self.columns[key]
                self.problem(
                    self.table.header_row,
                    f"{heading} ({letter})",
                    heading,
                    _(
                        "Columns %(first)s “%(first_heading)s” and %(second)s both hold the "
                        "%(meaning)s. Keep one of them."
                    )
                    % {
                        "first": column_letter(first_index),
                        "first_heading": first_heading,
                        "second": letter,
                        "meaning": COLUMNS_BY_KEY[key].label,
                    },
                )
                continue
            self.columns[key] = (index, heading)
        for spec in COLUMNS:
            if spec.required and spec.key not in self.columns:
                self.problem(
                    None,
                    spec.header,
                    "",
                    _(
                        "This required column is missing (the %(meaning)s). "
                        "Accepted headings: %(aliases)s."
                    )
                    % {"meaning": spec.label, "aliases": ", ".join(spec.aliases)},
                )

    # Rows -------------------------------------------------------------------------------

    def plan(self) -> list[PlannedRow]:
        how_to_get = _choice_table(HowToGet, HOW_TO_GET_WORDS)
        cost_class = _choice_table(CostClass, COST_CLASS_WORDS)
        license_type = _choice_table(LicenseType, LICENSE_TYPE_WORDS)
        audiences: dict[str, int] = {}
        for audience in Audience.objects.all():
            audiences[normalise(audience.slug)] = audience.pk
            audiences[normalise(audience.name)] = audience.pk
        width = len(self.table.header)
        planned: list[PlannedRow] = []
        for number, cells in self.table.rows:
            extra = [i for i in range(width, len(cells)) if cells[i]]
            if extra:
                self.problem(
                    number,
                    column_letter(extra[0]),
                    cells[extra[0]],
                    _(
                        "This row has more cells than the heading row has columns "
                        "(%(count)s). Is a separator or quote missing?"
                    )
                    % {"count": width},
                )
                continue
            before = len(self.problems)
            row = self._plan_row(number, cells, how_to_get, cost_class, license_type, audiences)
            if len(self.problems) == before:
                planned.append(row)
        return planned

    def _cell(self, cells: list[str], key: str) -> str | None:
        if key not in self.columns:
            return None
        index = self.columns[key][0]
        return cells[index].strip() if index < len(cells) else ""

    def _plan_row(self, number, cells, how_to_get, cost_class, license_type, audiences):
        values: dict[str, Any] = {}
        raw: dict[str, str] = {}
        for spec in COLUMNS:
            value = self._cell(cells, spec.key)
            if value is None:
                continue
            raw[spec.key] = value
            column = self.column_name(spec.key)
            if spec.required and not value:
                self.problem(number, column, "", _("Empty; every entry needs a value here."))
                continue
            if spec.max_length and len(value) > spec.max_length:
                self.problem(
                    number,
                    column,
                    value,
                    _("Too long: %(length)s characters, at most %(limit)s fit.")
                    % {"length": len(value), "limit": spec.max_length},
                )
                continue
            if spec.key in TEXT_FIELDS:
                values[spec.key] = value
            elif spec.key == "how_to_get":
                self._choice(number, column, value, how_to_get, HowToGet, values, spec.key)
            elif spec.key == "cost_class":
                self._choice(number, column, value, cost_class, CostClass, values, spec.key)
            elif spec.key == "license_type":
                self._choice(number, column, value, license_type, LicenseType, values, spec.key)
            elif spec.key == "lead_time_days":
                self._lead_time(number, column, value, values)
            elif spec.key == "request_url":
                self._url(number, column, value, values)
            elif spec.key == "slug":
                self._slug(number, column, value, values)
        audience_pks = None
        if "audiences" in raw and len(raw["audiences"]) <= MAX_LIST_CELL:
            audience_pks = self._audiences(number, raw["audiences"], audiences)
        alternative_refs = None
        if "alternatives" in raw and len(raw["alternatives"]) <= MAX_LIST_CELL:
            alternative_refs = raw["alternatives"]
        if values.get("how_to_get") == HowToGet.NOT_ALLOWED and values.get("request_url"):
            self.problem(
                number,
                self.column_name("request_url"),
                values["request_url"],
                _("Software that is not allowed has no request link; name alternatives instead."),
            )
        return PlannedRow(
            row=number,
            values=values,
            category_name=" ".join(raw.get("category", "").split()),
            audience_pks=audience_pks,
            alternative_refs=alternative_refs,
        )

    def _choice(self, number, column, value, table, choices, values, key) -> None:
        if not value:
            if key == "how_to_get":  # required; reported above
                return
            values[key] = ""
            return
        found = table.get(normalise(value))
        if found is None:
            # "Netzwerklizenz (gleichzeitige Nutzung)": the words outside or inside the brackets.
            outside = normalise(re.sub(r"[(\[].*?[)\]]", " ", value))
            inside = [normalise(m) for m in re.findall(r"[(\[](.*?)[)\]]", value)]
            for candidate in (outside, *inside):
                if candidate and candidate in table:
                    found = table[candidate]
                    break
        if found is None:
            accepted = ", ".join(f"{label} ({key})" for key, label in choices.choices)
            self.problem(
                number,
                column,
                value,
                _("Unknown value. Use one of: %(accepted)s. German and English terms work.")
                % {"accepted": accepted},
            )
            return
        values[key] = found

    def _lead_time(self, number, column, value, values) -> None:
        if not value:
            values["lead_time_days"] = None
            return
        match = _LEAD_TIME.match(value.strip())
        if match is None:
            self.problem(
                number,
                column,
                value,
                _("Give one whole number of working days, e.g. 5."),
            )
            return
        days = int(match["days"])
        if days > MAX_LEAD_TIME_DAYS:
            self.problem(
                number,
                column,
                value,
                _("At most %(limit)s working days.") % {"limit": MAX_LEAD_TIME_DAYS},
            )
            return
        values["lead_time_days"] = days

    def _url(self, number, column, value, values) -> None:
        if value:
            try:
                _URL(value)
            except ValidationError:
                self.problem(
                    number,
                    column,
                    value,
                    _("Not a web address. Give the full link, starting with https://."),
                )
                return
        values["request_url"] = value

    def _slug(self, number, column, value, values) -> None:
        if not value:
            return
        try:
            validate_slug(value)
        except ValidationError:
            self.problem(
                number,
                column,
                value,
                _("Use only letters, digits, hyphens and underscores, without spaces."),
            )
            return
        values["slug"] = value

    def _audiences(self, number, cell, audiences) -> list[int] | None:
        pks: list[int] = []
        unknown = []
        for name in split_references(cell, lambda text: normalise(text) in audiences):
            pk = audiences.get(normalise(name))
            if pk is None:
                unknown.append(name)
            elif pk not in pks:
                pks.append(pk)
        for name in unknown:
            self.problem(
                number,
                self.column_name("audiences"),
                name,
                _("No audience has this name or slug. Known audiences: %(names)s.")
                % {"names": ", ".join(Audience.objects.values_list("slug", flat=True))},
            )
        return None if unknown else pks

    # Matching and references ------------------------------------------------------------

    def match_existing(self, rows: list[PlannedRow]) -> None:
        """Find the entry each row updates; refuse duplicates and contradictions."""
        by_slug = {}
        by_name = {}
        for entry in CatalogEntry.objects.prefetch_related("audiences"):
            by_slug[entry.slug] = entry
            by_name[(entry.product.lower(), entry.vendor.lower())] = entry
        seen_names: dict[tuple[str, str], int] = {}
        seen_slugs: dict[str, int] = {}
        seen_entries: dict[int, int] = {}
        for row in rows:
            name = (row.values["product"].lower(), row.values["vendor"].lower())
            slug = row.values.get("slug", "")
            if name in seen_names:
                self.problem(
                    row.row,
                    self.column_name("product"),
                    f"{row.values['product']} ({row.values['vendor']})",
                    _("Row %(row)s has the same product and vendor already.")
                    % {"row": seen_names[name]},
                )
                continue
            seen_names[name] = row.row
            if slug:
                if slug in seen_slugs:
                    self.problem(
                        row.row,
                        self.column_name("slug"),
                        slug,
                        _("Row %(row)s uses this slug already.") % {"row": seen_slugs[slug]},
                    )
                    continue
                seen_slugs[slug] = row.row
            named = by_name.get(name)
            slugged = by_slug.get(slug) if slug else None
            if named is not None and slugged is not None and named.pk != slugged.pk:
                self.problem(
                    row.row,
                    self.column_name("slug"),
                    slug,
                    _(
                        "This slug belongs to “%(slugged)s”, but product and vendor name "
                        "“%(named)s”. Correct one of them."
                    )
                    % {"slugged": slugged, "named": named},
                )
                continue
            row.existing = slugged or named
            if row.existing is not None:
                if row.existing.pk in seen_entries:
                    self.problem(
                        row.row,
                        self.column_name("product"),
                        str(row.existing),
                        _("Row %(row)s updates this entry already.")
                        % {"row": seen_entries[row.existing.pk]},
                    )
                    continue
                seen_entries[row.existing.pk] = row.row

    def resolve_alternatives(self, rows: list[PlannedRow]) -> None:
        """Alternatives name products of this file or of the catalog; each must be clear."""
        names: dict[str, set] = {}

        def add(key: str, target) -> None:
            names.setdefault(normalise(key), set()).add(target)

        in_file = {row.existing.pk for row in rows if row.existing is not None}
        for entry in CatalogEntry.objects.all():
            if entry.pk in in_file:
                continue
            add(entry.product, entry.pk)
            add(f"{entry.product} ({entry.vendor})", entry.pk)
        for row in rows:
            add(row.values["product"], row.target)
            add(f"{row.values['product']} ({row.values['vendor']})", row.target)
        for row in rows:
            if row.alternative_refs is None:
                continue
            column = self.column_name("alternatives")
            targets = []
            refs = split_references(row.alternative_refs, lambda t: normalise(t) in names)
            for ref in refs:
                found = names.get(normalise(ref), set())
                if not found:
                    self.problem(
                        row.row,
                        column,
                        ref,
                        _("No entry in this file or in the catalog has this product name."),
                    )
                elif len(found) > 1:
                    self.problem(
                        row.row,
                        column,
                        ref,
                        _("Several entries have this name; write “Product (Vendor)”."),
                    )
                else:
                    target = next(iter(found))
                    if target == row.target:
                        self.problem(
                            row.row, column, ref, _("An entry cannot be its own alternative.")
                        )
                    elif target not in targets:
                        targets.append(target)
            row.alternative_targets = targets


def validate_table(table: Table) -> ImportPlan:
    """Check a whole table; return the plan, or raise CatalogImportRefused with every problem."""
    validator = _Validator(table)
    validator.map_columns()
    if validator.problems:
        raise CatalogImportRefused(validator.problems, notes=validator.notes)
    if not table.rows:
        raise CatalogImportRefused(
            [
                ImportProblem(
                    None,
                    "",
                    "",
                    _("The file has only the heading row and no entries."),
                )
            ],
            notes=validator.notes,
        )
    rows = validator.plan()
    validator.match_existing(rows)
    if not validator.problems:
        validator.resolve_alternatives(rows)
    if validator.problems:
        validator.problems.sort(key=lambda p: p.row or 0)
        raise CatalogImportRefused(validator.problems, notes=validator.notes)
    return ImportPlan(rows=rows, notes=validator.notes)


def table_from_dicts(rows: Iterable[dict[str, Any]]) -> Table:
    """A table from dicts keyed by column heading (German or English), rows numbered from 2."""
    rows = list(rows)
    header: list[str] = []
    for item in rows:
        for key in item:
            if key not in header:
                header.append(str(key))
    table = Table(header=header, header_row=1, kind="rows")
    for number, item in enumerate(rows, start=2):
        cells = []
        for key in header:
            value = item.get(key)
            if value is None:
                cells.append("")
            elif isinstance(value, (list, tuple, set)):
                cells.append("; ".join(str(v) for v in value))
            else:
                cells.append(str(value).strip())
        if any(cells):
            table.rows.append((number, cells))
    return table


TEMPLATE_EXAMPLES = (
    {
        "Produkt": "7-Zip",
        "Hersteller": "Igor Pavlov",
        "Kategorie": "Werkzeuge",
        "Beschreibung": "Packt und entpackt ZIP-, 7z- und andere Archive.",
        "Ihr Nutzen": "Archive öffnen, ohne auf eine Freigabe zu warten.",
        "Zielgruppen": "alle",
        "Bezug": "Selbstbedienung",
        "Beantragung": "Im Softwareshop auswählen und installieren.",
        "Antragslink": "https://softwareshop.example.org/7-zip",
        "Durchlaufzeit": "0",
        "Kostenklasse": "Kostenlos",
        "Lizenztyp": "Open Source",
        "Alternativen": "",
        "Kurzname": "",
    },
    {
        "Produkt": "Microsoft Visio",
        "Hersteller": "Microsoft",
        "Kategorie": "Grafik und Diagramme",
        "Beschreibung": "Zeichnet Prozesse, Organigramme und Netzpläne.",
        "Ihr Nutzen": "Abläufe so zeichnen, dass alle sie verstehen.",
        "Zielgruppen": "mitarbeitende; itsm-rollen",
        "Bezug": "Antrag mit Genehmigung",
        "Beantragung": "Antrag im Serviceportal stellen; die Führungskraft genehmigt.",
        "Antragslink": "https://serviceportal.example.org/software/visio",
        "Durchlaufzeit": "5",
        "Kostenklasse": "Mittel",
        "Lizenztyp": "Abonnement pro Benutzer",
        "Alternativen": "draw.io",
        "Kurzname": "",
    },
    {
        "Produkt": "draw.io",
        "Hersteller": "JGraph",
        "Kategorie": "Grafik und Diagramme",
        "Beschreibung": "Zeichnet Diagramme im Browser und in der Desktop-App.",
        "Ihr Nutzen": "Diagramme sofort zeichnen, ohne Antrag und ohne Kosten.",
        "Zielgruppen": "",
        "Bezug": "Selbstbedienung",
        "Beantragung": "Im Softwareshop auswählen und installieren.",
        "Antragslink": "",
        "Durchlaufzeit": "0",
        "Kostenklasse": "Kostenlos",
        "Lizenztyp": "Open Source",
        "Alternativen": "",
        "Kurzname": "",
    },
)


def catalog_template_csv() -> bytes:
    """The template file for editors: German headings, examples, ";" and a BOM for Excel."""
    return csv_bytes(
        [spec.header for spec in COLUMNS],
        [[example.get(spec.header, "") for spec in COLUMNS] for example in TEMPLATE_EXAMPLES],
    )
