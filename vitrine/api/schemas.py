"""What the API reads and answers. Decimal values travel as strings ("1234.5"), so that no
digit is lost to floating point; on input a JSON number is accepted as well. Dates are
ISO 8601 ("2026-11-20")."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, field_validator

from vitrine.figures.importers import FORMATS
from vitrine.figures.models import SERIES_KEY, FigureSeries, ImportRun
from vitrine.figures.services import MAX_VALUE

Topic = Literal[tuple(FigureSeries.Topic.values)]  # type: ignore[valid-type]
ImportFormat = Literal[tuple(FORMATS)]  # type: ignore[valid-type]
ImportStatus = Literal[tuple(ImportRun.Status.values)]  # type: ignore[valid-type]
MAX_DECIMAL_PLACES = 4
MAX_EXTRA_CHARS = 10_000
MAX_KEY_CHARS = FigureSeries._meta.get_field("key").max_length
STEP = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    return value


def _nul_inside(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_nul_inside(k) or _nul_inside(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_nul_inside(item) for item in value)
    return False


# Text that a database can store: PostgreSQL refuses NUL characters.
Text = Annotated[str, AfterValidator(_no_nul)]


def decimal_text(value: Decimal | None) -> str | None:
    """A stored decimal as the API writes it: no exponent, no trailing zeros."""
    if value is None:
        return None
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _plain_date(value: Any) -> Any:
    """Dates only as ISO 8601 text (or a date), not as numbers read as timestamps."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(_("Give the date as text in the form YYYY-MM-DD."))
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            _("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value[:40]}
        ) from None


def is_series_key(key: str) -> bool:
    """Whether `key` could name a series at all (lookups of anything else find nothing)."""
    return len(key) <= MAX_KEY_CHARS and SERIES_KEY.regex.fullmatch(key) is not None


# --- series -----------------------------------------------------------------------------------


class SeriesOut(Schema):
    key: str
    title: str
    unit: str
    topic: str
    product: str
    latest_value: str | None = Field(None, description="Decimal as a string, e.g. “1234.5”.")
    latest_date: dt.date | None = None

    @staticmethod
    def resolve_latest_value(obj) -> str | None:
        return decimal_text(getattr(obj, "latest_value", None))


class SeriesDetail(SeriesOut):
    description: str
    audiences: list[str] = Field(description="Slugs of the series' audiences.")
    meanings: dict[str, str] = Field(
        description="What the series means, per audience slug (“Was bedeutet das für Sie?”)."
    )

    @staticmethod
    def resolve_audiences(obj) -> list[str]:
        return [audience.slug for audience in obj.audiences.all()]

    @staticmethod
    def resolve_meanings(obj) -> dict[str, str]:
        return {meaning.audience.slug: meaning.text for meaning in obj.meanings.all()}


class SeriesFilter(Schema):
    topic: Topic | None = None
    product: Text | None = Field(None, max_length=200, description="Exact, any case.")


class SeriesIn(Schema):
    key: Text = Field(max_length=200, examples=["license_position.visio-plan-2"])
    title: Text = Field(max_length=200)
    unit: Text = Field("", max_length=20)
    topic: Topic
    product: Text = Field("", max_length=200)
    description: Text = Field("", max_length=5000)

    @field_validator("key")
    @classmethod
    def check_key(cls, value: str) -> str:
        try:
            SERIES_KEY(value)
        except DjangoValidationError as error:
            raise ValueError(str(error.messages[0])) from None
        return value

    @field_validator("title")
    @classmethod
    def check_title(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("A title is required."))
        return value.strip()


# --- snapshots --------------------------------------------------------------------------------


class SnapshotOut(Schema):
    date: dt.date
    value: str = Field(description="Decimal as a string, e.g. “1234.5”.")
    import_run: int | None = Field(None, description="The import that wrote it; null if posted.")
    extra: dict[str, Any]

    @staticmethod
    def resolve_value(obj) -> str:
        return decimal_text(obj.value)

    @staticmethod
    def resolve_import_run(obj) -> int | None:
        return obj.import_run_id


class SnapshotFilter(Schema):
    date_from: dt.date | None = Field(None, description="First date, inclusive.")
    date_to: dt.date | None = Field(None, description="Last date, inclusive.")

    check_dates = field_validator("date_from", "date_to", mode="before")(_plain_date)

    @field_validator("date_to")
    @classmethod
    def check_after_start(cls, value: dt.date | None, info) -> dt.date | None:
        start = info.data.get("date_from")
        if value is not None and start is not None and value < start:
            raise ValueError(_("The last date lies before the first date."))
        return value


