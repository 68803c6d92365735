"""Review of info blocks: the one-click confirmation, the admin "still valid" action, the report."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from vitrine.exports.spreadsheet import FormulaSafeExportMixin

from .links import absolute_url
from .models import InfoBlockPage, ReviewConfirmation
from .selectors import info_blocks_due_for_review, user_display_name
from .services import (
    ReviewLinkExpired,
    ReviewLinkInvalid,
    info_block_confirm,
    review_link_max_age,
    review_token_read,
)

# --- One-click confirmation from the reminder mail ----------------------------------------


def _refuse(request, *, heading: str, reason: str):
    """A clear message page for a link that cannot be used; nothing has been changed."""
    return render(
        request,
        "portal/review/invalid.html",
        {"heading": heading, "reason": reason},
        status=400,
    )


def _already(request, page: InfoBlockPage):
    confirmation = page.review_confirmations.select_related("confirmed_by").first()
    if confirmation is not None and confirmation.new_review_by != page.review_by:
        # The date was changed by hand after the last confirmation.
        confirmation = None
    return render(
        request,
        "portal/review/already.html",
        {
            "page": page,
            "confirmation": confirmation,
            "confirmed_by_name": user_display_name(confirmation.confirmed_by)
            if confirmation
            else "",
        },
    )


def _confirming_user(request, page: InfoBlockPage, owner):
    """The person recorded as confirming: a logged-in editor of the page, else the owner.

    The link itself stands for its owner; someone else who is logged in only counts as
    the confirming person when they may edit the block anyway.
    """
    user = request.user
    if user.is_authenticated and user.pk != owner.pk:
        if page.permissions_for_user(user).can_edit():
            return user
    return owner


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_by_token(request, token: str):
    """GET shows what the link will do; only the POST from its button confirms the block.

    Mail scanners follow GET links, so a GET must never change anything.
    """
    try:
        claim = review_token_read(token)
    except ReviewLinkExpired:
        return _refuse(
            request,
            heading=gettext("This link has expired"),
            reason=gettext(
                "Confirmation links are valid for %(days)d days. Nothing was changed. Use "
                "the newest reminder, or open the block in the editing area and choose "
                "“Still valid” there."
            )
            % {"days": review_link_max_age().days},
        )
    except ReviewLinkInvalid:
        return _refuse(
            request,
            heading=gettext("This link is not valid"),
            reason=gettext(
                "The link is incomplete or was changed. Nothing was changed. Copy the whole "
                "link from the reminder e-mail, or open the block in the editing area."
            ),
        )

    page = InfoBlockPage.objects.filter(pk=claim.page_id).select_related("owner_user").first()
    owner = get_user_model().objects.filter(pk=claim.owner_id, is_active=True).first()
    if page is None or owner is None:
        return _refuse(
            request,
            heading=gettext("This link is no longer valid"),
            reason=gettext(
                "The info block or the person this link was sent to no longer exists. "
                "Nothing was changed."
            ),
        )
    if page.review_by != claim.review_by:
        return _already(request, page)
    if page.owner_user_id != owner.pk and not page.permissions_for_user(owner).can_edit():
        return _refuse(
            request,
            heading=gettext("This link is no longer valid"),
            reason=gettext(
                "The link was sent to the former owner of “%(title)s”. Nothing was "
                "changed. The current owner receives their own reminder."
            )
            % {"title": page.title},
        )

    if request.method == "POST":
        confirmer = _confirming_user(request, page, owner)
        outcome = info_block_confirm(page=page, user=confirmer, issued_for=claim.review_by)
        if not outcome.created:
            page.refresh_from_db(fields=["review_by"])
            return _already(request, page)
        return render(
            request,
            "portal/review/done.html",
            {
                "page": page,
                "confirmation": outcome.confirmation,
                "confirmed_by_name": user_display_name(confirmer),
            },
        )

    return render(
        request,
        "portal/review/confirm.html",
        {
            "page": page,
            "owner_name": user_display_name(owner),
            "new_review_by": page.next_review_date(),
        },
    )


# --- "Still valid" in the Wagtail admin ---------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class StillValidView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm an info block as still valid from the editing area, as the logged-in editor."""

    template_name = "portal/admin/still_valid.html"
    header_icon = "check"
    page_title = _("Still valid")

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(
            InfoBlockPage.objects.select_related("owner_user"), pk=kwargs["page_id"]
        )
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                "label": self.page.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}
        ):
            return candidate
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = self.page.review_confirmations.select_related("confirmed_by").first()
        context.update(
            {
                "page": self.page,
                "new_review_by": self.page.next_review_date(),
                "latest": latest,
                "latest_by": user_display_name(latest.confirmed_by) if latest else "",
                "owner_name": user_display_name(self.page.owner_user),
                "next_url": self.next_url,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        outcome = info_block_confirm(page=self.page, user=request.user)
        if outcome.created:
            messages.success(
                request,
                gettext("“%(title)s” is confirmed as still valid. Next review: %(date)s.")
                % {
                    "title": self.page.get_admin_display_title(),
                    "date": date_format(outcome.page.review_by, "SHORT_DATE_FORMAT"),
                },
            )
        else:
            messages.info(
                request,
                gettext("“%(title)s” was already confirmed today. Next review: %(date)s.")
                % {
                    "title": self.page.get_admin_display_title(),
                    "date": date_format(outcome.page.review_by, "SHORT_DATE_FORMAT"),
                },
            )
        return HttpResponseRedirect(self.next_url)


# --- Report: info blocks due for review ---------------------------------------------------


class ReviewStateFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(review_by__lt=today)
        if value == "due_soon":
            return qs.filter(review_by__gte=today)
        return qs


def _owners_of_info_blocks(request):
    return (
        get_user_model()
        .objects.filter(owned_info_blocks__isnull=False)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class InfoBlocksDueFilterSet(WagtailFilterSet):
    state = ReviewStateFilter(
        label=_("Review"),
        choices=[("overdue", _("Overdue")), ("due_soon", _("Due soon"))],
        empty_label=_("Overdue or due soon"),
    )
    owner_user = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=_owners_of_info_blocks,
        empty_label=_("Any owner"),
    )

    class Meta:
        model = InfoBlockPage
        fields = ["state", "owner_user"]


class ReviewActionsColumn(Column):
    """Links to edit the block and to confirm it as still valid."""

    cell_template_name = "portal/admin/review_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[instance.pk])
        context["still_valid_url"] = reverse("portal_info_block_still_valid", args=[instance.pk])
        # Back to the report itself, not to the fragment URL that filtering reloads.
        context["next_url"] = reverse("portal_review_due")
        return context


def _review_due_text(page) -> str:
    if page.days_overdue > 0:
        return ngettext("%(days)d day overdue", "%(days)d days overdue", page.days_overdue) % {
            "days": page.days_overdue
        }
    if page.days_overdue == 0:
        return gettext("due today")
    return ngettext("due in %(days)d day", "due in %(days)d days", -page.days_overdue) % {
        "days": -page.days_overdue
    }


class InfoBlocksDueReportView(FormulaSafeExportMixin, ReportView):
    """Live info blocks past their review date or due within the warning period."""

    page_title = _("Info blocks due for review")
    header_icon = "time"
    template_name = "portal/admin/review_report.html"
    results_template_name = "portal/admin/review_report_results.html"
    index_url_name = "portal_review_due"
    index_results_url_name = "portal_review_due_results"
    filterset_class = InfoBlocksDueFilterSet
    default_ordering = "review_by"
    paginate_by = 50
    list_export = [
        "title",
        "owner_name",
        "owner_email",
        "review_by",
        "days_overdue",
        "last_confirmed_at",
        "last_confirmed_by_name",
        "edit_url",
    ]
    export_headings = {
        "title": _("Info block"),
        "owner_name": _("Owner"),
        "owner_email": _("Owner e-mail"),
        "review_by": _("Review by"),
        "days_overdue": _("Days overdue"),
        "last_confirmed_at": _("Last confirmed at"),
        "last_confirmed_by_name": _("Last confirmed by"),
        "edit_url": _("Edit link"),
    }

    columns = [
        TitleColumn(
            "title",
            label=_("Info block"),
            sort_key="title",
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("owner_name", label=_("Owner")),
        Column(
            "review_by_display",
            label=_("Review by"),
            sort_key="review_by",
            accessor=lambda page: date_format(page.review_by, "SHORT_DATE_FORMAT"),
        ),
        Column("review_due_text", label=_("Days overdue"), accessor=_review_due_text),
        Column("last_confirmation_text", label=_("Last confirmation")),
        ReviewActionsColumn("actions", label=_("Actions"), accessor="pk"),
    ]

    @property
    def warning_days(self) -> int:
        return getattr(settings, "VITRINE_REVIEW_WARNING_DAYS", 14)

    def get_filename(self) -> str:
        return f"info-blocks-due-{timezone.localdate().isoformat()}"

    def get_base_queryset(self):
        latest = ReviewConfirmation.objects.filter(page=OuterRef("pk")).order_by(
            "-confirmed_at", "-pk"
        )
        return info_blocks_due_for_review(within_days=self.warning_days).annotate(
            last_confirmed_at=Subquery(latest.values("confirmed_at")[:1]),
            last_confirmed_by_id=Subquery(latest.values("confirmed_by")[:1]),
        )

    def get_valid_orderings(self):
        return ["review_by", "-review_by", "title", "-title"]

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        # A stable order on both databases when several blocks share a date.
        return queryset.order_by(*queryset.query.order_by, "pk")

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        confirmers = get_user_model().objects.in_bulk(
            {p.last_confirmed_by_id for p in pages if p.last_confirmed_by_id}
        )
        today = timezone.localdate()
        for page in pages:
            owner = page.owner_user
            page.owner_name = user_display_name(owner) if owner else gettext("no owner")
            page.owner_email = owner.email if owner else ""
            page.days_overdue = (today - page.review_by).days
            confirmer = confirmers.get(page.last_confirmed_by_id)
            page.last_confirmed_by_name = user_display_name(confirmer) if confirmer else ""
            if page.last_confirmed_at:
                page.last_confirmation_text = gettext("%(date)s by %(name)s") % {
                    "date": date_format(
                        timezone.localtime(page.last_confirmed_at), "SHORT_DATE_FORMAT"
                    ),
                    "name": page.last_confirmed_by_name or gettext("unknown"),
                }
            else:
                page.last_confirmation_text = gettext("never confirmed")
            page.edit_url = absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        return pages
