"""The project's settings with the bench's URLs: the project's own plus ``/bench/minimal/``.

Only ``bench/run.py`` selects this module (DJANGO_SETTINGS_MODULE=bench.settings) for the
server it measures; the product never does.
"""

from sasaeai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
