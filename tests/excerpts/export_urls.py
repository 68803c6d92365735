"""The portal's URLs with the excerpt downloads mounted, whether or not vitrine.urls has them."""

from django.urls import include, path

from vitrine.urls import urlpatterns as portal_urlpatterns

mounted = any(getattr(pattern, "namespace", None) == "excerpts" for pattern in portal_urlpatterns)
urlpatterns = ([] if mounted else [path("auszuege/", include("vitrine.excerpts.urls"))]) + list(
    portal_urlpatterns
)
