"""The project's URLs with the API mounted at /api/v1/, as in vitrine/urls.py."""

from django.urls import include, path

from vitrine.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/", include("vitrine.api.urls")), *project_urlpatterns]
