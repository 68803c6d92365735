"""Survey results in the Wagtail admin: figures, free text, exports, contact wishes.

Thresholded results are for editors of the survey page. Free texts and every export need a
permission of their own ("may see survey answers"), contact wishes another one ("may see who
wishes to be contacted"), and they are a page of their own, never shown beside results.
Everything reads `survey_results` and `free_texts`, like every other way out.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import exports, pool
from .models import Answer, SurveyPage
from .results import free_texts, survey_results
from .selectors import live_results_page, source_urls

EXPORT_KINDS = {"results", "answers", "texts"}
ANSWERS_PERMISSION = "surveys.view_answers"
CONTACTS_PERMISSION = "surveys.view_contact_wishes"
EXPORT_FORMATS = {"csv", "xlsx"}


def survey_for_editor(request: HttpRequest, page_id: int) -> SurveyPage:
    """The survey, if the user may edit it or see its answers; 404 or 403 otherwise."""
    survey = get_object_or_404(SurveyPage, pk=page_id)
    if not (
        survey.permissions_for_user(request.user).can_edit()
        or request.user.has_perm(ANSWERS_PERMISSION)
    ):
        raise PermissionDenied
    return survey


def may_see_answers(user) -> bool:
    return user.has_perm(ANSWERS_PERMISSION)


class SurveyMixin(WagtailAdminTemplateMixin):
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        self.survey = survey_for_editor(request, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["survey"] = self.survey
        return context

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.survey.pk]),
                "label": self.survey.title,
            },
            {"url": "", "label": self.get_page_title()},
        ]


class SurveyResultsView(SurveyMixin, TemplateView):
    """Results, breakdown, free text and contact requests of one survey."""

    template_name = "surveys/admin/results.html"
    page_title = gettext_lazy("Survey results")

    def get_page_subtitle(self):
        return self.survey.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = survey_results(self.survey)
        answers = may_see_answers(self.request.user)
        texts = free_texts(self.survey, min_size=results.min_size) if answers else []
        context.update(
            {
                "survey": self.survey,
                "results": results,
                "may_see_answers": answers,
                "text_answers": texts,
                "pending": pool.pending_count(self.survey),
                "contacts_url": (
                    reverse("surveys_admin:contacts", args=[self.survey.pk])
                    if self.survey.allow_contact and self.request.user.has_perm(CONTACTS_PERMISSION)
                    else ""
                ),
                "results_page": live_results_page(self.survey),
                "exports": [
                    (kind, fmt, reverse("surveys_admin:export", args=[self.survey.pk, kind, fmt]))
                    for kind in ("results", "answers", "texts")
                    for fmt in ("xlsx", "csv")
                ]
                if answers
                else [],
            }
        )
        return context


class ContactWishesView(SurveyMixin, TemplateView):
    """Who wishes to be contacted about a survey: a list of its own, behind its own right."""

    template_name = "surveys/admin/contacts.html"
    page_title = gettext_lazy("Contact wishes")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CONTACTS_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.survey.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contacts"] = self.survey.contact_requests.order_by("name", "email")
        return context


def export_view(request: HttpRequest, page_id: int, what: str, file_format: str) -> HttpResponse:
    if what not in EXPORT_KINDS or file_format not in EXPORT_FORMATS:
        raise Http404(_("Unknown export."))
    survey = survey_for_editor(request, page_id)
    if not may_see_answers(request.user):
        raise PermissionDenied
    content, content_type, name = exports.export(survey, what, file_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class ImprovementFromSurveyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=160)
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=4000, widget=forms.Textarea
    )
    area = forms.ChoiceField(label=gettext_lazy("Process area"))

    def __init__(self, *args, **kwargs):
        from vitrine.improvements.choices import grouped_area_choices

        super().__init__(*args, **kwargs)
        self.fields["area"].choices = grouped_area_choices()


class ImprovementFromSurveyView(SurveyMixin, FormView):
    """Open an improvement item straight from a result or a free-text answer."""

    template_name = "surveys/admin/improvement.html"
    form_class = ImprovementFromSurveyForm
    page_title = gettext_lazy("Open an improvement item")

    def get_initial(self):
        question = self._question()
        answer = self._answer()
        initial = {"area": "communication"}
        if answer is not None:
            initial["title"] = answer.text[:80]
            initial["description"] = (
                _("From the survey “%(survey)s”, answer to “%(question)s”:")
                % {
                    "survey": self.survey.title,
                    "question": answer.question.text,
                }
                + f"\n\n„{answer.text}“"
            )
        elif question is not None:
            initial["title"] = question.text[:160]
            initial["description"] = _(
                "From the survey “%(survey)s”, result of “%(question)s”."
            ) % {
                "survey": self.survey.title,
                "question": question.text,
            }
        return initial

    def _question(self):
        value = self.request.GET.get("frage", "")
        if not value.isdigit():
            return None
        return self.survey.questions.filter(pk=int(value)).first()

    def _answer(self):
        value = self.request.GET.get("antwort", "")
        if not value or not may_see_answers(self.request.user):
            return None
        results = survey_results(self.survey, breakdown=False, charts=False)
        if not results.reached:
            return None  # free text only once the survey reaches the minimum
        try:
            return (
                Answer.objects.select_related("question")
                .filter(question__survey=self.survey, value="")
                .exclude(text="")
                .filter(pk=value)
                .first()
            )
        except ValidationError:
            return None

    def form_valid(self, form):
        from vitrine.improvements.choices import Source
        from vitrine.improvements.services import improvement_create

        urls = source_urls(self.survey, self.request)
        try:
            item = improvement_create(
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                source=Source.SURVEY,
                source_url=urls[0] if urls else "",
                source_label=_("Survey “%(title)s”") % {"title": self.survey.title},
                area=form.cleaned_data["area"],
                audiences=list(self.survey.audiences.all()),
                user=self.request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                target = field if field in form.fields else None
                for message in errors:
                    form.add_error(target, message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Improvement item “%(title)s” opened.") % {"title": item.title}
        )
        return redirect("surveys_admin:results", page_id=self.survey.pk)
