"""The portal's URLs with the excerpt downloads mounted, as a deployment mounts them."""

from django.urls import include, path

from vitrine.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("auszuege/", include("vitrine.excerpts.urls")), *portal_urlpatterns]
