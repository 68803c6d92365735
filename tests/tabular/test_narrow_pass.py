"""The narrow pass of the figures import and the bound that lets it run.

A CSV file whose longest line is within the cell limit is first read with only its format's
columns; rows that might be blank or repeat the header make it read again with every column.
Whatever the file, the counts must be those of a plan reading every column, and a file the
narrow pass cannot judge must take the full plan. Files made here, shaped like a Microsoft 365
active user detail report, and the line ends and rows before the header the reader finds.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from vitrine.figures import importers
from vitrine.figures.importers import ImportRefused, base, m365_inactivity, read_import
from vitrine.figures.importers.m365 import COUNTS
from vitrine.tabular.limits import ReadLimits
from vitrine.tabular.reader import TableError, open_table
from vitrine.tabular.text import CHUNK, HEAD, LineBound, read_csv

WINDOW = LineBound.WINDOW


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def bound_of(data: bytes, cuts: list[int]) -> int | None:
    """The bound of `data` fed in pieces cut at the offsets `cuts`."""
    bound = LineBound()
    start = 0
    for cut in sorted({min(max(cut, 0), len(data)) for cut in cuts}) + [len(data)]:
        bound.feed(data[start:cut])
        start = cut
    return bound.close()


# Lines mostly short, some around the window, some spanning several windows.
line_lengths = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=300),
        st.integers(min_value=WINDOW - 3, max_value=WINDOW + 3),
        st.integers(min_value=WINDOW + 4, max_value=4 * WINDOW),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None, database=None)
@given(
    line_lengths,
    st.sampled_from([b"\n", b"\r\n"]),
    st.booleans(),
    st.lists(st.integers(min_value=0, max_value=30 * 4 * WINDOW), max_size=8),
)
def test_bound_is_the_longest_line_or_the_window(lengths, end, last_ended, cuts):
    lines = [b"x" * length + end for length in lengths]
    if not last_ended:
        lines[-1] = lines[-1][: -len(end)]
    data = b"".join(lines)
    # However the bytes arrive, the bound is exact above the window: a line longer than it
    # is never missed, and lines within it cost no measuring.
    assert bound_of(data, cuts) == max(WINDOW, *map(len, lines))


def test_a_line_spanning_many_pieces_is_measured_whole():
    data = b"a;b\n" + b"y" * (5 * WINDOW) + b"\nc;d\n"
    cuts = list(range(100, len(data), 1000))
    assert bound_of(data, cuts) == 5 * WINDOW + 1


@pytest.mark.parametrize("where", [0, 2 * WINDOW, 6 * WINDOW - 1])
def test_a_quote_anywhere_leaves_no_bound(where):
    # A quoted cell may span lines: no line's length bounds it.
    data = bytearray(b"".join(b"z" * 200 + b"\n" for _ in range(300)))
    data[where] = ord('"')
    assert bound_of(bytes(data), [WINDOW, 3 * WINDOW]) is None


def test_a_quote_after_a_long_line_still_leaves_no_bound():
    data = b"y" * (3 * WINDOW) + b"\n" + b'a;"b"\n'
    assert bound_of(data, [3 * WINDOW + 2]) is None


LIMITS = ReadLimits()


def test_the_bound_of_a_file_past_its_first_chunk():
    # The reader feeds the file chunk by chunk; a long line or a quote after the first one
    # still counts.
    short = b"Produkt;Menge\n" + b"Visio;1\n" * (CHUNK // 8 + 10)
    assert len(short) > CHUNK
    assert read_csv(short, LIMITS).line_bytes == WINDOW
    long = short + b"Visio;" + b"9" * (3 * WINDOW) + b"\n"
    assert read_csv(long, LIMITS).line_bytes == 3 * WINDOW + 7
    assert read_csv(short + b'"Visio";1\n', LIMITS).line_bytes is None


def test_the_bound_of_a_utf16_file_is_that_of_its_utf8_text():
    # "ਊ" (U+0A0A) is the bytes 0A 0A in UTF-16: line ends to a count of the file's bytes.
    # Its UTF-8 copy, which the import reads, has a line of 3 bytes per character.
    text = "Produkt\tName\r\nVisio\t" + "ਊ" * 5000 + "\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    assert read_csv(data, LIMITS).line_bytes == len(("Visio\t" + "ਊ" * 5000 + "\r\n").encode())


def test_the_bound_of_a_cr_only_file_is_that_of_its_lines():
    # Excel for Mac ends lines with CR alone; its lines are short, not one line as long as
    # the file (which would send every such file to the slower full plan).
    data = ("Produkt;Menge\r" + "Visio;1\r" * 5000).encode("utf-8")
    assert len(data) > 4 * WINDOW
    assert read_csv(data, LIMITS).line_bytes == WINDOW


# The active user detail report as the admin center exports it (Graph's
# getOffice365ActiveUserDetail, in its column order).
WORKLOADS = ("Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams")
HEADER = [
    *("Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date"),
    *(f"Has {w} License" for w in WORKLOADS),
    *(f"{w} Last Activity Date" for w in WORKLOADS),
    *(f"{w} License Assign Date" for w in WORKLOADS),
    "Assigned Products",
]
DAY = date(2026, 11, 20)
E3 = "Microsoft 365 E3"
VISIO = "Visio Plan 2"
TEAMS = "Microsoft Teams Exploratory"

# (display name, deleted, days since Exchange activity, since Teams activity, products)
ACCOUNTS = [
    ("Anna Berger", False, 2, 40, [E3]),
    ("Bernd Krause", False, 51, None, [E3, VISIO]),
    ("Carla Roth", False, 142, 75, [E3, TEAMS]),
    ("Dieter Lang", False, None, None, [E3]),
    ("Eva Jung", True, 300, None, [E3, VISIO]),  # deleted: counted nowhere
    ("Frank Otto", False, 95, 120, [TEAMS]),
    ("Gast", False, 1, None, []),  # no licence: no product
    ("Hanna Vogt", False, 30, 31, [VISIO, E3]),
    ("Jörg Weiß", False, 61, 90, [E3]),
]


def expected_counts() -> dict[str, tuple[int, ...]]:
    """Accounts and their buckets (≤30, ≤60, ≤90, more days, never) per product, by hand."""
    table: dict[str, list[int]] = {}
    for _name, deleted, exchange, teams, products in ACCOUNTS:
        if deleted:
            continue
        days = [d for d in (exchange, teams) if d is not None]
        latest = min(days) if days else None
        if latest is None:
            bucket = 5
        else:
            bucket = 1 if latest <= 30 else 2 if latest <= 60 else 3 if latest <= 90 else 4
        for product in products:
            counts = table.setdefault(product, [0] * 6)
            counts[0] += 1
            counts[bucket] += 1
    return {product: tuple(counts) for product, counts in table.items()}


def rows(display: dict[int, str] | None = None) -> list[list[str]]:
    """The report's data rows; `display` replaces the display names of some accounts."""
    out = []
    for index, (name, deleted, exchange, teams, products) in enumerate(ACCOUNTS):
        activity = {"Exchange": exchange, "Teams": teams}
        cells = {
            "Report Refresh Date": DAY.isoformat(),
            "User Principal Name": f"user{index}@example.de",
            "Display Name": (display or {}).get(index, name),
            "Is Deleted": str(deleted),
            "Deleted Date": "2026-11-02" if deleted else "",
            "Assigned Products": "+".join(products),
        }
        for workload in WORKLOADS:
            days = activity.get(workload)
            cells[f"Has {workload} License"] = str(workload in activity)
            cells[f"{workload} Last Activity Date"] = (
                "" if days is None else (DAY - timedelta(days=days)).isoformat()
            )
            cells[f"{workload} License Assign Date"] = "2024-02-01" if workload in activity else ""
        out.append([cells[column] for column in HEADER])
    return out


