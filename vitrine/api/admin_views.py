"""API tokens in the Wagtail admin (Settings → API tokens), built on Wagtail's own token views.

Wagtail's views let only holders of the token model permissions manage tokens; here every
editor (a user with admin access) creates, renames and revokes their own tokens, while
superusers see and revoke everyone's. Tokens are only ever made for users who may hold one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import APIToken
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.users.utils import user_can_manage_token
from wagtail.users.views import api_tokens as wagtail_views

from .tokens import manageable_owners, may_hold_token, token_holders

OWN_TOKEN_ACTIONS = frozenset({"add", "change", "delete", "view"})


class EditorTokenPolicy(ModelPermissionPolicy):
    """Editors manage their own tokens; the model permissions still govern other users'."""

    def user_has_permission(self, user, action):
        if action in OWN_TOKEN_ACTIONS and may_hold_token(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if instance.user_id == user.pk:
            return self.user_has_permission(user, action)
        return user_can_manage_token(user, instance.user, self._get_permission_name(action))


def may_manage(user, owner, action: str) -> bool:
    """Whether `user` may do `action` ("add", "delete") with a token of `owner`."""
    if not may_hold_token(owner):
        return False
    if owner.pk == user.pk:
        return may_hold_token(user)
    return manageable_owners(user).filter(pk=owner.pk).exists() and user_can_manage_token(
        user, owner, f"wagtailcore.{action}_apitoken"
    )


class OwnedTokensMixin:
    def get_queryset(self):
        return super().get_queryset().filter(user__in=manageable_owners(self.request.user))


class IndexView(OwnedTokensMixin, wagtail_views.IndexView):
    pass


class EditView(OwnedTokensMixin, wagtail_views.EditView):
    pass


class CreateView(wagtail_views.CreateView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        owners = manageable_owners(user)
        if not user.has_perm("wagtailcore.add_apitoken"):
            owners = owners.filter(pk=user.pk)
        owners = owners.filter(pk__in=token_holders().values("pk"))
        kwargs["manageable_users"] = owners.order_by(get_user_model().USERNAME_FIELD)
        return kwargs

    def get_initial(self):
        return {**super().get_initial(), "user": self.request.user.pk}

    def form_valid(self, form):
        owner = form.cleaned_data["user"]
        if not may_manage(self.request.user, owner, "add"):
            raise PermissionDenied
        self.object, plaintext = APIToken.create_token(user=owner, name=form.cleaned_data["name"])
        log(self.object, "wagtail.apitoken.create", user=self.request.user)
        return TemplateResponse(
            self.request,
            "wagtailusers/api_tokens/created.html",
            self.get_created_context(plaintext),
        )


class RevokeView(OwnedTokensMixin, wagtail_views.RevokeView):
    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        owner = self.object.user
        if owner.pk != request.user.pk and not user_can_manage_token(
            request.user, owner, "wagtailcore.delete_apitoken"
        ):
            raise PermissionDenied
        if self.object.revoked_at is None:
            self.object.revoke()
            log(self.object, "wagtail.apitoken.revoke", user=request.user)
        messages.success(request, _("API token '%(name)s' revoked.") % {"name": self.object.name})
        return redirect(self.get_success_url())


class APITokenViewSet(wagtail_views.APITokenViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = RevokeView
