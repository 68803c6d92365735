"""Reads of surveys: open surveys for a reader, results pages, the trend across waves."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from vitrine.audiences.selectors import audiences_for_request, for_audiences

from .models import SurveyPage, SurveyResultsPage
from .results import SurveyResults, survey_results


def open_surveys(audiences, *, now=None) -> QuerySet[SurveyPage]:
    """Live public surveys that take answers now and are meant for `audiences`."""
    now = now or timezone.now()
    surveys = SurveyPage.objects.live().public().filter(opens_at__lte=now, closes_at__gt=now)
    return for_audiences(surveys, audiences).order_by("closes_at", "pk")


def live_results_page(survey: SurveyPage) -> SurveyResultsPage | None:
    return SurveyResultsPage.objects.live().public().child_of(survey).first()


def results_pages_for(audiences, *, limit: int = 50) -> list[SurveyResultsPage]:
    """Live results pages whose survey is meant for `audiences`, newest first."""
    surveys = for_audiences(SurveyPage.objects.live().public(), audiences)
    paths = set(surveys.values_list("path", flat=True))
    pages = SurveyResultsPage.objects.live().public().order_by("-date", "-last_published_at")
    found = []
    for page in pages:
        if page.path[: -Page.steplen] in paths:
            found.append(page)
            if len(found) >= limit:
                break
    return found


def source_urls(survey: SurveyPage, request: HttpRequest | None = None) -> list[str]:
    """The links an improvement item opened from this survey carries (results page first)."""
    urls = []
    results_page = live_results_page(survey)
    for page in (results_page, survey):
        if page is None:
            continue
        url = page.get_url(request=request)
        if url:
            urls.append(url)
    return urls


def items_from_survey(survey: SurveyPage, request: HttpRequest | None = None) -> list:
    """Improvement items opened from the survey or its results page, open ones first."""
    from vitrine.improvements.selectors import board_page, item_url, items_for_source

    items = []
    seen = set()
    board = board_page()
    for url in source_urls(survey, request):
        for item in items_for_source(url):
            if item.pk not in seen:
                seen.add(item.pk)
                item.board_url = item_url(item, board=board, request=request)
                items.append(item)
    return items


# --- the trend across waves --------------------------------------------------------------------


@dataclass
class TrendRow:
    question: str
    cells: list[str] = field(default_factory=list)


@dataclass
class Trend:
    waves: list[SurveyPage]
    totals: list[str]
    rows: list[TrendRow]

    @property
    def labelled_totals(self) -> list[tuple[str, str]]:
        """(wave title, number of answers): each cell names its wave, for the stacked table."""
        return list(zip([w.title for w in self.waves], self.totals, strict=True))

    @property
    def labelled_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(question, [(wave title, headline figure), …]) per row."""
        titles = [w.title for w in self.waves]
        return [(row.question, list(zip(titles, row.cells, strict=True))) for row in self.rows]


def earlier_waves(survey: SurveyPage) -> list[SurveyPage]:
    """Live surveys of the same series that closed before this one, oldest first."""
    if survey.series_id is None:
        return []
    return list(
        SurveyPage.objects.live()
        .filter(series_id=survey.series_id, closes_at__lt=survey.closes_at)
        .exclude(pk=survey.pk)
        .order_by("closes_at")
    )


def series_trend(survey: SurveyPage, current: SurveyResults | None = None) -> Trend | None:
    """The headline figure of each rated question in every wave of the series; None alone."""
    waves = earlier_waves(survey)
    if not waves:
        return None
    current = current or survey_results(survey, breakdown=False, charts=False)
    all_results = [survey_results(w, breakdown=False, charts=False) for w in waves] + [current]
    totals = [str(r.total) if r.reached else "–" for r in all_results]
    rows = []
    for result in current.questions:
        if not result.question.scale:
            continue
        cells = []
        for wave_results in all_results:
            match = next(
                (
                    q
                    for q in wave_results.questions
                    if q.question.comparison == result.question.comparison
                    and q.question.kind == result.question.kind
                ),
                None,
            )
            cells.append(match.headline if match is not None and match.headline else "–")
        rows.append(TrendRow(question=result.question.text, cells=cells))
    return Trend(waves=[*waves, survey], totals=totals, rows=rows)


def results_page_context(page: SurveyResultsPage, request: HttpRequest) -> dict:
    """What a reader sees on a results page, always under the minimum group size."""
    survey = page.survey
    if survey is None:
        return {"survey": None}
    results = survey_results(survey, breakdown=page.show_breakdown)
    return {
        "survey": survey,
        "results": results,
        "trend": series_trend(survey, results),
        "items": items_from_survey(survey, request),
        "reader_audiences": audiences_for_request(request),
    }
