"""Building blocks shared by every import format: problems, refusals, column and format specs."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# "filled": only whether the cell holds anything (a person a seat is checked out to).
Kind = Literal["text", "integer", "decimal", "date", "datetime", "boolean", "choice", "filled"]

# Header cells are compared without case, BOM, surrounding blanks or the difference between
# "device_or_user", "device-or-user" and "device or user".
_HEADER_NOISE = re.compile(r"[\s_\-]+")


def normalise_header(name: str) -> str:
    """The form in which a header cell is compared with the aliases of a column."""
    spaced = _HEADER_NOISE.sub(" ", name.replace("\ufeff", "")).strip().casefold()
    return spaced.replace(" / ", "/")


def _normalised(cell: pl.Expr) -> pl.Expr:
    """`normalise_header` as a polars expression (casefold approximated by lower case)."""
    return (
        cell.fill_null("")
        .str.replace_all("\ufeff", "", literal=True)
        .str.replace_all(r"[\s_\-]+", " ")
        .str.strip_chars()
        .str.to_lowercase()
        .str.replace_all(" / ", "/", literal=True)
    )


def header_gate(
    header: list[str], columns: list[str], among: list[int] | None = None
) -> pl.Expr | None:
    """True for rows that may repeat the header row; false ones surely do not.

    Rows whose cells under the two most telling headers (of the columns `among`, if they
    have words) hold those headers' longest words. None when no header cell has a word.
    """
    words = {
        index: max(re.findall(r"[^\W_]+", cell), key=len)
        for index, cell in enumerate(header)
        if re.search(r"[^\W_]", cell)
    }
    if not words:
        return None
    if among and any(index in words for index in among):
        words = {index: word for index, word in words.items() if index in among}
    telling = sorted(words, key=lambda index: -len(words[index]))[:2]
    return pl.all_horizontal(
        pl.col(columns[index]).str.contains_any([words[index]], ascii_case_insensitive=True)
        for index in telling
    )


def repeated_header(
    header: list[str], columns: list[str], among: list[int] | None = None
) -> pl.Expr | None:
    """True for rows equal to the header row after normalising (exports repeat it in chunks).

    Normalising every cell of every row would cost more than reading the file; only the rows
    `header_gate` lets through are compared in full. None when no header cell has a word to
    look for.
    """
    gate = header_gate(header, columns, among)
    if gate is None:
        return None
    wanted = pl.select(
        _normalised(pl.lit(cell)).alias(str(index)) for index, cell in enumerate(header)
    ).row(0)

    def compare(batch: pl.Series) -> pl.Series:
        frame = batch.struct.unnest()
        candidates = frame.get_column("__gate").fill_null(False)
        if not candidates.any():
            return candidates
        equal = (
            frame.filter(candidates)
            .select(
                pl.all_horizontal(
                    _normalised(pl.col(name)) == text
                    for name, text in zip(columns, wanted, strict=True)
                )
            )
            .to_series()
        )
        return candidates.scatter(candidates.arg_true(), equal)

    return pl.struct(gate.alias("__gate"), *columns).map_batches(
        compare, return_dtype=pl.Boolean, is_elementwise=True
    )


@dataclass(frozen=True)
class Problem:
    """One reason a file was refused; `row` as the user sees it in Excel (header = row 1)."""

    row: int | None
    column: str | None
    value: str | None
    reason: str


class ImportRefused(Exception):
    """The whole file was refused; `problems` holds at most `limit` of `total` problems."""

    def __init__(
        self, problems: list[Problem], *, total: int | None = None, message: str | None = None
    ) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        self.message = message
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """One sentence for the whole refusal, in the language active when it was raised."""
        if self.message:
            return self.message
        if self.total == 1 and self.problems:
            return self.problems[0].reason
        return ngettext(
            "The file was refused: %(count)d problem.",
            "The file was refused: %(count)d problems.",
            self.total,
        ) % {"count": self.total}

    @classmethod
    def single(
        cls,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> ImportRefused:
        return cls([Problem(row=row, column=column, value=value, reason=reason)])


def _setting_mb(name: str) -> int:
    return getattr(settings, f"VITRINE_IMPORT_{name}_MB") * 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """Bounds that keep a hostile or broken file from exhausting memory or time."""

    max_bytes: int = 4 * 1024 * 1024 * 1024  # read as a stream: memory does not grow with it
    max_cell_chars: int = 10_000
    max_problems: int = 100
    max_xlsx_uncompressed: int = field(default_factory=lambda: _setting_mb("XLSX_MAX_UNPACKED"))
    max_xlsx_ratio: int = 100


@dataclass(frozen=True)
class Column:
    """One column a format knows: its canonical key, the headers that name it, its type."""

    key: str
    aliases: tuple[str, ...]
    kind: Kind = "text"
    required: bool = True  # the column must be in the header
    not_empty: bool = False  # every data row must have a value in it
    choices: tuple[tuple[str, str], ...] = ()  # (spelling, canonical value) for kind "choice"
    # The column names a person or a device (a user, an e-mail address, a device name): a
    # refusal never repeats its cells. With kind "filled" nothing of the name is kept at all.
    personal: bool = False

    @property
    def label(self) -> str:
        return self.aliases[0]


@dataclass(frozen=True)
class Check:
    """A rule across parsed columns; `bad` is true for rows that break it."""

    column: str
    bad: pl.Expr
    reason: str


@dataclass(frozen=True)
class FormatAttempt:
    """How well a header fits one format: which required columns it lacks, or why its columns
    do not suffice (`unfit`)."""

    format: str
    label: str
    missing: tuple[str, ...]
    matched: int
    unfit: str | None = None


@dataclass(frozen=True)
class FormatMatch:
    """The format a header was recognised as, and which file column feeds which key."""

    format: str
    label: str
    columns: dict[str, str]  # canonical key -> header cell as written in the file
    attempts: tuple[FormatAttempt, ...] = ()


# Rows whose distinct users, devices or accounts are counted at once; larger files are counted
# in several shares of them (disjoint sets of their hashes), so memory stays flat however large.
ROWS_PER_PASS = 1_000_000


@dataclass(frozen=True)
class ImportFrame:
    """A validated, normalised import: canonical columns and types, nothing naming a person.

    `lazy` reads the file again each time it is collected (with the streaming engine, memory
    stays flat); `frame` collects it once into memory for the small formats.
    """

    format: str
    lazy: pl.LazyFrame
    figure_date: date | None
    row_count: int
    columns: dict[str, str] = field(default_factory=dict)
    digest: pl.DataFrame | None = None  # see Format.digest
    keep: Any = field(default=None, repr=False)  # a transcoded copy of the file `lazy` reads

    @cached_property
    def frame(self) -> pl.DataFrame:
        return self.lazy.collect(engine="streaming")


def passes_for(rows: int) -> int:
    """How many passes over a file of `rows` rows keep the memory of distinct counts flat."""
    return max(1, math.ceil(rows / ROWS_PER_PASS))


def add_up(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The digests of several passes as one: counts added up by the other columns."""
    combined = pl.concat(parts)
    *keys, count = combined.columns
    return combined.group_by(keys).agg(pl.col(count).sum()).sort(keys, nulls_last=True)


