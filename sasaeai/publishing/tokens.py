"""Signed links in the mail: confirming a subscription (valid for a week) and unsubscribing
(valid as long as the address is on the list). They name the subscriber and the address, so
a link made for one address never acts on another."""

from __future__ import annotations

from django.core import signing

CONFIRM_SALT = "sasaeai.publishing.confirm"
UNSUBSCRIBE_SALT = "sasaeai.publishing.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


class BadToken(Exception):
    """The link was altered, made for someone else, or is too old."""


def _make(subscriber, salt: str) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=salt, compress=True)


def _read(token: str, salt: str, max_age: int | None) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        return int(data["s"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken from error


def confirm_token(subscriber) -> str:
    return _make(subscriber, CONFIRM_SALT)


def read_confirm_token(token: str) -> tuple[int, str]:
    return _read(token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def unsubscribe_token(subscriber) -> str:
    return _make(subscriber, UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    return _read(token, UNSUBSCRIBE_SALT, None)
