"""URLs of the REST API; the project mounts them at /api/v1/."""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
