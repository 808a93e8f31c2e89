"""The bench's settings for the load-and-fault run (bench/load.py): mail is written to files,
one file per connection, so that every message can be counted afterwards; with
``SASAEAI_LOAD_PLAIN_STATIC=1`` (the CI-sized test) static files are not collected first."""

import os

from bench.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["SASAEAI_LOAD_MAIL_DIR"]

if os.environ.get("SASAEAI_LOAD_PLAIN_STATIC") == "1":
    STORAGES = {
        **STORAGES,  # noqa: F405
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
