"""Results of a survey under the minimum group size: the one rule for every way out.

The page, the admin, the API and the exports all read `survey_results`; none counts answers
on its own. The rule:

- No result at all while the survey has fewer responses than the minimum group size, and no
  result for a question answered fewer times than that.
- The breakdown by audience shows only groups that reach the minimum. When exactly one group
  is suppressed, the next smallest group is suppressed too, so that the suppressed one cannot
  be derived by subtracting the shown groups from the total. The same holds per question.
- Free text is never part of these results (see `free_texts`, editors only).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from vitrine.audiences.models import Audience
from vitrine.figures.charts import Chart, bar_chart, format_number, format_value

from .choices import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR, QuestionKind
from .models import Answer, Response, ResponseGroup, SurveyPage, SurveyQuestion, SurveySettings

NO_GROUP = ""  # the key of respondents without a specific audience


def min_group_size() -> int:
    """The configured minimum group size, never below the floor."""
    try:
        size = SurveySettings.load().min_group_size
    except Exception:  # noqa: BLE001 - no settings row can be created (read-only database)
        size = DEFAULT_MIN_GROUP_SIZE
    return max(int(size or DEFAULT_MIN_GROUP_SIZE), MIN_GROUP_SIZE_FLOOR)


def suppressed(sizes: dict[str, int], min_size: int, already: set[str] = frozenset()) -> set[str]:
    """Keys of the groups not to show: under the minimum, plus complementary suppression.

    `already` are groups suppressed for another reason; they count as suppressed.
    """
    hidden = {key for key, size in sizes.items() if size < min_size} | (set(already) & set(sizes))
    shown = [key for key in sizes if key not in hidden]
    if len(hidden) == 1 and shown:
        hidden.add(min(shown, key=lambda key: (sizes[key], key)))
    return hidden


@dataclass(frozen=True)
class OptionRow:
    label: str
    count: int
    share: float  # 0..1 of the question's answers

    @property
    def share_text(self) -> str:
        return format_value(self.share * 100, "%", decimals=0)


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    shown: bool
    rows: list[OptionRow] = field(default_factory=list)
    mean: float | None = None
    csat: float | None = None  # % satisfied (4 or 5)
    nps: float | None = None  # % promoters − % detractors
    promoters: float | None = None
    passives: float | None = None
    detractors: float | None = None
    other_count: int = 0
    text_count: int = 0
    chart: Chart | None = None

    @property
    def headline(self) -> str:
        """The one figure a reader compares: mean, CSAT % or NPS."""
        if not self.shown:
            return ""
        if self.question.kind == QuestionKind.NPS and self.nps is not None:
            return _signed(self.nps)
        if self.question.kind == QuestionKind.CSAT and self.csat is not None:
            return format_value(self.csat, "%", decimals=0)
        if self.question.kind == QuestionKind.RATING and self.mean is not None:
            return format_number(self.mean, decimals=1)
        return ""

    @property
    def mean_text(self) -> str:
        return format_number(self.mean, decimals=1) if self.mean is not None else ""

    @property
    def csat_text(self) -> str:
        return format_value(self.csat, "%", decimals=0) if self.csat is not None else ""

    @property
    def nps_text(self) -> str:
        return _signed(self.nps) if self.nps is not None else ""


@dataclass
class GroupResult:
    key: str
    name: str
    size: int
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: SurveyPage
    total: int
    min_size: int
    questions: list[QuestionResult] = field(default_factory=list)
    groups: list[GroupResult] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return self.total >= self.min_size

    @property
    def shown_groups(self) -> list[GroupResult]:
        return [g for g in self.groups if g.shown]

    @property
    def hidden_group_count(self) -> int:
        return sum(1 for g in self.groups if not g.shown)


def _signed(value: float) -> str:
    text = format_number(value, decimals=0)
    return f"+{text}" if round(value) > 0 else text


# --- counting ----------------------------------------------------------------------------------


def _value_counts(questions, answers, group_field: str | None = None) -> dict:
    """(group, question id) → Counter(value → answers), in one GROUP BY."""
    counts: dict = defaultdict(Counter)
    fields = [group_field] if group_field else []
    rows = (
        answers.filter(question_id__in=[q.pk for q in questions])
        .values_list(*fields, "question_id", "value")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        *group, question_id, value, n = row
        counts[(group[0] if group else None, question_id)][value] += n
    return counts


def _respondents(questions, answers, group_field: str | None = None) -> dict:
    """(group, question id) → respondents, for multiple choice (a row per chosen option)."""
    multiple = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE]
    if not multiple:
        return {}
    fields = [group_field] if group_field else []
    rows = (
        answers.filter(question_id__in=multiple)
        .values_list(*fields, "question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )
    found = {}
    for row in rows:
        *group, question_id, n = row
        found[(group[0] if group else None, question_id)] = n
    return found


def _question_results(questions, answers, min_size: int, *, charts: bool, uid: str):
    counts = _value_counts(questions, answers)
    respondents = _respondents(questions, answers)
    return _results_for(None, questions, counts, respondents, min_size, charts, uid)


def _results_for(group, questions, counts, respondents, min_size, charts, uid):
    return [
        _result(
            q,
            counts.get((group, q.pk), Counter()),
            respondents.get((group, q.pk)),
            min_size,
            charts,
            uid,
        )
        for q in questions
    ]


def _result(
    question: SurveyQuestion,
    counts: Counter,
    respondents: int | None,
    min_size: int,
    charts: bool,
    uid: str,
) -> QuestionResult:
    answered = respondents if respondents is not None else sum(counts.values())
    result = QuestionResult(question=question, answered=answered, shown=answered >= min_size)
    if question.kind == QuestionKind.TEXT:
        result.text_count = answered
        return result
    if not result.shown:
        return result
    if question.scale:
        _scale_result(result, counts)
    else:
        _choice_result(result, counts)
    if charts and result.rows:
        result.chart = _chart(result, uid)
    return result


def _scale_result(result: QuestionResult, counts: Counter) -> None:
    question = result.question
    low, high = question.scale
    numbers: Counter = Counter()
    for value, n in counts.items():
        try:
            number = int(value)
        except ValueError:
            continue
        if low <= number <= high:
            numbers[number] += n
    answered = sum(numbers.values())
    result.answered = answered
    if answered == 0:
        return
    result.rows = [
        OptionRow(label=_scale_label(question, v), count=numbers[v], share=numbers[v] / answered)
        for v in range(low, high + 1)
    ]
    result.mean = sum(v * n for v, n in numbers.items()) / answered
    if question.kind == QuestionKind.CSAT:
        result.csat = 100 * (numbers[4] + numbers[5]) / answered
    if question.kind == QuestionKind.NPS:
        promoters = sum(numbers[v] for v in (9, 10)) / answered
        detractors = sum(numbers[v] for v in range(0, 7)) / answered
        result.promoters = 100 * promoters
        result.detractors = 100 * detractors
        result.passives = 100 - result.promoters - result.detractors
        result.nps = result.promoters - result.detractors


def _scale_label(question: SurveyQuestion, value: int) -> str:
    low, high = question.scale
    if value == low and question.low_label:
        return f"{value} – {question.low_label}"
    if value == high and question.high_label:
        return f"{value} – {question.high_label}"
    return str(value)


def _choice_result(result: QuestionResult, counts: Counter) -> None:
    answered = result.answered or 1
    options = result.question.option_list
    result.rows = [
        OptionRow(label=option, count=counts.get(option, 0), share=counts.get(option, 0) / answered)
        for option in options
    ]
    # Options removed after answers came in still count, under their own name.
    for value, n in sorted(counts.items()):
        if value and value not in options:
            result.rows.append(OptionRow(label=value, count=n, share=n / answered))
    result.other_count = counts.get("", 0)
    if result.other_count:
        result.rows.append(
            OptionRow(
                label=_("Other"), count=result.other_count, share=result.other_count / answered
            )
        )


def _chart(result: QuestionResult, uid: str) -> Chart:
    if result.question.kind == QuestionKind.MULTIPLE:
        description = _(
            "Share of the %(count)s respondents who chose each answer; "
            "several answers were possible."
        )
    else:
        description = _("Share of the %(count)s answers.")
    return bar_chart(
        title=result.question.text,
        description=description % {"count": format_number(result.answered)},
        bars=[(row.label, round(row.share * 100)) for row in result.rows],
        unit="%",
        uid=f"{uid}-q{result.question.pk}",
    )


# --- the survey --------------------------------------------------------------------------------


def survey_results(
    survey: SurveyPage,
    *,
    breakdown: bool = True,
    charts: bool = True,
    min_size: int | None = None,
) -> SurveyResults:
    """Everything that may be shown of a survey's answers, under the minimum group size."""
    min_size = max(min_size or min_group_size(), MIN_GROUP_SIZE_FLOOR)
    total = Response.objects.filter(survey=survey).count()
    results = SurveyResults(survey=survey, total=total, min_size=min_size)
    if not results.reached:
        return results
    questions = survey.ordered_questions
    answers = Answer.objects.all()
    uid = f"survey-{survey.pk}"
    results.questions = _question_results(questions, answers, min_size, charts=charts, uid=uid)
    if breakdown:
        # Groups show headline figures and tables, no charts.
        results.groups = _groups(survey, questions, total, min_size, charts=False, uid=uid)
    return results


