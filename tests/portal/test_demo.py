"""The demo company loads fully, and a second run changes and duplicates nothing."""

import datetime
import re
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from wagtail.models import Page, Revision, Workflow, WorkflowState

from vitrine.catalog.choices import HowToGet
from vitrine.catalog.models import CatalogEntry, CatalogPage
from vitrine.figures.models import FigureSeries
from vitrine.improvements.choices import Status
from vitrine.improvements.models import ImprovementBoardPage, ImprovementItem
from vitrine.portal.demo.dating import GERMAN_MONTHS
from vitrine.portal.models import Contact, InfoBlockPage, LifecyclePage, NewsFlash, NewsPage
from vitrine.portal.selectors import active_news_flashes
from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.models import Response, SurveyPage, SurveyResultsPage
from vitrine.surveys.results import survey_results
from vitrine.surveys.selectors import items_from_survey

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "entries": CatalogEntry.objects.count(),
        "flashes": NewsFlash.objects.count(),
        "contacts": Contact.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_has_the_promised_substance(home):
    call_command("load_demo", stdout=StringIO())
    assert InfoBlockPage.objects.live().count() == 4
    assert {b.kind for b in InfoBlockPage.objects.all()} == {
        "tasks_goals",
        "organisation_processes",
        "procedures_rules",
        "contacts",
    }
    assert NewsPage.objects.live().count() >= 8
    aimed_at = {a.slug for n in NewsPage.objects.live() for a in n.audiences.all()}
    assert {"management", "budgetverantwortliche", "mitarbeitende", "itsm-rollen"} <= aimed_at
    assert CatalogEntry.objects.count() >= 30
    assert CatalogEntry.objects.values("category").distinct().count() >= 6
    assert len(active_news_flashes([])) == 1
    assert LifecyclePage.objects.get().stages.count() == 6
    pending = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert pending.count() == 1
    assert pending.get().workflow.name == "Freigabe"


def test_demo_twice_changes_nothing(home):
    call_command("load_demo", stdout=StringIO())
    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "nothing changed" in out.getvalue()


def test_ensure_admin_creates_once_and_prints_the_password():
    first = StringIO()
    call_command("ensure_admin", stdout=first)
    admin = get_user_model().objects.get(username="admin")
    lines = first.getvalue().splitlines()
    password = next(line.split(":", 1)[1].strip() for line in lines if "password" in line)
    assert admin.check_password(password) and admin.is_superuser
    second = StringIO()
    call_command("ensure_admin", stdout=second)
    admin.refresh_from_db()
    assert admin.check_password(password)
    assert password not in second.getvalue()


# -- one story: what one page says, the others and the data say too ------------------------
# The demo is loaded once for the tests below and rolled back after the last of them.


