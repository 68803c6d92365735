"""PDF and PowerPoint exports of topic excerpts, read back with real parsers."""

from __future__ import annotations

import dataclasses
import datetime
import io
import logging
import shutil
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from tests.excerpts.conftest import figure, items, make_excerpt, text
from tests.excerpts.export_fixtures import (
    HOSTILE_TITLE,
    LONG_BAR_LABELS,
    LONG_BAR_VALUES,
    build_document,
)
from vitrine.excerpts.document import ChartSection, FigureSection
from vitrine.excerpts.exports import excerpt_pdf, excerpt_pptx
from vitrine.excerpts.exports.fetcher import LocalFilesFetcher, RefusedURL
from vitrine.excerpts.exports.images import svg_size, svgs_to_pngs
from vitrine.excerpts.exports.pdf import excerpt_html
from vitrine.figures.charts import bar_chart

EXPORT_URLS = "tests.excerpts.export_urls"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _flat(text: str) -> str:
    """Extracted text without the layout's line breaks (hyphenated ones included)."""
    return " ".join(text.replace("-\n", "-").replace("\u00a0", " ").split())


def _pdf_pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [_flat(page.extract_text()) for page in reader.pages]


def _slide_texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _pictures(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def _alt_text(picture) -> str:
    return picture._element.nvPicPr.cNvPr.get("descr") or ""


def _long_labels_document():
    """An excerpt of one bar chart whose labels are long: drawn in the SVG only, no table."""
    chart = bar_chart(
        title="Wo die Zeit vergeht",
        description="Median der Tage je Abschnitt.",
        bars=list(zip(LONG_BAR_LABELS, LONG_BAR_VALUES, strict=True)),
        unit="Tage",
        uid="lead-times",
    )
    section = ChartSection(title=chart.title, chart_svg=str(chart.svg))
    return dataclasses.replace(build_document(figures=0, lists=False), sections=[section])


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


@pytest.fixture(scope="module")
def german_pdf() -> bytes:
    with translation.override("de"):
        return excerpt_pdf(build_document())


@pytest.fixture(scope="module")
def german_deck() -> bytes:
    with translation.override("de"):
        return excerpt_pptx(build_document())


# --- PDF ----------------------------------------------------------------------------------------


def test_the_pdf_opens_with_a_title_page_in_german(german_pdf):
    reader = PdfReader(io.BytesIO(german_pdf))
    title_page = _flat(reader.pages[0].extract_text())

    assert len(reader.pages) >= 2
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (
        pytest.approx(595.28, abs=0.5),
        pytest.approx(841.89, abs=0.5),
    )
    assert "Microsoft 365 und Cloud-Konten" in title_page
    assert "23. November 2026" in title_page
    assert "Führungskräfte, IT-Betrieb" in title_page
    assert "Muster AG" in title_page
    assert "Aktive Konten 1" not in title_page
    assert reader.metadata.title == "Microsoft 365 und Cloud-Konten"
    assert reader.metadata.author == "Muster AG"


def test_the_pdf_holds_figures_meanings_charts_lists_and_text(german_pdf):
    content = "\n".join(_pdf_pages(german_pdf)[1:])

    for expected in (
        "Aktive Konten 1",
        "1234\u00a0Konten",
        "+12 seit 30.09.2026",
        "Budget bleibt stabil (1).",
        "Weniger Tickets für Zugänge (2).",
        "Eingesparte Kosten",
        "12.500,00\u00a0€",
        "Das Geld steht für Neues bereit.",
        "Lizenzposition je Produkt",
        "Adobe Acrobat Pro",  # a label drawn inside the bar chart's SVG
        "Microsoft 365 E3",
        "Rückgabe ungenutzter Konten automatisiert",
        "Adobe-Verträge bündeln <b>bis Q2</b>",  # an editor's list item stays text
        "Quelle: Admin Center",
    ):
        assert _flat(expected) in content, expected


def test_every_page_after_the_title_page_is_numbered(german_pdf):
    pages = _pdf_pages(german_pdf)
    total = len(pages)

    assert f"1 / {total}" not in pages[0]
    for number, page_text in enumerate(pages[1:], start=2):
        assert f"{number} / {total}" in page_text


def test_the_pdf_writes_dates_as_english_readers_read_them_and_logs_nothing(caplog):
    with translation.override("en"), caplog.at_level(logging.WARNING):
        pages = _pdf_pages(excerpt_pdf(build_document(figures=1)))

    assert caplog.records == []

    assert "Nov. 23, 2026" in pages[0]
    assert "As of Oct 31, 2026" in "\n".join(pages[1:])


def test_editor_text_is_escaped_in_the_pdf():
    document = build_document(title=HOSTILE_TITLE, figures=0)
    html = excerpt_html(document)
    pages = _pdf_pages(excerpt_pdf(document))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' in pages[0]
    assert "Lizenzen & Konten" in pages[0]


def test_the_pdf_loads_local_files_only_and_never_the_network(settings, monkeypatch):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), "#8a3b12").save(settings.MEDIA_ROOT / "chart.png")
    contacted = []

    def no_network(*args, **kwargs):
        contacted.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    document = build_document(
        figures=0,
        text_html='<p>Bild: <img src="/media/chart.png" alt="Balken"></p>'
        '<p><img src="https://tracker.example.org/pixel.png" alt=""></p>',
    )

    reader = PdfReader(io.BytesIO(excerpt_pdf(document)))

    assert contacted == []
    sizes = [image.image.size for page in reader.pages for image in page.images]
    assert (40, 20) in sizes  # the local image is in
    assert f"2 / {len(reader.pages)}" in reader.pages[1].extract_text()  # the stylesheet applied


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example.org/static/excerpts/export.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "https://portal.example.org/static/%2e%2e/%2e%2e/settings.py",
        "https://portal.example.org/static/excerpts/missing.css",
        "https://portal.example.org/media/../../etc/passwd",
        "https://portal.example.org/media/%2e%2e/%2e%2e/etc/passwd",
        "https://portal.example.org/admin/",
    ],
)
def test_the_fetcher_refuses_all_but_local_static_and_media_files(url):
    fetcher = LocalFilesFetcher("https://portal.example.org/neuigkeiten/m365/")

    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_the_fetcher_serves_the_print_stylesheet():
    fetcher = LocalFilesFetcher("https://portal.example.org/neuigkeiten/m365/")

    response = fetcher.fetch("https://portal.example.org/static/excerpts/export.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    response.close()


# --- PowerPoint ---------------------------------------------------------------------------------


def test_the_deck_has_a_title_slide_a_slide_per_figure_and_chart_and_one_for_the_lists(
    german_deck,
):
    document = build_document()
    figures = sum(isinstance(s, FigureSection) for s in document.sections)
    charts = sum(isinstance(s, ChartSection) for s in document.sections)
    deck = Presentation(io.BytesIO(german_deck))
    slides = list(deck.slides)

    assert len(slides) == 1 + figures + charts + 1
    assert deck.slide_width * 9 == deck.slide_height * 16
    title = _slide_texts(slides[0])
    assert "Microsoft 365 und Cloud-Konten" in title
    assert "23. November 2026" in title
    assert "Führungskräfte, IT-Betrieb" in title
    assert "Quelle: Admin Center" in _notes(slides[0])  # text sections go to the notes
    assert [slide.shapes.title.text for slide in slides[1:-1]] == [
        "Aktive Konten 1",
        "Aktive Konten 2",
        "Eingesparte Kosten",
        "Lizenzposition je Produkt",
        "Inaktive Konten",
    ]


def test_figure_slides_show_the_chart_and_carry_the_meanings_as_notes(german_deck):
    slides = list(Presentation(io.BytesIO(german_deck)).slides)

    for number in (1, 2):
        slide = slides[number]
        assert len(_pictures(slide)) == 1
        assert f"{1233 + number}\u00a0Konten" in _slide_texts(slide)
        notes = _notes(slide)
        assert f"Führungskräfte: Budget bleibt stabil ({number})." in notes
        assert f"IT-Betrieb: Weniger Tickets für Zugänge ({number})." in notes
    without_chart = slides[3]
    assert _pictures(without_chart) == []
    assert "12.500,00\u00a0€" in _slide_texts(without_chart)
    assert "Führungskräfte: Das Geld steht für Neues bereit." in _notes(without_chart)


def test_chart_slides_hold_sharp_pictures_of_the_charts(german_deck):
    slides = list(Presentation(io.BytesIO(german_deck)).slides)

    for slide in slides[4:6]:
        (picture,) = _pictures(slide)
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.format == "PNG"
        assert image.width >= 1600
        assert picture.left >= 0 and picture.left + picture.width <= Emu(12_192_000)
        assert picture.top + picture.height <= Emu(6_858_000)
    assert "Stand Oktober 2026" in _slide_texts(slides[4])


def test_the_last_slide_lists_wins_and_open_work(german_deck):
    last = list(Presentation(io.BytesIO(german_deck)).slides)[-1]
    content = _slide_texts(last)

    assert "Was gut läuft" in content
    assert "Rückgabe ungenutzter Konten automatisiert" in content
    assert "Bereitstellung in 2 Tagen" in content
    assert "Woran wir noch arbeiten" in content
    assert "Adobe-Verträge bündeln <b>bis Q2</b>" in content


def test_every_chart_picture_states_its_figure_in_its_alt_text(german_deck):
    slides = list(Presentation(io.BytesIO(german_deck)).slides)

    assert sum(len(_pictures(slide)) for slide in slides) == 4
    for number in (1, 2):
        (picture,) = _pictures(slides[number])
        alt = _alt_text(picture)
        assert alt.startswith(f"Aktive Konten {number}: {1233 + number}\u00a0Konten.")
        assert "Konten über die Zeit." in alt  # the chart's own title
        assert "537,5\u00a0Konten" in alt  # its latest value, from the chart's summary
    (bars,) = _pictures(slides[4])
    alt = _alt_text(bars)
    assert alt.startswith("Lizenzposition je Produkt.")
    # The description and the chart's summary read as two sentences.
    assert "Überzählige und fehlende Lizenzen. 3 Einträge; höchster Wert" in alt
    for bar in ("Adobe Acrobat Pro: 12", "Microsoft 365 E3: -8", "Zoom Pro: 3"):
        assert f"{bar}\u00a0Lizenzen" in alt, bar
    (stacked,) = _pictures(slides[5])
    assert "Adobe Creative Cloud, über 90 Tage: 2\u00a0Konten" in _alt_text(stacked)


def test_alt_text_keeps_a_title_verbatim_without_control_characters():
    with translation.override("de"):
        document = build_document(figures=0, lists=False)
        chart = next(s for s in document.sections if isinstance(s, ChartSection))
        hostile = dataclasses.replace(chart, title=HOSTILE_TITLE + "\x07")
        deck = excerpt_pptx(dataclasses.replace(document, sections=[hostile]))

    (picture,) = _pictures(Presentation(io.BytesIO(deck)).slides[1])
    assert _alt_text(picture).startswith(HOSTILE_TITLE + ". ")


def test_long_bar_labels_stand_in_full_on_the_chart_slide_and_in_its_alt_text():
    with translation.override("de"):
        deck = Presentation(io.BytesIO(excerpt_pptx(_long_labels_document())))

    (picture,) = _pictures(deck.slides[1])
    for label in LONG_BAR_LABELS:
        assert label in _alt_text(picture)


def test_the_pdf_draws_long_bar_labels_in_full():
    with translation.override("de"):
        pages = _pdf_pages(excerpt_pdf(_long_labels_document()))
    content = " ".join(pages[1:])

    assert "Wo die Zeit vergeht" in content
    for label in LONG_BAR_LABELS:
        assert _flat(label) in content, label
    assert "…" not in content


def test_a_deck_without_lists_has_no_list_slide():
    with translation.override("en"):
        deck = Presentation(io.BytesIO(excerpt_pptx(build_document(figures=0, lists=False))))

    assert [slide.shapes.title.text for slide in deck.slides][1:] == [
        "Eingesparte Kosten",
        "Lizenzposition je Produkt",
        "Inaktive Konten",
    ]


def test_editor_text_is_kept_verbatim_and_control_characters_dropped():
    title = HOSTILE_TITLE + "\x00\x0b"
    with translation.override("en"):
        document = build_document(title=title, figures=0)
        deck = Presentation(io.BytesIO(excerpt_pptx(document)))
        pages = _pdf_pages(excerpt_pdf(document))

    assert deck.slides[0].shapes.title.text == HOSTILE_TITLE
    assert deck.core_properties.title == HOSTILE_TITLE
    assert '<script>alert("x")</script>' in pages[0]


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")),
    reason="LibreOffice is not installed",
)
def test_libreoffice_converts_the_deck_to_one_page_per_slide(german_deck, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    deck_path = tmp_path / "excerpt.pptx"
    deck_path.write_bytes(german_deck)

    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck_path),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )

    converted = tmp_path / "excerpt.pdf"
    assert converted.exists(), result.stderr.decode(errors="replace")
    slides = len(Presentation(io.BytesIO(german_deck)).slides)
    assert len(PdfReader(converted).pages) == slides