class Format:
    """A source format; subclasses declare columns and may add checks and a final shape."""

    key: str = ""
    columns: tuple[Column, ...] = ()
    us_dates: bool = False  # whether 12/31/2026 is a date in this format
    # The hashed identifier whose distinct values the digest counts; large files are counted
    # in shares of its values (see `digest`).
    counted: str | None = None

    @property
    def label(self) -> str:
        """The format's name as users read it; each format names itself."""
        return self.key

    def extra_columns(self, header: list[str]) -> dict[str, Column]:
        """Columns recognised by pattern rather than name, keyed by the header cell."""
        return {}

    def unfit(self, columns: dict[str, str]) -> str | None:
        """Why a header having every required column still cannot feed this format's figures.

        `columns` maps the keys found (also those of `extra_columns`) to header cells. A
        format whose figures need one of several optional columns says so here, so that it is
        never detected on a subset of its columns that leaves a figure without its input.
        """
        return None

    def checks(self, present: set[str]) -> list[Check]:
        return []

    def finish(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """Turn the parsed columns into the normalised frame."""
        return frame

    def counted_rows(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """The rows `digest` counts, from the parsed columns: by default the normalised rows.

        A format may hand its digest columns cheaper to count than the normalised ones (such
        as a list's text rather than the list); they must name no one either.
        """
        return self.finish(frame)

    def figure_date(self) -> pl.Expr | None:
        """The date the data speaks of, as an aggregate of the parsed columns (or None)."""
        return None

    def digest(self, frame: pl.LazyFrame, *, part: int, passes: int) -> pl.LazyFrame | None:
        """Counts per product that the figures need, naming no one (or None for small formats).

        Counts only the users or accounts of share `part` of `passes` disjoint shares of their
        hashes, so that memory stays flat; the import counts large files share by share from
        temporary files of the rows, hashed by `finish`, holding the hashed identifier in the
        column named by `counted`. The last column is the count; a format's digests of all
        shares add up by the other columns.
        """
        return None


def problem_reason_missing(missing: tuple[str, ...]) -> str:
    return _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
