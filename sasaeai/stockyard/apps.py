from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockyardConfig(AppConfig):
    name = "sasaeai.stockyard"
    verbose_name = _("Stockyard (leading project, Pillar II)")

    def ready(self) -> None:
        from django.apps import apps

        from sasaeai.core.audit import register_for_audit

        # The ledger is its own audit trail (who, when, why); its running balance is derived.
        for model in apps.get_app_config("stockyard").get_models():
            if model.__name__ not in ("Movement", "Balance"):
                register_for_audit(model)

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import privacy

        privacy.declare()
