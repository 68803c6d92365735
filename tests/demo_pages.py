"""The eight reader pages of the demo that the HTML check and `make audit` look at."""

PAGES = ["home", "news", "catalog", "lifecycle", "excerpt", "survey", "results", "board"]


def demo_pages() -> dict[str, str]:
    """Each page's URL path once the demo is loaded: the newest news, the first excerpt, the
    open survey (its form) and the survey results page."""
    from vitrine.catalog.models import CatalogPage
    from vitrine.excerpts.models import TopicExcerptPage
    from vitrine.improvements.models import ImprovementBoardPage
    from vitrine.portal.models import HomePage, LifecyclePage, NewsPage
    from vitrine.surveys.models import SurveyPage, SurveyResultsPage

    open_surveys = [s for s in SurveyPage.objects.live().order_by("path") if s.is_open()]
    if not open_surveys:
        raise LookupError("The demo has no open survey.")
    urls = {
        "home": HomePage.objects.get().url,
        "news": NewsPage.objects.live().order_by("-date").first().url,
        "catalog": CatalogPage.objects.get().url,
        "lifecycle": LifecyclePage.objects.get().url,
        "excerpt": TopicExcerptPage.objects.live().order_by("path").first().url,
        "survey": open_surveys[0].url,
        "results": SurveyResultsPage.objects.live().get().url,
        "board": ImprovementBoardPage.objects.get().url,
    }
    return {name: urls[name] for name in PAGES}
