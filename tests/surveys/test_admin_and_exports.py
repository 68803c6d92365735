"""Editors: results in the admin, exports read back, improvement items opened from a survey."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from vitrine.exports.spreadsheet import safe_cell
from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.models import Answer

from .conftest import q

pytestmark = pytest.mark.django_db
INJECTIONS = ["=1+2", "+SUM(A1)", "-3+4", "@cmd", "\tTab", "\rCR"]


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def export(client, survey, what, fmt):
    response = client.get(reverse("surveys_admin:export", args=[survey.pk, what, fmt]))
    assert response.status_code == 200
    return response


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_safe_cell():
    for value in INJECTIONS:
        assert safe_cell(value) == "'" + value
    assert safe_cell("fine") == "fine"
    assert safe_cell(-3) == -3


def test_results_page_in_admin(editor_client, survey, answer):
    url = reverse("surveys_admin:results", args=[survey.pk])
    for _ in range(4):
        answer(survey, text="Hidden until five")
    html = editor_client.get(url).content.decode()
    assert "No results yet" in html and "Hidden until five" not in html
    answer(survey, text="<b>Now visible</b>")
    html = editor_client.get(url).content.decode()
    assert "Hidden until five" in html
    assert "&lt;b&gt;Now visible&lt;/b&gt;" in html


def test_admin_needs_edit_permission(survey, make_reader, answer):
    reader = Client()
    reader.force_login(make_reader())
    for name, args in [
        ("surveys_admin:results", [survey.pk]),
        ("surveys_admin:export", [survey.pk, "answers", "csv"]),
        ("surveys_admin:improvement", [survey.pk]),
    ]:
        response = reader.get(reverse(name, args=args))
        assert response.status_code in (302, 403)
        assert b"Hidden" not in response.content


def test_unknown_export_is_404(editor_client, survey):
    url = reverse("surveys_admin:export", args=[survey.pk, "people", "csv"])
    assert editor_client.get(url).status_code == 404
    url = reverse("surveys_admin:export", args=[survey.pk, "results", "pdf"])
    assert editor_client.get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_free_texts_export_on_their_own_and_neutralised(editor_client, survey, answer, fmt):
    for value in INJECTIONS:
        answer(survey, text=value, rating=3, slugs=["management"])
    read = read_csv if fmt == "csv" else read_xlsx
    rows = read(export(editor_client, survey, "texts", fmt))
    assert rows[0] == ["Question", "Text"]
    assert sorted(row[1] for row in rows[1:]) == sorted("'" + v for v in INJECTIONS)
    # The answers per respondent carry neither the free text nor the group.
    answers = read(export(editor_client, survey, "answers", fmt))
    header, body = answers[0], answers[1:]
    assert header[0] == "Response" and "Anything else?" not in header
    assert not any(v in str(answers) for v in ("management", "Geschäftsführung", "=1+2"))
    rating = header.index("How do you rate the software catalog?")
    assert {str(row[rating]) for row in body} == {"3"}
    if fmt == "xlsx":
        sheet = load_workbook(
            io.BytesIO(export(editor_client, survey, "texts", fmt).content)
        ).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_nul_and_formula_in_every_survey_export(editor_client, survey, answer):
    from django.db import connection

    nul = "" if connection.vendor == "postgresql" else "\x00"  # PostgreSQL stores no NUL
    for _ in range(5):
        answer(survey, text=f"=cmd|' /C calc'!A0{nul}", single=f"@SUM(1){nul}")
    for what in ("results", "answers", "texts"):
        content = export(editor_client, survey, what, "csv").content
        assert b"\x00" not in content
        for row in read_csv(export(editor_client, survey, what, "csv")):
            assert not any(cell.startswith(("=", "@")) for cell in row), row


def test_answers_export_is_empty_below_the_minimum(editor_client, survey, answer):
    for _ in range(4):
        answer(survey, text="secret")
    rows = read_csv(export(editor_client, survey, "answers", "csv"))
    assert len(rows) == 1  # the header only
    assert "secret" not in str(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_results_export_is_thresholded(editor_client, survey, answer, fmt):
    for _ in range(6):
        answer(survey, rating=4, slugs=["management"], single="=HYPERLINK(1)")
    for _ in range(2):
        answer(survey, rating=1, slugs=["mitarbeitende"])
    rows = (read_csv if fmt == "csv" else read_xlsx)(export(editor_client, survey, "results", fmt))
    groups = {row[0] for row in rows[1:]}
    text = str(rows)
    assert "All" in groups
    # mitarbeitende (2) hidden, and management with it (complementary suppression).
    hidden = [row for row in rows[1:] if row[1] == "Not shown, to protect a small group."]
    assert {row[0] for row in hidden} == {
        "Geschäftsführung und Management",
        "Mitarbeitende, Key-User und Teamleitungen",
    }
    rating = [row for row in rows[1:] if row[0] == "All" and row[3] == "4"]
    assert [str(rating[0][4])] == ["6"]
    # An unknown option stored under a formula-like text is neutralised too.
    assert "'=HYPERLINK(1)" in text


def test_results_export_has_no_free_text_count_of_a_hidden_group(editor_client, survey, answer):
    for _ in range(6):
        answer(survey, slugs=["management"], text="yes")
    for _ in range(6):
        answer(survey, slugs=["mitarbeitende"], text="yes" if _ < 2 else "")
    rows = read_csv(export(editor_client, survey, "results", "csv"))
    text_rows = [row for row in rows[1:] if row[1] == "Anything else?" and row[0] != "All"]
    # Two employees wrote free text: hidden, and the managers' count with it.
    assert all(row[4] == "" for row in text_rows), text_rows


def test_open_improvement_item_from_free_text(editor_client, survey, answer):
    from vitrine.improvements.models import ImprovementItem, StatusChange

    for i in range(5):
        answer(survey, text=f"Please publish delivery times {i}")
    target = Answer.objects.filter(question=q(survey, QuestionKind.TEXT)).first()
    url = reverse("surveys_admin:improvement", args=[survey.pk]) + f"?antwort={target.pk}"
    page = editor_client.get(url).content.decode()
    assert target.text in page
    bad = editor_client.post(url, {"title": "", "description": "x", "area": "nowhere"})
    assert bad.status_code == 200 and not ImprovementItem.objects.exists()
    response = editor_client.post(
        url, {"title": "Lieferzeiten zeigen", "description": target.text, "area": "communication"}
    )
    assert response.status_code == 302
    item = ImprovementItem.objects.get()
    assert item.source == "survey"
    assert item.source_url == survey.url
    assert StatusChange.objects.filter(item=item).count() == 1
    assert list(item.audiences.all()) == list(survey.audiences.all())


def test_bad_answer_key_prefills_nothing(editor_client, survey):
    url = reverse("surveys_admin:improvement", args=[survey.pk]) + "?antwort=not-a-uuid&frage=x"
    assert editor_client.get(url).status_code == 200


def test_survey_edit_page_links_to_the_results(editor_client, survey):
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[survey.pk])).content.decode()
    assert reverse("surveys_admin:results", args=[survey.pk]) in html


@pytest.fixture
def page_editor(db, home):
    """An editor who may edit pages, but has no right to see answers or contact wishes."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="seitenredaktion", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def grant(user, codename):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename=codename))
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


