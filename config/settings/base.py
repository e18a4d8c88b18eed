"""Settings shared by every environment. Environment-specific files import from here."""

from pathlib import Path

import dj_database_url

from entrepairs.core.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-never-in-production")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "entrepairs.accounts.apps.AuditedAdminConfig",  # django.contrib.admin, audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "entrepairs.core",
    "entrepairs.territory",
    "entrepairs.accounts",
    "entrepairs.workforce",
    "entrepairs.accompaniment",
    "entrepairs.groups",
    "entrepairs.institution",
    "entrepairs.programmes",
    "entrepairs.evaluation",
    "entrepairs.prevention",
    "entrepairs.observatory",
    "entrepairs.home",
    "entrepairs.search",
    "entrepairs.api",
]
# The demo generators (`manage.py demo`, `demo_logins`) create accounts with a published
# password and computable TOTP keys: only dev, test and bench settings install them.
DEMO_APPS = ["entrepairs.demo"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "entrepairs.core.middleware.RequestIdMiddleware",
    "entrepairs.core.middleware.NoStoreMiddleware",
    "entrepairs.core.middleware.DataErrorAsBadRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "entrepairs.accounts.middleware.CurrentMembershipMiddleware",
    "entrepairs.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "entrepairs.accounts.context_processors.current_membership",
                "entrepairs.search.context_processors.header_search",
            ],
        },
    }
]


