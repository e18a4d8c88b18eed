import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from entrepairs.accounts.models import User
from entrepairs.core.env import envbool, envint
from entrepairs.territory.models import Organisation
from tests.factories import OrganisationFactory

PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64 + "-Zq9!",
    "ALLOWED_HOSTS": "entrepairs.example.org",
    "DATABASE_URL": "postgres://u:p@localhost/db",
    "PREVENTION_PLAN_KEYS": "bm90LWEtcmVhbC1rZXktZm9yLXRlc3RzLW9ubHktMTI=",
}


def run_with_production_settings(args, env):
    return subprocess.run(  # noqa: S603 fixed arguments of the tests
        [sys.executable, *args],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.prod", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def run_django_check(env):
    return run_with_production_settings(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env
    )


def test_production_settings_refuse_to_start_without_secrets():
    result = run_django_check({})
    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_django_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


PLAN_KEY = "bm90LWEtcmVhbC1rZXktZm9yLXRlc3RzLW9ubHktMTI="


def test_production_refuses_to_start_without_the_plan_key_or_with_the_public_one():
    secrets = {
        "SECRET_KEY": "x" * 64 + "-Zq9!",
        "ALLOWED_HOSTS": "entrepairs.example.org",
        "DATABASE_URL": "postgres://u:p@localhost/db",
    }
    result = run_django_check(secrets)
    assert result.returncode != 0
    assert "PREVENTION_PLAN_KEYS est obligatoire" in result.stderr
    from config.settings.base import DEV_PREVENTION_PLAN_KEY

    result = run_django_check({**secrets, "PREVENTION_PLAN_KEYS": DEV_PREVENTION_PLAN_KEY})
    assert result.returncode != 0
    assert "prevention.E002" in result.stderr + result.stdout


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("FLAG", "peut-être")
    with pytest.raises(Exception, match="true ou false"):
        envbool("FLAG")
    monkeypatch.setenv("NUM", "douze")
    with pytest.raises(Exception, match="nombre entier"):
        envint("NUM", 1)
    monkeypatch.setenv("NUM", "12")
    assert envint("NUM", 1) == 12


@override_settings(ENTREPAIRS_DEMO_TOOLS=False)
def test_demo_logins_are_refused_in_production(db):
    with pytest.raises(CommandError, match="refusée"):
        call_command("demo_logins")


@override_settings(ENTREPAIRS_DEMO_TOOLS=False)
def test_demo_data_is_refused_when_demo_tools_are_off(db):
    """The guard of the command itself, for settings that install the app with the tools off."""
    OrganisationFactory()  # so that only the guard can stop it
    with pytest.raises(CommandError, match="refusée"):
        call_command("demo")
    assert not User.objects.exists()
    assert not Organisation.objects.filter(is_demo=True).exists()


@pytest.mark.parametrize("command", ["demo", "demo_logins"])
def test_demo_commands_are_refused_with_production_settings(command):
    """`manage.py demo` with the production settings would create a superuser with the
    published password and a TOTP key computed from its email: refused, in French, exit 1.
    (The database URL points nowhere: the refusal comes before any connection.)"""
    result = run_with_production_settings(["manage.py", command], PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Commande de démonstration refusée" in result.stderr
    assert "Unknown command" not in result.stderr


def test_production_settings_do_not_install_or_import_the_demo_app():
    """Not installed, and nothing served in production (settings, every URL's view, the WSGI
    application) imports it."""
    script = (
        "import sys, django; django.setup();"
        "from django.apps import apps; from django.urls import get_resolver;"
        "import config.wsgi; from django.conf import settings;"
        "get_resolver().url_patterns;"
        "print(apps.is_installed('entrepairs.demo'), 'entrepairs.demo' in settings.INSTALLED_APPS,"
        " sorted(m for m in sys.modules if m.startswith('entrepairs.demo')))"
    )
    result = run_with_production_settings(["-c", script], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False []"


def test_postgresql_prepares_repeated_statements_unless_told_not_to(monkeypatch):
    from config.settings.base import database

    postgres = database("postgres://u:p@localhost/db", 60)
    assert postgres["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 2}
    assert postgres["CONN_MAX_AGE"] == 60
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "false")
    assert "OPTIONS" not in database("postgres://u:p@localhost/db", 60)
    sqlite = database("sqlite:///var/x.sqlite3", 0)["OPTIONS"]
    assert (
        sqlite["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in sqlite["init_command"]
    )


def test_production_refuses_a_proconnect_issuer_without_https():
    result = run_django_check({**PRODUCTION_ENV, "PROCONNECT_ISSUER": "http://fournisseur.example"})
    assert result.returncode != 0
    assert "PROCONNECT_ISSUER doit être une adresse https://" in result.stderr
