"""Download URLs of topic excerpts, below /auszuege/."""

from django.urls import path

from . import views

app_name = "excerpts"
urlpatterns = [
    path("<int:page_id>/pdf", views.pdf, name="pdf"),
    path("<int:page_id>/pptx", views.pptx, name="pptx"),
]
