"""URLs of outreach: the Atom feeds, one for everyone and one per audience."""

from django.urls import path

from .feeds import AudienceFeed

app_name = "outreach"
urlpatterns = [
    path("<slug:slug>.atom", AudienceFeed(), name="feed"),
]
