from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "sasaeai.regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from sasaeai.core.audit import register_for_audit

        from .models import Center

        # Reference data (prefectures, municipalities) comes from 総務省's list by import;
        # the center is a record people edit.
        register_for_audit(Center)

        from sasaeai.core.versions import watch

        watch("regions")  # a municipality renamed or merged by hand changes cached names

        from . import privacy

        privacy.declare()