@pytest.fixture(scope="module")
def story(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def number_before(words: str, text: str) -> int:
    """The number written in digits right before `words` in `text`."""
    match = re.search(r"(\d[\d.]*)\s+" + re.escape(words), strip_tags(text))
    assert match, f"no number before {words!r} in {text!r}"
    return int(match.group(1).replace(".", ""))


def test_news_and_results_page_count_the_same_survey_participants(story):
    news = NewsPage.objects.get(slug="umfrage-ergebnisse-zufriedenheit")
    results_page = SurveyResultsPage.objects.live().get()
    answered = Response.objects.filter(survey=results_page.survey).count()
    assert answered > 0
    people = "Kolleginnen und Kollegen haben"
    assert number_before(f"{people} an unserer Umfrage", news.teaser) == answered
    assert number_before(f"{people} geantwortet", results_page.key_results) == answered


NUMBER_WORDS = {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8}


def test_the_team_has_as_many_people_as_the_news_says(story, client):
    news = NewsPage.objects.get(slug="wer-wir-sind")
    said = NUMBER_WORDS[news.title.split()[0].lower()]
    assert re.search(rf"\b{news.title.split()[0].lower()} Kolleginnen und Kollegen", news.body)
    organisation = InfoBlockPage.objects.get(kind="organisation_processes")
    html = client.get(organisation.url).content.decode()
    team = html.split("Das Team</h2>", 1)[1].split("<h2", 1)[0]
    assert team.count("<li") == said


def test_an_anonymous_reader_finds_the_open_survey_on_the_home_page(story, client):
    survey = SurveyPage.objects.get(slug="kurzumfrage-softwarekatalog")
    assert survey.is_open()
    html = client.get("/").content.decode()
    assert survey.title in html
    assert f'href="{survey.url}"' in html


def test_the_boards_call_for_ideas_links_to_the_team(story, client):
    board = ImprovementBoardPage.objects.get()
    html = client.get(board.url).content.decode()
    call = html.split("Sie haben eine Idee?", 1)[1].split("</p>", 1)[0]
    team = Contact.objects.get(name="Team Lizenzmanagement")
    assert f'href="mailto:{team.email}"' in call


def test_a_reader_who_is_not_signed_in_sees_most_of_the_board(story, client):
    board = ImprovementBoardPage.objects.get()
    html = client.get(board.url).content.decode()
    titles = list(ImprovementItem.objects.values_list("title", flat=True))
    seen = [title for title in titles if escape(title) in html]
    assert len(titles) >= 14
    assert len(seen) >= 10, seen


def test_each_step_of_the_approval_workflow_has_a_demo_member(story):
    workflow = Workflow.objects.get(name="Freigabe")
    steps = [task.specific for task in workflow.tasks]
    assert {step.name for step in steps} >= {"Kommunikation", "Betriebsrat"}
    for step in steps:
        members = get_user_model().objects.filter(groups__in=step.groups.all(), is_active=True)
        assert members.exists(), step.name


def test_pages_carry_the_dates_of_their_story(story, client):
    news = list(NewsPage.objects.live())
    for page in news:
        assert timezone.localtime(page.first_published_at).date() == page.date, page.slug
        assert timezone.localtime(page.last_published_at).date() == page.date, page.slug
    assert len({page.first_published_at for page in news}) == len(news)
    # No page says it went out the moment the demo was loaded.
    a_day_ago = timezone.now() - datetime.timedelta(days=1)
    fresh = Page.objects.live().filter(depth__gt=1, last_published_at__gt=a_day_ago)
    assert list(fresh.values_list("slug", flat=True)) == []
    # The feed dates its entries the same way.
    feed = ElementTree.fromstring(client.get("/feeds/all.atom").content)
    atom = "{http://www.w3.org/2005/Atom}"
    by_link = {
        entry.find(f"{atom}link").get("href"): entry.find(f"{atom}published").text
        for entry in feed.iter(f"{atom}entry")
    }
    for page in news:
        link = next((href for href in by_link if href.endswith(page.url)), None)
        if link is not None:
            published = datetime.datetime.fromisoformat(by_link[link])
            assert timezone.localtime(published).date() == page.date, page.slug
    assert any(href.endswith(page.url) for page in news for href in by_link)


def test_self_service_is_as_quick_as_the_texts_promise(story, client):
    catalog = CatalogPage.objects.get()
    promise = "„Self-Service“ installieren Sie selbst, ohne Genehmigung und noch am selben Tag"
    assert promise in client.get(catalog.url).content.decode()
    news = NewsPage.objects.get(slug="softwarekatalog-online")
    assert "noch am selben Tag" in news.body
    self_service = CatalogEntry.objects.filter(how_to_get=HowToGet.SELF_SERVICE)
    assert self_service.count() >= 10
    for entry in self_service:
        url = catalog.url + catalog.reverse_subpage("entry", args=[entry.slug])
        html = client.get(url).content.decode()
        assert "am selben Tag" in html, entry.product
        assert "Arbeitstag" not in html, entry.product
    listing = client.get(catalog.url, {"q": self_service.first().product}).content.decode()
    assert "Am selben Tag" in listing


def test_texts_count_the_catalog_as_it_is(story):
    entries = CatalogEntry.objects.all()
    to_be_had = entries.exclude(how_to_get=HowToGet.NOT_ALLOWED)
    assert to_be_had.filter(lead_time_days__isnull=True).count() == 0
    news = NewsPage.objects.get(slug="softwarekatalog-online")
    assert number_before("Programme auf", news.title) == entries.count()
    assert number_before("Programme, die Sie bekommen können", news.body) == to_be_had.count()
    survey_news = NewsPage.objects.get(slug="umfrage-ergebnisse-zufriedenheit")
    said = number_before("Programme, die Sie bekommen können", survey_news.body)
    assert said == to_be_had.count()
    item = ImprovementItem.objects.get(title="Softwarekatalog um Lieferzeiten ergänzen")
    done = list(item.history())[-1]
    assert number_before("Katalogeinträge, die Sie bekommen können", done.note) == said
    # The news that the catalog shows lead times comes when they were done, not weeks later.
    assert news.date == timezone.localtime(done.changed_at).date() + datetime.timedelta(days=1)


def report_day(text: str) -> datetime.date:
    """The day of "vom 2. September 2026" in `text`."""
    match = re.search(r"vom (\d{1,2})\. (\w+) (\d{4})", text)
    assert match, text
    return datetime.date(
        int(match.group(3)), GERMAN_MONTHS.index(match.group(2)) + 1, int(match.group(1))
    )


def test_unused_licences_in_the_texts_are_those_of_the_figures(story):
    series = FigureSeries.objects.get(key="cloud_inactivity.total")
    shown = {snapshot.date: int(snapshot.value) for snapshot in series.snapshots.all()}
    item = ImprovementItem.objects.get(title__startswith="Microsoft-365-Konten nach 90 Tagen")
    note = list(item.history())[-1].note
    freed = number_before("ungenutzte Lizenzen aus dem Aktivitätsbericht", note)
    assert shown[report_day(note)] == freed
    news = NewsPage.objects.get(slug="microsoft-365-ernte-spart-geld")
    assert number_before("ungenutzte Lizenzen zurückgeholt", news.title) == freed
    assert number_before("Lizenzen weniger", news.teaser) == freed
    # The news cites the latest report it could know on its day.
    latest = max(day for day in shown if day <= news.date)
    assert report_day(news.body) == latest
    assert number_before("Lizenzen ohne Nutzung", news.body) == shown[latest]


SEASON_MONTHS = {
    "Winter": (12, 1, 2),
    "Frühjahr": (3, 4, 5),
    "Sommer": (6, 7, 8),
    "Herbst": (9, 10, 11),
}


def test_survey_waves_are_named_after_the_season_they_ran_in(story, client):
    waves = list(SurveyPage.objects.filter(series__isnull=False).order_by("opens_at"))
    assert len(waves) == 2
    named = []
    for wave in waves:
        match = re.search(r"– (Winter|Frühjahr|Sommer|Herbst) (\d{4})(/\d\d)?$", wave.title)
        assert match, wave.title
        opened = timezone.localtime(wave.opens_at).date()
        assert opened.month in SEASON_MONTHS[match.group(1)], (wave.title, opened)
        assert int(match.group(2)) == opened.year - (opened.month < 3), (wave.title, opened)
        assert match.group(1).lower().replace("ü", "ue") in wave.slug
        named.append(match.group(0)[2:])
    results_page = SurveyResultsPage.objects.live().get()
    assert results_page.title.endswith(named[-1])
    earlier = named[0].split()[0]
    assert f"als im {earlier}" in results_page.key_results


def is_first_thursday(day: datetime.date) -> bool:
    return day.weekday() == 3 and day.day <= 7


def test_key_user_open_hours_fall_on_first_thursdays_the_board_and_news_agree_on(story):
    news = NewsPage.objects.get(slug="key-user-sprechstunde")
    item = ImprovementItem.objects.get(title="Monatliche Key-User-Sprechstunde")
    done = list(item.history())[-1]
    first = timezone.localtime(done.changed_at).date()
    assert is_first_thursday(first)
    assert report_day(done.note.replace("am ", "vom ", 1)) == first
    said_first = report_day(news.body.replace("Sprechstunde am ", "Sprechstunde vom ", 1))
    assert said_first == first
    assert number_before("Key-User und Teamleitungen", news.body) == number_before(
        "Teilnehmende", done.note
    )
    following = report_day(news.title.replace("ist am ", "vom ", 1))
    assert is_first_thursday(following)
    assert news.date <= following <= news.date + datetime.timedelta(days=35)
    assert "Neu:" not in news.title


def test_the_results_page_says_what_its_wave_answered_and_lists_what_came_after(story):
    page = SurveyResultsPage.objects.live().get()
    results = survey_results(page.survey)
    by_kind = {question.question.kind: question for question in results.questions}
    lead_time = by_kind[QuestionKind.CSAT]
    assert number_before("% sind damit zufrieden", page.key_results) == round(lead_time.csat)
    counts = {row.label.lower(): row.count for row in by_kind[QuestionKind.MULTIPLE].rows}
    wishes = re.search(r"Ganz oben auf Ihrer Liste: (.+?)\.", strip_tags(page.key_results))
    named = wishes.group(1).lower().split(" und ")
    assert len(named) == 2
    assert (
        sorted((counts[wish] for wish in named), reverse=True)
        == sorted(counts.values(), reverse=True)[:2]
    )
    # What the page lists as made of the answers was opened after the survey had closed.
    items = items_from_survey(page.survey)
    assert len(items) >= 3
    for item in items:
        assert item.created_at > page.survey.closes_at, item.title
    assert timezone.localtime(page.survey.closes_at).date() < page.date


def test_the_news_flash_and_the_board_name_the_same_adobe_switch(story):
    flash = NewsFlash.objects.get()
    item = ImprovementItem.objects.get(title__startswith="Adobe-Lizenzen auf Named-User")
    switch = report_day(flash.text.replace("Am ", "vom ", 1))
    assert switch == item.target_date
    assert item.status in (Status.PLANNED, Status.IN_PROGRESS)
    assert timezone.localdate() < switch
    assert flash.is_active(timezone.now())
    assert flash.starts_at.date() < switch < timezone.localtime(flash.ends_at).date()


def test_the_renewal_call_names_a_coming_quarter_and_one_reply_date(story):
    news = NewsPage.objects.get(slug="verlaengerungen-im-ersten-quartal")
    quarter = re.search(r"im (ersten|zweiten|dritten|vierten) Quartal (\d{4})", news.title)
    assert quarter, news.title
    number = ("ersten", "zweiten", "dritten", "vierten").index(quarter.group(1)) + 1
    starts = datetime.date(int(quarter.group(2)), 3 * number - 2, 1)
    assert news.date < starts <= news.date + datetime.timedelta(days=92)
    reply_dates = {
        report_day(text.replace("bis zum ", "vom ")) for text in (news.teaser, news.body)
    }
    assert len(reply_dates) == 1
    assert news.date < reply_dates.pop() < starts


def test_the_quarterly_news_reports_the_quarter_before_and_the_figures_as_imported(story):
    news = NewsPage.objects.get(slug="lizenzmanagement-in-zahlen")
    quarter = re.search(r"das (erste|zweite|dritte|vierte) Quartal (\d{4})", news.title)
    assert quarter, news.title
    number = ("erste", "zweite", "dritte", "vierte").index(quarter.group(1)) + 1
    ends = datetime.date(int(quarter.group(2)) + (number == 4), 3 * number % 12 + 1, 1)
    assert ends <= news.date < ends + datetime.timedelta(days=92)
    cad = FigureSeries.objects.get(key="utilisation.autocad")
    reported = report_day(news.body)
    assert reported <= news.date
    value = cad.snapshots.get(date=reported).value
    assert number_before("Prozent ausgelastet", news.body) == round(value)
