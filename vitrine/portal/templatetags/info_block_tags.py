"""Template tags for info blocks: their review line and contact links."""

import re

from django import template

from ..selectors import info_block_last_reviewed, info_block_owner_label

register = template.Library()


@register.simple_tag
def info_block_review(page) -> dict:
    """The owner as readers see them, when the block was last reviewed and when next."""
    return {
        "owner": info_block_owner_label(page),
        "last_reviewed": info_block_last_reviewed(page),
        "next_review": page.review_by,
    }


@register.filter
def tel_href(number: str) -> str:
    """A phone number as a tel: target: digits and a leading plus only."""
    number = (number or "").strip()
    digits = re.sub(r"\D", "", number)
    return ("+" + digits) if number.startswith("+") else digits
