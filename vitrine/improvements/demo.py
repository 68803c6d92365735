"""The demo board of the Muster AG: a dozen improvements in all states, with history.

Used by `load_demo`. Items are opened and moved through the normal services, back-dated so
the board shows a realistic history. Safe to run again: existing items and the board stay.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from vitrine.audiences.models import Audience
from vitrine.portal.demo.catalog import CATALOG_WITH_LEAD_TIME
from vitrine.portal.demo.dating import (
    KEY_USER_FIRST_ATTENDANCE,
    adobe_switch_day,
    date_page,
    german_date,
    key_user_first_session,
    launch_day,
)

from . import services
from .choices import Area, Source, Status
from .models import ImprovementBoardPage, ImprovementItem

SURVEY_URL = "/neuigkeiten/umfrage-ergebnisse-zufriedenheit/"
SURVEY_LABEL = "Umfrage: Zufriedenheit mit dem Lizenzmanagement"

BOARD = {
    "title": "Woran wir arbeiten",
    "slug": "woran-wir-arbeiten",
    "intro": (
        "<p>Hier sehen Sie, was das Lizenzmanagement gerade verbessert – aus Ihren "
        "Rückmeldungen, aus Umfragen, Audits und eigenen Ideen. Was fertig ist, bleibt drei "
        "Monate sichtbar. Was wir nicht umsetzen, begründen wir.</p>"
        "<p>Sie haben eine Idee? Schreiben Sie an das "
        '<a href="{contact_url}">Team Lizenzmanagement</a>.</p>'
    ),
}
TEAM_CONTACT = "Team Lizenzmanagement"
HOME_CONTACTS = "/#home-contacts-heading"  # the contacts on the home page

# The first round of freeing unused Microsoft 365 licences ended this many days ago; its note
# names what the activity report before it showed (see harvest_note).
HARVEST_DONE_DAYS_AGO = 45


def harvest(now: datetime.datetime) -> tuple[datetime.date, int] | None:
    """The activity report the first round worked from, and its unused licences."""
    from vitrine.figures.demo import inactive_licences

    done = timezone.localdate(now) - datetime.timedelta(days=HARVEST_DONE_DAYS_AGO)
    return inactive_licences(on_or_before=done)


def harvest_note(now: datetime.datetime) -> str:
    report = harvest(now)
    if report is None:
        return "Erste Runde abgeschlossen."
    day, count = report
    return (
        f"Erste Runde abgeschlossen: {count} ungenutzte Lizenzen aus dem Aktivitätsbericht vom "
        f"{german_date(day)} freigegeben."
    )


def adobe_switch_days(now: datetime.datetime) -> int:
    """Days until Adobe Acrobat is switched (the News Flash announces the same day)."""
    today = timezone.localdate(now)
    return (adobe_switch_day(today) - today).days


def adobe_switch_note(now: datetime.datetime) -> str:
    day = adobe_switch_day(timezone.localdate(now))
    return f"Named-User-Lizenzen sind bestellt; Umstellung am {german_date(day)}."


def key_user_done_days(now: datetime.datetime) -> int:
    """Days since the first key-user open hour (the item is done on that day)."""
    today = timezone.localdate(now)
    return (today - key_user_first_session(today)).days


def key_user_note(now: datetime.datetime) -> str:
    first = key_user_first_session(timezone.localdate(now))
    return (
        f"Die erste Sprechstunde am {german_date(first)} hatte "
        f"{KEY_USER_FIRST_ATTENDANCE} Teilnehmende."
    )


# Each item: its fields, and its history as (days ago, status, note). The first entry opens it.
# Days and note may be functions of the loading moment, for dates and numbers the demo's other
# pages name as well.
# An item is for everyone unless it names audiences: only what concerns nobody else is narrowed.
ITEMS: list[dict] = [
    {
        "title": "Rücknahme ungenutzter Visio-Lizenzen automatisieren",
        "description": (
            "Visio-Lizenzen, die 90 Tage nicht genutzt wurden, sollen automatisch "
            "zurückgeholt werden: Wer betroffen ist, bekommt zwei Wochen vorher eine Nachricht "
            "und kann mit einem Klick widersprechen. Die freien Lizenzen gehen sofort an die "
            "nächste Anfrage."
        ),
        "benefit": "Sie bekommen Visio schneller, weil freie Lizenzen nicht mehr brachliegen.",
        "area": Area.RETIREMENT,
        "source": Source.IDEA,
        "owner": "Marco Weber",
        "target_days": 45,
        "audiences": [],
        "history": [
            (120, Status.IDEA, "Nutzungsdaten zeigen: rund 80 Visio-Lizenzen ungenutzt."),
            (85, Status.PLANNED, "Mit dem Service Desk abgestimmt, Umsetzung im nächsten Quartal."),
            (21, Status.IN_PROGRESS, "Pilot mit der Abteilung Technische Dokumentation läuft."),
        ],
    },
    {
        "title": "Softwarekatalog um Lieferzeiten ergänzen",
        "description": (
            "Jeder Eintrag im Softwarekatalog zeigt jetzt, wie lange es typischerweise von der "
            "Anfrage bis zur Bereitstellung dauert – und welche Alternative sofort verfügbar ist."
        ),
        "benefit": "Sie wissen vor der Anfrage, wann Sie Ihre Software haben.",
        "area": Area.SERVICE_LEVEL,
        "source": Source.SURVEY,
        "source_url": SURVEY_URL,
        "source_label": SURVEY_LABEL,
        "owner": "Team Lizenzmanagement",
        "target_days": -25,
        "audiences": [],
        "history": [
            (
                160,
                Status.IDEA,
                "Am wenigsten zufrieden waren Sie in der Umfrage mit der Wartezeit.",
            ),
            (130, Status.PLANNED, ""),
            (75, Status.IN_PROGRESS, "Lieferzeiten aus den Anfragen eines Jahres ermittelt."),
            (
                20,
                Status.DONE,
                f"Alle {CATALOG_WITH_LEAD_TIME} Katalogeinträge, die Sie bekommen können, tragen "
                "jetzt eine Lieferzeit.",
            ),
        ],
    },
    {
        "title": "Vorab geprüfte Standardfälle für Software mit Personenbezug",
        "description": (
            "Die Genehmigung von Software, die personenbezogene Daten verarbeitet, dauert noch "
            "zu lange. Gemeinsam mit dem Datenschutz legen wir Standardfälle fest, die ohne "
            "Einzelprüfung freigegeben werden können."
        ),
        "benefit": "Häufige Anfragen werden ohne wochenlange Einzelprüfung genehmigt.",
        "area": Area.SECURITY,
        "source": Source.SURVEY,
        "source_url": SURVEY_URL,
        "source_label": SURVEY_LABEL,
        "owner": "Sabine Krüger",
        "target_days": 90,
        "audiences": [],
        "history": [
            (100, Status.IDEA, "In der Umfrage oft genannt: Wartezeit bei der Genehmigung."),
            (60, Status.PLANNED, "Datenschutz und Betriebsrat sind einverstanden."),
            (14, Status.IN_PROGRESS, "Die ersten fünf Standardfälle sind entworfen."),
        ],
    },
    {
        "title": "Microsoft-365-Konten nach 90 Tagen ohne Anmeldung freigeben",
        "description": (
            "Cloud-Konten mit zugewiesener Lizenz, die seit 90 Tagen niemand genutzt hat, geben "
            "wir nach Rückfrage bei der Kostenstelle frei."
        ),
        "benefit": "Ihre Kostenstelle zahlt nicht mehr für Konten, die niemand nutzt.",
        "area": Area.LICENSE,
        "source": Source.AUDIT,
        "source_label": "Internes Audit Cloud-Lizenzen",
        "owner": "Marco Weber",
        "target_days": -40,
        "audiences": [],
        "history": [
            (200, Status.IDEA, "Feststellung aus dem internen Audit."),
            (170, Status.PLANNED, ""),
            (110, Status.IN_PROGRESS, "Abstimmung mit den Kostenstellen begonnen."),
            (HARVEST_DONE_DAYS_AGO, Status.DONE, harvest_note),
        ],
    },
    {
        "title": "Verlängerungskalender für Budgetverantwortliche",
        "description": (
            "Ein Kalender zeigt jeder Kostenstelle, welche Verträge in den nächsten vier "
            "Quartalen verlängert werden und was sie kosten – rechtzeitig vor der Budgetplanung."
        ),
        "benefit": "Keine Überraschungen mehr bei Verlängerungen in Ihrem Budget.",
        "area": Area.FINANCIAL,
        "source": Source.FEEDBACK,
        "source_label": "Rückmeldung aus dem Controlling",
        "owner": "IT-Einkauf",
        "target_days": 60,
        "audiences": ["budgetverantwortliche"],
        "history": [
            (50, Status.IDEA, "Wunsch aus dem Controlling."),
            (12, Status.PLANNED, "Daten kommen aus dem Vertragsregister."),
        ],
    },
    {
        "title": "Adobe-Lizenzen auf Named-User-Lizenzierung umstellen",
        "description": (
            "Die Geräte-Lizenzen für Adobe Acrobat laufen aus. Wir stellen auf "
            "Named-User-Lizenzen um und nutzen die Gelegenheit, den Bestand zu bereinigen."
        ),
        "area": Area.RELATIONSHIP_CONTRACT,
        "source": Source.IDEA,
        "owner": "Sabine Krüger",
        "target_days": adobe_switch_days,
        "audiences": [],
        "history": [
            (40, Status.IDEA, ""),
            (25, Status.PLANNED, "Angebot liegt vor; wir stellen vor dem Vertragsende um."),
            (8, Status.IN_PROGRESS, adobe_switch_note),
        ],
    },
    {
        "title": "Offboarding: Lizenzen automatisch zurückholen",
        "description": (
            "Wenn jemand das Unternehmen verlässt, sollen alle zugewiesenen Lizenzen "
            "automatisch zurück in den Bestand gehen – heute geschieht das noch von Hand."
        ),
        "area": Area.OPERATION,
        "source": Source.FEEDBACK,
        "source_label": "Rückmeldung des Service Desk",
        "owner": "Service Desk",
        "target_days": None,
        "audiences": [],
        "history": [(30, Status.IDEA, "Vorschlag aus dem Service Desk.")],
    },
    {
        "title": "Testversionen zentral registrieren",
        "description": (
            "Testversionen werden heute oft direkt beim Hersteller heruntergeladen. Ein kurzes "
            "Formular soll sie erfassen, damit aus dem Test kein ungeplanter Kauf wird."
        ),
        "area": Area.ACQUISITION,
        "source": Source.IDEA,
        "owner": "Team Lizenzmanagement",
        "target_days": None,
        "audiences": [],
        "history": [(18, Status.IDEA, "")],
    },
    {
        "title": "Monatliche Key-User-Sprechstunde",
        "description": (
            "Einmal im Monat beantworten wir Fragen der Key-User zu Lizenzen, Katalog und "
            "Anfragen – offen, ohne Ticket."
        ),
        "benefit": "Sie klären Fragen direkt, statt ein Ticket zu schreiben.",
        "area": Area.COMMUNICATION,
        "source": Source.SURVEY,
        "source_url": SURVEY_URL,
        "source_label": SURVEY_LABEL,
        "owner": "Team Lizenzmanagement",
        "target_days": -70,
        "audiences": [],
        "history": [
            (140, Status.IDEA, ""),
            (110, Status.IN_PROGRESS, "Termine mit den Fachbereichen abgestimmt."),
            (key_user_done_days, Status.DONE, key_user_note),
        ],
    },
    {
        "title": "Lizenzbedarf im Change-Prozess abfragen",
        "description": (
            "Changes, die neue Software oder mehr Nutzer bringen, fragen künftig den "
            "Lizenzbedarf ab. So prüfen wir vor dem Rollout und nicht danach."
        ),
        "area": Area.CHANGE,
        "source": Source.AUDIT,
        "source_label": "Audit-Vorbereitung Oracle",
        "owner": "Sabine Krüger",
        "target_days": 30,
        "audiences": [],
        "history": [
            (90, Status.IDEA, "Lehre aus der Audit-Vorbereitung."),
            (65, Status.PLANNED, ""),
            (35, Status.IN_PROGRESS, "Pflichtfeld im Change-Formular ist im Test."),
        ],
    },
    {
        "title": "Office-Lizenzen für die private Nutzung freigeben",
        "description": (
            "Mehrere Kolleginnen und Kollegen haben gefragt, ob sie Office auch privat nutzen "
            "dürfen."
        ),
        "area": Area.LICENSE,
        "source": Source.FEEDBACK,
        "source_label": "Anfragen an das Funktionspostfach",
        "owner": "Sabine Krüger",
        "target_days": None,
        "audiences": [],
        "decline_reason": (
            "Unser Vertrag mit Microsoft erlaubt die private Nutzung nicht; ein "
            "Home-Use-Programm würde zusätzliche Kosten verursachen, die in keinem Verhältnis "
            "zum Nutzen stehen. Wir prüfen das bei der nächsten Vertragsverhandlung erneut."
        ),
        "history": [
            (80, Status.IDEA, ""),
            (55, Status.DECLINED, "Mit dem Einkauf und der Rechtsabteilung geprüft."),
        ],
    },
    {
        "title": "Lizenzmanagement in Zahlen: Quartalsbericht an die Geschäftsführung",
        "description": (
            "Jedes Quartal berichten wir der Geschäftsführung auf einer Seite: Lizenzposition, "
            "Einsparungen, Risiken und was wir als Nächstes angehen."
        ),
        "area": Area.COMMUNICATION,
        "source": Source.IDEA,
        "owner": "Sabine Krüger",
        "target_days": -150,
        "audiences": ["management"],
        "history": [
            (260, Status.IDEA, ""),
            (220, Status.PLANNED, ""),
            (190, Status.IN_PROGRESS, ""),
            (150, Status.DONE, "Der erste Bericht ging an die Geschäftsführung."),
        ],
    },
    {
        "title": "Geräte ohne Kostenstelle im Inventar bereinigen",
        "description": (
            "Rund 6 % der Geräte im Inventar haben keine Kostenstelle. Ohne sie lassen sich "
            "Lizenzkosten nicht richtig zuordnen."
        ),
        "area": Area.DATA,
        "source": Source.AUDIT,
        "source_label": "Datenqualitätsprüfung",
        "owner": "Marco Weber",
        "target_days": 75,
        "audiences": [],
        "history": [
            (45, Status.IDEA, ""),
            (10, Status.PLANNED, "Liste an die Standort-IT verteilt."),
        ],
    },
    {
        "title": "Risikobewertung je Hersteller vor dem nächsten Audit",
        "description": (
            "Für die fünf größten Hersteller bewerten wir, wie wahrscheinlich ein Audit ist "
            "und was es kosten könnte – als Grundlage für Rückstellungen."
        ),
        "area": Area.RISK,
        "source": Source.IDEA,
        "owner": "Sabine Krüger",
        "target_days": None,
        "audiences": ["management"],
        "history": [(6, Status.IDEA, "")],
    },
]


def _at(today: datetime.datetime, days_ago: int) -> datetime.datetime:
    return today - datetime.timedelta(days=days_ago)


def _board(home, contacts: dict) -> bool:
    if home is None or ImprovementBoardPage.objects.descendant_of(home).exists():
        return False
    team = contacts.get(TEAM_CONTACT)
    contact_url = f"mailto:{team.email}" if team is not None and team.email else HOME_CONTACTS
    board = ImprovementBoardPage(
        title=BOARD["title"],
        slug=BOARD["slug"],
        intro=BOARD["intro"].format(contact_url=contact_url),
        show_in_menus=True,
    )
    home.add_child(instance=board)
    board.save_revision().publish()
    date_page(board, launch_day())
    return True


def _item(spec: dict, now: datetime.datetime, contacts: dict, audiences: dict) -> bool:
    if ImprovementItem.objects.filter(title=spec["title"]).exists():
        return False
    history = [
        (days(now) if callable(days) else days, status, note(now) if callable(note) else note)
        for days, status, note in spec["history"]
    ]
    first_days, first_status, first_note = history[0]
    target = spec.get("target_days")
    target = target(now) if callable(target) else target
    item = services.improvement_create(
        title=spec["title"],
        description=spec["description"],
        source=spec["source"],
        source_url=spec.get("source_url", ""),
        source_label=spec.get("source_label", ""),
        area=spec["area"],
        audiences=[audiences[slug] for slug in spec["audiences"] if slug in audiences],
        owner=contacts.get(spec["owner"]),
        status=first_status,
        target_date=(
            timezone.localdate(now) + datetime.timedelta(days=target)
            if target is not None
            else None
        ),
        benefit=spec.get("benefit", ""),
        note=first_note,
        at=_at(now, first_days),
    )
    for days_ago, status, note in history[1:]:
        services.improvement_set_status(
            item=item,
            status=status,
            note=note,
            decline_reason=spec.get("decline_reason") if status == Status.DECLINED else None,
            at=_at(now, days_ago),
        )
    ImprovementItem.objects.filter(pk=item.pk).update(
        created_at=_at(now, first_days), updated_at=_at(now, history[-1][0])
    )
    return True


def load_demo_improvements() -> bool:
    """Create the board and the demo items that are missing; return whether anything was."""
    from vitrine.portal.models import Contact, HomePage

    now = timezone.now()
    contacts = {contact.name: contact for contact in Contact.objects.all()}
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    created = False
    with transaction.atomic():
        created |= _board(HomePage.objects.first(), contacts)
        for spec in ITEMS:
            created |= _item(spec, now, contacts, audiences)
    return created
