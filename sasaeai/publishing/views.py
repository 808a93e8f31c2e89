"""News and newsletters: the public pages, the subscription links and the center's pages."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import public
from sasaeai.core.dates import fiscal_year_label
from sasaeai.core.publiccache import cached_public_page
from sasaeai.core.ratelimit import rate_limited

from . import actions
from .feeds import NewsFeed
from .forms import NewsletterForm, NewsPostForm, SubscribeForm
from .models import Newsletter, NewsPost
from .queries import (
    get_issue_for_user_or_404,
    get_managed_issue_or_404,
    get_managed_post_or_404,
    get_post_for_user_or_404,
    shown_prefecture,
)
from .tokens import BadToken

PAGE = 20


def news_version(request, *args, **kwargs):
    prefecture = shown_prefecture(request.user)
    return (prefecture, NewsPost.objects.in_prefecture(prefecture).published().version())


def newsletter_version(request, *args, **kwargs):
    prefecture = shown_prefecture(request.user)
    return (prefecture, Newsletter.objects.in_prefecture(prefecture).published().version())


# News ----------------------------------------------------------------------------------------


@public
@cached_public_page(news_version)
def news_list(request):
    posts = NewsPost.objects.in_prefecture(shown_prefecture(request.user)).published()
    category = request.GET.get("category", "")
    if category:
        posts = posts.filter(category=category)
    return render(
        request,
        "publishing/news_list.html",
        {
            "posts": posts[:100],
            "category": category,
            "categories": NewsPost._meta.get_field("category").choices,
        },
    )


@public
@cached_public_page(news_version)
def news_detail(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    return render(request, "publishing/news_detail.html", {"post": post})


@public
def news_attachment(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    if not post.attachment:
        raise Http404
    return FileResponse(
        post.attachment.open("rb"), content_type="application/pdf", filename=f"news-{post.pk}.pdf"
    )


@public
@cached_public_page(news_version)
def news_feed(request):
    return NewsFeed()(request)


# Newsletters ---------------------------------------------------------------------------------


@public
@cached_public_page(newsletter_version)
def newsletter_list(request):
    issues = Newsletter.objects.in_prefecture(shown_prefecture(request.user)).published()
    years = [
        (year, fiscal_year_label(year, style="wareki"), list(group))
        for year, group in groupby(issues, key=lambda issue: issue.fiscal_year)
    ]
    return render(request, "publishing/newsletter_list.html", {"years": years})


@public
@cached_public_page(newsletter_version)
def newsletter_detail(request, pk: int):
    issue = get_issue_for_user_or_404(request.user, pk)
    return render(
        request,
        "publishing/newsletter_detail.html",
        {"issue": issue, "year_label": fiscal_year_label(issue.fiscal_year, style="wareki")},
    )


@public
def newsletter_pdf(request, pk: int):
    issue = get_issue_for_user_or_404(request.user, pk)
    if not issue.pdf:
        raise Http404
    return FileResponse(
        issue.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"newsletter-{issue.number}.pdf",
    )


# Subscription -------------------------------------------------------------------------------


@public
@rate_limited("newsletter-subscription")
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.request_subscription(
            prefecture=shown_prefecture(request.user), email=form.cleaned_data["email"]
        )
        return redirect("publishing:subscribe-sent")
    return render(request, "publishing/subscribe.html", {"form": form})


@public
def subscribe_sent(request):
    return render(request, "publishing/subscribe_sent.html")


@public
@rate_limited("token-link-miss", methods=("GET", "POST"), misses_only=True)
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token: str):
    """The link of the confirmation mail. GET shows one button and changes nothing: mail
    systems open incoming links to check them, and a stranger who typed someone's address
    must not get it subscribed by that person's link scanner. POST, from the button,
    confirms (the token proves the address)."""
    try:
        if request.method == "POST":
            subscriber = actions.confirm_subscription(token=token)
        else:
            subscriber = actions.subscriber_to_confirm(token=token)
    except BadToken:
        return render(request, "publishing/subscription_bad_link.html", status=400)
    if not subscriber.is_receiving:
        return render(request, "publishing/subscription_confirm.html", {"token": token})
    return render(request, "publishing/subscription_confirmed.html", {"subscriber": subscriber})


@public
@rate_limited("token-link-miss", methods=("GET", "POST"), misses_only=True)
@csrf_exempt  # RFC 8058 one-click unsubscribe: mail programs POST without a form's token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows one button (so that link scanners do not unsubscribe anyone); POST, from the
    button or from a mail program's one-click unsubscribe, stops the mail."""
    if request.method == "GET":
        try:
            from .tokens import read_unsubscribe_token

            read_unsubscribe_token(token)
        except BadToken:
            return render(request, "publishing/subscription_bad_link.html", status=400)
        return render(request, "publishing/unsubscribe.html", {"token": token})
    try:
        actions.unsubscribe(token=token)
    except BadToken:
        return render(request, "publishing/subscription_bad_link.html", status=400)
    return render(request, "publishing/unsubscribed.html")