class SnapshotIn(Schema):
    date: dt.date = Field(description="Date of the data, YYYY-MM-DD.")
    value: Decimal = Field(
        description="A JSON number or a decimal string; at most 4 decimal places."
    )
    extra: dict[str, Any] = Field(default_factory=dict, description="A breakdown, any JSON object.")

    check_date = field_validator("date", mode="before")(_plain_date)

    @field_validator("value", mode="before")
    @classmethod
    def check_value_text(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValueError(_("Give the value as a number."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not a number.") % {"value": str(value)[:40]}
            ) from None
        if not number.is_finite():
            raise ValueError(_("The value must be a finite number."))
        return number

    @field_validator("value")
    @classmethod
    def check_value_range(cls, value: Decimal) -> Decimal:
        if abs(value) >= MAX_VALUE:
            raise ValueError(_("The value is too large to store."))
        if value != value.quantize(STEP):
            raise ValueError(
                _("The value has more than %(places)d decimal places.")
                % {"places": MAX_DECIMAL_PLACES}
            )
        return value.quantize(STEP)

    @field_validator("extra")
    @classmethod
    def check_extra_size(cls, value: dict[str, Any]) -> dict[str, Any]:
        if _nul_inside(value):
            raise ValueError(_("The text contains a NUL character."))
        if len(json.dumps(value)) > MAX_EXTRA_CHARS:
            raise ValueError(
                _("The breakdown is longer than %(limit)d characters as JSON.")
                % {"limit": MAX_EXTRA_CHARS}
            )
        return value


# --- imports ----------------------------------------------------------------------------------


class ProblemOut(Schema):
    row: int | None = Field(None, description="As in a spreadsheet: the header is row 1.")
    column: str | None = None
    value: str | None = Field(
        None,
        description="The cell's value: only in the answer to an upload, never stored, and "
        "never for a column that names a person or a device.",
    )
    reason: str


class WrittenValue(Schema):
    key: str
    title: str
    unit: str
    date: dt.date
    value: str = Field(description="Decimal as a string, e.g. “1234.5”.")


class ImportRunOut(Schema):
    id: int
    file_name: str
    format: str
    status: ImportStatus = Field(
        description="queued, running, then succeeded, refused (the file, nothing changed) or "
        "failed (the import crashed, nothing changed); undone after an undo."
    )
    dry_run: bool = Field(description="Checked and computed only: no figures were stored.")
    rows: int
    figure_date: dt.date | None
    summary: str
    problem_count: int
    problems: list[ProblemOut]
    imported_by: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    undone_at: dt.datetime | None = None
    progress: int
    progress_message: str

    @staticmethod
    def resolve_rows(obj) -> int:
        return obj.row_count

    @staticmethod
    def resolve_imported_by(obj) -> str | None:
        return obj.imported_by.get_username() if obj.imported_by_id else None


class FigureChangeOut(Schema):
    key: str
    title: str
    unit: str
    date: dt.date
    value: str | None
    previous: str | None = Field(description="The figure's latest stored value before.")
    previous_date: dt.date | None
    change: str | None = Field(description="New minus previous; for percentages in points.")
    change_unit: str = Field(description="The unit of `change`: `percentage_points` or the unit.")
    relative: str | None = Field(description="Change divided by the previous value.")
    implausible: bool


class PlausibilityWarningOut(Schema):
    kind: str = Field(description="`change` (a figure moves too far) or `coverage`.")
    key: str | None = Field(description="The figure of a change warning.")
    message: str


class AffectedPageOut(Schema):
    id: int
    title: str
    url: str = Field(description="A published page whose figures the import changes.")


class PlausibilityOut(Schema):
    changes: list[FigureChangeOut] = Field(
        [], description="Implausible changes first; at most 1,000 are kept per run."
    )
    changes_total: int = Field(0, description="How many figures the import computed.")
    warnings: list[PlausibilityWarningOut] = []
    pages: list[AffectedPageOut] = []


class ImportRunDetail(ImportRunOut):
    """A run with its address and the values it computed (dry run) or wrote."""

    plausibility: PlausibilityOut = Field(
        default_factory=PlausibilityOut,
        description="Each figure against its stored value, the warnings and the published "
        "pages the import changes; empty until the import has computed its figures.",
    )

    url: str = Field(description="This run's address; poll it until the run has ended.")
    values: list[WrittenValue] = Field(
        description="The values written (a dry run: computed); empty until it succeeded."
    )


class ImportRefusal(ImportRunOut):
    """A refused upload: the recorded run and every problem found, with row, column and
    reason, and the cell's value where it cannot name a person."""

    url: str


class TooLarge(Schema):
    detail: str
    max_bytes: int = Field(description="The upload limit in bytes.")


class ImportForm(Schema):
    format: ImportFormat | None = Field(None, description="Detected from the header if empty.")
    date: dt.date | None = Field(None, description="Date of the figures, YYYY-MM-DD.")
    dry_run: bool = Field(False, description="Check and compute, store nothing.")
    accept_warnings: bool = Field(
        False,
        description="Store the figures even when the plausibility check warns (a figure "
        "moves by more than the plausible step, or the file covers far fewer accounts or "
        "products than the last one). Without it such an import ends refused with the "
        "warnings as its problems.",
    )

    @field_validator("format", mode="before")
    @classmethod
    def check_blank_format(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("date", mode="before")
    @classmethod
    def check_date(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return _plain_date(value)


class ImportFilter(Schema):
    status: ImportStatus | None = None
    format: Text | None = Field(None, max_length=40)


class Message(Schema):
    detail: str
