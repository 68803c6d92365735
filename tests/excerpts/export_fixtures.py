"""Excerpt documents for the export tests, built from real charts and no page model."""

from __future__ import annotations

import datetime

from vitrine.excerpts.document import (
    ChartSection,
    ExcerptDocument,
    FigureSection,
    ListSection,
    Meaning,
    TextSection,
)
from vitrine.figures.charts import bar_chart, line_chart, stacked_bar_chart

DOCUMENT_DATE = datetime.date(2026, 11, 23)
TEXT_HTML = (
    "<p>Die Zahlen stammen aus dem <b>Microsoft-365-Bericht</b>.</p>"
    "<ul><li>Quelle: Admin Center</li></ul>"
)
HOSTILE_TITLE = '<script>alert("x")</script> Lizenzen & Konten'
# Lead time stages named in full: each label needs several lines in every drawing.
LONG_BAR_LABELS = [
    "Durchlaufzeit von der Anfrage bis zur Genehmigung durch die zuständige Führungskraft (Median)",
    "Durchlaufzeit von der Genehmigung bis zur Bestellung beim Softwarehändler über den "
    "IT-Einkauf (Median)",
    "Durchlaufzeit von der Bestellung bis zur Bereitstellung auf dem Arbeitsplatzrechner (Median)",
]
LONG_BAR_VALUES = (6.5, 3, 11)


def _line_svg(uid: str) -> str:
    points = [(datetime.date(2026, month, 1), 400 + month * 12.5) for month in range(1, 12)]
    chart = line_chart(
        title="Konten über die Zeit",
        description="Aktive Cloud-Konten je Monat",
        points=points,
        unit="Konten",
        uid=uid,
    )
    return str(chart.svg)


def _bar_svg(uid: str) -> str:
    chart = bar_chart(
        title="Lizenzposition je Produkt",
        description="Überzählige und fehlende Lizenzen",
        bars=[("Adobe Acrobat Pro", 12), ("Microsoft 365 E3", -8), ("Zoom Pro", 3)],
        unit="Lizenzen",
        uid=uid,
    )
    return str(chart.svg)


def _stacked_svg(uid: str) -> str:
    chart = stacked_bar_chart(
        title="Inaktive Konten",
        description="Konten nach Tagen ohne Aktivität",
        categories=["Microsoft 365 E3", "Adobe Creative Cloud"],
        segments=[
            ("bis 30 Tage", [120, 40]),
            ("31–60 Tage", [15, 6]),
            ("über 90 Tage", [9, 2]),
        ],
        unit="Konten",
        uid=uid,
    )
    return str(chart.svg)


def build_document(
    *,
    title: str = "Microsoft 365 und Cloud-Konten",
    figures: int = 2,
    lists: bool = True,
    text_html: str = TEXT_HTML,
) -> ExcerptDocument:
    """An excerpt with `figures` charted figures, one figure without chart, two chart
    sections, wins, open work and a text section."""
    sections = []
    for index in range(figures):
        sections.append(
            FigureSection(
                title=f"Aktive Konten {index + 1}",
                value=f"{1234 + index}\u00a0Konten",
                date=datetime.date(2026, 10, 31),
                change="+12 seit 30.09.2026",
                meanings=[
                    Meaning("Führungskräfte", f"Budget bleibt stabil ({index + 1})."),
                    Meaning("IT-Betrieb", f"Weniger Tickets für Zugänge ({index + 1})."),
                ],
                chart_svg=_line_svg(f"figure-{index}"),
            )
        )
    sections += [
        FigureSection(
            title="Eingesparte Kosten",
            value="12.500,00\u00a0€",
            date=None,
            change="",
            meanings=[Meaning("Führungskräfte", "Das Geld steht für Neues bereit.")],
        ),
        ChartSection(
            title="Lizenzposition je Produkt",
            chart_svg=_bar_svg("chart-bar"),
            description="Stand Oktober 2026",
        ),
        ChartSection(title="Inaktive Konten", chart_svg=_stacked_svg("chart-stacked")),
        ListSection(
            kind="wins",
            heading="Was gut läuft",
            items=["Rückgabe ungenutzter Konten automatisiert", "Bereitstellung in 2 Tagen"],
        ),
        ListSection(
            kind="open_work",
            heading="Woran wir noch arbeiten",
            items=["Adobe-Verträge bündeln <b>bis Q2</b>"],
        ),
        TextSection(
            heading="Hintergrund",
            html=text_html,
        ),
    ]
    if not lists:
        sections = [section for section in sections if not isinstance(section, ListSection)]
    return ExcerptDocument(
        title=title,
        intro="Wie viele Konten wir haben und was sie kosten.",
        date=DOCUMENT_DATE,
        audiences=["Führungskräfte", "IT-Betrieb"],
        url="https://portal.example.org/neuigkeiten/m365/",
        sections=sections,
        organisation="Muster AG",
    )
