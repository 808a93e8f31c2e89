"""Django's SQLite backend, told the real limit of variables in one statement.

Django 5.2 assumes SQLite's historical default of 999 variables, so a bulk insert of a
16-column row goes 62 rows a statement. SQLite has allowed 32,766 since 3.32 (2020), and the
library reports its own limit: with it, imports and the data generator issue about 30 times
fewer statements. Everything else is Django's backend unchanged.
"""

import sqlite3

from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:
        self.connection.ensure_connection()
        return self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
