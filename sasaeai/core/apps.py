from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sasaeai.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .fulltext import ensure_sqlite_triggers

        post_migrate.connect(
            lambda using="default", **kwargs: ensure_sqlite_triggers(using),
            dispatch_uid="sasaeai.core.fulltext.ensure_sqlite_triggers",
            weak=False,
        )

        from django.utils.translation import gettext_lazy as _

        from . import privacy

        privacy.not_personal("core.DataVersion", "name", reason=_("the name of a version token"))
