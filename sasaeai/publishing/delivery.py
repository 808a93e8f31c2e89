"""The bookkeeping of one issue's mailing, written by the sending tasks: a delivery record per
receiving subscriber, and the claim that lets each be mailed at most once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

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


def claim_delivery(*, delivery_id: int) -> bool:
    """Mark one delivery sent before its mail goes: only the first claim wins, so a delivery
    is mailed at most once even when two workers hold the same batch."""
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            sent_at__isnull=True,
            subscriber__confirmed_at__isnull=False,
            subscriber__unsubscribed_at__isnull=True,
        ).update(sent_at=timezone.now())
    )
