"""Benchmark server: production-like (DEBUG off, PostgreSQL) but plain HTTP on loopback."""

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ENTREPAIRS_DEMO_TOOLS = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
