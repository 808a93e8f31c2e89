from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "sasaeai.networks"
    verbose_name = _("Municipal networks (Pillar III)")

    def ready(self) -> None:
        from sasaeai.core.audit import register_for_audit

        from .models import (
            FollowUp,
            MunicipalNetwork,
            NetworkDocument,
            NetworkMeeting,
            NetworkMember,
            OutreachVisit,
            StatusEntry,
        )

        register_for_audit(
            MunicipalNetwork, exclude_fields=["id", "search_key", "nickname_key", "updated_at"]
        )
        for model in (
            NetworkMember,
            NetworkDocument,
            NetworkMeeting,
            StatusEntry,
            OutreachVisit,
            FollowUp,
        ):
            register_for_audit(model)

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import privacy

        privacy.declare()
