from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sasaeai.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from sasaeai.core.audit import register_for_audit

        from .models import RoleAssignment, User

        register_for_audit(User, exclude_fields=["password", "last_login"])
        register_for_audit(RoleAssignment)

        from . import privacy

        privacy.declare()
