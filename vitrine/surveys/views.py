"""The reader's side of a survey: the form, the answer, the thanks."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from vitrine import accesslog
from vitrine.audiences.selectors import audiences_for_request

from . import services
from .forms import SurveyForm
from .models import SurveyPage
from .selectors import live_results_page

COOKIE_SALT = "vitrine.surveys.answered"
COOKIE_MAX_AGE = 400 * 24 * 3600
THANKS_PARAM = "danke"


def cookie_name(survey: SurveyPage) -> str:
    return f"vitrine_survey_{survey.pk}"


def answered_before(survey: SurveyPage, request: HttpRequest) -> bool:
    """True when this reader has answered: by participation hash, or by the signed cookie."""
    if services.has_participated(survey, request.user):
        return True
    value = request.get_signed_cookie(cookie_name(survey), default=None, salt=COOKIE_SALT)
    return value == str(survey.pk)


# The access log writes no line for a request that carries this mark (see vitrine.accesslog):
# its time would tell when a known reader answered.
UNLOGGED = accesslog.UNLOGGED


def serve_survey(survey: SurveyPage, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    request.META[UNLOGGED] = True
    if request.method == "POST":
        return _submit(survey, request)
    if request.method not in ("GET", "HEAD"):
        return _render(survey, request, status=405, message=_("Please use the form."))
    form = None
    if (
        not answered_before(survey, request)
        and not services.closed_message(survey)
        and not _sign_in_needed(survey, request)
    ):
        form = SurveyForm(survey)
    return _render(survey, request, form=form)


def _submit(survey: SurveyPage, request: HttpRequest) -> HttpResponse:
    closed = services.closed_message(survey)
    if closed:
        return _render(survey, request, status=403, message=closed)
    if _sign_in_needed(survey, request):
        return _render(
            survey, request, status=403, message=_("Please sign in to answer this survey.")
        )
    if answered_before(survey, request):
        return _render(survey, request, status=409, message=_already_answered())
    form = SurveyForm(survey, request.POST)
    if not form.is_valid():
        return _render(survey, request, form=form, status=400)
    if not request.user.is_authenticated and services.rate_limit_hit(
        survey, services.client_address(request)
    ):
        return _render(
            survey,
            request,
            form=form,
            status=429,
            message=_("Too many answers came from your network just now. Please try again later."),
        )
    slugs = [a.slug for a in audiences_for_request(request) if not a.is_everyone]
    try:
        services.response_submit(
            survey=survey,
            answers=form.answers(),
            user=request.user,
            audience_slugs=slugs,
            contact=form.contact(),
        )
    except services.SurveyClosed as error:
        return _render(survey, request, status=403, message=str(error))
    except services.AlreadyAnswered:
        return _render(survey, request, status=409, message=_already_answered())
    response = HttpResponseRedirect(f"{survey.get_url(request) or '/'}?{THANKS_PARAM}=1")
    response.status_code = 303
    response.set_signed_cookie(
        cookie_name(survey),
        str(survey.pk),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def _sign_in_needed(survey: SurveyPage, request: HttpRequest) -> bool:
    return survey.signed_in_only and not request.user.is_authenticated


def _already_answered() -> str:
    return _("You have already answered this survey. Thank you! Each reader answers once.")


def _render(
    survey: SurveyPage,
    request: HttpRequest,
    *,
    form: SurveyForm | None = None,
    status: int = 200,
    message: str = "",
) -> HttpResponse:
    context = survey.get_context(request)
    answered = answered_before(survey, request)
    context.update(
        {
            "form": form,
            "errors": form.error_list() if form is not None and form.is_bound else [],
            "message": message,
            "closed_message": services.closed_message(survey),
            "answered": answered,
            "sign_in_needed": _sign_in_needed(survey, request) and not answered,
            "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.path})}",
            "thanks": answered and request.GET.get(THANKS_PARAM) == "1",
            "results_page": live_results_page(survey),
            "questions": _question_fields(form) if form is not None else [],
        }
    )
    return TemplateResponse(request, survey.get_template(request), context, status=status)


def _question_fields(form: SurveyForm) -> list[dict]:
    """Per question: the bound field, its "other" field and the scale labels."""
    from .forms import field_name, other_name

    items = []
    for number, question in enumerate(form.questions, start=1):
        other = other_name(question)
        items.append(
            {
                "number": number,
                "question": question,
                "field": form[field_name(question)],
                "other": form[other] if other in form.fields else None,
            }
        )
    return items
