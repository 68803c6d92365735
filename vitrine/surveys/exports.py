"""Exports for editors: thresholded results, anonymous answers and free texts, CSV and XLSX.

All read the same rules as the page (`survey_results`, the minimum group size), and all are
written by the one formula-safe writer (`vitrine.exports.spreadsheet`). The per-respondent
answers carry no group and no free text: free text next to a respondent's other answers, or
a cross table of answers by group, would escape the minimum group size. Free texts export on
their own, one per row, shuffled.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from vitrine.exports.spreadsheet import csv_bytes, xlsx_bytes

from .choices import QuestionKind
from .models import Answer, Response, SurveyPage
from .results import QuestionResult, SurveyResults, free_texts, survey_results


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
    if question.kind == QuestionKind.TEXT:
        return [
            [
                group,
                question.text,
                kind,
                _("(free text, exported on its own)"),
                result.answered,
                None,
                result.answered,
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
    """One row per response, one column per question other than free text.

    Nothing below the minimum group size; no group, no free text ("other" is written as
    "Other", its text goes to the free texts), and rows in the order of their random keys.
    """
    results = results or survey_results(survey, breakdown=False, charts=False)
    questions = [q for q in survey.ordered_questions if q.kind != QuestionKind.TEXT]
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
        .values_list("response_id", "question_id", "value")
    )
    for response_id, question_id, value in answers:
        if question_id not in column or response_id not in cells:
            continue
        cells[response_id][column[question_id]].append(value or _("Other"))
    rows = []
    for number, (_key, values) in enumerate(sorted(cells.items(), key=lambda kv: str(kv[0])), 1):
        rows.append(
            [number] + [_joined(v, kinds[q.pk]) for v, q in zip(values, questions, strict=True)]
        )
    return header, rows


def texts_table(survey: SurveyPage, results: SurveyResults | None = None):
    """Free texts and the texts of "other", one per row with their question, shuffled."""
    results = results or survey_results(survey, breakdown=False, charts=False)
    header = [_("Question"), _("Text")]
    if not results.reached:
        return header, []
    rows = [
        [question.text, text]
        for question, items in free_texts(survey, min_size=results.min_size)
        for _key, text in items
    ]
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


def export(survey: SurveyPage, what: str, file_format: str) -> tuple[bytes, str, str]:
    """(content, content type, file name); `what` is "results", "answers" or "texts"."""
    results = survey_results(survey, charts=False)
    if what == "results":
        header, rows = results_table(results)
        sheet_title = _("Results")
    elif what == "texts":
        header, rows = texts_table(survey, results)
        sheet_title = _("Free texts")
    else:
        header, rows = answers_table(survey, results)
        sheet_title = _("Answers")
    name = f"{survey.slug}-{what}.{file_format}"
    if file_format == "csv":
        return csv_bytes(header, rows), "text/csv; charset=utf-8", name
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return xlsx_bytes([(sheet_title, header, rows)]), content_type, name
