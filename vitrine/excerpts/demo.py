"""The demo company's three topic excerpts, told from the imported demo figures."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vitrine.audiences.models import Audience
from vitrine.figures.models import FigureSeries
from vitrine.portal.demo.dating import date_page
from vitrine.portal.models import NewsIndexPage

from .models import TopicExcerptPage

EXCERPTS = [
    {
        "slug": "themenauszug-microsoft-365-und-cloud-konten",
        "title": "Microsoft 365 und Cloud-Konten",
        "days_ago": 2,
        "audiences": ["management", "budgetverantwortliche", "mitarbeitende"],
        "intro": "Wie viele Cloud-Konten wirklich genutzt werden, was ungenutzte Konten kosten und was wir dagegen tun.",
        "benefit": "Sie sehen, wo Lizenzgeld ungenutzt liegt – und wie Sie helfen, es zurückzuholen.",
        "body": [
            (
                "text",
                {
                    "heading": "Worum es geht",
                    "text": "<p>Jedes Microsoft-365-Konto kostet Monat für Monat Lizenzgebühren – auch wenn sich niemand anmeldet. Wir werten den Aktivitätsbericht aus dem Microsoft 365 Admin Center regelmäßig aus. Namen speichern wir dabei nicht: Wir zählen nur.</p>",
                },
            ),
            (
                "figure",
                {
                    "series": "cloud_inactivity.total",
                    "chart": "line",
                    "meanings": {
                        "management": "Konten ohne Aktivität binden Budget ohne Gegenwert. Wir holen sie in festen Zyklen zurück.",
                        "budgetverantwortliche": "Bevor wir ein Konto Ihrer Kostenstelle freigeben, fragen wir bei Ihnen nach.",
                        "mitarbeitende": "Sie brauchen ein Konto nicht mehr? Ein kurzer Hinweis an den Service Desk genügt.",
                    },
                },
            ),
            (
                "figure",
                {
                    "series": "cloud_inactivity.yearly_cost",
                    "chart": "",
                    "meanings": {
                        "management": "So viel Geld im Jahr binden Konten, die seit Monaten niemand genutzt hat.",
                        "budgetverantwortliche": "Dieser Betrag ist Einsparpotenzial – ohne Einschränkung für die Nutzer.",
                    },
                },
            ),
            (
                "chart",
                {
                    "kind": "stacked_bar",
                    "series": ["cloud_inactivity.microsoft-365-e3"],
                    "title": "Microsoft 365 E3: Konten nach letzter Aktivität",
                    "description": "Wie lange die Konten mit Microsoft 365 E3 zuletzt genutzt wurden.",
                },
            ),
            (
                "wins",
                [
                    "Ausgeschiedene Kolleginnen und Kollegen verlieren ihre Lizenz jetzt am letzten Arbeitstag – automatisch über den Austrittsprozess.",
                    "Für Microsoft 365 F3 in Produktion und Logistik gelten eigene, kürzere Schwellen: Dort fallen ungenutzte Konten früher auf.",
                ],
            ),
            (
                "open_work",
                [
                    "Konten, die nie genutzt wurden, klären wir gemeinsam mit den Führungskräften – bis Ende des Quartals.",
                    "Die Rückgabe einer Lizenz soll im Service-Portal mit zwei Klicks möglich sein.",
                ],
            ),
        ],
    },
    {
        "slug": "themenauszug-adobe-lizenzen",
        "title": "Adobe-Lizenzen",
        "days_ago": 9,
        "audiences": ["management", "budgetverantwortliche"],
        "intro": "Acrobat Pro und Creative Cloud: wie viele Lizenzen wir haben, wie viele genutzt werden und wo wir nachsteuern.",
        "benefit": "Sie wissen vor der nächsten Verlängerung, wie viele Adobe-Lizenzen Ihr Bereich wirklich braucht.",
        "body": [
            (
                "figure",
                {
                    "series": "license_position.adobe-acrobat-pro",
                    "chart": "line",
                    "meanings": {
                        "management": "Die Lizenzposition zeigt, ob wir mehr nutzen als gekauft (Risiko) oder mehr gekauft als genutzt (Kosten).",
                        "budgetverantwortliche": "Ein Minus heißt: Nachkauf nötig. Ein Plus heißt: Lizenzen im Pool, die Sie ohne Bestellung bekommen.",
                    },
                },
            ),
            (
                "figure",
                {
                    "series": "utilisation.adobe-creative-cloud-pro",
                    "chart": "line",
                    "meanings": {
                        "management": "Nutzungsgrad der teuersten Adobe-Lizenz: Jeder Prozentpunkt darunter ist gebundenes Geld.",
                        "budgetverantwortliche": "Lizenzen, die 90 Tage nicht genutzt wurden, bieten wir zuerst anderen Teams an.",
                    },
                },
            ),
            (
                "chart",
                {
                    "kind": "bar",
                    "series": ["shelfware.adobe-acrobat-pro", "shelfware.adobe-creative-cloud-pro"],
                    "title": "Ungenutzte Adobe-Lizenzen",
                    "description": "Gekaufte Lizenzen ohne Nutzung in den letzten 90 Tagen, je Produkt.",
                },
            ),
            (
                "wins",
                [
                    "Freie Acrobat-Lizenzen geben wir aus dem Pool aus, statt neu zu bestellen – meist am selben Tag.",
                    "Die Verlängerung von Creative Cloud ist mit dem Einkauf auf den tatsächlichen Bedarf abgestimmt.",
                ],
            ),
            (
                "open_work",
                [
                    "Für einfache PDF-Aufgaben prüfen wir mit den Key-Usern eine günstigere Alternative im Softwarekatalog.",
                    "Die Nutzungsdaten von Creative Cloud kommen noch manuell; wir binden die Adobe Admin Console an.",
                ],
            ),
        ],
    },
    {
        "slug": "themenauszug-software-bereitstellung",
        "title": "Software-Bereitstellung",
        "days_ago": 16,
        "audiences": ["alle", "mitarbeitende", "itsm-rollen"],
        "intro": "Wie lange es von Ihrer Anfrage bis zur fertigen Installation dauert – und an welcher Stelle wir schneller werden.",
        "benefit": "Sie wissen, womit Sie rechnen können, und wie Sie Ihre Anfrage beschleunigen.",
        "body": [
            (
                "figure",
                {
                    "series": "lead_time.end_to_end",
                    "chart": "line",
                    "meanings": {
                        "alle": "So viele Tage vergehen im Mittel von Ihrer Anfrage bis zur funktionierenden Installation.",
                        "mitarbeitende": "Mit vollständiger Anfrage – Kostenstelle und kurze Begründung – geht es spürbar schneller.",
                        "itsm-rollen": "Gemessen wird der ganze Weg: Genehmigung, Bestellung, Bereitstellung.",
                    },
                },
            ),
            (
                "figure",
                {
                    "series": "lead_time.within_catalog",
                    "chart": "",
                    "meanings": {
                        "alle": "So oft halten wir die Lieferzeit ein, die im Softwarekatalog steht.",
                        "itsm-rollen": "Unser Maß für verlässliche Zusagen: Wir prüfen jeden Monat, wo es hakt.",
                    },
                },
            ),
            (
                "chart",
                {
                    "kind": "bar",
                    "series": [
                        "lead_time.request_to_approval",
                        "lead_time.approval_to_order",
                        "lead_time.order_to_provision",
                    ],
                    "title": "Wo die Zeit vergeht",
                    "description": "Median der Tage je Abschnitt im letzten Monat: Genehmigung, Bestellung, Bereitstellung.",
                },
            ),
            (
                "wins",
                [
                    "Standardsoftware aus dem Katalog installieren Sie selbst über das Software-Center – ohne Anfrage.",
                    "Lizenzen aus dem Pool brauchen keine Bestellung mehr und sind meist nach einem Tag da.",
                ],
            ),
            (
                "open_work",
                [
                    "Die Genehmigung dauert am längsten: Führungskräfte bekommen künftig eine Erinnerung nach zwei Tagen.",
                    "Die Lieferzeiten im Softwarekatalog gleichen wir mit den gemessenen Werten ab.",
                ],
            ),
        ],
    },
]


def load_demo_excerpts() -> list[str]:
    """Create the three excerpts below the news index; return the slugs created."""
    index = NewsIndexPage.objects.first()
    if index is None:
        return []
    audiences = {a.slug: a for a in Audience.objects.all()}
    series = {s.key: s for s in FigureSeries.objects.all()}
    today = timezone.localdate()
    created = []
    for data in EXCERPTS:
        if TopicExcerptPage.objects.filter(slug=data["slug"]).exists():
            continue
        page = TopicExcerptPage(
            title=data["title"],
            slug=data["slug"],
            date=today - datetime.timedelta(days=data["days_ago"]),
            intro=data["intro"],
            benefit=data["benefit"],
            body=_body(data["body"], series, audiences),
        )
        index.add_child(instance=page)
        page.audiences.set([audiences[slug] for slug in data["audiences"] if slug in audiences])
        page.save_revision().publish()
        date_page(page, page.date)
        created.append(data["slug"])
    return created


def _body(sections, series, audiences) -> list[dict]:
    blocks = []
    for kind, value in sections:
        if kind == "figure":
            if value["series"] not in series:
                continue  # a series the demo import did not produce (e.g. no catalog)
            value = {
                "series": series[value["series"]].pk,
                "chart": value["chart"],
                "meanings": [
                    {"audience": audiences[slug].pk, "text": text}
                    for slug, text in value["meanings"].items()
                    if slug in audiences
                ],
            }
        elif kind == "chart":
            keys = [key for key in value["series"] if key in series]
            if not keys:
                continue
            value = {**value, "series": [series[key].pk for key in keys]}
        blocks.append({"type": kind, "value": value})
    return blocks
