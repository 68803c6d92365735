"""What happens when the approval workflow "Freigabe" finishes (WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail imports this while it loads its own models, so the module imports nothing of ours.
"""


def workflow_state_publish(workflow_state, user=None) -> None:
    """Publish the approved revision: the workflow itself grants the right to publish.

    Wagtail's default publishes as the last approver and so needs them to hold publish
    permission, which would let reviewers (communications, works council) publish past the
    workflow. Here reviewers only approve; the finished workflow publishes.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
