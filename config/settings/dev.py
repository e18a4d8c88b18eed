"""Local demo: embedded SQLite, console email, demo helpers on."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ENTREPAIRS_DEMO_TOOLS = True
