from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Timestamps duplicate the entry's own; the search key is derived from the name.
DERIVED = ["id", "search_key", "created_at", "updated_at"]


class MembersConfig(AppConfig):
    name = "sasaeai.members"
    verbose_name = _("Members (Pillar I)")

    def ready(self) -> None:
        from sasaeai.core.audit import register_for_audit

        from .models import (
            Corporation,
            Council,
            Facility,
            MembershipApplication,
            MembershipEvent,
            MemberType,
        )

        for model in (Corporation, Facility, Council):
            register_for_audit(model, exclude_fields=DERIVED)
        for model in (MembershipEvent, MembershipApplication, MemberType):
            register_for_audit(model)

        from . import signals

        signals.connect()

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import privacy

        privacy.declare()
