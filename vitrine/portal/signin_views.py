"""Readers sign in on a page of the portal and sign out from its header.

Django's LoginView and LogoutView do the work: the CSRF check, `next` only to this site
(url_has_allowed_host_and_scheme), no caching. django-axes limits the attempts through the
authentication backend, as on every other login form of the project.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from .forms import ReaderSignInForm


class SignInView(auth_views.LoginView):
    template_name = "portal/sign_in.html"
    authentication_form = ReaderSignInForm


class SignOutView(auth_views.LogoutView):
    """POST signs out and lands on the home page; GET only asks, as link scanners follow GETs."""

    http_method_names = ["get", "post", "options"]
    template_name = "portal/sign_out.html"

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, _("You are signed out."))
        return response
