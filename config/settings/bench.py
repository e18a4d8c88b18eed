"""Benchmark server: production-like (DEBUG off, PostgreSQL, persistent database connections
as in prod.py) but plain HTTP on loopback."""

from entrepairs.core.env import envint

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ENTREPAIRS_DEMO_TOOLS = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
