"""The bounds a file is read within; the defaults come from the settings (see configuration.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """How much reading one file may take, whatever the file declares about itself."""

    max_bytes: int = 4 * 1024 * MB  # the file as uploaded
    max_rows: int = 20_000_000  # data rows (for CSV: lines, an upper bound of the rows)
    max_columns: int = 1000
    xlsx_max_unpacked: int = 200 * MB  # all parts of a workbook, inflated
    xlsx_max_members: int = 1000
    xlsx_max_ratio: int = 100  # inflated to compressed, for parts above 1 MB
    xlsx_memory_mb: int = 256  # the child process parsing a workbook
    xlsx_seconds: int = 6  # its wall time and CPU time
    rows_setting: str = "IMPORT_MAX_ROWS"  # named in the refusal; "" for a caller's own bound

    @classmethod
    def from_settings(cls, **overrides) -> ReadLimits:
        values = {
            "max_rows": settings.VITRINE_IMPORT_MAX_ROWS,
            "xlsx_max_unpacked": settings.VITRINE_IMPORT_XLSX_MAX_UNPACKED_MB * MB,
            "xlsx_memory_mb": settings.VITRINE_IMPORT_XLSX_MEMORY_MB,
            "xlsx_seconds": settings.VITRINE_IMPORT_XLSX_SECONDS,
        }
        values.update(overrides)
        return cls(**values)
