"""URLs of the one-click review confirmation that owners reach from their reminder mail."""

from django.urls import path

from . import review_views

app_name = "review"
urlpatterns = [
    path("bestaetigen/<str:token>/", review_views.confirm_by_token, name="confirm"),
]
