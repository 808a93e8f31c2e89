from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "sasaeai.grants"
    verbose_name = _("Grants (Pillars II and III)")

    def ready(self) -> None:
        from django.apps import apps

        from sasaeai.core.audit import register_for_audit

        for model in apps.get_app_config("grants").get_models():
            register_for_audit(model)

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import privacy

        privacy.declare()
