"""The narrow pass of the figures import and the bound that lets it run.

A CSV file whose longest line is within the cell limit is first read with only its format's
columns; rows that might be blank or repeat the header make it read again with every column.
Whatever the file, the counts must be those of a plan reading every column, and a file the
narrow pass cannot judge must take the full plan. Files made here, shaped like a Microsoft 365
active user detail report.
"""

from __future__ import annotations

import codecs

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from vitrine.tabular.limits import ReadLimits
from vitrine.tabular.text import CHUNK, LineBound, read_csv

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
