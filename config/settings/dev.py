"""Local demo: embedded SQLite, console email, demo helpers on."""

from .base import *  # noqa: F403
from .base import DEMO_APPS, INSTALLED_APPS

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INSTALLED_APPS = [*INSTALLED_APPS, *DEMO_APPS]
ENTREPAIRS_DEMO_TOOLS = True
