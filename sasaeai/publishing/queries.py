"""Who may see which posts and issues."""

from __future__ import annotations

from django.http import Http404

from sasaeai.accounts.scope import shown_prefecture as shown_prefecture  # the views' name

from .models import Newsletter, NewsPost


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
