"""URLs of the portal outside the page tree."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("design.css", views.design_css, name="design-css"),
]
