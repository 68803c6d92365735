"""The lifecycle page: the stages in order, what happens, who acts, how to speed it up."""

import re
from types import SimpleNamespace

import pytest
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
    main = _main(client.get(lifecycle.url, HTTP_ACCEPT_LANGUAGE="en"))

    assert re.findall(r"<h2>([^<]*)</h2>", main) == ["Bedarf melden", "Freigabe", "Beschaffung"]
    assert "<h1>Von der Anfrage bis zur Rückgabe</h1>" in main
    assert "So kommt Software zu Ihnen" in main
    assert "Ihre Führungskraft und die Kostenstelle geben frei." in main
    assert "Führungskraft, Budgetverantwortliche" in main
    assert "Nennen Sie gleich die Kostenstelle." in main
    assert main.count("<dt>What happens</dt>") == 3
    assert main.count("<dt>Who acts</dt>") == 3
    # The first stage has no tip, so it gets no empty heading for one.
    assert main.count("<dt>What you can do to speed it up</dt>") == 2
    assert '<li class="stage" id="phase-approval">' in main


def test_without_figures_measured_stages_say_so_and_others_stay_quiet(client, lifecycle):
    main = _main(client.get(lifecycle.url, HTTP_ACCEPT_LANGUAGE="en"))

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


def test_imported_lead_times_appear_live_with_their_month_and_sample_size(client, lifecycle):
    from vitrine.figures.services import figures_import

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


def test_one_day_reads_in_the_singular(client, lifecycle):
    from vitrine.figures.services import figures_import

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
