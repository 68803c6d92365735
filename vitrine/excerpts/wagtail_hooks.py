"""Topic excerpts in the Wagtail admin: a warning when an excerpt shows no open work."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import TopicExcerptPage

PUBLISH_ACTION = "action-publish"


def open_work_warning(request: HttpRequest, page) -> None:
    """Tell the editor that an excerpt without open work is incomplete; never blocks."""
    page = page.specific
    if not isinstance(page, TopicExcerptPage) or page.has_open_work:
        return
    if not request.accepts("text/html"):
        return  # a background save (autosave) answers in JSON and shows no messages
    if PUBLISH_ACTION in request.POST:
        text = _(
            "“%(title)s” is published without a “What we are still working on” block. "
            "Excerpts show where work remains: please add at least one."
        )
    else:
        text = _(
            "“%(title)s” has no “What we are still working on” block yet. Excerpts show "
            "where work remains: add at least one before publishing."
        )
    messages.warning(request, text % {"title": page.title})


@hooks.register("after_create_page")
def warn_after_create(request, page):
    open_work_warning(request, page)


@hooks.register("after_edit_page")
def warn_after_edit(request, page):
    open_work_warning(request, page)