def _group_sizes(survey: SurveyPage, total: int) -> dict[str, int]:
    sizes = dict(
        ResponseGroup.objects.filter(response__survey=survey)
        .values_list("audience_slug")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )
    grouped = (
        ResponseGroup.objects.filter(response__survey=survey)
        .values("response_id")
        .distinct()
        .count()
    )
    if sizes and total - grouped > 0:
        sizes[NO_GROUP] = total - grouped
    return sizes


def _groups(survey, questions, total, min_size, *, charts, uid) -> list[GroupResult]:
    sizes = _group_sizes(survey, total)
    if not sizes:
        return []
    hidden = suppressed(sizes, min_size)
    names = dict(Audience.objects.filter(slug__in=list(sizes)).values_list("slug", "name"))
    order = {slug: i for i, slug in enumerate(Audience.objects.values_list("slug", flat=True))}
    groups = [
        GroupResult(
            key=key,
            name=names.get(key) or (_("No specific audience") if key == NO_GROUP else key),
            size=size,
            shown=key not in hidden,
        )
        for key, size in sorted(sizes.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0]))
    ]
    shown = [g.key for g in groups if g.shown and g.key != NO_GROUP]
    if shown:
        answers = Answer.objects.filter(response__groups__audience_slug__in=shown)
        field = "response__groups__audience_slug"
        counts = _value_counts(questions, answers, field)
        respondents = _respondents(questions, answers, field)
    for group in groups:
        if not group.shown:
            continue
        group_uid = f"{uid}-g-{group.key or 'none'}"
        if group.key == NO_GROUP:
            answers = Answer.objects.filter(response__survey=survey, response__groups__isnull=True)
            group.questions = _question_results(
                questions, answers, min_size, charts=charts, uid=group_uid
            )
        else:
            group.questions = _results_for(
                group.key, questions, counts, respondents, min_size, charts, group_uid
            )
    _suppress_per_question(groups, questions, min_size)
    return groups


