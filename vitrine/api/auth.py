"""Authentication of API requests by per-user tokens: `Authorization: Bearer <token>`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer
from wagtail.models import APIToken

from vitrine.figures.admin_views import upload_limit

from .errors import Forbidden, TokenRefused
from .tokens import token_check, token_touch
from .uploads import UploadTooLarge

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
    """Token authentication for uploads: refuses, before a byte of the body is read, a token
    owner without `permission` (403) and a body declaring more than the upload limit plus
    the multipart framing (413)."""

    def __init__(self, permission: str, message: str) -> None:
        super().__init__()
        self.permission = permission
        self.message = message

    def authenticate(self, request: HttpRequest, token: str) -> APIToken:
        api_token = super().authenticate(request, token)
        require_permission(request, self.permission, str(self.message))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = upload_limit()
        if length > limit + MULTIPART_OVERHEAD:
            raise UploadTooLarge(limit)
        return api_token


def require_permission(request: HttpRequest, permission: str, message: str) -> None:
    """403 unless the token's owner holds `permission`."""
    if not request.user.has_perm(permission):
        raise Forbidden(message)
