"""Benchmark server: production-like (DEBUG off, PostgreSQL, persistent database connections
as in prod.py) but plain HTTP on loopback."""

from entrepairs.core.env import envint

from .base import *  # noqa: F403
from .base import DATABASES, DEMO_APPS, INSTALLED_APPS

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, *DEMO_APPS]
ENTREPAIRS_DEMO_TOOLS = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
# The project's URLs plus the bare view measured as a floor (config/urls_bench.py).
ROOT_URLCONF = "config.urls_bench"
