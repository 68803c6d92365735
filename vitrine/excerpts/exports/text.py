"""Text as the export formats accept it: without control characters, rich text as plain lines."""

from __future__ import annotations

import html
import re

from django.utils.html import strip_tags

# Characters XML 1.0 forbids: python-pptx refuses them and fonts have no glyph for them, so
# one stray control character from an editor would otherwise break or garble an export.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLOCK_END_RE = re.compile(r"(?i)<br\s*/?>|</(?:p|li|h[1-6]|div|tr|blockquote)>")


def clean(text: object) -> str:
    """The text without characters that XML and fonts cannot carry."""
    return _CONTROL_RE.sub("", str(text))


def plain(rich_html: str) -> str:
    """Rich text as plain lines, one per paragraph or list item."""
    text = html.unescape(strip_tags(_BLOCK_END_RE.sub("\n", rich_html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return clean("\n".join(line for line in lines if line))
