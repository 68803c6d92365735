"""Errors of the API and the JSON they answer with.

Every error is `{"detail": …}`: a sentence, or for bad input a list of
`{"loc": [where, field], "msg": sentence, "type": kind}` as django-ninja writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError

from vitrine.portal.ids import id_out_of_range

from .uploads import UploadTooLarge

WWW_AUTHENTICATE = 'Bearer realm="vitrine"'


class TokenRefused(AuthenticationError):
    """A token was sent but cannot be used."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class Forbidden(AuthorizationError):
    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class FieldError(Exception):
    """Bad input in one field, answered with 422 in the shape of ninja's validation errors."""

    def __init__(self, loc: tuple[str, ...], message: str, kind: str = "value_error") -> None:
        self.loc = list(loc)
        self.message = message
        self.kind = kind
        super().__init__(message)


def ids_in_range(operation: Callable) -> Callable:
    """Answer 404 for an integer parameter (an id in the path) beyond any row's id, before
    the operation asks the database, which would fail on it."""

    @wraps(operation)
    def checked(request: HttpRequest, *args, **kwargs):
        for value in kwargs.values():
            if id_out_of_range(value):
                raise HttpError(404, _("There is nothing with the id %(id)s.") % {"id": value})
        return operation(request, *args, **kwargs)

    return checked


def install(api: NinjaAPI) -> None:
    """Register the API's own error answers on `api`."""

    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        if isinstance(exc, TokenRefused):
            message, header = exc.message, f'{WWW_AUTHENTICATE}, error="invalid_token"'
        else:
            message = _("Send an API token in the header “Authorization: Bearer <token>”.")
            header = WWW_AUTHENTICATE
        response = api.create_response(request, {"detail": message}, status=401)
        response["WWW-Authenticate"] = header
        return response

    def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        message = exc.message if isinstance(exc, Forbidden) else _("Not allowed.")
        return api.create_response(request, {"detail": message}, status=403)

    def field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
        detail = [{"type": exc.kind, "loc": exc.loc, "msg": exc.message}]
        return api.create_response(request, {"detail": detail}, status=422)

    def bad_upload(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": _("The request body is not a readable multipart form.")},
            status=400,
        )

    def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("The request body is too large.")}, status=413
        )

    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(AuthorizationError, forbidden)
    api.add_exception_handler(FieldError, field_error)
    api.add_exception_handler(MultiPartParserError, bad_upload)

    def upload_too_large(request: HttpRequest, exc: UploadTooLarge) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc), "max_bytes": exc.limit}, status=413
        )

    def interrupted(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": _("The upload broke off before its end; nothing was stored.")},
            status=400,
        )

    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(UnreadablePostError, interrupted)
    api.add_exception_handler(UploadTooLarge, upload_too_large)
    api.add_decorator(ids_in_range)
