"""Reminders of the reports (実績報告) that recipients of a grant owe, sent by ``sasaeai worker``.

A report not yet submitted is reminded when it is due within ``days`` days or already
overdue, at most once a day (``GrantReport.reminded_on``), until it is submitted or the grant
is closed. The mail goes to the application's contact address, else to the staff of the
applicant: the corporation's staff, or for a network the staff of its secretariat's council
(else of the councils of its area). Mail is sent after the commit, one task per report.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

REMIND_DAYS = 14

SUBJECTS = {
    "due": "【実績報告のお願い】{title}",
    "overdue": "【実績報告の提出期限を過ぎています】{title}",
}


def remind_reports(*, today: datetime.date, days: int = REMIND_DAYS) -> int:
    """Queue a reminder for every report not submitted that is due by ``today + days`` (or
    overdue) of an open award; never twice on one day. Returns how many were queued."""
    from .models import Decision, GrantReport

    horizon = today + datetime.timedelta(days=days)
    with transaction.atomic():
        pending = list(
            GrantReport.objects.select_for_update(of=("self",))
            .filter(
                submitted_on__isnull=True,
                due_on__lte=horizon,
                decision__outcome=Decision.Outcome.AWARDED,
            )
            .filter(Q(decision__closed_on__isnull=True) | Q(decision__closed_on__gte=today))
            .exclude(reminded_on=today)
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)
        )
        GrantReport.objects.filter(pk__in=pending).update(reminded_on=today)
        for pk in pending:
            transaction.on_commit(lambda pk=pk: send_report_reminder.enqueue(pk, today.isoformat()))
    return len(pending)


@task()
def remind_reports_task(days: int = REMIND_DAYS) -> int:
    """The day's reminders, for a scheduler that runs tasks rather than commands."""
    return remind_reports(today=timezone.localdate(), days=days)


def recipients(application) -> list[str]:
    """Where a reminder about ``application`` goes: its contact address, else its staff's."""
    from sasaeai.accounts.models import Role, RoleAssignment

    if application.contact_email:
        return [application.contact_email]
    roles = RoleAssignment.objects.exclude(user__email="").filter(user__is_active=True)
    if application.corporation_id:
        roles = roles.filter(role=Role.CORPORATION_STAFF, corporation=application.corporation_id)
    else:
        network = application.network
        secretariat = network.secretariat.municipality_id if network.secretariat else None
        municipalities = (
            [secretariat] if secretariat else list(network.area.values_list("code", flat=True))
        )
        roles = roles.filter(role=Role.COUNCIL_STAFF, municipality__in=municipalities)
    emails = sorted(set(roles.values_list("user__email", flat=True)))
    if not emails and application.created_by and application.created_by.email:
        emails = [application.created_by.email]
    return emails


def _link(application, site_url: str) -> str:
    """The application's page, where the report is submitted."""
    from django.urls import NoReverseMatch, reverse

    try:
        return site_url + reverse("grants:application-detail", args=[application.pk])
    except NoReverseMatch:
        return f"{site_url}/"


def _body(report, today: datetime.date, site_url: str) -> str:
    from sasaeai.core.dates import fiscal_year_label, format_wareki

    application = report.decision.application
    overdue = report.due_on < today
    lines = [
        f"{application.applicant} ご担当者様",
        "",
        f"「{application.call.program.name}」の助成事業「{application.title}」について、"
        f"{fiscal_year_label(report.fiscal_year, style='wareki')}の"
        f"{report.get_kind_display()}の提出期限は{format_wareki(report.due_on)}です。",
        "期限を過ぎています。至急ご提出ください。"
        if overdue
        else "期限までにご提出くださいますようお願いいたします。",
        "",
        _link(application, site_url),
        "",
        "※ すでにご提出の場合は、行き違いですのでご容赦ください。",
    ]
    return "\n".join(lines)


@task()
def send_report_reminder(report_id: int, today: str | None = None) -> bool:
    """One reminder about one report (nothing when it was submitted meanwhile or nobody has
    an address)."""
    from django.conf import settings

    from sasaeai.core.mail import send_keyed_mail

    from .models import GrantReport

    report = (
        GrantReport.objects.select_related(
            "decision__application__call__program",
            "decision__application__corporation",
            "decision__application__network__secretariat",
            "decision__application__created_by",
        )
        .filter(pk=report_id, submitted_on__isnull=True)
        .first()
    )
    if report is None:
        return False
    application = report.decision.application
    to = recipients(application)
    if not to:
        return False
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    kind = "overdue" if report.due_on < day else "due"
    subject = SUBJECTS[kind].format(title=application.title)
    body = _body(report, day, settings.SASAEAI_SITE_URL)
    send_keyed_mail(subject, body, to, key=f"grant-report-{report.pk}.{kind}")
    return True
