"""URLs of the audiences app."""

from django.urls import path

from . import views

app_name = "audiences"
urlpatterns = [path("", views.profile, name="profile")]
