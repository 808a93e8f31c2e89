"""Invitation and reminder mail for survey rounds, sent by ``sasaeai worker``."""

from django_tasks import task


@task()
def send_invitation_mail(invitation_id: int, kind: str) -> bool:
    from django.conf import settings
    from django.template.loader import render_to_string

    from sasaeai.core.mail import send_keyed_mail

    from .models import Invitation

    invitation = Invitation.objects.select_related("round__survey").filter(pk=invitation_id).first()
    if invitation is None or not invitation.email:
        return False
    context = {
        "invitation": invitation,
        "round": invitation.round,
        "kind": kind,
        "site_url": settings.SASAEAI_SITE_URL,
    }
    body = render_to_string("surveys/mail/invitation.txt", context)
    prefix = "【ご回答のお願い】" if kind == "reminder" else "【アンケートのお願い】"
    key = f"survey-invitation-{invitation.pk}.{kind}"
    send_keyed_mail(prefix + invitation.round.title, body, [invitation.email], key=key)
    return True
