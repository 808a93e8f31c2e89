from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "sasaeai.plan"
    verbose_name = _("Five-year plan")

    def ready(self) -> None:
        from django.apps import apps

        from sasaeai.core.audit import register_for_audit

        for model in apps.get_app_config("plan").get_models():
            register_for_audit(model)

        from sasaeai.core.versions import watch

        watch("plan")  # a target edited changes the public dashboard's version

        from sasaeai.core.kpis import provide_targets

        from .queries import target_value

        provide_targets(target_value)

        from . import privacy

        privacy.declare()
