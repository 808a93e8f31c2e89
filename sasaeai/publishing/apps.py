from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "sasaeai.publishing"
    verbose_name = _("Publishing: news, newsletters, public pages (Pillar V)")

    def ready(self) -> None:
        from django.apps import apps

        from sasaeai.core.audit import register_for_audit

        for model in apps.get_app_config("publishing").get_models():
            if model.__name__ != "Delivery":
                register_for_audit(model)

        from . import privacy

        privacy.declare()
