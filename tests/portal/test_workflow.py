"""The approval workflow "Freigabe": communications first, then the works council."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests.conftest import add_child
from vitrine.portal.models import NewsIndexPage, NewsPage


def member_of(group_name: str, username: str):
    user = get_user_model().objects.create_user(
        username=username, password="freigabe-freigabe-1", email=f"{username}@example.org"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.django_db
def test_migration_sets_up_the_freigabe_workflow_on_the_portal_tree(home):
    workflow = Workflow.objects.get(name="Freigabe")
    tasks = [t.specific for t in workflow.tasks]
    assert [t.name for t in tasks] == ["Kommunikation", "Betriebsrat"]
    assert all(isinstance(t, GroupApprovalTask) for t in tasks)
    assert [[g.name for g in t.groups.all()] for t in tasks] == [["Kommunikation"], ["Betriebsrat"]]
    assert home.get_workflow() == workflow
    for name in ("Kommunikation", "Betriebsrat"):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
        codenames = set(
            GroupPagePermission.objects.filter(group=group, page=home).values_list(
                "permission__codename", flat=True
            )
        )
        # Reviewers see and edit the tree; publishing is left to the workflow itself.
        assert codenames == {"change_page"}
        reviewer = home.permissions_for_user(member_of(name, f"pruefer-{name.lower()}"))
        assert reviewer.can_edit() and not reviewer.can_publish()


@pytest.mark.django_db
def test_migration_can_run_again_without_duplicates(home):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("vitrine.portal.migrations.0003_freigabe_workflow")
    migration.create_workflow(apps, None)

    assert Workflow.objects.filter(name="Freigabe").count() == 1
    assert GroupApprovalTask.objects.filter(name__in=["Kommunikation", "Betriebsrat"]).count() == 2
    assert Group.objects.filter(name="Kommunikation").count() == 1
    assert GroupPagePermission.objects.filter(group__name="Betriebsrat").count() == 1
    assert Workflow.objects.get(name="Freigabe").workflow_tasks.count() == 2


def news_form(news_index, **overrides):
    data = {
        "title": "Neue Software-Anfrage in zwei Tagen",
        "slug": "software-anfrage",
        "date": datetime.date(2025, 5, 2).isoformat(),
        "teaser": "Standardsoftware aus dem Katalog ist jetzt in zwei Arbeitstagen da.",
        "body": rich_text("<p>So geht es schneller.</p>"),
        "benefit": "Sie warten weniger.",
        "image_alt": "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
        "action-submit": "Submit",
    }
    data.update(overrides)
    return nested_form_data(data)


def approve(client, page):
    state = page.current_workflow_state
    task_state = state.current_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )


def browser(user) -> Client:
    """A browser of its own per person, so no message or session carries over."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_news_needs_both_approvals_before_readers_see_it(home):
    news_index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    editor = browser(member_of("Editors", "lena"))
    kommunikation = browser(member_of("Kommunikation", "kim"))
    betriebsrat = browser(member_of("Betriebsrat", "bernd"))
    reader = browser(
        get_user_model().objects.create_user(username="rita", password="lesen-lesen-123")
    )
    anonymous = browser(None)

    response = editor.post(
        reverse("wagtailadmin_pages:add", args=["portal", "newspage", news_index.pk]),
        news_form(news_index),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug="software-anfrage")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.workflow.name == "Freigabe"
    assert state.current_task_state.task.name == "Kommunikation"
    page_url = "/neuigkeiten/software-anfrage/"

    def readers_see_it() -> bool:
        return all(c.get(page_url).status_code == 200 for c in (reader, anonymous))

    def readers_see_nothing() -> bool:
        return all(c.get(page_url).status_code == 404 for c in (reader, anonymous))

    assert readers_see_nothing()

    # The works council cannot approve the first step, only communications can.
    dashboard = betriebsrat.get(reverse("wagtailadmin_home")).content.decode()
    assert "Neue Software-Anfrage in zwei Tagen" not in dashboard
    approve(betriebsrat, page)
    page.refresh_from_db()
    assert page.current_workflow_state.current_task_state.task.name == "Kommunikation"

    dashboard = kommunikation.get(reverse("wagtailadmin_home")).content.decode()
    assert "Neue Software-Anfrage in zwei Tagen" in dashboard
    assert approve(kommunikation, page).status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.current_task_state.task.name == "Betriebsrat"
    assert readers_see_nothing()

    dashboard = betriebsrat.get(reverse("wagtailadmin_home")).content.decode()
    assert "Neue Software-Anfrage in zwei Tagen" in dashboard
    assert approve(betriebsrat, page).status_code == 302

    page.refresh_from_db()
    assert page.live
    assert page.current_workflow_state is None
    assert readers_see_it()
    assert "Neue Software-Anfrage in zwei Tagen" in reader.get(page_url).content.decode()