def lines_of(records: list[list[str]], delimiter: str) -> list[str]:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(records)
    # Split between records only: a quoted cell keeps its line break.
    return [line for line in re.split(r'\n(?=(?:[^"]*"[^"]*")*[^"]*$)', out.getvalue()) if line]


def report(
    data_rows: list[list[str]] | None = None,
    *,
    inserted: tuple[str, ...] = (),
    delimiter: str = ",",
    newline: str = "\r\n",
    encoding: str = "utf-8-sig",
) -> bytes:
    """The report as one file; `inserted` lines (blank, repeated header…) after the 3rd row."""
    header, *body = lines_of([HEADER, *(data_rows or rows())], delimiter)
    extra = [header if line == "HEADER" else line for line in inserted]
    text = newline.join([header, *body[:3], *extra, *body[3:]]) + newline
    if encoding.startswith("utf-16"):
        bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
        return bom + text.encode(encoding)
    return text.encode(encoding)


@pytest.fixture
def plans(monkeypatch):
    """The plans `read_import` reads the file with, in order: False reads the format's
    columns, True all."""
    taken: list[bool] = []
    read_with = importers._read_with

    def spy(table, fmt, match, plan, limits):
        taken.append(plan.whole)
        return read_with(table, fmt, match, plan, limits)

    monkeypatch.setattr(importers, "_read_with", spy)
    return taken


@pytest.fixture
def without_narrow_pass(monkeypatch):
    """Every plan reads every column."""
    plan = importers._plan
    monkeypatch.setattr(
        importers, "_plan", lambda *args, whole, **kwargs: plan(*args, whole=True, **kwargs)
    )


