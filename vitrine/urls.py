"""Vitrine's URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from vitrine.portal import views as portal_views

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("profil/", include("vitrine.audiences.urls")),
    path("suche/", portal_views.search, name="search"),
    path("pruefung/", include("vitrine.portal.review_urls")),
    path("feeds/", include("vitrine.outreach.urls")),
    path("auszuege/", include("vitrine.excerpts.urls")),
    path("api/v1/", include("vitrine.api.urls")),
    path("", include("vitrine.portal.urls")),
]

# Only public media, with or without DEBUG: documents go through /documents/ above.
urlpatterns += [
    path("media/<path:path>", portal_views.media, name="media"),
    path("", include(wagtail_urls)),
]

# Vitrine's own error pages in the site frame (vitrine.portal.errors).
handler404 = "vitrine.portal.errors.page_not_found"
handler500 = "vitrine.portal.errors.server_error"
