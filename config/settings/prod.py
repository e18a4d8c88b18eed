"""Production: refuses to start without its secrets; HTTPS everywhere."""

from entrepairs.core.env import envint, envlist, envrequired

from .base import *  # noqa: F403
from .base import database

DEBUG = False
SECRET_KEY = envrequired("SECRET_KEY")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS") or [envrequired("ALLOWED_HOSTS")]
DATABASES = {"default": database(envrequired("DATABASE_URL"), envint("DB_CONN_MAX_AGE", 60))}
ENTREPAIRS_DEMO_TOOLS = False
PREVENTION_PLAN_KEYS = envlist("PREVENTION_PLAN_KEYS") or [envrequired("PREVENTION_PLAN_KEYS")]

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind one reverse proxy (the one that sets X-Forwarded-Proto above).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# ProConnect only over HTTPS: tokens and keys fetched over plain HTTP could be swapped.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .base import PROCONNECT_ISSUER  # noqa: E402

if PROCONNECT_ISSUER and not PROCONNECT_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("PROCONNECT_ISSUER doit être une adresse https://")