# The center's pages --------------------------------------------------------------------------


def _staff_prefecture(user) -> str:
    prefecture = scope_of(user).home_prefecture
    if prefecture is None:
        raise Http404
    return prefecture


@center_staff
def manage(request):
    posts = NewsPost.objects.managed_by(request.user).order_by("-created_at")[:200]
    issues = Newsletter.objects.managed_by(request.user)[:200]
    return render(request, "publishing/manage.html", {"posts": posts, "issues": issues})


def _news_data(form) -> actions.NewsData:
    data = form.cleaned_data
    upload = data.get("attachment")
    return actions.NewsData(
        title=data["title"],
        body=data["body"],
        category=data["category"],
        published_at=data.get("published_at"),
        attachment=upload if upload and hasattr(upload, "content_type") else None,
    )


def _apply(form, write) -> bool:
    """Call ``write()``; put its refusals on the form's fields. True when it went through."""
    try:
        write()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return False
    return True


@center_staff
@require_http_methods(["GET", "POST"])
def news_create(request):
    form = NewsPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        write = lambda: actions.create_news_post(  # noqa: E731
            prefecture=_staff_prefecture(request.user), data=_news_data(form), by=request.user
        )
        if _apply(form, write):
            messages.success(request, _("The post was saved."))
            return redirect("publishing:manage")
    return render(request, "publishing/news_form.html", {"form": form})


@center_staff
@require_http_methods(["GET", "POST"])
def news_edit(request, pk: int):
    post = get_managed_post_or_404(request.user, pk)
    form = NewsPostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        data = _news_data(form)
        post.refresh_from_db()  # the form changed the instance; the action writes it
        if _apply(form, lambda: actions.update_news_post(post=post, data=data, by=request.user)):
            messages.success(request, _("The post was saved."))
            return redirect("publishing:manage")
    return render(request, "publishing/news_form.html", {"form": form, "post": post})


@center_staff
@require_POST
def news_publish(request, pk: int):
    post = get_managed_post_or_404(request.user, pk)
    actions.publish_news_post(post=post, by=request.user)
    messages.success(request, _("The post is published."))
    return redirect("publishing:manage")


@center_staff
@require_POST
def news_unpublish(request, pk: int):
    post = get_managed_post_or_404(request.user, pk)
    actions.unpublish_news_post(post=post, by=request.user)
    messages.success(request, _("The post is withdrawn."))
    return redirect("publishing:manage")


def _newsletter_data(form) -> actions.NewsletterData:
    data = form.cleaned_data
    upload = data.get("pdf")
    return actions.NewsletterData(
        number=data["number"],
        title=data["title"],
        fiscal_year=data["fiscal_year"],
        published_on=data.get("published_on"),
        body=data.get("body", ""),
        pdf=upload if upload and hasattr(upload, "content_type") else None,
    )


@center_staff
@require_http_methods(["GET", "POST"])
def newsletter_create(request):
    form = NewsletterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        write = lambda: actions.create_newsletter(  # noqa: E731
            prefecture=_staff_prefecture(request.user),
            data=_newsletter_data(form),
            by=request.user,
        )
        if _apply(form, write):
            messages.success(request, _("The issue was saved."))
            return redirect("publishing:manage")
    return render(request, "publishing/newsletter_form.html", {"form": form})


@center_staff
@require_http_methods(["GET", "POST"])
def newsletter_edit(request, pk: int):
    issue = get_managed_issue_or_404(request.user, pk)
    form = NewsletterForm(request.POST or None, request.FILES or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        data = _newsletter_data(form)
        issue.refresh_from_db()
        if _apply(form, lambda: actions.update_newsletter(issue=issue, data=data, by=request.user)):
            messages.success(request, _("The issue was saved."))
            return redirect("publishing:manage")
    return render(request, "publishing/newsletter_form.html", {"form": form, "issue": issue})


@center_staff
@require_POST
def newsletter_send(request, pk: int):
    issue = get_managed_issue_or_404(request.user, pk)
    try:
        actions.send_newsletter(issue=issue, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The issue is being sent to the confirmed subscribers."))
    return redirect("publishing:manage")