def _suppress_per_question(groups: list[GroupResult], questions, min_size: int) -> None:
    """Per question, the same complementary rule across the groups."""
    for index in range(len(questions)):
        sizes = {}
        already = set()
        for group in groups:
            if group.shown:
                sizes[group.key] = group.questions[index].answered
            else:
                sizes[group.key] = group.size
                already.add(group.key)
        hidden = suppressed(sizes, min_size, already)
        for group in groups:
            if group.shown and group.key in hidden:
                result = group.questions[index]
                group.questions[index] = QuestionResult(
                    question=result.question, answered=result.answered, shown=False
                )


def free_texts(
    survey: SurveyPage, *, min_size: int | None = None
) -> list[tuple[SurveyQuestion, list[str]]]:
    """(answer key, text) of free-text and "other" answers per question, for editors only.

    Nothing before the survey reaches the minimum group size, and never per group. In the
    order of their random keys, which is no order of time.
    """
    min_size = max(min_size or min_group_size(), MIN_GROUP_SIZE_FLOOR)
    if Response.objects.filter(survey=survey).count() < min_size:
        return []
    by_question: dict[int, list[tuple]] = defaultdict(list)
    questions = survey.ordered_questions
    rows = (
        Answer.objects.filter(question__in=questions, value="")
        .exclude(text="")
        .order_by("id")
        .values_list("question_id", "id", "text")
    )
    for question_id, answer_id, text in rows:
        by_question[question_id].append((answer_id, text))
    return [(q, by_question[q.pk]) for q in questions if by_question.get(q.pk)]
