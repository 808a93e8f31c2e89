"""Settings for the test suite: the one settings file, in its ``test`` profile."""

import os

os.environ["SASAEAI_ENV"] = "test"

from sasaeai.settings import *  # noqa: F403
