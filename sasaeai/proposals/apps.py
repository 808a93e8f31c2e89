from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "sasaeai.proposals"
    verbose_name = _("Proposals (Pillar VI)")

    def ready(self) -> None:
        from django.apps import apps

        from sasaeai.core.audit import register_for_audit

        for model in apps.get_app_config("proposals").get_models():
            register_for_audit(model)

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import privacy

        privacy.declare()
