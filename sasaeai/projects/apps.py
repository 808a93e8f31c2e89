from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "sasaeai.projects"
    verbose_name = _("Model projects (Pillar II)")

    def ready(self) -> None:
        from django.apps import apps

        from sasaeai.core.audit import register_for_audit

        for model in apps.get_app_config("projects").get_models():
            register_for_audit(model)

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import privacy

        privacy.declare()
