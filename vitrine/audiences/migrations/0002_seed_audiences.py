"""Seed the audiences both source texts name."""

from django.db import migrations

AUDIENCES = [
    (
        "alle",
        "Alle",
        True,
        "Jede Leserin und jeder Leser des Portals, auch ohne Anmeldung.",
        "Schnell finden, was gilt und wen man fragt.",
        "Freundlich, knapp, ohne Fachjargon.",
    ),
    (
        "management",
        "Geschäftsführung und Management",
        False,
        "Geschäftsführung, Bereichsleitungen, CIO und Top-Management.",
        "Risiko, Geld und Strategie – auf einer Seite, mit klarer Empfehlung.",
        "Sachlich und auf den Punkt: erst die Aussage, dann die Zahl, keine Panik-Folien.",
    ),
    (
        "budgetverantwortliche",
        "Budgetverantwortliche und Produktverantwortliche",
        False,
        "Business-Entscheider mit Budgetverantwortung, Produktverantwortliche in den Fachbereichen.",
        "Kosten, anstehende Verlängerungen, Budgetierung und Durchlaufzeiten ihrer Anfragen.",
        "Partnerschaftlich und konkret: was es kostet, was es spart, wann es fertig ist.",
    ),
    (
        "mitarbeitende",
        "Mitarbeitende, Key-User und Teamleitungen",
        False,
        "Anwenderinnen und Anwender, Key-User und Teamleitungen in allen Fachabteilungen.",
        "Wie sie schnell an Software kommen, was erlaubt ist und warum es Regeln gibt.",
        "Hilfsbereit und einfach: Schritt für Schritt, mit dem Nutzen vorneweg.",
    ),
    (
        "itsm-rollen",
        "ITSM-Rollen (Service Desk, IT-Einkauf, Asset- und Change-Management)",
        False,
        "Service Desk, IT-Einkauf, Asset-Management und Change-Management.",
        "Transparenz im Zusammenspiel von Genehmigung, Beschaffung und Budgetierung.",
        "Kollegial und präzise: Abläufe, Zuständigkeiten, Schnittstellen.",
    ),
]


def seed(apps, schema_editor):
    Audience = apps.get_model("audiences", "Audience")
    for order, (slug, name, everyone, who, needs, tone) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "is_everyone": everyone,
                "who": who,
                "needs": needs,
                "tone": tone,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("audiences", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
