"""Every write of publishing, one function per use case, each in its own transaction. Mail
goes out through background tasks after the commit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .files import check_pdf
from .models import Delivery, Newsletter, NewsPost, Subscriber
from .tokens import BadToken, read_confirm_token, read_unsubscribe_token

# A second request for the same address within this time sends no second mail.
REQUEST_INTERVAL = datetime.timedelta(minutes=5)


# News -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewsData:
    title: str
    body: str
    category: str
    published_at: datetime.datetime | None = None
    attachment: object | None = None  # an upload; None keeps the current one


def _check_attachment(upload) -> None:
    if upload is not None:
        try:
            check_pdf(upload)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error


@transaction.atomic
def create_news_post(*, prefecture: str, data: NewsData, by) -> NewsPost:
    """A new post; published at ``data.published_at`` (empty: a draft)."""
    _check_attachment(data.attachment)
    post = NewsPost(
        prefecture_id=prefecture,
        title=data.title,
        body=data.body,
        category=data.category,
        published_at=data.published_at,
        created_by=by,
    )
    if data.attachment is not None:
        post.attachment = data.attachment
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def update_news_post(*, post: NewsPost, data: NewsData, by) -> NewsPost:
    """Change a post's text, category, time or attachment."""
    _check_attachment(data.attachment)
    post.title, post.body, post.category = data.title, data.body, data.category
    post.published_at = data.published_at
    if data.attachment is not None:
        post.attachment = data.attachment
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def publish_news_post(*, post: NewsPost, by, at: datetime.datetime | None = None) -> NewsPost:
    """Publish now, or at ``at`` (scheduled)."""
    post.published_at = at or timezone.now()
    post.save(update_fields=["published_at", "updated_at"])
    return post


@transaction.atomic
def unpublish_news_post(*, post: NewsPost, by) -> NewsPost:
    """Withdraw a post from the public pages and the feed."""
    post.published_at = None
    post.save(update_fields=["published_at", "updated_at"])
    return post


# Newsletters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewsletterData:
    number: int
    title: str
    fiscal_year: int
    published_on: datetime.date | None = None
    body: str = ""
    pdf: object | None = None  # an upload; None keeps the current one


def _save_newsletter(issue: Newsletter, data: NewsletterData) -> Newsletter:
    if data.pdf is not None:
        try:
            check_pdf(data.pdf)
        except ValidationError as error:
            raise ValidationError({"pdf": error.messages}) from error
        issue.pdf = data.pdf
    issue.number, issue.title, issue.fiscal_year = data.number, data.title, data.fiscal_year
    issue.published_on, issue.body = data.published_on, data.body
    if not issue.body.strip() and not issue.pdf:
        raise ValidationError({"body": [_("Write the issue's text or upload its PDF.")]})
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def create_newsletter(*, prefecture: str, data: NewsletterData, by) -> Newsletter:
    """A new issue (its text, its PDF, or both)."""
    return _save_newsletter(Newsletter(prefecture_id=prefecture, created_by=by), data)


@transaction.atomic
def update_newsletter(*, issue: Newsletter, data: NewsletterData, by) -> Newsletter:
    """Change an issue."""
    return _save_newsletter(issue, data)


def send_newsletter(*, issue: Newsletter, by) -> None:
    """Send a published issue to every confirmed subscriber of its prefecture, in background
    batches; a subscriber who already has it is skipped (one delivery record each)."""
    from .tasks import send_newsletter_issue

    if not issue.is_published:
        raise ValidationError(_("Publish the issue before sending it."))
    with transaction.atomic():
        Newsletter.objects.filter(pk=issue.pk).update(sent_at=timezone.now())
        transaction.on_commit(lambda: send_newsletter_issue.enqueue(issue.pk))


# Subscribers ----------------------------------------------------------------------------------


def request_subscription(*, prefecture: str, email: str, now=None) -> None:
    """A visitor asks to receive the newsletter: a confirmation mail with a signed link, unless
    the address already receives it or asked a few minutes ago. The caller tells the visitor
    the same thing in every case, so the form never reveals who is subscribed."""
    from .tasks import send_confirmation_mail

    now = now or timezone.now()
    email = email.strip()
    validate_email(email)
    email = _normalise(email)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            prefecture_id=prefecture, email=email
        )
        if subscriber.is_receiving:
            return
        if subscriber.requested_at and now - subscriber.requested_at < REQUEST_INTERVAL:
            return
        subscriber.requested_at = now
        subscriber.save(update_fields=["requested_at"])
        transaction.on_commit(lambda: send_confirmation_mail.enqueue(subscriber.pk))


def _normalise(email: str) -> str:
    """The domain part is case-insensitive; the local part is kept as typed."""
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def subscriber_to_confirm(*, token: str) -> Subscriber:
    """The subscriber a confirmation link is for, changing nothing (the page that asks for
    the click). ``BadToken`` when the link is altered, too old or for another address."""
    pk, email = read_confirm_token(token)
    subscriber = Subscriber.objects.filter(pk=pk, email=email).first()
    if subscriber is None:
        raise BadToken
    return subscriber


def confirm_subscription(*, token: str) -> Subscriber:
    """Follow the confirmation link: the address receives from now on (again, after an
    unsubscribe). ``BadToken`` when the link is altered, too old or for another address."""
    pk, email = read_confirm_token(token)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk, email=email).first()
        if subscriber is None:
            raise BadToken
        if not subscriber.is_receiving:
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscriber


def unsubscribe(*, token: str) -> Subscriber:
    """Follow the unsubscribe link of a mail: no more mail to this address (until it
    subscribes again). ``BadToken`` when the link is altered or for another address."""
    pk, email = read_unsubscribe_token(token)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk, email=email).first()
        if subscriber is None:
            raise BadToken
        if subscriber.unsubscribed_at is None:
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber


# What the privacy policy promises: unconfirmed requests go after 30 days, unsubscribed
# addresses a year after they left (kept that long so that the stop is honoured for sure).
UNCONFIRMED_KEPT = datetime.timedelta(days=30)
UNSUBSCRIBED_KEPT = datetime.timedelta(days=365)


@transaction.atomic
def purge_subscribers(*, now=None) -> int:
    """Delete the addresses the privacy policy says are no longer kept; returns how many."""
    now = now or timezone.now()
    stale = Subscriber.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_KEPT
    ) | Subscriber.objects.filter(unsubscribed_at__lt=now - UNSUBSCRIBED_KEPT)
    count = stale.count()
    Delivery.objects.filter(subscriber__in=stale.values("pk")).delete()
    Subscriber.objects.filter(pk__in=stale.values("pk")).delete()
    return count
