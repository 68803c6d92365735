"""Puts the News Flash, the corporate design and the feed links into every page."""

from wagtail.models import Site

from vitrine.audiences.selectors import audiences_for_request

from .selectors import active_news_flashes


def portal(request):
    if request.path_info.startswith(("/admin/", "/django-admin/")):
        return {}
    audiences = audiences_for_request(request)
    return {
        "main_navigation": main_navigation(request),
        "news_flashes": active_news_flashes(audiences),
        "feed_audiences": [a for a in audiences if not a.is_everyone],
    }


def main_navigation(request) -> list[dict]:
    """The site's top-level pages marked "show in menus", with the current one marked."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    path = request.path
    items = []
    for page in site.root_page.get_children().live().in_menu().public():
        url = page.get_url(request=request)
        if url:
            items.append({"title": page.title, "url": url, "active": path.startswith(url)})
    return items
