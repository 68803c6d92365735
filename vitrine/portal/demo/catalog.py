"""What the demo's software catalog file holds, counted for the texts that name it."""

from __future__ import annotations

import csv
from pathlib import Path

CATALOG_CSV = Path(__file__).resolve().parent / "softwarekatalog.csv"


def catalog_rows() -> list[dict[str, str]]:
    with CATALOG_CSV.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


_ROWS = catalog_rows()
# Every program in the catalog, and those with a lead time (all that may be had at all).
CATALOG_ENTRIES = len(_ROWS)
CATALOG_WITH_LEAD_TIME = sum(1 for row in _ROWS if row["Durchlaufzeit"].strip())
