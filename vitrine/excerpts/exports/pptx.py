"""A topic excerpt as a 16:9 PowerPoint deck: title, figures, charts, wins and open work."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from xml.etree import ElementTree

from django.utils import translation
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from vitrine.excerpts.document import (
    ChartSection,
    ExcerptDocument,
    FigureSection,
    ListSection,
    TextSection,
)
from vitrine.figures.charts import format_date

from .images import Raster, svgs_to_pngs
from .pdf import long_date
from .text import clean, plain

SLIDE_WIDTH = Emu(12_192_000)  # 13.333 in: PowerPoint's own 16:9 size
SLIDE_HEIGHT = Emu(6_858_000)  # 7.5 in
MARGIN = Emu(457_200)  # 0.5 in
CONTENT_TOP = Emu(1_550_000)
PRIMARY = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x4A, 0x55, 0x63)

SVG = "{http://www.w3.org/2000/svg}"
# Up to this many data points, the alt text of a chart names each one (bar, segment, point).
ALT_TEXT_VALUES = 12
_SPACES_RE = re.compile(r"[ \t\r\n]+")

LAYOUT_TITLE = 0
LAYOUT_TITLE_ONLY = 5
LAYOUT_COMPARISON = 4


def _widen_to_16_9(presentation) -> None:
    """Stretch the default 4:3 master and layouts to 16:9, so placeholders span the slide."""
    factor = SLIDE_WIDTH / presentation.slide_width
    # Layouts first: their placeholders may inherit positions from the unscaled master.
    containers = [*presentation.slide_layouts, presentation.slide_master]
    for container in containers:
        for shape in container.shapes:
            left, top, width, height = shape.left, shape.top, shape.width, shape.height
            if None in (left, top, width, height):
                continue
            # Setting one coordinate writes a fresh transform: write all four.
            shape.left, shape.top = Emu(round(left * factor)), top
            shape.width, shape.height = Emu(round(width * factor)), height
    presentation.slide_width = SLIDE_WIDTH
    presentation.slide_height = SLIDE_HEIGHT


def _new_slide(presentation, layout: int, title: str):
    slide = presentation.slides.add_slide(presentation.slide_layouts[layout])
    slide.shapes.title.text = clean(title)
    return slide


def _set_notes(slide, lines: Iterable[str]) -> None:
    text = "\n".join(clean(line) for line in lines if line)
    if text:
        slide.notes_slide.notes_text_frame.text = text


def _text_box(slide, left, top, width, height, paragraphs, *, anchor=MSO_ANCHOR.TOP):
    """A text box with (text, size in pt, bold, colour) paragraphs, shrinking text to fit."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for index, (text, size, bold, colour) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size * 0.4)
        run = paragraph.add_run()
        run.text = clean(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = colour
    return box


def _squeeze(text: str) -> str:
    """Runs of spaces and line breaks as one space; no-break spaces stay."""
    return _SPACES_RE.sub(" ", clean(text)).strip()


def _sentence(text: str) -> str:
    text = _squeeze(text)
    return text if not text or text[-1] in ".!?:;" else f"{text}."


def chart_alt_text(svg: str, lead: str = "") -> str:
    """A chart picture in words, for its alt text: `lead` (the figure it illustrates), the
    chart's title and description as its SVG gives them to screen readers, and, for bars of
    a few data points, each bar or segment with its value (a line's description already
    names its first and last value)."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        root = None
    parts = [lead]
    if root is not None:
        parts += [root.findtext(f"{SVG}title") or "", root.findtext(f"{SVG}desc") or ""]
        points = [
            _squeeze(title.text)
            for element in root.iter()
            if element is not root
            for title in element.findall(f"{SVG}title")
            if title.text and title.text.strip()
        ]
        is_line = "chart__svg--line" in (root.get("class") or "").split()
        if not is_line and 0 < len(points) <= ALT_TEXT_VALUES:
            parts.append("; ".join(points))
    sentences: list[str] = []
    for part in parts:
        sentence = _sentence(part)
        if sentence and sentence not in sentences:
            sentences.append(sentence)
    return " ".join(sentences)


def _picture(slide, raster: Raster, left, top, width, height, *, alt_text: str = ""):
    """The chart scaled to fit the box, keeping its proportions, centred in it, with its
    alt text (the picture's description, which screen readers read out)."""
    scale = min(width / raster.width, height / raster.height)
    shown_width, shown_height = round(raster.width * scale), round(raster.height * scale)
    picture = slide.shapes.add_picture(
        io.BytesIO(raster.png),
        Emu(left + (width - shown_width) // 2),
        Emu(top + (height - shown_height) // 2),
        Emu(shown_width),
        Emu(shown_height),
    )
    if alt_text:
        picture._element.nvPicPr.cNvPr.set("descr", alt_text)
    return picture


def _figure_facts(section: FigureSection, value_size: int) -> list[tuple]:
    facts = [(section.value, value_size, True, PRIMARY)]
    if section.note:
        facts.append((section.note, 20, False, None))
    if section.change:
        facts.append((section.change, 20, False, None))
    if section.date:
        shown = section.date_text or format_date(section.date)
        facts.append((_("As of %(date)s") % {"date": shown}, 14, False, MUTED))
    return facts


def _meaning_notes(section: FigureSection) -> list[str]:
    lines = [f"{section.title}: {section.value}", section.note, section.change]
    if section.meanings:
        lines.append(_("What does this mean for you?"))
        lines += [f"{meaning.audience}: {meaning.text}" for meaning in section.meanings]
    return lines


def _title_slide(presentation, document: ExcerptDocument) -> None:
    slide = _new_slide(presentation, LAYOUT_TITLE, document.title)
    audiences = ", ".join(document.audiences) or _("Everyone")
    subtitle = slide.placeholders[1].text_frame
    subtitle.text = clean(long_date(document.date))
    for line in (_("For: %(audiences)s") % {"audiences": audiences}, document.organisation):
        if line:
            subtitle.add_paragraph().text = clean(line)
    if document.url:
        # The page online, clickable in the presentation.
        run = subtitle.add_paragraph().add_run()
        run.text = clean(document.url)
        run.hyperlink.address = document.url
    notes = [document.intro]
    for section in document.sections:
        if isinstance(section, TextSection):
            notes += [section.heading, plain(section.html)]
    notes.append(document.url)
    _set_notes(slide, notes)


def _figure_slide(presentation, section: FigureSection, raster: Raster | None) -> None:
    slide = _new_slide(presentation, LAYOUT_TITLE_ONLY, section.title)
    width = SLIDE_WIDTH - 2 * MARGIN
    height = SLIDE_HEIGHT - CONTENT_TOP - MARGIN
    if raster is None:
        _text_box(
            slide,
            MARGIN,
            CONTENT_TOP,
            width,
            height,
            _figure_facts(section, 66),
            anchor=MSO_ANCHOR.MIDDLE,
        ).text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    else:
        facts_width = Emu(4_000_000)
        gap = Emu(228_600)
        _picture(
            slide,
            raster,
            MARGIN,
            CONTENT_TOP,
            width - facts_width - gap,
            height,
            alt_text=chart_alt_text(section.chart_svg, f"{section.title}: {section.value}"),
        )
        _text_box(
            slide,
            MARGIN + width - facts_width,
            CONTENT_TOP,
            facts_width,
            height,
            _figure_facts(section, 32),
            anchor=MSO_ANCHOR.MIDDLE,
        )
    _set_notes(slide, _meaning_notes(section))


def _chart_slide(presentation, section: ChartSection, raster: Raster) -> None:
    slide = _new_slide(presentation, LAYOUT_TITLE_ONLY, section.title)
    width = SLIDE_WIDTH - 2 * MARGIN
    caption = Emu(500_000) if section.description else Emu(0)
    height = SLIDE_HEIGHT - CONTENT_TOP - MARGIN - caption
    _picture(
        slide,
        raster,
        MARGIN,
        CONTENT_TOP,
        width,
        height,
        alt_text=chart_alt_text(section.chart_svg, section.title),
    )
    if section.description:
        _text_box(
            slide,
            MARGIN,
            CONTENT_TOP + height,
            width,
            caption,
            [(section.description, 14, False, MUTED)],
        )
    _set_notes(slide, [section.title, section.description])


def _list_column(slide, heading_index: int, body_index: int, heading: str, items: list[str]):
    slide.placeholders[heading_index].text = clean(heading)
    body = slide.placeholders[body_index].text_frame
    body.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    entries = items or [_("Nothing listed yet.")]
    body.text = clean(entries[0])
    for entry in entries[1:]:
        body.add_paragraph().text = clean(entry)


def _lists_slide(presentation, sections: list[ListSection]) -> None:
    """Wins and open work side by side on one slide, however many blocks the page has."""
    columns = []
    for kind, fallback in (
        ("wins", _("What is going well")),
        ("open_work", _("What we are still working on")),
    ):
        own = [section for section in sections if section.kind == kind]
        heading = own[0].heading if own and own[0].heading else fallback
        columns.append((heading, [item for section in own for item in section.items]))
    slide = _new_slide(presentation, LAYOUT_COMPARISON, _("Progress and open work"))
    _list_column(slide, 1, 2, *columns[0])
    _list_column(slide, 3, 4, *columns[1])
    _set_notes(
        slide,
        [f"{heading}:\n" + "\n".join(f"- {item}" for item in items) for heading, items in columns],
    )


def _charts(document: ExcerptDocument) -> dict[int, Raster]:
    """Every chart of the document as PNG, rendered together, keyed by section index."""
    charted = [
        (index, section.chart_svg)
        for index, section in enumerate(document.sections)
        if isinstance(section, FigureSection | ChartSection) and section.chart_svg
    ]
    rasters = svgs_to_pngs([svg for _index, svg in charted])
    return {index: raster for (index, _svg), raster in zip(charted, rasters, strict=True)}


def excerpt_pptx(document: ExcerptDocument) -> bytes:
    """The excerpt as a PowerPoint deck in the active language."""
    presentation = Presentation()
    _widen_to_16_9(presentation)
    properties = presentation.core_properties
    properties.title = clean(document.title)[:255]
    properties.author = clean(document.organisation)[:255]
    properties.language = translation.get_language() or ""
    properties.revision = 1

    _title_slide(presentation, document)
    rasters = _charts(document)
    lists = []
    for index, section in enumerate(document.sections):
        if isinstance(section, FigureSection):
            _figure_slide(presentation, section, rasters.get(index))
        elif isinstance(section, ChartSection) and index in rasters:
            _chart_slide(presentation, section, rasters[index])
        elif isinstance(section, ListSection):
            lists.append(section)
    if lists:
        _lists_slide(presentation, lists)

    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
