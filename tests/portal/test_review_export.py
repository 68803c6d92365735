"""The review report's CSV and XLSX downloads: no formulas, no characters a workbook refuses."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.portal.test_review import make_admin_editor, make_block, make_owner

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def hostile_blocks(home):
    owner = make_owner("mallory", first="@Mallory", last="Evil")
    make_block(home, '\x01=HYPERLINK("http://evil.example")', owner=owner, review_by=days(-3))
    make_block(home, "Bericht\x0b2026", owner=owner, review_by=days(5))


def download(client, file_format: str) -> bytes:
    response = client.get(reverse("portal_review_due"), {"export": file_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_csv_download_escapes_formulas_and_drops_control_characters(client, hostile_blocks):
    client.force_login(make_admin_editor())
    text = download(client, "csv").decode("utf-8")
    assert "\x01" not in text and "\x0b" not in text
    rows = {row[0]: row for row in list(csv.reader(io.StringIO(text, newline="")))[1:]}
    assert set(rows) == {'\'=HYPERLINK("http://evil.example")', "Bericht2026"}
    assert rows["Bericht2026"][1] == "'@Mallory Evil"
    assert rows["Bericht2026"][4] == "-5"


def test_xlsx_download_escapes_formulas_and_keeps_numbers(client, hostile_blocks):
    client.force_login(make_admin_editor())
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx"))).active
    rows = {row[0].value: row for row in list(sheet.iter_rows())[1:]}
    assert set(rows) == {'\'=HYPERLINK("http://evil.example")', "Bericht2026"}
    near = rows["Bericht2026"]
    assert near[1].value == "'@Mallory Evil"
    assert near[4].value == -5 and near[4].data_type == "n"  # a negative number is no formula
    assert all(cell.data_type != "f" for row in rows.values() for cell in row)
