from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "sasaeai.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from sasaeai.core.audit import register_for_audit

        from .models import Choice, Question, Round, Survey

        for model in (Survey, Question, Choice, Round):
            register_for_audit(model)

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import privacy

        privacy.declare()
