"""The API tokens in the Wagtail admin's settings menu, for every editor."""

from django.apps import apps
from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.models import APIToken
from wagtail.permissions import register_permission_policy

from .admin_views import APITokenViewSet, EditorTokenPolicy

register_permission_policy(APIToken, EditorTokenPolicy(APIToken))


@hooks.register("register_admin_viewset")
def register_api_tokens():
    # With Wagtail's own API app installed, wagtail.users registers the token views itself.
    if apps.is_installed("wagtail.api.v3"):
        return []
    return APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")


@hooks.register("register_permissions")
def snapshot_permission():
    # Posting snapshots through the API is granted per group in the admin's group editor.
    return Permission.objects.filter(content_type__app_label="figures", codename="add_snapshot")