def counts(data: bytes) -> tuple[int, date | None, dict[str, tuple[int, ...]]]:
    imported = read_import(data, filename="ActiveUserDetail.csv")
    assert imported.format == "m365"
    table = {
        row["product"]: tuple(row[key] for key in COUNTS)
        for row in m365_inactivity(imported).iter_rows(named=True)
    }
    return imported.row_count, imported.figure_date, table


NARROW, FALLBACK, FULL = [False], [False, True], [True]
CASES = {
    # A simple file: the narrow pass alone decides (and is what the other cases leave).
    "plain": (lambda: report(), NARROW),
    # A display name holding the delimiter and a line break, which the export quotes.
    "quoted delimiter and line break": (
        lambda: report(rows({5: "Otto, Frank\r\nVertrieb"})),
        FULL,
    ),
    "line longer than the bound": (
        lambda: report(rows({2: "Carla Roth " + "x" * 9_950})),
        FULL,
    ),
    "blank row": (lambda: report(inserted=("",)), FALLBACK),
    "row of delimiters only": (lambda: report(inserted=("," * (len(HEADER) - 1),)), FALLBACK),
    "repeated header row": (lambda: report(inserted=("HEADER",)), FALLBACK),
    # PowerShell's Out-File and Excel's "Unicode Text": UTF-16 with BOM, tab separated. The
    # copy read is UTF-8 with "\n": the narrow pass may read it.
    "UTF-16 LE": (lambda: report(delimiter="\t", encoding="utf-16-le"), NARROW),
    "UTF-16 BE with a blank row and a repeated header": (
        lambda: report(delimiter="\t", encoding="utf-16-be", inserted=("", "HEADER")),
        FALLBACK,
    ),
    # Excel for Mac: CR-only line ends, Windows-1252.
    "CR-only line ends": (lambda: report(newline="\r", encoding="cp1252"), NARROW),
    "CR-only line ends with a blank row": (
        lambda: report(newline="\r", encoding="cp1252", inserted=("",)),
        FALLBACK,
    ),
    # A line break in a cell is LF, also where the lines end with CR alone.
    "CR-only line ends and a line break in a quoted cell": (
        lambda: report(rows({5: "Otto, Frank\nVertrieb"}), newline="\r", encoding="cp1252"),
        FULL,
    ),
}