def database(url: str, conn_max_age: int) -> dict:
    """The settings of one database from its URL.

    On PostgreSQL, server-side binding lets psycopg prepare the statements a connection runs
    again and again (each page's session, user and membership queries): PostgreSQL then
    skips parsing and planning them, which halves its CPU time per page. A pooler that cannot
    keep prepared statements (PgBouncer before 1.21) needs DB_PREPARED_STATEMENTS=false.

    On SQLite (the demo), several writers at once must wait for each other, never fail with
    "database is locked": write-ahead logging lets readers go on while one writes; every
    transaction takes the write lock when it starts (IMMEDIATE), so that one which read first
    does not fail when it then writes (the code step, the lockout log); and a writer waits up
    to 20 s for the lock."""
    settings = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if settings["ENGINE"].endswith("postgresql") and envbool("DB_PREPARED_STATEMENTS", True):
        settings["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
    if settings["ENGINE"].endswith("sqlite3"):
        settings["OPTIONS"] = dict(SQLITE_OPTIONS)
    return settings


SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


DATABASES = {
    "default": database(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'entrepairs.sqlite3'}"),
        envint("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (entrepairs/accounts/throttling.py): 5 failures of one account from one
# address lock that pair, LOGIN_FAILURES_PER_ADDRESS failures from one address (any accounts)
# lock the address, both for 30 minutes (HTTP 429).
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 20)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "entrepairs.accounts.throttling.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "entrepairs.accounts.throttling.client_address"
# Password reset requests per hour: per address (then 429), per email (then no more emails).
PASSWORD_RESETS_PER_ADDRESS = envint("PASSWORD_RESETS_PER_ADDRESS", 10)
PASSWORD_RESETS_PER_EMAIL = 3
# Reverse proxies in front of the application that append the client's address to
# X-Forwarded-For (nginx: proxy_add_x_forwarded_for). 0: the client is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
AXES_USERNAME_FORM_FIELD = "username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Entre Pairs"
# django-otp's admin never shows a device's key or QR code (entrepairs/accounts/admin.py too).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# ProConnect (OpenID Connect) sign-in, off unless the three first are set: see
# entrepairs/accounts/oidc.py and docs/deploiement.md.
PROCONNECT_ISSUER = envstr("PROCONNECT_ISSUER", "")
PROCONNECT_CLIENT_ID = envstr("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = envstr("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SCOPES = envstr("PROCONNECT_SCOPES", "openid email given_name usual_name")
# Seconds of clock difference tolerated on the ID token's exp and iat.
PROCONNECT_CLOCK_LEEWAY = envint("PROCONNECT_CLOCK_LEEWAY", 60)
# An email without "email_verified" is taken as verified only when told so.
PROCONNECT_EMAIL_VERIFIED_BY_PROVIDER = envbool("PROCONNECT_EMAIL_VERIFIED_BY_PROVIDER", False)
# What in the signed ID token stands for a second factor (else TOTP is asked).
PROCONNECT_SECOND_FACTOR_ACR = envlist("PROCONNECT_SECOND_FACTOR_ACR", "eidas2,eidas3")
PROCONNECT_SECOND_FACTOR_AMR = envlist("PROCONNECT_SECOND_FACTOR_AMR", "mfa")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Uploaded files (certificates) live outside the web root and are served by views only.
PRIVATE_MEDIA_ROOT = Path(envstr("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "entrepairs.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy: no inline script, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The HTTP API (entrepairs/api, docs/api.md): tokens only, never the session; GET only;
# errors in French JSON; every list paginated; rate-limited in the cache (per token, or per
# address without one). With several application servers, the cache must be shared.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["entrepairs.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_public": f"{envint('API_PUBLIC_RATE_PER_MINUTE', 60)}/minute",
        "api_token": f"{envint('API_TOKEN_RATE_PER_MINUTE', 120)}/minute",
    },
    # Proxies in front of the app: the client's address is the one the last of them saw.
    # 0: REMOTE_ADDR (never X-Forwarded-For, which a client can write at will).
    "NUM_PROXIES": envint("API_NUM_PROXIES", 0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "entrepairs.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Entre Pairs",
    "DESCRIPTION": (
        "Chiffres publiés (public), activité, effectifs et évaluation FHIR R4 d'une "
        "organisation (jeton d'API). Aucune adresse ne donne le dossier d'une personne. "
        "Voir docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr(
    "DEFAULT_FROM_EMAIL", "Entre Pairs <ne-pas-repondre@entrepairs.invalid>"
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Reference open data shipped with the project (copied from shared/data/reference).
REFERENCE_DATA_DIR = BASE_DIR / "data" / "reference"

# Demo helpers (printing TOTP codes, demo logins) are refused by production settings.
ENTREPAIRS_DEMO_TOOLS = False

# Persons with no activity for this many days are anonymised by `manage.py anonymise_inactive`.
PERSON_RETENTION_DAYS = envint("PERSON_RETENTION_DAYS", 3 * 365)

# Master keys of the prevention plans' encryption (Fernet keys, newest first): see
# docs/deploiement.md. This development key is public; production refuses to start without
# PREVENTION_PLAN_KEYS.
DEV_PREVENTION_PLAN_KEY = "ZGV2LW9ubHktaW5zZWN1cmUtbmV2ZXItaW4tcHJvZCE="
PREVENTION_PLAN_KEYS = envlist("PREVENTION_PLAN_KEYS") or [DEV_PREVENTION_PLAN_KEY]

# Smallest count of persons that a published aggregate may show (1..threshold-1 suppressed).
SMALL_CELL_THRESHOLD = 11
# Smallest count of peers having an attribute of their employment (contract, training…) that a
# published figure may show (INSEE's frequency rule on units: 1 and 2 are hidden).
STAFF_CELL_THRESHOLD = 3
# Published counts of persons rounded to this base after suppression (None: exact figures).
OBSERVATORY_ROUNDING_BASE = envint("OBSERVATORY_ROUNDING_BASE", 0) or None
# First year the observatory publishes (the refresh publishes every ended period since).
OBSERVATORY_FIRST_YEAR = envint("OBSERVATORY_FIRST_YEAR", 2024)

# Anonymous answers reach the results in shuffled batches of at least this many (k), so that
# the traces of a write (PostgreSQL xmin, physical order) tie an answer to no fewer than k
# invitations. See entrepairs/evaluation/pool.py and docs/evaluation.md.
ANONYMOUS_BATCH_SIZE = envint("ANONYMOUS_BATCH_SIZE", SMALL_CELL_THRESHOLD)

# No link token ever reaches a log: the loggers that write addresses carry a filter that
# rewrites them (entrepairs/core/redaction.py; gunicorn: gunicorn.conf.py). A logger filter
# acts before every handler, whatever an operator adds. "django.server" (runserver) keeps
# Django's own handler, declared again here because configuring a logger replaces them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "entrepairs.core.redaction.RedactTokensFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "loggers": {
        "entrepairs.audit": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"filters": ["redact_tokens"]},
        "django.security.csrf": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
    },
}
