"""The lifecycle page: the stages in order, what happens, who acts, how to speed it up."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from tests.conftest import add_child
from vitrine.portal.models import LifecyclePage, LifecycleStage

pytestmark = pytest.mark.django_db

STAGES = [
    ("request", "Bedarf melden", "Sie beschreiben, wofür Sie die Software brauchen.", "Sie", ""),
    (
        "approval",
        "Freigabe",
        "Ihre Führungskraft und die Kostenstelle geben frei.",
        "Führungskraft, Budgetverantwortliche",
        "Nennen Sie gleich die Kostenstelle.",
    ),
    (
        "procurement",
        "Beschaffung",
        "Der IT-Einkauf bestellt – oder wir nehmen eine freie Lizenz aus dem Pool.",
        "IT-Einkauf, Lizenzmanagement",
        "Prüfen Sie im Katalog, ob es eine Alternative gibt.",
    ),
]


@pytest.fixture
def lifecycle(home):
    page = LifecyclePage(
        title="Von der Anfrage bis zur Rückgabe",
        slug="lebenszyklus",
        intro="<p>So kommt Software zu Ihnen – und wieder zurück.</p>",
    )
    # Added out of order on purpose: the editor's order (sort_order) decides.
    for order, (key, title, happens, who, speed) in reversed(list(enumerate(STAGES))):
        page.stages.add(
            LifecycleStage(
                stage=key,
                title=title,
                what_happens=happens,
                who_acts=who,
                speed_up=speed,
                sort_order=order,
            )
        )
    return add_child(home, page)


def _main(response) -> str:
    content = response.content.decode()
    return content[content.index("<main") :]


def test_the_stages_appear_in_order_with_what_happens_who_acts_and_how_to_speed_up(
    client, lifecycle
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    main = _main(client.get(lifecycle.url))

    assert re.findall(r"<h2>([^<]*)</h2>", main) == ["Bedarf melden", "Freigabe", "Beschaffung"]
    assert "<h1>Von der Anfrage bis zur Rückgabe</h1>" in main
    assert "So kommt Software zu Ihnen" in main
    assert "Ihre Führungskraft und die Kostenstelle geben frei." in main
    assert "Führungskraft, Budgetverantwortliche" in main
    assert "Nennen Sie gleich die Kostenstelle." in main
    assert main.count('<dt lang="en">What happens</dt>') == 3
    assert main.count('<dt lang="en">Who acts</dt>') == 3
    # The first stage has no tip, so it gets no empty heading for one.
    assert main.count('<dt lang="en">What you can do to speed it up</dt>') == 2
    assert '<li class="stage" id="phase-approval">' in main


def test_without_figures_measured_stages_say_so_and_others_stay_quiet(client, lifecycle):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    main = _main(client.get(lifecycle.url))

    request_stage = main[main.index('id="phase-request"') : main.index('id="phase-approval"')]
    approval_stage = main[main.index('id="phase-approval"') : main.index('id="phase-procurement"')]
    assert "stage__figure" not in request_stage  # the request itself is not measured
    assert "No lead times measured yet" in approval_stage
    assert "Median lead time" not in main
    assert "How long it takes today" not in main


def test_the_lead_time_place_shows_a_figure_once_one_is_given():
    stage = LifecycleStage(stage="approval", title="Freigabe")
    with_figure = render_to_string(
        "portal/includes/stage_lead_time.html",
        {"stage": stage, "lead_time": SimpleNamespace(median_days=3, p90_days=8)},
    )
    without = render_to_string("portal/includes/stage_lead_time.html", {"stage": stage})

    assert 'class="stage__figure"' in with_figure
    assert "3" in with_figure and "8" in with_figure
    assert without.strip() == ""


def test_imported_lead_times_appear_live_with_their_month_and_sample_size(
    client, lifecycle, settings
):
    from vitrine.figures.services import figures_import

    settings.VITRINE_MIN_SAMPLE = 2

    log = (
        "Anfrage-ID;Produkt;Angefragt;Genehmigt;Bestellt;Bereitgestellt;Status\n"
        "R1;Visio;02.03.2026 09:00;03.03.2026 09:00;04.03.2026 09:00;06.03.2026 09:00;Erledigt\n"
        "R2;Visio;09.03.2026 09:00;11.03.2026 21:00;12.03.2026 09:00;16.03.2026 09:00;Erledigt\n"
        "R3;Zoom;01.02.2026 09:00;05.02.2026 09:00;;;Offen\n"
    )
    run = figures_import(source=log.encode(), filename="anfragen.csv")
    assert run.status == "succeeded"

    main = _main(client.get(lifecycle.url, HTTP_ACCEPT_LANGUAGE="de"))
    approval = main[main.index('id="phase-approval"') : main.index('id="phase-procurement"')]
    procurement = main[main.index('id="phase-procurement"') :]
    # March: 1 and 2.5 days to approval; February's 4 days are older and not shown.
    assert "Durchlaufzeit im Median: 1,8 Tage" in approval
    assert "Stand: März 2026, gemessen an 2 Anfragen" in approval
    assert "Durchlaufzeit im Median: 0,8 Tage" in procurement  # 1 and 0.5 days


def test_one_day_reads_in_the_singular(client, lifecycle, settings):
    from vitrine.figures.services import figures_import

    settings.VITRINE_MIN_SAMPLE = 1

    log = (
        "Anfrage-ID;Produkt;Angefragt;Genehmigt;Bestellt;Bereitgestellt;Status\n"
        "R1;Visio;02.03.2026 09:00;03.03.2026 09:00;04.03.2026 09:00;05.03.2026 09:00;Erledigt\n"
    )
    figures_import(source=log.encode(), filename="anfragen.csv")
    main = _main(client.get(lifecycle.url, HTTP_ACCEPT_LANGUAGE="de"))
    assert "Durchlaufzeit im Median: 1 Tag ·" in main
    assert "9 von 10 Anfragen innerhalb von 1 Tag" in main
    assert "gemessen an 1 Anfrage<" in main
    assert "1 Tage" not in main
    assert "So lange dauert es heute" in main


def _lead_time_figures(requests: int, *, share_requests: int | None = None) -> None:
    """Lead times of March 2026 measured on `requests` requests, and the catalog share."""
    from vitrine.figures.models import FigureSeries, Snapshot

    for stage in ("request_to_approval", "end_to_end"):
        series = FigureSeries.objects.create(
            key=f"lead_time.{stage}", title=stage, unit="days", topic="lead_time"
        )
        Snapshot.objects.create(
            series=series,
            date=datetime.date(2026, 3, 1),
            value=Decimal("1.5"),
            extra={"p90_days": 4, "requests": requests},
        )
    share = FigureSeries.objects.create(
        key="lead_time.within_catalog", title="share", unit="%", topic="lead_time"
    )
    count = requests if share_requests is None else share_requests
    Snapshot.objects.create(
        series=share,
        date=datetime.date(2026, 3, 1),
        value=Decimal(100),
        extra={"requests": count, "within": count},
    )


@pytest.mark.parametrize(
    ("language", "expected", "hidden"),
    [
        (
            "de",
            "1 Anfrage gemessen (Stand: März 2026) – zu wenige Anfragen für eine Aussage.",
            ["9 von 10", "Median", "100 %", "Hälfte"],
        ),
        (
            "en",
            "1 request measured (as of March 2026) – too few requests for a statement.",
            ["9 out of 10", "Median", "100 %", "half of all"],
        ),
    ],
)
def test_below_the_minimum_sample_only_the_count_shows(
    client, lifecycle, language, expected, hidden
):
    _lead_time_figures(1)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    main = _main(client.get(lifecycle.url))

    approval = main[main.index('id="phase-approval"') : main.index('id="phase-procurement"')]
    assert expected in approval
    summary = main[main.index("lead-time-summary") : main.index('class="stages"')]
    assert summary.count(expected) == 2  # from request to installation, and within the catalog
    for text in hidden:
        assert text not in main


def test_the_minimum_sample_is_a_setting_and_reached_it_states_the_figures(
    client, lifecycle, settings
):
    _lead_time_figures(9, share_requests=10)

    main = _main(client.get(lifecycle.url, HTTP_ACCEPT_LANGUAGE="de"))
    assert "9 Anfragen gemessen (Stand: März 2026) – zu wenige Anfragen" in main
    assert "9 von 10 Anfragen" not in main
    assert "100 % der Anfragen" in main  # the share has its ten requests

    settings.VITRINE_MIN_SAMPLE = 9
    main = _main(client.get(lifecycle.url, HTTP_ACCEPT_LANGUAGE="de"))
    assert "zu wenige Anfragen" not in main
    assert "Durchlaufzeit im Median: 1,5 Tage · 9 von 10 Anfragen innerhalb von 4 Tagen" in main
    assert "Stand: März 2026, gemessen an 9 Anfragen" in main


def test_the_lifecycle_page_has_a_breadcrumb(client, home, lifecycle):
    main = _main(client.get(lifecycle.url))

    breadcrumb = re.search(r'<nav class="breadcrumb".*?</nav>', main, re.S).group(0)
    assert f'<a href="{home.url}">Startseite</a>' in breadcrumb
    assert 'aria-current="page">Von der Anfrage bis zur Rückgabe' in breadcrumb


def test_stage_text_is_escaped_and_keeps_its_line_breaks(client, home):
    page = LifecyclePage(title="Lebenszyklus", slug="lebenszyklus")
    page.stages.add(
        LifecycleStage(
            stage="use",
            title="Nutzung <b>",
            what_happens="Erste Zeile\nZweite Zeile <script>alert(1)</script>",
            who_acts="Sie",
        )
    )
    add_child(home, page)

    main = _main(client.get(page.url))

    assert "Erste Zeile<br>Zweite Zeile &lt;script&gt;" in main
    assert "Nutzung &lt;b&gt;" in main
