"""Template tags of surveys: what the home page shows of them."""

from django import template

from vitrine.audiences.selectors import audiences_for_request

from ..selectors import open_surveys, results_pages_for

register = template.Library()
HOME_RESULTS_LIMIT = 3


@register.inclusion_tag("surveys/includes/home_surveys.html", takes_context=True)
def home_surveys(context):
    """Open surveys and the latest results pages for the reader's audiences."""
    request = context.get("request")
    if request is None:
        return {"surveys": [], "results_pages": []}
    audiences = audiences_for_request(request)
    return {
        "request": request,
        "surveys": list(open_surveys(audiences)),
        "results_pages": results_pages_for(audiences, limit=HOME_RESULTS_LIMIT),
    }
