"""The bookkeeping of one issue's mailing, written by the sending tasks: a delivery record per
receiving subscriber, the claim that lets only one task run mail it, and the mark once sent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sasaeai.core.mail import message_id as keyed_message_id

from .models import Delivery, Newsletter, Subscriber


def create_deliveries(*, issue: Newsletter) -> int:
    """A delivery record for every receiving subscriber who has none for this issue yet."""
    with transaction.atomic():
        have = Delivery.objects.filter(newsletter=issue).values("subscriber_id")
        missing = (
            Subscriber.objects.in_prefecture(issue.prefecture_id)
            .receiving()
            .exclude(pk__in=have)
            .values_list("pk", flat=True)
        )
        rows = [Delivery(newsletter=issue, subscriber_id=pk) for pk in missing]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def claim_delivery(*, delivery_id: int, by: str) -> bool:
    """Claim one unsent delivery for the task run ``by`` before its mail goes: only one run
    holds it, so that two workers holding the same batch never both mail it. The same run,
    started again after its worker was killed, takes its own claims back."""
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            sent_at__isnull=True,
            claimed_by__in=["", by],
            subscriber__confirmed_at__isnull=False,
            subscriber__unsubscribed_at__isnull=True,
        ).update(claimed_by=by)
    )


def release_claim(*, delivery_id: int, by: str) -> None:
    """Give back the claim of a delivery whose mail could not be handed over (the mail server
    refused it or did not answer), so that sending the issue again mails it."""
    Delivery.objects.filter(pk=delivery_id, claimed_by=by, sent_at__isnull=True).update(
        claimed_by=""
    )


def mark_sent(*, delivery_id: int) -> None:
    """Record that the delivery's mail was handed to the mail server."""
    Delivery.objects.filter(pk=delivery_id).update(sent_at=timezone.now())


def message_id(delivery: Delivery) -> str:
    """The delivery's own Message-ID, the same each time it is mailed: a mail sent again after
    a crash is the same message to the reader's mail system."""
    return keyed_message_id(f"newsletter-{delivery.newsletter_id}.delivery-{delivery.pk}")
