"""Formatting of a figure's change and of the inactivity buckets."""

import datetime

import pytest

from vitrine.excerpts.selectors import bucket_labels, change_text, decimals_for

DAY = datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("current", "previous", "decimals", "expected", "direction"),
    [
        (1234, 1222, 0, "+12\u00a0seats since Oct 1, 2026", "up"),
        (1210, 1222, 0, "-12\u00a0seats since Oct 1, 2026", "down"),
        (1222, 1222, 0, "unchanged since Oct 1, 2026", "same"),
        (10.25, 10.0, 2, "+0.25\u00a0seats since Oct 1, 2026", "up"),
    ],
)
def test_the_change_is_signed_and_dated(current, previous, decimals, expected, direction):
    assert change_text(current, previous, DAY, "seats", decimals=decimals) == (
        expected,
        direction,
    )


def test_money_reads_as_english_writes_it():
    text, _direction = change_text(120, 100, DAY, "€", decimals=0)
    assert text == "+€20 since Oct 1, 2026"


def test_bucket_labels_follow_the_thresholds():
    assert bucket_labels([1, 7, 30]) == [
        "up to 1 day",
        "2–7 days",
        "8–30 days",
        "over 30 days",
        "never active",
    ]


def test_decimals_show_the_stored_precision():
    assert decimals_for([1, 2.0]) == 0
    assert decimals_for([1.5, 2]) == 1
    assert decimals_for([1.25]) == 2
