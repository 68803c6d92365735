"""Results under the minimum group size, on every way out that reads them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.models import SurveySettings
from vitrine.surveys.results import NO_GROUP, free_texts, min_group_size, suppressed, survey_results

from .conftest import q

pytestmark = pytest.mark.django_db


def by_kind(results, kind):
    return next(r for r in results.questions if r.question.kind == kind)


def test_nothing_below_the_minimum(survey, answer):
    for _ in range(4):
        answer(survey, rating=5, text="secret")
    results = survey_results(survey)
    assert results.total == 4
    assert not results.reached
    assert results.questions == [] and results.groups == []
    assert free_texts(survey) == []


def test_counts_shares_mean_csat_and_nps(survey, answer):
    ratings = [5, 4, 4, 3, 1]
    csats = [5, 4, 3, 2, 5]
    npss = [10, 9, 8, 6, 0]
    for rating, csat, nps in zip(ratings, csats, npss, strict=True):
        answer(survey, rating=rating, csat=csat, nps=nps, single="Portal", multiple=["Speed"])
    results = survey_results(survey)
    assert results.reached and results.total == 5
    rating = by_kind(results, QuestionKind.RATING)
    assert rating.mean == pytest.approx(3.4)
    assert [r.count for r in rating.rows] == [1, 0, 1, 2, 1]
    assert rating.rows[0].label == "1 – very poor"
    assert rating.rows[3].share == pytest.approx(0.4)
    csat = by_kind(results, QuestionKind.CSAT)
    assert csat.csat == pytest.approx(60.0)  # 3 of 5 chose 4 or 5
    nps = by_kind(results, QuestionKind.NPS)
    assert nps.promoters == pytest.approx(40.0)
    assert nps.detractors == pytest.approx(40.0)
    assert nps.nps == pytest.approx(0.0)
    assert nps.headline == "0"
    assert rating.chart is not None and "<svg" in str(rating.chart.svg)
    single = by_kind(results, QuestionKind.SINGLE)
    assert [(r.label, r.count) for r in single.rows] == [("Portal", 5), ("Phone", 0)]


def test_multiple_choice_counts_respondents(survey, answer):
    for options in (["Speed", "Contact"], ["Speed"], ["Information"], ["Speed"], ["Contact"]):
        answer(survey, multiple=options)
    result = by_kind(survey_results(survey), QuestionKind.MULTIPLE)
    assert result.answered == 5
    assert {r.label: r.count for r in result.rows} == {"Speed": 3, "Information": 1, "Contact": 2}
    assert {r.label: r.share for r in result.rows}["Speed"] == pytest.approx(0.6)


def test_question_with_too_few_answers_is_suppressed(survey, answer):
    for i in range(6):
        answer(survey, nps=9 if i < 2 else None)
    nps = by_kind(survey_results(survey), QuestionKind.NPS)
    assert nps.answered == 2 and not nps.shown and nps.rows == [] and nps.nps is None


def test_breakdown_with_complementary_suppression(survey, answer):
    groups = {"management": 7, "mitarbeitende": 6, "itsm-rollen": 5, "budgetverantwortliche": 2}
    for slug, count in groups.items():
        for _ in range(count):
            answer(survey, rating=5 if slug == "budgetverantwortliche" else 3, slugs=[slug])
    results = survey_results(survey)
    shown = {g.key: g.shown for g in results.groups}
    # budgetverantwortliche is under 5; itsm-rollen, the next smallest, goes with it.
    assert shown == {
        "management": True,
        "mitarbeitende": True,
        "itsm-rollen": False,
        "budgetverantwortliche": False,
    }
    hidden = [g for g in results.groups if not g.shown]
    assert all(g.questions == [] for g in hidden)
    management = next(g for g in results.groups if g.key == "management")
    assert by_kind(management, QuestionKind.RATING).mean == pytest.approx(3.0)


def test_respondents_without_audience_form_a_group(survey, answer):
    for _ in range(6):
        answer(survey, slugs=["management"])
    for _ in range(2):
        answer(survey)
    results = survey_results(survey)
    assert {g.key: g.shown for g in results.groups} == {"management": False, NO_GROUP: False}


def test_per_question_complementary_suppression(survey, answer):
    for _ in range(6):
        answer(survey, slugs=["management"], nps=10)
    for i in range(6):
        answer(survey, slugs=["mitarbeitende"], nps=3 if i < 2 else None)
    for _ in range(5):
        answer(survey, slugs=["itsm-rollen"], nps=7)
    results = survey_results(survey)
    nps = {g.key: by_kind(g, QuestionKind.NPS).shown for g in results.groups}
    # mitarbeitende answered NPS twice: hidden, and itsm-rollen (smallest other) with it.
    assert nps == {"management": True, "mitarbeitende": False, "itsm-rollen": False}


def test_the_hidden_groups_together_reach_the_minimum():
    # The review's case: c and d alone were hidden, and total - a - b gave both back.
    assert suppressed({"a": 10, "b": 9, "c": 1, "d": 1}, 5) == {"b", "c", "d"}
    assert suppressed({"a": 10, "b": 0}, 5) == set()  # an empty group reveals nothing


@given(
    sizes=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.integers(0, 40), max_size=6
    ),
    min_size=st.integers(3, 10),
    already=st.sets(st.sampled_from(["a", "b", "c"])),
)
def test_no_subtraction_of_shown_numbers_reveals_a_small_group(sizes, min_size, already):
    """Whatever the attacker adds or subtracts of the shown numbers (the total and each shown
    group), every group of people it describes is empty or reaches the minimum."""
    hidden = suppressed(sizes, min_size, already)
    shown = {key: n for key, n in sizes.items() if key not in hidden}
    assert all(n == 0 or n >= min_size for n in shown.values())
    total = sum(sizes.values())
    # The shown numbers are the total and the shown groups: their combinations give exactly
    # the unions of shown groups and, with the total, those unions plus all hidden groups.
    hidden_part = total - sum(shown.values())
    keys = list(shown)
    total_shown = total >= min_size  # below the minimum, nothing at all is shown
    for mask in range(1 << len(keys)):
        union = sum(shown[k] for i, k in enumerate(keys) if mask >> i & 1)
        assert union == 0 or union >= min_size
        rest = union + hidden_part
        assert not total_shown or rest == 0 or rest >= min_size, (sizes, hidden)
    assert set(already) & set(sizes) <= hidden


def test_a_reader_in_several_audiences_counts_in_one_group(survey, answer):
    for _ in range(6):
        answer(survey, slugs=["management", "mitarbeitende"])
    for _ in range(5):
        answer(survey, slugs=["mitarbeitende"])
    results = survey_results(survey)
    sizes = {g.key: g.size for g in results.groups}
    assert sum(sizes.values()) == results.total == 11
    assert sizes == {"management": 6, "mitarbeitende": 5}


def test_suppression_rule():
    assert suppressed({"a": 10, "b": 9}, 5) == set()
    assert suppressed({"a": 10, "b": 9, "c": 3}, 5) == {"b", "c"}
    assert suppressed({"a": 10, "b": 2, "c": 3}, 5) == {"b", "c"}
    assert suppressed({"a": 10, "b": 9, "c": 3}, 5, already={"a"}) == {"a", "c"}
    assert suppressed({"a": 3}, 5) == {"a"}


def test_minimum_group_size_setting_has_a_floor(db):
    from django.core.exceptions import ValidationError

    settings = SurveySettings.load()
    assert settings.min_group_size == 5
    settings.min_group_size = 2
    with pytest.raises(ValidationError):
        settings.full_clean()
    settings.min_group_size = 3
    settings.full_clean()
    settings.save()
    assert min_group_size() == 3


def test_free_texts_for_editors_after_the_minimum(survey, answer):
    for i in range(5):
        answer(survey, text=f"Idea {i}", multiple=["Speed"])
    texts = free_texts(survey)
    assert len(texts) == 1
    question, items = texts[0]
    assert question == q(survey, QuestionKind.TEXT)
    assert sorted(text for _key, text in items) == [f"Idea {i}" for i in range(5)]
    # Shuffled anew each time: no order of the storage shows through.
    orders = {tuple(key for key, _text in free_texts(survey)[0][1]) for _ in range(20)}
    assert len(orders) > 1
