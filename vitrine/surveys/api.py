"""API endpoint for survey results, under the same minimum group size as the page.

The project's API adds this router (`api.add_router("", router)`); the token authentication
of the API applies. Free text is never part of it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from .models import SurveyPage
from .results import GroupResult, QuestionResult, survey_results
from .selectors import live_results_page

router = Router(tags=["surveys"])


class OptionOut(Schema):
    label: str
    count: int
    share: float


class QuestionOut(Schema):
    id: int
    text: str
    kind: str
    answered: int | None
    shown: bool
    options: list[OptionOut]
    mean: float | None = None
    csat: float | None = None
    nps: float | None = None


class GroupOut(Schema):
    audience: str
    name: str
    shown: bool
    responses: int | None
    questions: list[QuestionOut]


class ResultsOut(Schema):
    survey: int
    title: str
    min_group_size: int
    responses: int
    shown: bool
    withheld: bool
    checked_for_double_answers: bool
    questions: list[QuestionOut]
    groups: list[GroupOut]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _question(result: QuestionResult) -> dict:
    shown = result.shown and result.question.kind != "text"
    return {
        "id": result.question.pk,
        "text": result.question.text,
        "kind": result.question.kind,
        "answered": result.answered if result.shown else None,
        "shown": shown,
        "options": [
            {"label": row.label, "count": row.count, "share": round(row.share, 4)}
            for row in (result.rows if shown else [])
        ],
        "mean": _rounded(result.mean) if shown else None,
        "csat": _rounded(result.csat) if shown else None,
        "nps": _rounded(result.nps) if shown else None,
    }


def _group(group: GroupResult) -> dict:
    return {
        "audience": group.key,
        "name": group.name,
        "shown": group.shown,
        "responses": group.size if group.shown else None,
        "questions": [_question(r) for r in group.questions] if group.shown else [],
    }


@router.get(
    "/surveys/{page_id}/results",
    response=ResultsOut,
    summary="Results of a survey",
)
def survey_results_get(request: HttpRequest, page_id: int):
    """Counts, shares, mean, CSAT and NPS per question and by audience, under the minimum
    group size, as far as the results page shows them (figures, breakdown). Editors of the
    survey may read it any time; others once its results page is published. A survey whose
    results show only after its close is `withheld` until then."""
    survey = SurveyPage.objects.filter(pk=page_id).first()
    if survey is None:
        raise HttpError(404, _("There is no survey with the id %(id)s.") % {"id": page_id})
    user = getattr(request, "user", None)
    may_edit = user is not None and survey.permissions_for_user(user).can_edit()
    page = live_results_page(survey)
    if not may_edit and page is None:
        raise HttpError(403, _("The results of this survey are not published yet."))
    # The results page's own settings hold here too, for everyone.
    figures = page is None or page.show_figures
    breakdown = figures and (page is None or page.show_breakdown)
    results = survey_results(survey, breakdown=breakdown, charts=False)
    return {
        "survey": survey.pk,
        "title": survey.title,
        "min_group_size": results.min_size,
        "responses": results.total,
        "shown": results.reached,
        "withheld": results.withheld,
        "checked_for_double_answers": survey.signed_in_only,
        "questions": [_question(r) for r in results.questions] if figures else [],
        "groups": [_group(g) for g in results.groups],
    }
