"""Errors that speak to the person who typed or uploaded something."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise


class UserInputError(Exception):
    """Bad input, with a message translated only when the error is shown.

    ``message``, ``code`` and ``params`` follow Django's ``ValidationError``, so a form can
    re-raise it as ``ValidationError(error.message, code=error.code, params=error.params)``.
    """

    def __init__(self, message: str | Promise, *, code: str, params: Mapping[str, object]) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = dict(params)

    def __str__(self) -> str:
        return str(self.message) % self.params
