"""Exports for editors: thresholded results and raw anonymous answers, as CSV and XLSX.

Both read the same rules as the page (`survey_results`, the minimum group size). Every text
cell that a spreadsheet would take for a formula (starting with = + - @, a tab or a carriage
return) is written as text with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .choices import QuestionKind
from .models import Answer, Response, SurveyPage
from .results import QuestionResult, SurveyResults, survey_results

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"  # what spreadsheet programs in German expect


def safe_cell(value):
    """A text that cannot run as a formula; numbers and empty values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _rounded(value: float | None, digits: int = 1):
    return None if value is None else round(value, digits)


# --- results -----------------------------------------------------------------------------------


def results_table(results: SurveyResults) -> tuple[list[str], list[list]]:
    """One row per answer option, for the whole survey and for each audience shown."""
    header = [
        _("Group"),
        _("Question"),
        _("Kind"),
        _("Answer"),
        _("Count"),
        _("Share (%)"),
        _("Answers to the question"),
        _("Mean"),
        _("CSAT (%)"),
        _("NPS"),
    ]
    rows: list[list] = []
    if not results.reached:
        rows.append(
            [
                _("All"),
                _("Not shown: fewer answers than the minimum group size (%(min)d).")
                % {"min": results.min_size},
                "",
                "",
                results.total,
                None,
                None,
                None,
                None,
                None,
            ]
        )
        return header, rows
    for result in results.questions:
        rows.extend(_question_rows(_("All"), result))
    for group in results.groups:
        if not group.shown:
            rows.append(
                [
                    group.name,
                    _("Not shown, to protect a small group."),
                    "",
                    "",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
            )
            continue
        for result in group.questions:
            rows.extend(_question_rows(group.name, result))
    return header, rows


def _question_rows(group: str, result: QuestionResult) -> list[list]:
    question = result.question
    kind = str(QuestionKind(question.kind).label)
    if question.kind == QuestionKind.TEXT:
        return [
            [
                group,
                question.text,
                kind,
                _("(free text, not exported here)"),
                result.answered,
                None,
                result.answered,
                None,
                None,
                None,
            ]
        ]
    if not result.shown:
        return [
            [
                group,
                question.text,
                kind,
                _("Not shown: too few answers."),
                None,
                None,
                None,
                None,
                None,
                None,
            ]
        ]
    return [
        [
            group,
            question.text,
            kind,
            row.label,
            row.count,
            round(row.share * 100, 1),
            result.answered,
            _rounded(result.mean, 2),
            _rounded(result.csat),
            _rounded(result.nps),
        ]
        for row in result.rows
    ]


# --- raw answers -------------------------------------------------------------------------------


def answers_table(survey: SurveyPage, results: SurveyResults | None = None):
    """One row per response, one column per question; nothing below the minimum group size.

    Rows follow the responses' random keys, which is no order of time; neither the day nor
    the audiences are part of it, so the rows cannot be split into small groups.
    """
    results = results or survey_results(survey, breakdown=False, charts=False)
    questions = survey.ordered_questions
    header = [_("Response")] + [q.text for q in questions]
    if not results.reached:
        return header, []
    column = {q.pk: index for index, q in enumerate(questions)}
    kinds = {q.pk: q.kind for q in questions}
    ids = Response.objects.filter(survey=survey).values_list("id", flat=True)
    cells = {response_id: [[] for _question in questions] for response_id in ids}
    answers = (
        Answer.objects.filter(question__in=questions)
        .order_by("response_id", "value")
        .values_list("response_id", "question_id", "value", "text")
    )
    for response_id, question_id, value, text in answers:
        if question_id not in column or response_id not in cells:
            continue
        entry = value or text
        if not value and kinds[question_id] in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            entry = _("Other: %(text)s") % {"text": text}
        cells[response_id][column[question_id]].append(entry)
    rows = []
    for number, (_key, values) in enumerate(sorted(cells.items(), key=lambda kv: str(kv[0])), 1):
        rows.append(
            [number] + [_joined(v, kinds[q.pk]) for v, q in zip(values, questions, strict=True)]
        )
    return header, rows


def _joined(values: list[str], kind: str):
    if not values:
        return None
    if kind in (QuestionKind.RATING, QuestionKind.CSAT, QuestionKind.NPS) and len(values) == 1:
        try:
            return int(values[0])
        except ValueError:
            return values[0]
    return "; ".join(values)


# --- files -------------------------------------------------------------------------------------


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows); text cells never formulas."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_text_cell(sheet, h) for h in header])
        for row in rows:
            sheet.append([_text_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value):
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    cell.data_type = "s"  # never a formula, whatever the text
    return cell


def export(survey: SurveyPage, what: str, file_format: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an export; `what` is "results" or "answers"."""
    results = survey_results(survey, charts=False)
    if what == "results":
        header, rows = results_table(results)
        sheet_title = _("Results")
    else:
        header, rows = answers_table(survey, results)
        sheet_title = _("Answers")
    name = f"{survey.slug}-{what}.{file_format}"
    if file_format == "csv":
        return to_csv(header, rows), "text/csv; charset=utf-8", name
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return to_xlsx([(sheet_title, header, rows)]), content_type, name
