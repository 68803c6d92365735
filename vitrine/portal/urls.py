"""URLs of the portal outside the page tree."""

from django.urls import path
from django.views.generic import RedirectView

from . import signin_views, views

app_name = "portal"
urlpatterns = [
    path("design.css", views.design_css, name="design-css"),
    path("anmelden/", signin_views.SignInView.as_view(), name="login"),
    path("abmelden/", signin_views.SignOutView.as_view(), name="logout"),
    # Wagtail's own unstyled login form: old links and bookmarks land on the reader's.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="portal:login", query_string=True),
        name="wagtail-login",
    ),
]
