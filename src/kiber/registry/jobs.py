"""Registry background jobs: thin wrappers around service functions (run after a submission commits)."""

from __future__ import annotations


def render_submission_pdf(submission_id: int) -> None:
    from kiber.registry.models import Submission
    from kiber.registry.services import submission_pdf

    submission_pdf(Submission.objects.select_related("organisation").get(pk=submission_id))