# --- chart images -------------------------------------------------------------------------------


def test_charts_become_pngs_of_their_own_proportions(caplog):
    svgs = [
        section.chart_svg
        for section in build_document(figures=1).sections
        if getattr(section, "chart_svg", "")
    ]
    svgs.append(svgs[0])  # the same chart twice: its ids must not clash

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        rasters = svgs_to_pngs(svgs)

    assert caplog.records == []
    assert len(rasters) == len(svgs)
    for svg, raster in zip(svgs, rasters, strict=True):
        width, height = svg_size(svg)
        image = Image.open(io.BytesIO(raster.png))
        assert (image.width, image.height) == (raster.width, raster.height)
        assert raster.width / raster.height == pytest.approx(width / height, rel=0.02)
        # Drawn, not blank: the chart's dark blue is there.
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert any(r < 60 and g < 100 and b > 90 for _count, (r, g, b) in colours)


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="300">', (640.0, 300.0)),
        ('<svg viewBox="0 0 320 200" xmlns="http://www.w3.org/2000/svg">', (320.0, 200.0)),
        ('<svg width="99999" height="10">', (640.0, 360.0)),
        ("not an svg", (640.0, 360.0)),
    ],
)
def test_svg_size_reads_the_root_element(svg, size):
    assert svg_size(svg) == size