def refused(response) -> bool:
    """Wagtail's admin answers a refusal with a redirect to the dashboard, or 403."""
    return response.status_code in (302, 403) and b"Erika" not in response.content


def test_answers_and_contacts_need_rights_of_their_own(make_survey, answer, page_editor):
    survey = make_survey(allow_contact=True)
    for _ in range(6):
        answer(survey, text="Ein Freitext")
    from vitrine.surveys.models import ContactRequest

    ContactRequest.objects.create(survey=survey, name="Erika Muster", email="erika@muster.de")
    client = Client()
    client.force_login(page_editor)
    results = reverse("surveys_admin:results", args=[survey.pk])
    contacts = reverse("surveys_admin:contacts", args=[survey.pk])
    page = client.get(results)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ein Freitext" not in html and "Erika" not in html and "/export/" not in html
    for what in ("answers", "texts", "results"):
        url = reverse("surveys_admin:export", args=[survey.pk, what, "csv"])
        assert refused(client.get(url))
    assert refused(client.get(contacts))

    client.force_login(grant(page_editor, "view_answers"))
    html = client.get(results).content.decode()
    assert "Ein Freitext" in html and "Erika" not in html
    assert (
        client.get(reverse("surveys_admin:export", args=[survey.pk, "texts", "csv"])).status_code
        == 200
    )
    assert refused(client.get(contacts))

    client.force_login(grant(page_editor, "view_contact_wishes"))
    assert "Erika" not in client.get(results).content.decode()  # never beside the results
    listed = client.get(contacts)
    assert listed.status_code == 200 and "Erika Muster" in listed.content.decode()
