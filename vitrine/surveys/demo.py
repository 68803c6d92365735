"""The demo surveys of the Muster AG: two closed waves of one series, a results page, an open one.

Used by `load_demo` after the improvement register's demo. The answers go through the normal
service, dated within each wave. The spring wave has enough answers for results and a
breakdown; the ITSM roles stay under the minimum group size, so they are suppressed (and a
second group with them). Safe to run again: what exists stays as it is.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from vitrine.portal.demo.dating import date_page

from .choices import QuestionKind
from .forms import Cleaned
from .models import SurveyPage, SurveyQuestion, SurveyResultsPage, SurveySeries
from .results import survey_results
from .services import answers_land, response_submit

SERIES_TITLE = "Zufriedenheit mit dem Lizenzmanagement"
INTRO = (
    "Wie gut unterstützt Sie das Lizenzmanagement, wenn Sie Software brauchen? Die Umfrage "
    "dauert drei Minuten. Ihre Antworten sind anonym: Wir speichern weder Ihren Namen noch die "
    "Uhrzeit, nur den Tag. Was wir daraus machen, lesen Sie hier im Portal."
)
THANK_YOU = (
    "Danke! Wir werten alle Antworten nach dem Ende der Umfrage aus und berichten hier, was "
    "wir daraus machen – auch, was wir nicht ändern können, und warum."
)
OPTIONS_CHANNEL = [
    "Über den Softwarekatalog im Portal",
    "Über den Service Desk",
    "Per E-Mail an das Lizenzmanagement",
    "Über meine Teamleitung",
]
OPTIONS_IMPROVE = [
    "Kürzere Lieferzeiten",
    "Verständlichere Regeln",
    "Bessere Erreichbarkeit",
    "Mehr Informationen zu Kosten",
]
FREE_TEXTS = [
    "Die Lieferzeit für Spezialsoftware ist oft nicht absehbar. Ein Status wäre hilfreich.",
    "Der Katalog ist super, aber ich finde nicht, welche Alternative sofort verfügbar ist.",
    "Danke für die schnelle Hilfe beim Audit-Fragebogen!",
    "Bitte erklären, warum eine Lizenz zurückgeholt wird, bevor sie weg ist.",
    "Für Budgetplanung brauche ich die Verlängerungstermine früher.",
    "Visio wurde mir nach drei Wochen bereitgestellt, das war zu lang.",
    "Die Ansprechpartner sind sehr freundlich und kompetent.",
]

# Per wave: (days ago it opened, days it ran, answers per audience). None is a reader
# without a specific audience (not logged in or not assigned). A wave is named after the
# season it opened in ("Herbst 2026"), whatever day the demo is loaded. The latest wave
# closed before the board's items from it were opened (the first of them 160 days ago).
WAVES = [
    (380, 21, {"mitarbeitende": 22, "budgetverantwortliche": 10, None: 9}),
    (
        200,
        21,
        {
            "mitarbeitende": 26,
            "budgetverantwortliche": 14,
            "management": 9,
            "itsm-rollen": 3,
            None: 12,
        },
    ),
]
SEASONS = {
    **dict.fromkeys((12, 1, 2), "Winter"),
    **dict.fromkeys((3, 4, 5), "Frühjahr"),
    **dict.fromkeys((6, 7, 8), "Sommer"),
    **dict.fromkeys((9, 10, 11), "Herbst"),
}


def season(day: datetime.date) -> str:
    """The season a day falls in, with its year: "Herbst 2026", "Winter 2026/27"."""
    name = SEASONS[day.month]
    if name != "Winter":
        return f"{name} {day.year}"
    first = day.year if day.month == 12 else day.year - 1
    return f"Winter {first}/{(first + 1) % 100:02d}"


def _slug_part(text: str) -> str:
    german = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "/": "-", " ": "-"})
    return text.lower().translate(german)


def answers_in(wave: tuple) -> int:
    """How many answers a wave of WAVES receives (all of them land)."""
    return sum(wave[-1].values())


# The number every demo text gives for the latest wave's participants.
LATEST_WAVE_ANSWERS = answers_in(WAVES[-1])

OPEN_SURVEY = {
    "slug": "kurzumfrage-softwarekatalog",
    "title": "Kurzumfrage: Finden Sie im Softwarekatalog, was Sie brauchen?",
    "intro": (
        "Seit einigen Wochen zeigt der Softwarekatalog Lieferzeiten und Alternativen. Hilft "
        "Ihnen das? Zwei Fragen, eine Minute, anonym."
    ),
}
RESULTS_DAYS_AGO = 170  # the results page came out ten days after the latest wave closed
RESULTS = {
    "slug": "ergebnisse",
    "title": "Sie haben gesagt – wir haben gehandelt: Zufriedenheit {season}",
    "benefit": "Sie sehen, was sich durch Ihre Antworten ändert – und bis wann.",
    "key_results": (
        f"<p>{LATEST_WAVE_ANSWERS} Kolleginnen und Kollegen haben geantwortet, deutlich mehr "
        "als im {earlier}. Die "
        "Unterstützung insgesamt bewerten Sie besser als im {earlier}. Am wenigsten zufrieden sind "
        "Sie mit der Dauer, bis bestellte Software bereitsteht: Nur {satisfied} % sind damit "
        "zufrieden.</p><p>Ganz oben auf Ihrer Liste: {wishes}.</p>"
    ),
    "takeaways": (
        "<p>Lieferzeiten sind unser wichtigstes Thema. Wir zeigen sie künftig im "
        "Softwarekatalog, und wir holen ungenutzte Lizenzen schneller zurück, damit sie für "
        "Ihre Anfrage frei sind.</p><p>Regeln erklären wir dort, wo Sie sie brauchen: im "
        "Katalogeintrag, nicht in einer Richtlinie. Was wir davon schon umsetzen, sehen Sie "
        "unten – mit Stand und Termin.</p>"
    ),
}


def _questions() -> list[SurveyQuestion]:
    return [
        SurveyQuestion(
            kind=QuestionKind.RATING,
            text="Wie bewerten Sie die Unterstützung durch das Lizenzmanagement insgesamt?",
            required=True,
            low_label="sehr schlecht",
            high_label="sehr gut",
            compare_key="gesamt",
        ),
        SurveyQuestion(
            kind=QuestionKind.CSAT,
            text="Wie zufrieden sind Sie mit der Dauer, bis bestellte Software bereitsteht?",
            low_label="sehr unzufrieden",
            high_label="sehr zufrieden",
            compare_key="lieferzeit",
        ),
        SurveyQuestion(
            kind=QuestionKind.NPS,
            text=(
                "Wie wahrscheinlich ist es, dass Sie das Lizenzmanagement Kolleginnen und "
                "Kollegen als Ansprechpartner empfehlen?"
            ),
            low_label="gar nicht wahrscheinlich",
            high_label="äußerst wahrscheinlich",
            compare_key="empfehlung",
        ),
        SurveyQuestion(
            kind=QuestionKind.SINGLE,
            text="Wie fragen Sie Software meistens an?",
            options="\n".join(OPTIONS_CHANNEL),
        ),
        SurveyQuestion(
            kind=QuestionKind.MULTIPLE,
            text="Was sollten wir zuerst verbessern?",
            help_text="Mehrere Antworten möglich.",
            options="\n".join(OPTIONS_IMPROVE),
            allow_other=True,
        ),
        SurveyQuestion(
            kind=QuestionKind.TEXT,
            text="Was möchten Sie uns noch sagen?",
            help_text="Bitte nennen Sie keine Namen.",
        ),
    ]


def _publish(parent, page, slug: str, when: datetime.date | datetime.datetime):
    """Publish `page` below `parent`, dated `when` of the story."""
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    date_page(page, when)
    return type(page).objects.get(pk=page.pk)


def _answers(survey: SurveyPage, rng: random.Random, better: float) -> list[Cleaned]:
    rating, csat, nps, single, multiple, text = survey.ordered_questions
    answers = [
        Cleaned(
            question=rating, values=(str(min(5, max(1, round(rng.gauss(3.2 + better, 0.9))))),)
        ),
        Cleaned(question=csat, values=(str(min(5, max(1, round(rng.gauss(2.9 + better, 1.1))))),)),
        Cleaned(question=nps, values=(str(min(10, max(0, round(rng.gauss(7 + better, 2))))),)),
        Cleaned(question=single, values=(rng.choices(OPTIONS_CHANNEL, [5, 3, 2, 1])[0],)),
    ]
    chosen = tuple(rng.sample(OPTIONS_IMPROVE, rng.randint(1, 2)))
    other = "Schulungen zu neuer Software" if rng.random() < 0.08 else ""
    answers.append(Cleaned(question=multiple, values=chosen, text=other))
    if rng.random() < 0.2:
        answers.append(Cleaned(question=text, text=rng.choice(FREE_TEXTS)))
    return answers


def _fill(survey: SurveyPage, per_group: dict, seed: int, better: float) -> None:
    rng = random.Random(seed)
    days = max((survey.closes_at - survey.opens_at).days, 1)
    for slug, count in per_group.items():
        for _ in range(count):
            when = survey.opens_at + datetime.timedelta(days=rng.randrange(days), hours=2)
            response_submit(
                survey=survey,
                answers=_answers(survey, rng, better),
                audience_slugs=[slug] if slug else [],
                now=when,
            )
    answers_land(survey)  # the wave has closed: what still waits lands now


def _key_numbers(survey: SurveyPage) -> dict[str, str]:
    """What the key results cite from the wave's own results: the share satisfied with the
    lead time (as the results page rounds it) and the two wishes chosen most."""
    results = survey_results(survey)
    lead_time = next(q for q in results.questions if q.question.compare_key == "lieferzeit")
    wishes = next(q for q in results.questions if q.question.kind == QuestionKind.MULTIPLE)
    top = sorted(
        (row for row in wishes.rows if row.label in OPTIONS_IMPROVE), key=lambda row: -row.count
    )[:2]
    named = [row.label[0].lower() + row.label[1:] for row in top]
    return {"satisfied": f"{lead_time.csat:.0f}", "wishes": " und ".join(named)}


def _link_items(results_page: SurveyResultsPage) -> None:
    """Point the register's demo items from this survey at the results page."""
    try:
        from vitrine.improvements import demo as improvements_demo
        from vitrine.improvements.models import ImprovementItem
    except ImportError:
        return
    old_url = getattr(improvements_demo, "SURVEY_URL", "")
    if old_url and results_page.url:
        ImprovementItem.objects.filter(source="survey", source_url=old_url).update(
            source_url=results_page.url
        )


