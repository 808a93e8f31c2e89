"""Screening (reviewers): the applications to screen, a score with a comment, or a declared
conflict of interest."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sasaeai.core.access import authenticated

from .. import actions, queries
from ..forms import ConflictForm, ReviewForm
from ..models import ApplicationStatus
from .common import _form_refused, _page


@authenticated
def my_reviews(request):
    """The submitted applications of the calls the user screens, except those with a conflict
    of interest (shown apart)."""
    applications = list(queries.applications_to_screen(request.user))
    conflicted = queries.conflicted_ids(request.user, applications)
    return _page(
        request,
        "grants/my_reviews.html",
        {
            "applications": [a for a in applications if a.pk not in conflicted],
            "conflicted": [a for a in applications if a.pk in conflicted],
        },
    )


@authenticated
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """Screen one application: a score from 1 to 5 and a comment, or declare a conflict."""
    application = queries.get_application_to_screen_or_404(request.user, pk)
    conflict = actions.has_conflict(application, request.user)
    own = application.reviews.filter(reviewer=request.user).first()
    action = request.POST.get("action")
    review_form = ReviewForm(
        request.POST if action == "score" else None,
        initial={"score": own.score, "comment": own.comment} if own else None,
    )
    conflict_form = ConflictForm(request.POST if action == "conflict" else None)
    if request.method == "POST":
        if action == "score" and review_form.is_valid():
            try:
                actions.submit_review(
                    application=application,
                    reviewer=request.user,
                    score=review_form.cleaned_data["score"],
                    comment=review_form.cleaned_data["comment"],
                )
            except ValidationError as error:
                _form_refused(review_form, error)
            else:
                messages.success(request, _("Your review was saved."))
                return redirect("grants:my-reviews")
        elif action == "conflict" and conflict_form.is_valid():
            actions.declare_conflict(
                application=application,
                user=request.user,
                reason=conflict_form.cleaned_data["reason"],
            )
            messages.success(
                request, _("The conflict of interest was recorded: you do not screen it.")
            )
            return redirect("grants:my-reviews")
    return _page(
        request,
        "grants/review.html",
        {
            "application": application,
            "call": application.call,
            "lines": application.budget_lines.all(),
            "requested": queries.requested_by_year(application),
            "attachments": application.attachments.all(),
            "conflict": conflict,
            "own": own,
            "review_form": review_form,
            "conflict_form": conflict_form,
            "screenable": application.status == ApplicationStatus.SUBMITTED,
        },
    )
