"""Dates and yes/no values in other spellings than the usual ones, far into a large file.

The import first reads dates and yes/no values in their usual spellings only (2026-11-20,
True) and reads a file again with the full parsers when any cell was left unread; the first
rows decide which way to start. These files write their first rows the usual way and the
other spellings only far after them, so the first way is taken and has to be left.
"""

from datetime import date, timedelta

import pytest
from django.utils import translation

from vitrine.figures.importers import ImportRefused, m365_inactivity, read_import

HEADER = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    "Exchange Last Activity Date,Teams Last Activity Date,Assigned Products\n"
)
DAY = date(2026, 11, 20)
ROWS = 3000  # far more than the first rows that decide how to start


def _report(spell_date, spell_yes_no, *, unusual_from: int) -> bytes:
    """Accounts active 0 to 119 days ago, every tenth deleted, every seventh never active."""
    lines = [HEADER]
    for n in range(ROWS):
        usual = n < unusual_from
        as_date = (lambda day: day.isoformat()) if usual else spell_date
        as_yes_no = (lambda value: str(value)) if usual else spell_yes_no
        deleted = n % 10 == 0
        last = "" if n % 7 == 0 else as_date(DAY - timedelta(days=n % 120))
        teams = "" if n % 3 else as_date(DAY - timedelta(days=n % 45))
        lines.append(
            f"{as_date(DAY)},user{n}@example.de,Person {n},{as_yes_no(deleted)},"
            f"{as_date(DAY - timedelta(days=2)) if deleted else ''},{last},{teams},"
            f"{'MICROSOFT 365 E3+VISIO PLAN 2' if n % 2 else 'MICROSOFT 365 E3'}\n"
        )
    return "".join(lines).encode()


def _counts(data: bytes) -> list[dict]:
    imported = read_import(data, filename="m365.csv")
    assert imported.figure_date == DAY and imported.row_count == ROWS
    return m365_inactivity(imported).to_dicts()


@pytest.mark.parametrize(
    ("spell_date", "spell_yes_no"),
    [
        (lambda day: day.strftime("%d.%m.%Y"), lambda value: "ja" if value else "nein"),
        (lambda day: day.strftime("%m/%d/%Y"), lambda value: "Yes" if value else "No"),
        (lambda day: f" {day.isoformat()} 00:00:00", lambda value: " true " if value else "0"),
    ],
    ids=["german", "us", "blanks-and-midnight"],
)
@pytest.mark.parametrize("unusual_from", [0, ROWS - 2])
def test_other_spellings_give_the_same_figures_wherever_they_start(
    spell_date, spell_yes_no, unusual_from
):
    usual = _counts(_report(None, None, unusual_from=ROWS))
    assert {row["product"] for row in usual} == {"MICROSOFT 365 E3", "VISIO PLAN 2"}
    assert _counts(_report(spell_date, spell_yes_no, unusual_from=unusual_from)) == usual


def test_an_invalid_date_far_into_the_file_is_refused_naming_its_row():
    lines = _report(None, None, unusual_from=ROWS).decode().splitlines(keepends=True)
    cells = lines[2991].split(",")  # the account of row 2992, as a spreadsheet counts
    assert cells[1] == "user2990@example.de" and cells[5]
    cells[5] = "2026-02-30"
    lines[2991] = ",".join(cells)
    data = "".join(lines).encode()
    with translation.override("en"), pytest.raises(ImportRefused) as info:
        read_import(data, filename="m365.csv")
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (2992, "Exchange Last Activity Date")
    assert problem.reason.startswith("Not a date")
