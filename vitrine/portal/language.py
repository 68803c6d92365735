"""One language per page: the reader's explicit choice or the site's language, never the browser's.

Content is written in German (WAGTAIL_CONTENT_LANGUAGES); a browser that asks for English must
not wrap it in English labels under `<html lang="en">`. Reader pages therefore take the language
the reader chose with the language switch (Django's language cookie, set by `set_language`) and
else settings.LANGUAGE_CODE. Accept-Language alone never switches. The admin and the API keep
Django's negotiation; Wagtail's admin views then activate each editor's own admin language.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant

# Paths that keep Django's negotiation (cookie, then Accept-Language): Wagtail's and Django's
# admin, and the API, whose scripts ask for the language of its messages.
NEGOTIATED_PATH_PREFIXES = ("/admin/", "/django-admin/", "/api/")
FALLBACK_LANGUAGE = "de"


def _supported(code: str | None) -> str | None:
    """`code` as one of settings.LANGUAGES (or its generic variant), else None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def default_language() -> str:
    """The site's language: settings.LANGUAGE_CODE, or German when that is not offered."""
    return _supported(settings.LANGUAGE_CODE) or FALLBACK_LANGUAGE


def chosen_language(request) -> str | None:
    """The language the reader picked with the language switch, if it is one we offer."""
    return _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def reader_language(request) -> str:
    """The interface language of a reader page."""
    return chosen_language(request) or default_language()


def default_content_language() -> str:
    """The language content is written in when no page says otherwise."""
    try:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return next(iter(get_content_languages()), FALLBACK_LANGUAGE)


def content_language(page=None) -> str:
    """The language of `page`'s text (its Wagtail locale), else the default content language."""
    locale = getattr(page, "locale", None) if page is not None else None
    code = getattr(locale, "language_code", None)
    return code or default_content_language()


def is_negotiated_path(path: str) -> bool:
    return path.startswith(NEGOTIATED_PATH_PREFIXES)


class ReaderLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware for the admin and the API; the reader's choice or the site's elsewhere."""

    def process_request(self, request):
        if is_negotiated_path(request.path_info):
            return super().process_request(request)
        translation.activate(reader_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if is_negotiated_path(request.path_info):
            return super().process_response(request, response)
        # The language depends on the cookie only: caches must not key on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
