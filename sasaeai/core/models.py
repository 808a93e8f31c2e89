"""The kernel's one table: version tokens of the records that cached figures depend on."""

from django.db import models


class DataVersion(models.Model):
    """One token per watched app (``name`` = its label): replaced after every write of its
    records, so that a figure cached under the token is never served after a change."""

    name = models.CharField(max_length=60, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
