"""Mail to subscribers, sent by ``sasaeai worker`` after the commit: the confirmation of a
subscription, and an issue to all confirmed subscribers in batches."""

from __future__ import annotations

from django_tasks import task

BATCH_SIZE = 100
CONFIRM_SUBJECT = "【{center}】ニュースレター配信登録の確認"
ISSUE_SUBJECT = "【{center}】ニュースレター 第{number}号 {title}"


def _center_name(prefecture: str) -> str:
    from sasaeai.regions.models import Center

    center = Center.objects.filter(prefecture_id=prefecture).first()
    return center.short_name if center else "Sasae-ai"


@task()
def send_confirmation_mail(subscriber_id: int) -> bool:
    """The double opt-in mail: a signed link that confirms the address."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from .models import Subscriber
    from .tokens import confirm_token

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.is_receiving:
        return False
    center = _center_name(subscriber.prefecture_id)
    link = settings.SASAEAI_SITE_URL + reverse(
        "publishing:subscription-confirm", args=[confirm_token(subscriber)]
    )
    body = render_to_string("publishing/mail/confirm.txt", {"link": link, "center": center})
    send_mail(CONFIRM_SUBJECT.format(center=center), body, None, [subscriber.email])
    return True


@task()
def send_newsletter_issue(newsletter_id: int) -> int:
    """Create the issue's delivery records and queue them in batches; returns the batches."""
    from .delivery import create_deliveries
    from .models import Delivery, Newsletter

    issue = Newsletter.objects.filter(pk=newsletter_id).first()
    if issue is None or not issue.is_published:
        return 0
    create_deliveries(issue=issue)
    pending = list(
        Delivery.objects.filter(newsletter=issue, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batches = [pending[i : i + BATCH_SIZE] for i in range(0, len(pending), BATCH_SIZE)]
    for batch in batches:
        send_delivery_batch.enqueue(batch)
    return len(batches)


@task(takes_context=True)
def send_delivery_batch(context, delivery_ids: list[int]) -> int:
    """Mail the issue to each delivery of the batch that no other run has claimed and that is
    not sent yet: rendered first, claimed, handed to the mail server, marked sent."""
    from django.core.mail import get_connection

    from .delivery import claim_delivery, mark_sent, message_id, release_claim
    from .models import Delivery

    run = str(context.task_result.id)
    deliveries = Delivery.objects.filter(pk__in=delivery_ids, sent_at__isnull=True).select_related(
        "newsletter", "subscriber"
    )
    sent = 0
    centers: dict[str, str] = {}
    with get_connection() as connection:
        for delivery in deliveries:
            message = _issue_message(delivery, centers, connection=connection)
            message.extra_headers["Message-ID"] = message_id(delivery)
            if not claim_delivery(delivery_id=delivery.pk, by=run):
                continue
            try:
                message.send()
            except Exception:
                # Not handed over: the task fails with the error, and the delivery is free for
                # the next sending of the issue instead of held by this run for ever.
                release_claim(delivery_id=delivery.pk, by=run)
                raise
            mark_sent(delivery_id=delivery.pk)
            sent += 1
    return sent


def _issue_message(delivery, centers: dict[str, str], *, connection):
    """The issue's mail to the delivery's subscriber, with its one-click unsubscribe link."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.urls import reverse

    from .tokens import unsubscribe_token

    issue, subscriber = delivery.newsletter, delivery.subscriber
    center = centers.setdefault(issue.prefecture_id, _center_name(issue.prefecture_id))
    unsubscribe = settings.SASAEAI_SITE_URL + reverse(
        "publishing:unsubscribe", args=[unsubscribe_token(subscriber)]
    )
    context = {
        "issue": issue,
        "center": center,
        "unsubscribe": unsubscribe,
        "link": settings.SASAEAI_SITE_URL
        + reverse("publishing:newsletter-detail", args=[issue.pk]),
    }
    return EmailMessage(
        ISSUE_SUBJECT.format(center=center, number=issue.number, title=issue.title),
        render_to_string("publishing/mail/issue.txt", context),
        to=[subscriber.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
