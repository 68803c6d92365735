"""The portal in the Wagtail admin: snippets, the review report, dashboard and page actions."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Contact, InfoBlockPage, NewsFlash
from .review_views import InfoBlocksDueReportView, StillValidView
from .selectors import info_block_review_counts
from .services import LOG_ACTION_CONFIRM

# --- Snippets -----------------------------------------------------------------------------


class ContactViewSet(SnippetViewSet):
    model = Contact
    icon = "user"
    menu_label = _("Contacts")
    list_display = ["name", "role", "topic", "email", "phone"]
    list_filter = ["is_mailbox"]
    ordering = ["sort_order", "name"]


def news_flash_window(flash: NewsFlash) -> str:
    local_start = timezone.localtime(flash.starts_at)
    local_end = timezone.localtime(flash.ends_at)
    return "{} – {}".format(
        date_format(local_start, "SHORT_DATETIME_FORMAT"),
        date_format(local_end, "SHORT_DATETIME_FORMAT"),
    )


def news_flash_audiences(flash: NewsFlash) -> str:
    """Whom the flash is shown to: its audiences, or everyone when it names none."""
    names = [audience.name for audience in flash.audiences.all()]
    return ", ".join(names) if names else gettext("Everyone")


def news_flash_state(flash: NewsFlash) -> str:
    now = timezone.now()
    if flash.is_active(now):
        return gettext("active now")
    if flash.starts_at > now:
        return gettext("scheduled")
    return gettext("ended")


class NewsFlashViewSet(SnippetViewSet):
    model = NewsFlash
    icon = "warning"
    menu_label = _("News Flash")
    list_display = [
        "title",
        "urgency",
        Column("audiences", label=_("Audiences"), accessor=news_flash_audiences),
        Column("window", label=_("Shown"), accessor=news_flash_window, sort_key="starts_at"),
        StatusTagColumn(
            "state",
            label=_("Active now"),
            accessor=news_flash_state,
            primary=lambda flash: flash.is_active(),
        ),
    ]
    list_filter = ["urgency"]
    search_fields = ["title", "text"]
    ordering = ["-starts_at"]

    def get_queryset(self, request):
        return NewsFlash.objects.prefetch_related("audiences")


class PortalSnippets(SnippetViewSetGroup):
    items = (ContactViewSet, NewsFlashViewSet)
    menu_icon = "desktop"
    menu_label = _("Portal")
    menu_name = "portal"


register_snippet(PortalSnippets)


# --- Review report and the "still valid" action -------------------------------------------


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path(
            "portal/infobloecke/pruefung/",
            InfoBlocksDueReportView.as_view(),
            name="portal_review_due",
        ),
        path(
            "portal/infobloecke/pruefung/ergebnisse/",
            InfoBlocksDueReportView.as_view(results_only=True),
            name="portal_review_due_results",
        ),
        path(
            "portal/infobloecke/<int:page_id>/noch-gueltig/",
            StillValidView.as_view(),
            name="portal_info_block_still_valid",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return MenuItem(
        _("Info blocks due for review"),
        reverse("portal_review_due"),
        name="info-blocks-due",
        icon_name="time",
        order=1150,
    )


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action(
        LOG_ACTION_CONFIRM, _("Confirm as still valid"), _("Confirmed as still valid")
    )


class StillValidButton(PageMenuItem):
    label = _("Still valid")
    icon_name = "check"
    url_name = "portal_info_block_still_valid"

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


def _is_info_block(page) -> bool:
    return page.specific_class is not None and issubclass(page.specific_class, InfoBlockPage)


@hooks.register("register_page_header_buttons")
def still_valid_header_button(page, user, view_name, next_url=None):
    if _is_info_block(page):
        yield StillValidButton(page=page, next_url=next_url, priority=12)


@hooks.register("register_page_listing_more_buttons")
def still_valid_listing_button(page, user, next_url=None):
    if _is_info_block(page):
        yield StillValidButton(page=page, next_url=next_url, priority=3)


# --- Dashboard ----------------------------------------------------------------------------


class InfoBlockReviewPanel(Component):
    """Shown to every editor, also when nothing is due, so the review stays in sight."""

    name = "info_block_review"
    template_name = "portal/admin/review_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        return {
            "counts": info_block_review_counts(),
            "report_url": reverse("portal_review_due"),
        }


class StaleInfoBlocksSummaryItem(SummaryItem):
    order = 450
    template_name = "portal/admin/review_summary_item.html"

    def get_context_data(self, parent_context):
        return {
            "stale": info_block_review_counts().stale,
            "report_url": reverse("portal_review_due") + "?state=overdue",
        }


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.append(InfoBlockReviewPanel())


@hooks.register("construct_homepage_summary_items")
def add_stale_summary_item(request, items):
    items.append(StaleInfoBlocksSummaryItem(request))
