"""Who may see which posts and issues."""

from __future__ import annotations

from django.http import Http404

from sasaeai.accounts.scope import scope_of
from sasaeai.regions.models import Center

from .models import Newsletter, NewsPost


def shown_prefecture(user) -> str:
    """The prefecture the public pages are shown for: the user's own, else the deployment's
    default center's."""
    prefecture = scope_of(user).home_prefecture
    if prefecture is None:
        center = Center.objects.for_display()
        prefecture = center.prefecture_id if center else None
    if prefecture is None:
        raise Http404
    return prefecture


def get_post_for_user_or_404(user, pk: int) -> NewsPost:
    post = NewsPost.objects.visible_to(user).filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def get_managed_post_or_404(user, pk: int) -> NewsPost:
    post = NewsPost.objects.managed_by(user).filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def get_issue_for_user_or_404(user, pk: int) -> Newsletter:
    issue = Newsletter.objects.visible_to(user).filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue


def get_managed_issue_or_404(user, pk: int) -> Newsletter:
    issue = Newsletter.objects.managed_by(user).filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue
