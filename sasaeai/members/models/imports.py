"""Imports of the registry from Excel or CSV: the uploaded file, its preview and its result.

An import writes its rows in bulk, which bypasses django-auditlog; the job is the audit
record of the import instead: who loaded which file for which prefecture, when, and how many
rows it created, updated or left unchanged (one summary per import, not one entry per row).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Errors kept on the job for the preview page; the total is kept besides.
MAX_STORED_ERRORS = 1000


class ImportKind(models.TextChoices):
    CORPORATIONS = "corporations", _("corporations")
    FACILITIES = "facilities", _("facilities")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("previewed")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """Center staff see the imports of their prefecture; everyone else none."""
        from sasaeai.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.sees_everything():
            return self.all()
        return self.filter(prefecture_id__in=scope.prefecture_codes)


class ImportJob(models.Model):
    kind = models.CharField(_("kind of import"), max_length=20, choices=ImportKind.choices)
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    mapping = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_("Header in the file → column of the import, chosen at the preview."),
    )
    headers = models.JSONField(_("headers in the file"), default=list, blank=True)
    missing_columns = models.JSONField(
        _("missing columns"),
        default=list,
        blank=True,
        help_text=_("Required columns not found in the file: the preview asks to map them."),
    )
    ignored_columns = models.JSONField(
        _("ignored columns"),
        default=list,
        blank=True,
        help_text=_("Headers in the file that no column of the import takes."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(
        _("errors"),
        default=list,
        blank=True,
        help_text=_("The first errors found (row, column, value, reason)."),
    )
    problem = models.TextField(
        _("problem with the file"), blank=True, help_text=_("A file that could not be read.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
