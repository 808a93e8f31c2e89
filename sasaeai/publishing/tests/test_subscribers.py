import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sasaeai.publishing import actions, tasks
from sasaeai.publishing import delivery as mailing
from sasaeai.publishing.models import Delivery, Subscriber
from sasaeai.publishing.tokens import BadToken, confirm_token, unsubscribe_token

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+")


def links(message) -> list[str]:
    return LINK.findall(message.body)


def subscribe(client, email="hanako@example.jp"):
    return client.post(reverse("publishing:subscribe"), {"email": email})


def confirmed(email: str, prefecture: str = "33") -> Subscriber:
    actions.request_subscription(prefecture=prefecture, email=email)
    subscriber = Subscriber.objects.get(email=email)
    actions.confirm_subscription(token=confirm_token(subscriber))
    subscriber.refresh_from_db()
    return subscriber


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_subscribing_sends_a_confirmation_mail_in_japanese_and_confirming_starts_delivery(
    client, personas, mailoutbox, issue_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["hanako@example.jp"]
    assert "配信登録の確認" in mail.subject
    subscriber = Subscriber.objects.get()
    assert not subscriber.is_receiving
    (link,) = links(mail)
    page = client.get(path_of(link))
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert not subscriber.is_receiving  # opening the link shows a button; it confirms nothing
    done = client.post(path_of(link))
    assert done.status_code == 200
    assert "購読の申し込みが完了しました" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.is_receiving


def test_a_link_scanner_opening_the_confirmation_link_subscribes_no_one(client, personas):
    """Mail systems open the links of incoming mail to check them: a stranger who typed
    someone's address must not get it subscribed by the victim's own link scanner."""
    actions.request_subscription(prefecture="33", email="victim@example.jp")
    subscriber = Subscriber.objects.get()
    link = reverse("publishing:subscription-confirm", args=[confirm_token(subscriber)])
    for _ in range(3):
        page = client.get(link)
        assert page.status_code == 200
    html = page.content.decode()
    assert f'<form method="post" action="{link}"' in html
    subscriber.refresh_from_db()
    assert not subscriber.is_receiving
    assert client.post(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_receiving
    # Once confirmed, the link's page says so (no second button, nothing changes).
    again = client.get(link)
    assert again.status_code == 200 and '<form method="post"' not in again.content.decode()


def test_an_unconfirmed_address_never_receives_an_issue(
    personas, mailoutbox, issue_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_subscription(prefecture="33", email="pending@example.jp")
    confirmed("yes@example.jp")
    mailoutbox.clear()
    issue = issue_factory()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_newsletter(issue=issue, by=personas.center)
    assert [m.to for m in mailoutbox] == [["yes@example.jp"]]
    assert not Delivery.objects.filter(subscriber__email="pending@example.jp").exists()


def test_every_issue_mail_has_a_one_click_unsubscribe_link_that_works_without_login(
    client, personas, mailoutbox, issue_factory, django_capture_on_commit_callbacks
):
    confirmed("a@example.jp")
    mailoutbox.clear()
    issue = issue_factory()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_newsletter(issue=issue, by=personas.center)
    (mail,) = mailoutbox
    assert "第1号" in mail.subject and "配信の停止" in mail.body
    unsubscribe = next(url for url in links(mail) if "/unsubscribe/" in url)
    assert mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Opening the link (a mail scanner would) changes nothing; the one button does.
    assert client.get(path_of(unsubscribe)).status_code == 200
    assert Subscriber.objects.get().is_receiving
    assert client.post(path_of(unsubscribe)).status_code == 200
    assert not Subscriber.objects.get().is_receiving
    mailoutbox.clear()
    second = issue_factory(2)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_newsletter(issue=second, by=personas.center)
    assert mailoutbox == []


def test_a_mail_program_may_post_the_one_click_unsubscribe_without_a_csrf_token(personas):
    from django.test import Client

    subscriber = confirmed("b@example.jp")
    client = Client(enforce_csrf_checks=True)
    url = reverse("publishing:unsubscribe", args=[unsubscribe_token(subscriber)])
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_resubscribing_after_unsubscribing_works(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = confirmed("c@example.jp")
    actions.unsubscribe(token=unsubscribe_token(subscriber))
    Subscriber.objects.filter(pk=subscriber.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=1)
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "c@example.jp")
    assert len(mailoutbox) == 1
    client.post(path_of(links(mailoutbox[0])[0]))
    subscriber.refresh_from_db()
    assert subscriber.is_receiving


def test_no_subscriber_gets_the_same_issue_twice(
    personas, mailoutbox, issue_factory, django_capture_on_commit_callbacks
):
    confirmed("d@example.jp")
    confirmed("e@example.jp")
    mailoutbox.clear()
    issue = issue_factory()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_newsletter(issue=issue, by=personas.center)
    assert len(mailoutbox) == 2
    confirmed("f@example.jp")
    mailoutbox.clear()
    # Sent again (a newcomer since), and a batch run twice by a retried worker.
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_newsletter(issue=issue, by=personas.center)
    ids = list(Delivery.objects.values_list("pk", flat=True))
    tasks.send_delivery_batch.enqueue(ids)
    tasks.send_delivery_batch.enqueue(ids)
    assert [m.to for m in mailoutbox] == [["f@example.jp"]]
    assert Delivery.objects.filter(newsletter=issue).count() == 3


def test_a_claimed_delivery_is_not_mailed_again_by_a_second_worker(personas, issue_factory):
    subscriber = confirmed("g@example.jp")
    issue = issue_factory()
    mailing.create_deliveries(issue=issue)
    delivery = Delivery.objects.get(subscriber=subscriber)
    assert mailing.claim_delivery(delivery_id=delivery.pk, by="run-1") is True
    assert mailing.claim_delivery(delivery_id=delivery.pk, by="run-2") is False
    assert mailing.claim_delivery(delivery_id=delivery.pk, by="run-1") is True  # run again
    mailing.mark_sent(delivery_id=delivery.pk)
    assert mailing.claim_delivery(delivery_id=delivery.pk, by="run-1") is False


def run_of(task_id: str):
    """The context a worker gives a task run (its result's id stays the same when re-run)."""
    from types import SimpleNamespace

    return SimpleNamespace(task_result=SimpleNamespace(id=task_id))


def test_a_delivery_the_mail_server_refused_is_mailed_when_the_issue_is_sent_again(
    personas, mailoutbox, issue_factory, monkeypatch, django_capture_on_commit_callbacks
):
    """The mail server down: the task fails with its error, and the delivery it could not
    mail is not left claimed by that run, so sending the issue again mails it."""
    from django.core.mail.backends.locmem import EmailBackend

    people = [confirmed(f"m{n}@example.jp") for n in range(2)]
    issue = issue_factory()
    mailing.create_deliveries(issue=issue)
    mailoutbox.clear()
    ids = [Delivery.objects.get(subscriber=person).pk for person in people]

    def refused(self, messages):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refused)
        with pytest.raises(ConnectionRefusedError):
            tasks.send_delivery_batch.call(run_of("run-1"), ids)
    assert mailoutbox == []
    assert not Delivery.objects.filter(pk__in=ids).exclude(claimed_by="").exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_newsletter(issue=issue, by=personas.center)
    assert sorted(m.to[0] for m in mailoutbox) == ["m0@example.jp", "m1@example.jp"]
    assert Delivery.objects.filter(pk__in=ids, sent_at__isnull=True).count() == 0


def test_a_batch_killed_mid_send_mails_the_rest_exactly_once_when_run_again(
    personas, mailoutbox, issue_factory
):
    people = [confirmed(f"k{n}@example.jp") for n in range(4)]
    issue = issue_factory()
    mailing.create_deliveries(issue=issue)
    mailoutbox.clear()
    deliveries = [Delivery.objects.get(subscriber=person) for person in people]
    ids = [d.pk for d in deliveries]
    # The worker had mailed the first, claimed the second, and was killed before mailing it.
    assert mailing.claim_delivery(delivery_id=ids[0], by="run-1")
    mailing.mark_sent(delivery_id=ids[0])
    assert mailing.claim_delivery(delivery_id=ids[1], by="run-1")
    # Another copy of the batch (queued twice) finds the claimed one taken and sends the rest.
    assert tasks.send_delivery_batch.call(run_of("run-2"), ids) == 2
    # The killed run, queued again, mails what it had claimed, and nothing twice.
    assert tasks.send_delivery_batch.call(run_of("run-1"), ids) == 1
    assert tasks.send_delivery_batch.call(run_of("run-1"), ids) == 0
    assert sorted(m.to[0] for m in mailoutbox) == [
        "k1@example.jp",
        "k2@example.jp",
        "k3@example.jp",
    ]
    assert Delivery.objects.filter(pk__in=ids, sent_at__isnull=True).count() == 0
    message_ids = {m.extra_headers["Message-ID"] for m in mailoutbox}
    assert f"<newsletter-{issue.pk}.delivery-{ids[1]}@" in " ".join(message_ids)
    assert len(message_ids) == 3


def test_sending_goes_through_background_tasks_in_batches(
    personas, mailoutbox, issue_factory, monkeypatch, django_capture_on_commit_callbacks
):
    for n in range(5):
        confirmed(f"s{n}@example.jp")
    mailoutbox.clear()
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    batches = []
    task = tasks.send_delivery_batch

    class Recording:
        def enqueue(self, ids):
            batches.append(ids)
            return task.enqueue(ids)

    monkeypatch.setattr(tasks, "send_delivery_batch", Recording())
    issue = issue_factory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.send_newsletter(issue=issue, by=personas.center)
    assert len(callbacks) == 1  # queued after the commit
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert len(mailoutbox) == 5
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 5
    issue.refresh_from_db()
    assert issue.sent_at is not None


def test_an_unpublished_issue_cannot_be_sent(personas, issue_factory):
    from django.core.exceptions import ValidationError

    issue = issue_factory(published_on=timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        actions.send_newsletter(issue=issue, by=personas.center)


def test_the_same_address_gets_at_most_one_confirmation_mail_in_a_few_minutes(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "f@example.jp")
        subscribe(client, "f@example.jp")
        subscribe(client, "f@EXAMPLE.jp")
    assert len(mailoutbox) == 1
    Subscriber.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "f@example.jp")
    assert len(mailoutbox) == 2


def test_the_form_never_reveals_whether_an_address_is_subscribed(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed("known@example.jp")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = subscribe(client, "known@example.jp")
        unknown = subscribe(client, "new@example.jp")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mailoutbox] == [["new@example.jp"]]
    page = client.get(known["Location"]).content.decode()
    assert "known@example.jp" not in page


def test_a_bad_address_is_refused_with_a_message(client, personas, english):
    response = subscribe(client, "not-an-address")
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("name", ["subscription-confirm", "unsubscribe"])
def test_an_altered_link_does_nothing(client, personas, name):
    subscriber = confirmed("h@example.jp")
    token = (
        confirm_token(subscriber)
        if name == "subscription-confirm"
        else unsubscribe_token(subscriber)
    )
    altered = reverse(f"publishing:{name}", args=[token[:-2] + "xx"])
    assert client.get(altered).status_code == 400
    assert client.post(altered).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.is_receiving


def test_a_confirmation_token_cannot_unsubscribe_and_expires_after_a_week(personas):
    actions.request_subscription(prefecture="33", email="i@example.jp")
    subscriber = Subscriber.objects.get()
    with pytest.raises(BadToken):
        actions.unsubscribe(token=confirm_token(subscriber))
    token = confirm_token(subscriber)
    from unittest import mock

    later = timezone.now().timestamp() + 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later), pytest.raises(BadToken):
        actions.confirm_subscription(token=token)


def test_stale_addresses_are_purged_as_the_privacy_policy_says(personas):
    now = timezone.now()
    actions.request_subscription(prefecture="33", email="old-pending@example.jp")
    actions.request_subscription(prefecture="33", email="new-pending@example.jp")
    left_long_ago = confirmed("left@example.jp")
    left_lately = confirmed("lately@example.jp")
    kept = confirmed("kept@example.jp")
    Subscriber.objects.filter(email="old-pending@example.jp").update(
        created_at=now - datetime.timedelta(days=31)
    )
    Subscriber.objects.filter(pk=left_long_ago.pk).update(
        unsubscribed_at=now - datetime.timedelta(days=366)
    )
    Subscriber.objects.filter(pk=left_lately.pk).update(
        unsubscribed_at=now - datetime.timedelta(days=30)
    )
    assert actions.purge_subscribers() == 2
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "new-pending@example.jp",
        "lately@example.jp",
        kept.email,
    }


def test_the_daily_command_purges_and_says_how_many(personas):
    from io import StringIO

    from django.core.management import call_command

    actions.request_subscription(prefecture="33", email="old-pending@example.jp")
    Subscriber.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    out = StringIO()
    call_command("purge_subscribers", stdout=out)
    assert "1" in out.getvalue()
    assert not Subscriber.objects.exists()
