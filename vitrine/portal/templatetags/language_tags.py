"""Template tags for the page's languages: the language of its content, the language switch."""

from django import template

from .. import language

register = template.Library()


@register.simple_tag(takes_context=True)
def content_language(context) -> str:
    """The language the page's text is written in: its locale, else the default content language."""
    page = context.get("page")
    return language.content_language(page if hasattr(page, "locale_id") else None)
