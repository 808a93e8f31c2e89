"""Personal data held by surveys: the respondents' addresses and their free-text answers."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p
from sasaeai.core.dates import fiscal_year

# The published privacy policy: 実施年度の終了後5年間; the chosen answers stay, for the
# comparison of years (they are an organisation's answers, counted in the results).
FREE_TEXT = p.Retention(
    key="survey_free_text",
    default_years=5,
    started_before=lambda cutoff: Q(response__round__fiscal_year__lt=fiscal_year(cutoff)),
    label=_("%(years)s years after the end of the round's fiscal year; chosen answers are kept"),
)


def declare() -> None:
    p.register(
        p.Holding(
            model="surveys.Invitation",
            whose=_("survey respondents (the contact of the invited organisation)"),
            purpose=_("sending the survey link and reminders"),
            retention=_("while the round is followed up; erased on request"),
            fields=(p.PersonalField("email", _("email")),),
            identified_by={p.EMAIL: ("email",)},
            prefecture_paths=("round__survey__prefecture_id",),
            stored_at="round__created_at",
            context=("round__title", "name"),
            only=~Q(email=""),
        ),
        p.Holding(
            model="surveys.Answer",
            whose=_("survey respondents (free text)"),
            purpose=_("the survey's results; free text is read by the center only"),
            retention=FREE_TEXT.label,
            fields=(p.PersonalField("text", _("free text of an answer")),),
            identified_by={p.EMAIL: ("response__invitation__email",)},
            prefecture_paths=("response__round__survey__prefecture_id",),
            stored_at="response__submitted_at",
            context=("response__round__title", "question__code"),
            purged=FREE_TEXT,
            only=~Q(text=""),
        ),
    )
    p.not_personal("surveys.Question", "text", reason=_("the wording of a question"))
    p.not_personal(
        "surveys.Invitation",
        "name",
        reason=_("the invited organisation's name, copied from the registry"),
    )