def test_no_charts_means_no_rendering():
    assert svgs_to_pngs([]) == []


# --- downloads ----------------------------------------------------------------------------------


@pytest.fixture
def published(news_index, licenses, audience):
    management, employees = audience("management"), audience("mitarbeitende")
    body = [
        figure(
            licenses,
            (management, "A budget lever for management."),
            (employees, "Return licenses you no longer need."),
            chart="line",
        ),
        items("wins", "Audit passed without findings"),
        items("open_work", "Adobe contracts still to be consolidated"),
        text("Background", "<p>From the <b>license tool</b>.</p>"),
    ]
    return make_excerpt(
        news_index,
        "Lizenzübersicht <Q4>",
        body,
        management,
        employees,
        date=datetime.date(2026, 11, 2),
    )


@pytest.mark.django_db
@pytest.mark.urls(EXPORT_URLS)
def test_a_reader_downloads_the_pdf_with_the_meaning_for_their_audience(
    client, published, make_reader
):
    client.force_login(make_reader("management"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"  # German for a reader who chose it

    response = client.get(f"/auszuege/{published.pk}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="lizenzubersicht-q4-2026-11-02.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    pages = _pdf_pages(response.content)
    assert "Lizenzübersicht <Q4>" in pages[0]
    assert "2. November 2026" in pages[0]
    content = "\n".join(pages[1:])
    assert "A budget lever for management." in content
    assert "Return licenses you no longer need." not in content
    assert "Audit passed without findings" in content


@pytest.mark.django_db
@pytest.mark.urls(EXPORT_URLS)
def test_a_reader_downloads_the_deck(client, published):
    response = client.get(f"/auszuege/{published.pk}/pptx")

    assert response.status_code == 200
    assert response["Content-Type"] == PPTX_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="lizenzubersicht-q4-2026-11-02.pptx"'
    )
    slides = list(Presentation(io.BytesIO(response.content)).slides)
    assert len(slides) == 1 + 1 + 1  # title, the figure, wins and open work
    assert slides[0].shapes.title.text == "Lizenzübersicht <Q4>"
    assert len(_pictures(slides[1])) == 1
    assert "Audit passed without findings" in _slide_texts(slides[2])


@pytest.mark.django_db
@pytest.mark.urls(EXPORT_URLS)
@pytest.mark.parametrize("kind", ["pdf", "pptx"])
def test_only_live_public_excerpts_are_served(client, published, news_index, home, kind):
    draft = make_excerpt(news_index, "Draft", [items("open_work", "x")])
    draft.unpublish()
    private = make_excerpt(news_index, "Private", [items("open_work", "y")])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )

    for page_id in (draft.pk, private.pk, news_index.pk, home.pk, 999_999):
        response = client.get(f"/auszuege/{page_id}/{kind}")
        assert response.status_code == 404, page_id
    assert client.post(f"/auszuege/{published.pk}/{kind}").status_code == 405
    assert client.head(f"/auszuege/{published.pk}/{kind}").status_code == 200


@pytest.mark.django_db
@pytest.mark.urls(EXPORT_URLS)
def test_the_download_links_point_to_both_exports(published):
    html = render_to_string("excerpts/export/links.html", {"page": published})

    assert f'href="/auszuege/{published.pk}/pdf"' in html
    assert f'href="/auszuege/{published.pk}/pptx"' in html
    assert "Download as PDF" in html
    assert "Download as PowerPoint" in html
    assert "Lizenzübersicht &lt;Q4&gt;" in html


@pytest.mark.django_db
@pytest.mark.urls("vitrine.portal.urls")
def test_the_download_links_stay_away_while_the_downloads_are_not_mounted(published):
    html = render_to_string("excerpts/export/links.html", {"page": published})

    assert "href" not in html


@pytest.mark.django_db
@pytest.mark.urls(EXPORT_URLS)
def test_a_server_without_the_export_libraries_answers_503_not_500(client, published, monkeypatch):
    import vitrine.excerpts

    monkeypatch.delattr(vitrine.excerpts, "exports")
    monkeypatch.setitem(sys.modules, "vitrine.excerpts.exports", None)

    response = client.get(f"/auszuege/{published.pk}/pdf")

    assert response.status_code == 503
    assert "not available" in response.content.decode()
    assert client.get("/auszuege/999999/pptx").status_code == 404


# --- absolute links -----------------------------------------------------------------------------

PORTAL = "https://vitrine.muster-ag.example"


def _pdf_link_targets(data: bytes) -> list[str]:
    targets = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


@pytest.fixture
def linked(news_index, licenses, audience, settings):
    """A published excerpt whose text links to another page of the portal."""
    settings.WAGTAILADMIN_BASE_URL = PORTAL
    body = [
        figure(licenses),
        text("Hintergrund", f'<p>Siehe <a linktype="page" id="{news_index.pk}">News</a>.</p>'),
    ]
    return make_excerpt(news_index, "Lizenzen", body, audience("management"))


@pytest.mark.django_db
@pytest.mark.urls(EXPORT_URLS)
def test_the_pdf_links_to_the_portal_at_its_configured_address_never_localhost(client, linked):
    response = client.get(f"/auszuege/{linked.pk}/pdf", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    targets = _pdf_link_targets(response.content)
    assert f"{PORTAL}/news/lizenzen/" in targets
    assert f"{PORTAL}/news/" in targets
    assert all(target.startswith(PORTAL + "/") for target in targets), targets
    text_of_pdf = " ".join(_pdf_pages(response.content))
    assert f"{PORTAL}/news/lizenzen/" in text_of_pdf
    assert "localhost" not in text_of_pdf


@pytest.mark.django_db
@pytest.mark.urls(EXPORT_URLS)
def test_the_deck_links_to_the_page_at_the_portals_configured_address(client, linked):
    response = client.get(f"/auszuege/{linked.pk}/pptx")

    assert response.status_code == 200
    title_slide = next(iter(Presentation(io.BytesIO(response.content)).slides))
    addresses = [
        run.hyperlink.address
        for shape in title_slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
        if run.hyperlink.address
    ]
    assert addresses == [f"{PORTAL}/news/lizenzen/"]
    assert f"{PORTAL}/news/lizenzen/" in _notes(title_slide)
    assert "localhost" not in _notes(title_slide)
