"""Load the demo company "Muster AG" (idempotent: a second run changes nothing)."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site, Workflow

from vitrine.audiences.models import Audience
from vitrine.catalog.models import CatalogPage
from vitrine.portal.demo import content
from vitrine.portal.demo.dating import (
    GERMAN_MONTHS,
    KEY_USER_FIRST_ATTENDANCE,
    adobe_switch_day,
    date_page,
    german_date,
    german_weekday_date,
    key_user_first_session,
    key_user_next_session,
    launch_day,
    quarter_after,
    quarter_before,
    story_moment,
)
from vitrine.portal.models import (
    Contact,
    CorporateDesign,
    HomePage,
    InfoBlockPage,
    LifecyclePage,
    LifecycleStage,
    NewsFlash,
    NewsIndexPage,
    NewsPage,
)

DEMO_DIR = Path(content.__file__).resolve().parent
CAD_UTILISATION = "utilisation.autocad"  # the CAD figure the quarterly news cites


class Command(BaseCommand):
    help = 'Load the demo company "Muster AG" with German content. Safe to run again.'

    def handle(self, *args, **options):
        self.created: list[str] = []
        with transaction.atomic():
            home = self.home_page()
            self.design(home)
            contacts = self.contacts()
            owner = self.content_owner()
            self.reviewers()
            self.info_blocks(home, contacts, owner)
            news_index = self.news_index(home)
            self.catalog(home)
            self.figures()  # after the catalog (its lead times), before the texts citing them
            self.news(news_index)
            lifecycle = self.lifecycle(home)
            self.news_flash(lifecycle)
            self.excerpts()
            self.improvements()
            self.surveys()
        self.pending_in_workflow(news_index)
        if self.created:
            self.stdout.write(self.style.SUCCESS("Demo loaded: " + ", ".join(self.created)))
        else:
            self.stdout.write("Demo is loaded already; nothing changed.")

    # -- pieces ---------------------------------------------------------------------

    def audiences(self, slugs) -> list[Audience]:
        return list(Audience.objects.filter(slug__in=slugs))

    def home_page(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title=content.HOME["title"], slug="start"))
            Site.objects.update_or_create(
                is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
            )
        if not home.heading:
            home.heading = content.HOME["heading"]
            home.intro = content.HOME["intro"]
            home.save_revision().publish()
            date_page(home, launch_day())
            self.created.append("home page")
        return home

    def design(self, home: HomePage) -> None:
        site = Site.objects.get(is_default_site=True)
        design = CorporateDesign.for_site(site)
        if not design.team_lead_email:
            for field, value in content.COMPANY.items():
                setattr(design, field, value)
            design.full_clean()
            design.save()
            self.created.append("corporate design")

    def contacts(self) -> dict[str, Contact]:
        result = {}
        for data in content.CONTACTS:
            contact, created = Contact.objects.get_or_create(
                name=data["name"], defaults={k: v for k, v in data.items() if k != "name"}
            )
            if created:
                self.created.append(f"contact {contact.name}")
            result[contact.name] = contact
        return result

    def content_owner(self):
        User = get_user_model()
        owner, created = User.objects.get_or_create(
            username="s.krueger",
            defaults={
                "first_name": "Sabine",
                "last_name": "Krüger",
                "email": "sabine.krueger@muster-ag.example",
                "is_active": True,
            },
        )
        if created:
            owner.set_unusable_password()
            owner.save()
        return owner

    def reviewers(self) -> None:
        """A member for each reviewer group of the workflow "Freigabe"."""
        User = get_user_model()
        for data in content.REVIEWERS:
            group = Group.objects.filter(name=data["group"]).first()
            if group is None:
                continue  # the workflow migration has not created it: nothing to review
            fields = {k: v for k, v in data.items() if k not in ("group", "username")}
            user, created = User.objects.get_or_create(
                username=data["username"], defaults={**fields, "is_active": True}
            )
            if created:
                user.set_unusable_password()
                user.save()
                self.created.append(f"reviewer {user.username} ({group.name})")
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)

    def info_blocks(self, home: HomePage, contacts: dict[str, Contact], owner) -> None:
        today = timezone.localdate()
        for data in content.INFO_BLOCKS:
            if InfoBlockPage.objects.filter(slug=data["slug"]).exists():
                continue
            block = InfoBlockPage(
                title=data["title"],
                slug=data["slug"],
                kind=data["kind"],
                summary=data["summary"],
                body=data["body"],
                benefit=data["benefit"],
                owner_user=owner,
                review_by=today + datetime.timedelta(days=data["review_in_days"]),
                show_in_menus=False,
            )
            home.add_child(instance=block)
            if data["kind"] == "contacts":
                block.contacts.set(list(contacts.values()))
            else:
                block.contacts.set([contacts["Team Lizenzmanagement"]])
            block.save_revision().publish()
            # The demo's blocks were written one review interval before their review date.
            written = timezone.make_aware(
                datetime.datetime.combine(
                    block.review_by - datetime.timedelta(days=block.review_interval_days),
                    datetime.time(9, 0),
                )
            )
            date_page(block, written)
            self.created.append(f"info block {block.title}")

    def news_index(self, home: HomePage) -> NewsIndexPage:
        index = NewsIndexPage.objects.first()
        if index is None:
            index = NewsIndexPage(
                title=content.NEWS_INDEX["title"],
                slug=content.NEWS_INDEX["slug"],
                intro=content.NEWS_INDEX["intro"],
                show_in_menus=True,
            )
            home.add_child(instance=index)
            index.save_revision().publish()
            date_page(index, launch_day())
            self.created.append("news index")
        return index

    def story_numbers(self) -> dict[str, str]:
        """What the news cite from the imported demo figures."""
        from vitrine.figures.demo import figure_on, inactive_licences
        from vitrine.improvements.demo import harvest

        now = timezone.now()
        freed = harvest(now)
        harvest_news = next(n for n in content.NEWS if n["slug"] == content.HARVEST_NEWS_SLUG)
        latest = inactive_licences(
            on_or_before=timezone.localdate(now) - datetime.timedelta(days=harvest_news["days_ago"])
        )
        today = timezone.localdate(now)
        news_day = today - datetime.timedelta(days=content.KEY_USER_NEWS_DAYS_AGO)
        next_session = key_user_next_session(news_day)
        renewal_day = today - datetime.timedelta(days=content.RENEWAL_NEWS_DAYS_AGO)
        figures_day = today - datetime.timedelta(days=content.FIGURES_NEWS_DAYS_AGO)
        past_quarter, past_quarter_in = quarter_before(figures_day)
        cad = figure_on(CAD_UTILISATION, on_or_before=figures_day)
        return {
            "past_quarter": past_quarter,
            "past_quarter_in": past_quarter_in,
            "cad_utilisation": f"{cad[1]:.0f}" if cad else "",
            "cad_report_date": german_date(cad[0]) if cad else "",
            "renewal_quarter": quarter_after(renewal_day),
            "reply_by": german_date(
                renewal_day + datetime.timedelta(days=content.RENEWAL_REPLY_DAYS)
            ),
            "first_session": german_date(key_user_first_session(timezone.localdate(now))),
            "first_attendance": str(KEY_USER_FIRST_ATTENDANCE),
            "next_session": german_date(next_session),
            "next_session_long": german_weekday_date(next_session),
            "freed": str(freed[1]) if freed else "",
            "latest": str(latest[1]) if latest else "",
            "latest_date": german_date(latest[0]) if latest else "",
        }

    def news(self, index: NewsIndexPage) -> None:
        today = timezone.localdate()
        numbers = None
        for data in content.NEWS:
            if NewsPage.objects.filter(slug=data["slug"]).exists():
                continue
            numbers = numbers or self.story_numbers()
            text = {
                key: data[key].format_map(numbers) for key in ("title", "teaser", "body", "benefit")
            }
            news = NewsPage(
                slug=data["slug"],
                date=today - datetime.timedelta(days=data["days_ago"]),
                **text,
            )
            index.add_child(instance=news)
            news.audiences.set(self.audiences(data["audiences"]))
            news.save_revision().publish()
            date_page(news, news.date)
            self.created.append(f"news {news.slug}")

    def catalog(self, home: HomePage) -> None:
        from vitrine.catalog import services as catalog_services

        page = CatalogPage.objects.first()
        if page is None:
            page = CatalogPage(
                title="Softwarekatalog",
                slug="softwarekatalog",
                intro=(
                    "<p>Welche Software Sie bekommen, wie schnell, was sie kostet – und was Sie "
                    "stattdessen nutzen können. Alles mit „Self-Service“ installieren Sie "
                    "selbst, ohne Genehmigung und noch am selben Tag.</p>"
                ),
                show_in_menus=True,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            date_page(page, launch_day())
            self.created.append("catalog page")
        result = catalog_services.catalog_import_file(path=DEMO_DIR / "softwarekatalog.csv")
        if getattr(result, "created", 0):
            self.created.append(f"{result.created} catalog entries")

    def lifecycle(self, home: HomePage) -> LifecyclePage:
        page = LifecyclePage.objects.first()
        if page is not None:
            return page
        data = content.LIFECYCLE
        page = LifecyclePage(
            title=data["title"], slug=data["slug"], intro=data["intro"], show_in_menus=True
        )
        page.stages = [LifecycleStage(**stage) for stage in data["stages"]]
        home.add_child(instance=page)
        page.save_revision().publish()
        date_page(page, launch_day())
        self.created.append("lifecycle page")
        return page

    def figures(self) -> None:
        """Half a year of sample exports, imported as the team would import them."""
        from vitrine.figures.demo import load_demo_figures

        if load_demo_figures(today=timezone.localdate()):
            self.created.append("figures")

    def excerpts(self) -> None:
        from vitrine.excerpts.demo import load_demo_excerpts

        self.created += [f"excerpt {slug}" for slug in load_demo_excerpts()]

    def improvements(self) -> None:
        """The board "Woran wir arbeiten" with items in every state (owners: the contacts)."""
        from vitrine.improvements.demo import load_demo_improvements

        if load_demo_improvements():
            self.created.append("improvement board")

    def surveys(self) -> None:
        """A closed wave with published results and an open survey (after the board: the
        results page lists the items opened from the survey)."""
        from vitrine.surveys.demo import load_demo_surveys

        if load_demo_surveys():
            self.created.append("surveys")

    def news_flash(self, link_page: Page) -> None:
        data = content.NEWS_FLASH
        titles = [data["title"], *content.FORMER_NEWS_FLASH_TITLES]
        if NewsFlash.objects.filter(title__in=titles).exists():
            return
        now = timezone.now()
        switch = adobe_switch_day(timezone.localdate(now))
        NewsFlash.objects.create(
            title=data["title"],
            text=data["text"].format(switch_day=german_date(switch)),
            link_page=link_page,
            link_text=data["link_text"],
            urgency=data["urgency"],
            starts_at=now - datetime.timedelta(days=data["days_before"]),
            ends_at=story_moment(switch + datetime.timedelta(days=data["days_after_switch"])),
        )
        self.created.append("News Flash")

    def pending_in_workflow(self, news_index: NewsIndexPage) -> None:
        """One news item waits for approval in the workflow "Freigabe"."""
        data = content.PENDING_NEWS
        if NewsPage.objects.filter(slug=data["slug"]).exists():
            return
        workflow = Workflow.objects.filter(name="Freigabe", active=True).first()
        if workflow is None:
            self.stdout.write(self.style.WARNING('Workflow "Freigabe" is missing; skipped.'))
            return
        author = self.content_owner()
        from_month = GERMAN_MONTHS[(timezone.localdate() + datetime.timedelta(days=31)).month - 1]
        text = {
            key: data[key].format(from_month=from_month)
            for key in ("title", "teaser", "body", "benefit")
        }
        news = NewsPage(
            slug=data["slug"],
            **text,
            live=False,
            owner=author,
        )
        news_index.add_child(instance=news)
        news.audiences.set(self.audiences(data["audiences"]))
        news.save_revision(user=author)
        workflow.start(news, author)
        self.created.append("news waiting for approval")
