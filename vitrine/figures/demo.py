"""The demo company's figures: three waves of sample exports imported as a team would.

Used by `load_demo`. The files are written by the sample-data generator into a temporary
directory and imported through the normal import service, so the demo shows exactly what an
import of real exports shows.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from vitrine.audiences.models import Audience

from .models import FigureSeries, ImportRun, InactivityThreshold, SeriesMeaning, Snapshot
from .sample_data import make_sample_data
from .services import figures_import

EMPLOYEES = 600
# Days before today: half a year of history. The latest exports came in three days ago, the
# day of the news that cites them (portal.demo.content, "microsoft-365-ernte-spart-geld").
WAVES = (185, 94, 3)
FORMATS = ("entitlements", "consumption", "m365")

# What the most-read series mean for each audience, in the team's words.
MEANINGS: dict[str, dict[str, str]] = {
    "cloud_inactivity.total": {
        "alle": "Ein Konto, das niemand nutzt, geben wir frei – damit es der Nächste sofort bekommt.",
        "management": "Jedes Konto ohne Aktivität kostet Lizenzgebühren ohne Gegenwert. Wir holen sie laufend zurück.",
        "budgetverantwortliche": "Ungenutzte Cloud-Konten belasten Ihre Kostenstelle. Wir melden sie Ihnen, bevor wir sie freigeben.",
        "mitarbeitende": "Sie brauchen ein Konto nicht mehr? Sagen Sie es uns – das spart Geld und Aufwand.",
        "itsm-rollen": "Diese Konten sind Kandidaten für die Rücknahme im Offboarding- und Bereinigungsprozess.",
    },
    "cloud_inactivity.yearly_cost": {
        "management": "So viel Geld binden Konten, die seit Monaten niemand genutzt hat – pro Jahr.",
        "budgetverantwortliche": "Dieser Betrag ist Einsparpotenzial, das ohne Einschränkung für die Nutzer gehoben werden kann.",
    },
    "license_position.true_up_cost": {
        "management": "Das ist das finanzielle Risiko bei einem Audit heute: Nachkauf zum Listenpreis.",
        "budgetverantwortliche": "Unterlizenzierte Produkte in Ihrem Bereich: Wir sprechen Sie vor der Bestellung an.",
        "itsm-rollen": "Vor jeder Installation dieser Produkte bitte die freie Lizenz prüfen.",
    },
    "shelfware.cost": {
        "management": "Gekaufte, aber ungenutzte Lizenzen: Geld, das wir bei der nächsten Verlängerung zurückholen.",
        "budgetverantwortliche": "Vor der Verlängerung prüfen wir mit Ihnen, welche Lizenzen wirklich gebraucht werden.",
    },
    "lead_time.end_to_end": {
        "alle": "So lange dauert es im Mittel von Ihrer Anfrage bis zur funktionierenden Installation.",
        "mitarbeitende": "Mit vollständiger Anfrage (Kostenstelle, Begründung) geht es deutlich schneller.",
        "itsm-rollen": "Die Durchlaufzeit misst den ganzen Weg: Genehmigung, Bestellung, Bereitstellung.",
    },
    "lead_time.within_catalog": {
        "alle": "So oft halten wir die Lieferzeit ein, die im Softwarekatalog steht.",
        "management": "Ein Maß für die Verlässlichkeit unserer Zusagen an die Fachbereiche.",
    },
    "renewals.next_four_quarters": {
        "management": "Diese Verlängerungen stehen in den nächsten vier Quartalen an – für Ihre Budgetplanung.",
        "budgetverantwortliche": "Bitte melden Sie bis zum Quartalsbeginn, wenn sich Ihr Bedarf ändert.",
    },
}

DESCRIPTIONS = {
    "cloud_inactivity.total": "Konten mit zugewiesener Cloud-Lizenz, die länger als die Schwelle ihres Produkts (meist 90 Tage) keine Aktivität zeigen oder nie genutzt wurden.",
    "license_position.true_up_cost": "Was ein Nachkauf aller fehlenden Lizenzen zum Einzelpreis kosten würde.",
    "lead_time.end_to_end": "Median der Tage von der Anfrage bis zur Bereitstellung, je Monat.",
}


INACTIVE_SERIES = "cloud_inactivity.total"


def figure_on(key: str, *, on_or_before: date) -> tuple[date, float] | None:
    """A series' value in the latest import up to a day: (its date, value).

    The demo's texts that cite a figure take it from here, so they say what the figures show.
    """
    snapshot = (
        Snapshot.objects.filter(series__key=key, date__lte=on_or_before).order_by("-date").first()
    )
    return (snapshot.date, float(snapshot.value)) if snapshot is not None else None


def inactive_licences(*, on_or_before: date) -> tuple[date, int] | None:
    """The cloud licences without use in the latest import up to a day: (its date, count)."""
    found = figure_on(INACTIVE_SERIES, on_or_before=on_or_before)
    return (found[0], int(found[1])) if found is not None else None


def demo_figures_loaded() -> bool:
    return ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).exists()


def load_demo_figures(*, today: date) -> bool:
    """Import the demo waves once; return whether anything was loaded."""
    if demo_figures_loaded():
        return False
    InactivityThreshold.objects.get_or_create(
        product="Microsoft 365 F3", defaults={"first_days": 14, "second_days": 30, "third_days": 60}
    )
    with tempfile.TemporaryDirectory(prefix="vitrine-demo-") as folder:
        for wave, days_before in enumerate(WAVES):
            as_of = today - timedelta(days=days_before)
            files = make_sample_data(
                employees=EMPLOYEES, out=Path(folder) / str(wave), seed=40 + wave, as_of=as_of
            )
            by_key = {f.format: f for f in files}
            wanted = FORMATS + (("requests_log",) if days_before == WAVES[-1] else ())
            for key in wanted:
                path = by_key[key].path
                run = figures_import(source=path, filename=path.name, format=key, date=as_of)
                if run.status != ImportRun.Status.SUCCEEDED:
                    raise RuntimeError(f"Demo import of {path.name} was refused: {run.summary}")
    _describe()
    return True


@transaction.atomic
def _describe() -> None:
    audiences = {a.slug: a for a in Audience.objects.all()}
    for key, text in DESCRIPTIONS.items():
        FigureSeries.objects.filter(key=key, description="").update(description=text)
    for key, meanings in MEANINGS.items():
        series = FigureSeries.objects.filter(key=key).first()
        if series is None:
            continue
        series.audiences.set([audiences[slug] for slug in meanings if slug in audiences])
        for order, (slug, text) in enumerate(meanings.items()):
            if slug in audiences:
                SeriesMeaning.objects.get_or_create(
                    series=series,
                    audience=audiences[slug],
                    defaults={"text": text, "sort_order": order},
                )
