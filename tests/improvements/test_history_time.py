"""The admin's status history writes its times as valid HTML date-times (no microseconds)."""

import datetime
import re
import zoneinfo
from types import SimpleNamespace

from django.template.loader import render_to_string

from tests.catalog.test_pages import HTML_DATETIME


def test_status_history_times_are_valid_html_datetimes():
    change = SimpleNamespace(
        changed_at=datetime.datetime(
            2026, 11, 23, 14, 5, 9, 123456, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")
        ),
        is_creation=True,
        get_to_status_display="Idee",
        note="",
        changed_by=None,
    )

    html = render_to_string("improvements/admin/status_history_table.html", {"changes": [change]})

    (value,) = re.findall(r'<time datetime="([^"]*)"', html)
    assert HTML_DATETIME.fullmatch(value), value
    assert value == "2026-11-23T14:05:09+0100"