@pytest.fixture(params=[1, 3], ids=["one pass", "three shares"])
def passes(request, monkeypatch):
    """Count in one pass, or as a large file is: in shares of the accounts, from files."""
    if request.param > 1:
        monkeypatch.setattr(base, "ROWS_PER_PASS", len(ACCOUNTS) // request.param)
    return request.param


@pytest.mark.parametrize("case", list(CASES))
def test_counts_are_those_of_the_full_plan(case, passes, plans):
    make, expected_plans = CASES[case]
    data = make()
    assert counts(data) == (len(ACCOUNTS), DAY, expected_counts())
    assert plans == expected_plans


@pytest.mark.parametrize("case", list(CASES))
def test_counts_without_the_narrow_pass_are_the_same(case, plans, without_narrow_pass):
    make, _plans = CASES[case]
    assert counts(make()) == (len(ACCOUNTS), DAY, expected_counts())
    assert plans == FULL


def refusal(data: bytes) -> list[tuple[int | None, str | None, str | None, str]]:
    with pytest.raises(ImportRefused) as info:
        read_import(data, filename="ActiveUserDetail.csv")
    return [(p.row, p.column, p.value, p.reason) for p in info.value.problems]


TOO_LONG = "The cell holds more than 10000 characters."
LONG_CELLS = {
    # One line above the bound, its cell above the limit, in a column the format never reads.
    "on one line": lambda: report(rows({2: "x" * 10_001})),
    # A quoted cell of short lines, longer than the limit in all: no line tells its length.
    "over many short lines": lambda: report(rows({2: "\r\n".join(["Zeile " + "x" * 94] * 110)})),
    # UTF-16 "ਊ" is the bytes 0A 0A: a file of short lines to a count of its own bytes.
    "in UTF-16": lambda: report(rows({2: "ਊ" * 10_001}), delimiter="\t", encoding="utf-16-le"),
}


@pytest.mark.parametrize("case", list(LONG_CELLS))
def test_a_cell_above_the_limit_is_refused_naming_its_row(case, plans):
    # The narrow pass does not measure cells; the full plan refuses the cell, never showing
    # what a display name holds.
    assert refusal(LONG_CELLS[case]()) == [(4, "Display Name", None, TOO_LONG)]
    assert plans == FULL


def test_a_refusal_after_a_fallback_names_the_row_as_the_file_counts_it(plans):
    data = rows()
    data[5][0] = "gestern"
    problems = refusal(report(data, inserted=("", "HEADER")))
    # Header, three rows, a blank row, the header again, two rows: the ninth row.
    assert [(row, column, value) for row, column, value, _reason in problems] == [
        (9, "Report Refresh Date", "gestern")
    ]
    assert plans == FALLBACK


# The line ends the narrow pass stands on: a CR-only file (Excel for Mac) whose cells hold line
# breaks. The LF inside quotes is no line end; taken for one, the file was read as one line.


def cr_only_file(rows: int, *, before: int = 0, cell: str = "Büro-\nsoftware") -> bytes:
    """Products of a CR-only file, row `before` + 3 holding `cell`, quoted."""
    lines = ["Produkt;Hersteller;Menge", *(f"Visio {n};Microsoft;1" for n in range(before))]
    # An inch mark: a quote within a cell, which opens no quoted cell.
    lines += ['Monitor 27" Dell;Dell;2', f'"{cell}";Müller;3']
    lines += [f"Bürosoftware {n};Müller;{n}" for n in range(rows - before - 2)]
    return ("\r".join(lines) + "\r").encode("cp1252")


def test_a_line_break_in_a_cell_of_a_cr_only_file_is_no_line_end():
    table = open_table(cr_only_file(6), filename="mac.csv", limits=LIMITS)
    try:
        assert table.lines == 7  # an upper bound of the rows: every CR, the LF in the cell not
        assert list(table.rows())[:3] == [
            (2, ['Monitor 27" Dell', "Dell", "2"]),
            (3, ["Büro-\nsoftware", "Müller", "3"]),
            (4, ["Bürosoftware 0", "Müller", "0"]),
        ]
    finally:
        table.close()


def test_the_row_bound_holds_for_a_cr_only_file_with_a_line_break_in_a_cell():
    # The rows were counted by LF: one, whatever the file held.
    with pytest.raises(TableError) as info:
        open_table(cr_only_file(50), filename="mac.csv", limits=ReadLimits(max_rows=20))
    assert "more than 20 rows" in info.value.message


def test_a_quoted_cell_cut_off_by_the_end_of_the_head_still_hides_its_line_break():
    # The encoding and line ends are judged on the first 64 KB; here they end inside a cell
    # whose line break they hold and whose closing quote they do not.
    before = (HEAD - 100) // len("Visio 1000;Microsoft;1\r")
    cell = "Büro-\n" + "software " * 400
    data = cr_only_file(before + 4, before=before, cell=cell)
    quote = data.index(b'\r"') + 1
    assert quote < data.index(b"\n") < HEAD < data.index(b'"', quote + 1)
    table = open_table(data, filename="mac.csv", limits=LIMITS)
    try:
        lines = table.lines
        rows_read = list(table.rows())
    finally:
        table.close()
    assert lines == before + 5
    assert len(rows_read) == before + 4
    assert rows_read[before + 1] == (before + 3, [cell, "Müller", "3"])


# Rows before the header: a sheet whose first row is empty, saved as CSV, begins with a line of
# delimiters alone. The header is the first row holding a cell; the rows keep their numbers.
# (the lines before the header, how many rows they are)
BEFORE_HEADER = {
    "a blank line": (b"\r\n", 1),
    "a line of delimiters": (b"," * (len(HEADER) - 1) + b"\r\n", 1),
    "a short line of delimiters": (b",,,,\r\n", 1),
    "two lines of delimiters": (b",,,,\r\n" * 2, 2),
    # A row ended by a CR alone, where polars ends no line: there is no line to skip.
    "a lone CR": (b"\r", 1),
}


@pytest.mark.parametrize("case", list(BEFORE_HEADER))
def test_rows_before_the_header_are_skipped(case, plans):
    before, _rows = BEFORE_HEADER[case]
    assert counts(before + report(encoding="utf-8")) == (len(ACCOUNTS), DAY, expected_counts())
    assert plans == NARROW


@pytest.mark.parametrize("case", list(BEFORE_HEADER))
def test_rows_before_the_header_leave_the_row_numbers_as_they_are(case):
    before, skipped = BEFORE_HEADER[case]
    data = rows()
    data[4][0] = "gestern"
    problems = refusal(before + report(data, encoding="utf-8"))
    assert [(row, column, value) for row, column, value, _reason in problems] == [
        (skipped + 6, "Report Refresh Date", "gestern")
    ]


def test_a_row_ended_by_a_lone_cr_before_the_header_of_a_crlf_file_is_refused():
    # Python's csv module ends the row at the CR, polars reads it and the header as one line:
    # the file is refused as what it is, not with a failure of the library.
    problems = refusal(b",,,,\r" + report(encoding="utf-8"))
    assert [(row, column) for row, column, _value, _reason in problems] == [(2, None)]
    assert "end in different ways" in problems[0][3]
