"""Atom feeds: one for everyone and one per audience, built on Django's syndication."""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from vitrine.audiences.models import Audience
from vitrine.portal.links import absolute_url
from vitrine.portal.models import CorporateDesign

from .selectors import FeedEntry, feed_audience, feed_entries, home_url


@dataclass(frozen=True)
class FeedSubject:
    """Everything one request's feed needs; the Feed instance is shared across requests."""

    audience: Audience | None
    audience_name: str
    portal_name: str
    company_name: str
    home_url: str
    feed_url: str
    feed_id: str
    entries: list[FeedEntry]


class AudienceFeed(Feed):
    """`/feeds/all.atom` for everyone, `/feeds/<audience>.atom` for one audience."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> FeedSubject:
        audience = feed_audience(slug)
        if audience is None and slug != "all":
            raise Http404(_("There is no feed for this audience."))
        site = Site.find_for_request(request)
        design = CorporateDesign.for_site(site) if site else CorporateDesign()
        entries = feed_entries(audience=audience, request=request, site=site)
        if audience is not None:
            audience_name = audience.name
        else:
            audience_name = _("Everyone")
        # Every address on the configured root URL, never on the host the request used:
        # a feed reader polls from elsewhere, and the ids must not change with the host.
        feed_url = absolute_url(reverse("outreach:feed", kwargs={"slug": slug}))
        return FeedSubject(
            audience=audience,
            audience_name=audience_name,
            portal_name=design.portal_name,
            company_name=design.company_name,
            home_url=home_url(request, site),
            feed_url=feed_url,
            # Each feed needs an id of its own; its address is one (RFC 4287 4.2.6).
            feed_id=feed_url,
            entries=entries,
        )

    def title(self, obj: FeedSubject) -> str:
        return f"{obj.portal_name} – {obj.audience_name}"

    def subtitle(self, obj: FeedSubject) -> str:
        if obj.audience is None or obj.audience.is_everyone:
            return _("News, News Flashes and changed information for everyone at %(company)s.") % {
                "company": obj.company_name
            }
        return _(
            "News, News Flashes and changed information for %(audience)s, "
            "together with what is meant for everyone."
        ) % {"audience": obj.audience_name}

    def link(self, obj: FeedSubject) -> str:
        return obj.home_url

    def feed_url(self, obj: FeedSubject) -> str:
        return obj.feed_url

    def feed_guid(self, obj: FeedSubject) -> str:
        return obj.feed_id

    def author_name(self, obj: FeedSubject) -> str:
        return obj.company_name

    def items(self, obj: FeedSubject) -> list[FeedEntry]:
        return obj.entries

    # Atom titles are plain text: Django's default escaping (meant for RSS) would show
    # "&amp;" to the reader.
    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_description(self, item: FeedEntry) -> str:
        return item.summary_html

    def item_link(self, item: FeedEntry) -> str:
        # Absolute already; a path would get the request's host from Django's add_domain().
        return absolute_url(item.link)

    def item_guid(self, item: FeedEntry) -> str:
        return item.guid

    def item_pubdate(self, item: FeedEntry) -> datetime.datetime:
        return item.published

    def item_updateddate(self, item: FeedEntry) -> datetime.datetime:
        return item.updated

    def item_categories(self, item: FeedEntry) -> tuple[str, ...]:
        return item.categories

    def item_author_name(self, item: FeedEntry) -> str:
        return item.author