@transaction.atomic
def load_demo_surveys(now: datetime.datetime | None = None) -> bool:
    """Create the demo surveys below the home page; False when they exist already."""
    from vitrine.portal.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        return False
    now = now or timezone.now()
    created = False
    series, _ = SurveySeries.objects.get_or_create(
        title=SERIES_TITLE,
        defaults={"description": "Jährlich zweimal: Wie zufrieden sind Sie mit uns?"},
    )
    waves = []
    existing = list(SurveyPage.objects.filter(series=series).order_by("opens_at"))
    for index, (opened_days_ago, ran_days, per_group) in enumerate(WAVES):
        survey = existing[index] if index < len(existing) else None
        if survey is None:
            opens = now - datetime.timedelta(days=opened_days_ago)
            named = season(timezone.localdate(opens))
            slug = f"umfrage-zufriedenheit-{_slug_part(named)}"
            survey = SurveyPage(
                title=f"{SERIES_TITLE} – {named}",
                intro=INTRO,
                opens_at=opens,
                closes_at=opens + datetime.timedelta(days=ran_days),
                series=series,
                allow_contact=True,
                thank_you=THANK_YOU,
                benefit="Ihre Antworten entscheiden, was wir zuerst verbessern.",
            )
            survey.questions = _questions()
            survey = _publish(home, survey, slug, survey.opens_at)
            _fill(survey, per_group, seed=2025 + index, better=0.5 * index)
            created = True
        waves.append(survey)
    results_page = SurveyResultsPage.objects.child_of(waves[-1]).first()
    if results_page is None:
        seasons = [season(timezone.localdate(wave.opens_at)) for wave in waves]
        page = SurveyResultsPage(
            title=RESULTS["title"].format(season=seasons[-1]),
            benefit=RESULTS["benefit"],
            key_results=RESULTS["key_results"].format(
                earlier=seasons[-2].split()[0], **_key_numbers(waves[-1])
            ),
            takeaways=RESULTS["takeaways"],
            date=timezone.localdate(now) - datetime.timedelta(days=RESULTS_DAYS_AGO),
        )
        results_page = _publish(waves[-1], page, RESULTS["slug"], page.date)
        created = True
    _link_items(results_page)
    if not SurveyPage.objects.filter(slug=OPEN_SURVEY["slug"]).exists():
        survey = SurveyPage(
            title=OPEN_SURVEY["title"],
            intro=OPEN_SURVEY["intro"],
            opens_at=now - datetime.timedelta(days=3),
            closes_at=now + datetime.timedelta(days=18),
            thank_you=THANK_YOU,
        )
        survey.questions = [
            SurveyQuestion(
                kind=QuestionKind.RATING,
                text="Wie gut finden Sie im Softwarekatalog, was Sie brauchen?",
                required=True,
                low_label="gar nicht",
                high_label="sehr gut",
            ),
            SurveyQuestion(
                kind=QuestionKind.TEXT,
                text="Was fehlt Ihnen im Katalog?",
                help_text="Bitte nennen Sie keine Namen.",
            ),
        ]
        # Meant for everyone: no audiences, so readers who are not signed in find it too.
        _publish(home, survey, OPEN_SURVEY["slug"], survey.opens_at)
        created = True
    return created
