"""Exports of a topic excerpt: a PDF for reading and printing, a PowerPoint deck for meetings."""

from .pdf import excerpt_pdf
from .pptx import excerpt_pptx

__all__ = ["excerpt_pdf", "excerpt_pptx"]
