"""Charts as PNG images for slides: SVG laid out by WeasyPrint, rasterised by PDFium."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Charts are 640 CSS px wide; 4× the PDF's 72 dpi gives 1920 px, sharp on a full-HD projector.
RASTER_SCALE = 4.0
DEFAULT_SIZE = (640.0, 360.0)
MAX_SIDE = 4000.0  # CSS px; keeps a malformed size from asking for a gigantic bitmap
_CHART_ORIGIN = "http://charts.invalid/"
_ROOT_TAG_RE = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE_RE = r'\b{name}\s*=\s*["\']\s*([0-9.]+)(?:px)?\s*["\']'
_VIEWBOX_RE = re.compile(
    r'\bviewBox\s*=\s*["\']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["\']'
)


@dataclass(frozen=True)
class Raster:
    """A PNG and its size in pixels."""

    png: bytes
    width: int
    height: int


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of an SVG in CSS px from its root's attributes (or its viewBox)."""
    root = _ROOT_TAG_RE.search(svg)
    if not root:
        return DEFAULT_SIZE
    tag = root.group(0)
    width = re.search(_ATTRIBUTE_RE.format(name="width"), tag)
    height = re.search(_ATTRIBUTE_RE.format(name="height"), tag)
    if width and height:
        size = (float(width.group(1)), float(height.group(1)))
    elif viewbox := _VIEWBOX_RE.search(tag):
        size = (float(viewbox.group(1)), float(viewbox.group(2)))
    else:
        return DEFAULT_SIZE
    if not all(0 < side <= MAX_SIDE for side in size):
        return DEFAULT_SIZE
    return size


class _ChartFetcher(URLFetcher):
    """Hands the charts to WeasyPrint from memory; every other URL is refused."""

    def __init__(self, svgs: Sequence[str]):
        super().__init__(allowed_protocols=())
        self._svgs = svgs

    def fetch(self, url, headers=None):
        name = url.removeprefix(_CHART_ORIGIN).removesuffix(".svg")
        if not url.startswith(_CHART_ORIGIN) or not name.isdigit() or int(name) >= len(self._svgs):
            raise ValueError(f"Not a chart of this export: {url}")
        return URLFetcherResponse(
            url, body=self._svgs[int(name)], headers={"Content-Type": "image/svg+xml"}
        )


def _charts_html(sizes: Sequence[tuple[float, float]]) -> str:
    """One page per chart, each page exactly the chart's size.

    Each chart is an <img>, not inline SVG, so the ids inside one chart (titles, hatch
    patterns) never collide with those of another.
    """
    rules = ["html, body { margin: 0; padding: 0; } img { display: block; }"]
    images = []
    for index, (width, height) in enumerate(sizes):
        rules.append(
            f"@page chart-{index} {{ size: {width}px {height}px; margin: 0; }} "
            f".chart-{index} {{ page: chart-{index}; width: {width}px; height: {height}px; }}"
        )
        images.append(f'<img class="chart-{index}" src="{_CHART_ORIGIN}{index}.svg" alt="">')
    return f"<!doctype html><style>{' '.join(rules)}</style>{''.join(images)}"


def _rasterise(pdf: bytes, scale: float) -> list[Raster]:
    rasters = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", compress_level=1)
            rasters.append(Raster(buffer.getvalue(), image.width, image.height))
            bitmap.close()
            page.close()
    finally:
        document.close()
    return rasters


def svgs_to_pngs(svgs: Sequence[str], *, scale: float = RASTER_SCALE) -> list[Raster]:
    """Each SVG as a PNG on white, in one WeasyPrint pass for all of them."""
    if not svgs:
        return []
    sizes = [svg_size(svg) for svg in svgs]
    pdf = HTML(
        string=_charts_html(sizes), base_url=_CHART_ORIGIN, url_fetcher=_ChartFetcher(svgs)
    ).write_pdf()
    rasters = _rasterise(pdf, scale)
    if len(rasters) != len(svgs):
        raise RuntimeError(f"{len(svgs)} charts rendered to {len(rasters)} pages.")
    return rasters
