"""Authentication of API requests by per-user tokens: `Authorization: Bearer <token>`."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from wagtail.models import APIToken

from .errors import Forbidden, PayloadTooLarge, TokenRefused
from .tokens import token_check, token_touch

# Multipart framing around the file: boundaries, part headers and the small form fields.
MULTIPART_OVERHEAD = 64 * 1024


class TokenAuth(HttpBearer):
    """Resolve the bearer token to its owner; refuse revoked tokens and owners who are
    inactive or have lost admin access. A browser session never counts."""

    def authenticate(self, request: HttpRequest, token: str) -> APIToken:
        check = token_check(token)
        if check.token is None:
            raise TokenRefused(check.reason)
        token_touch(check.token)
        request.user = check.token.user
        return check.token


class UploadTokenAuth(TokenAuth):
    """Token authentication that also refuses an upload above `max_bytes` before it is read."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__()
        self.max_bytes = max_bytes

    def authenticate(self, request: HttpRequest, token: str) -> APIToken:
        api_token = super().authenticate(request, token)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_bytes + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(too_large_message(self.max_bytes))
        return api_token


def too_large_message(max_bytes: int) -> str:
    return _("The file is too large: at most %(limit)d MB can be imported.") % {
        "limit": max_bytes // (1024 * 1024)
    }


def require_permission(request: HttpRequest, permission: str, message: str) -> None:
    """403 unless the token's owner holds `permission`."""
    if not request.user.has_perm(permission):
        raise Forbidden(message)
