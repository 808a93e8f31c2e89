"""Personal data held by accounts: the staff who sign in."""

from __future__ import annotations

from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p

# A user belongs to the prefecture of any of their roles.
ROLE_PREFECTURES = (
    "roles__center__prefecture_id",
    "roles__municipality__prefecture_id",
    "roles__corporation__municipality__prefecture_id",
)


def declare() -> None:
    p.register(
        p.Holding(
            model="accounts.User",
            whose=_("staff users (center, councils, corporations)"),
            purpose=_("signing in, roles and the audit log's actor"),
            retention=_(
                "while the account is used; on request after the person leaves, the account "
                "is closed and anonymised (the audit log keeps that an account acted)"
            ),
            fields=(
                p.PersonalField("username", _("user name"), p.MARK, p.marker("erased-")),
                p.PersonalField("last_name", _("last name")),
                p.PersonalField("first_name", _("first name")),
                p.PersonalField("email", _("email")),
            ),
            identified_by={
                p.EMAIL: ("email",),
                p.NAME: (Concat("last_name", "first_name"),),
            },
            prefecture_paths=ROLE_PREFECTURES,
            stored_at="date_joined",
            also_on_erasure={"is_active": False, "password": "!erased"},
            audit_children=(("accounts.RoleAssignment", "user_id"),),  # "user — role"
        ),
        p.Holding(
            model="account.EmailAddress",
            whose=_("staff users (center, councils, corporations)"),
            purpose=_("the sign-in addresses that allauth verifies"),
            retention=_("as the account"),
            fields=(
                p.PersonalField(
                    "email", _("email"), p.MARK, p.marker("erased-", "@invalid.invalid")
                ),
            ),
            identified_by={p.EMAIL: ("email",)},
            prefecture_paths=tuple(f"user__{path}" for path in ROLE_PREFECTURES),
            stored_at="user__date_joined",
            also_on_erasure={"verified": False, "primary": False},
        ),
    )
