from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "sasaeai.events"
    verbose_name = _("Events and training (Pillar IV)")

    def ready(self) -> None:
        from sasaeai.core.audit import register_for_audit

        from .models import Attendance, Certificate, Event, Registration, Session

        for model in (Event, Session, Registration, Attendance, Certificate):
            register_for_audit(model)

        from sasaeai.core.kpis import register_app

        from .kpis import plan_kpis

        register_app(self.label, plan_kpis())

        from . import versions

        versions.connect()

        from . import privacy

        privacy.declare()
