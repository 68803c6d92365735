"""API tokens: who may hold one, whose tokens a user manages, and resolving a presented token.

The tokens are Wagtail's own (`wagtail.models.APIToken`): only an HMAC-SHA-256 digest of
the secret and its first characters (`prefix`) are stored; the secret is shown once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import APIToken

ACCESS_ADMIN = "wagtailadmin.access_admin"
MANAGE_OTHERS = ("wagtailcore.change_apitoken", "wagtailcore.delete_apitoken")
MAX_TOKEN_CHARS = 200  # the secrets are far shorter; longer input is refused unread
LAST_USED_INTERVAL = timedelta(seconds=60)


def may_hold_token(user: AbstractBaseUser) -> bool:
    """Editors hold tokens: active users with access to the Wagtail admin."""
    return bool(user.is_active and user.has_perm(ACCESS_ADMIN))


def token_holders() -> QuerySet:
    """The users who may hold a token, for choosing an owner in the admin."""
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=access)
            | Q(groups__permissions__in=access)
        )
        .distinct()
    )


def manageable_owners(user: AbstractBaseUser) -> QuerySet:
    """The users whose tokens `user` sees and revokes: everyone's for superusers, the
    non-superusers' for user managers with the token model permissions, else their own."""
    users = get_user_model().objects.all()
    if user.is_active and user.is_superuser:
        return users
    opts = users.model._meta
    if user.has_perms((*MANAGE_OTHERS, f"{opts.app_label}.change_{opts.model_name}")):
        return users.filter(is_superuser=False)
    return users.filter(pk=user.pk)


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking a presented token: the token, or why it was refused."""

    token: APIToken | None
    reason: str = ""


def token_check(secret: str) -> TokenCheck:
    """Find the live token for a presented secret; say why when there is none."""
    secret = secret.strip()
    if not secret or len(secret) > MAX_TOKEN_CHARS:
        return TokenCheck(None, _("The API token is not valid."))
    token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(secret))
        .first()
    )
    if token is None:
        return TokenCheck(None, _("The API token is not valid."))
    if token.revoked_at is not None:
        return TokenCheck(None, _("The API token has been revoked."))
    if not may_hold_token(token.user):
        return TokenCheck(
            None,
            _("The API token's owner is inactive or no longer has access to the admin."),
        )
    return TokenCheck(token)


def token_touch(token: APIToken) -> None:
    """Record the token's use, at most once a minute to spare the database."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_INTERVAL:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
