"""The one kind of problem the reader reports: a file that cannot be read as a table."""

from __future__ import annotations


class TableError(Exception):
    """The file cannot be read as a table; `message` says why in the user's language.

    `row` is the row as a spreadsheet shows it (the header's row is usually 1), `column` the
    heading of the column (or its letter where there is no heading), when the problem has a
    place in the file.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"
