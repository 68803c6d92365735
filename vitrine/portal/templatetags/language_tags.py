"""Template tags for the page's languages: content, interface labels, the language switch."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import language

register = template.Library()


@register.simple_tag(takes_context=True)
def content_language(context) -> str:
    """The language the page's text is written in: its locale, else the default content language."""
    page = context.get("page")
    return language.content_language(page if hasattr(page, "locale_id") else None)


@register.simple_tag
def language_switch(content_lang: str) -> list[dict]:
    """The other interface languages, each named in itself, with what switching to it changes.

    Only the interface changes: when the content stays in another language the hint says so.
    """
    names = dict(settings.LANGUAGES)  # translated into the current interface language
    current = translation.get_language()
    choices = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        if code == content_lang or content_lang not in names:
            hint = _("Interface in %(language)s") % {"language": name}
        else:
            hint = _("Interface in %(language)s (content stays in %(content)s)") % {
                "language": name,
                "content": names[content_lang],
            }
        choices.append(
            {"code": code, "name": translation.get_language_info(code)["name_local"], "hint": hint}
        )
    return choices


@register.simple_tag(takes_context=True)
def ui_lang(context) -> str:
    """` lang="…"` for an interface label when the interface language differs from the content's.

    `<main>` carries the content's language; a label inside it written in the interface language
    marks itself so that it is read with its own language's rules. Nothing when both agree.
    """
    interface = translation.get_language()
    content = context.get("content_lang") or content_language(context)
    if not interface or interface == content:
        return ""
    return format_html(' lang="{}"', interface)
