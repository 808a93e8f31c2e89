from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "sasaeai.members"
    verbose_name = _("Members (Pillar I)")

    def ready(self) -> None:
        from sasaeai.core.audit import register_for_audit

        from .models import Corporation

        # Timestamps duplicate the entry's own; the search key is derived from the name.
        register_for_audit(
            Corporation, exclude_fields=["id", "search_key", "created_at", "updated_at"]
        )
