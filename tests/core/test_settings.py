import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from entrepairs.core.env import envbool, envint


def run_django_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.prod", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_secrets():
    result = run_django_check({})
    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_django_check(
        {
            "SECRET_KEY": "x" * 64 + "-Zq9!",
            "ALLOWED_HOSTS": "entrepairs.example.org",
            "DATABASE_URL": "postgres://u:p@localhost/db",
        }
    )
    assert result.returncode == 0, result.stderr


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


def test_postgresql_prepares_repeated_statements_unless_told_not_to(monkeypatch):
    from config.settings.base import database

    postgres = database("postgres://u:p@localhost/db", 60)
    assert postgres["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 2}
    assert postgres["CONN_MAX_AGE"] == 60
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "false")
    assert "OPTIONS" not in database("postgres://u:p@localhost/db", 60)
    assert "OPTIONS" not in database("sqlite:///var/x.sqlite3", 0)


def test_production_refuses_a_proconnect_issuer_without_https():
    result = run_django_check(
        {
            "SECRET_KEY": "x" * 64 + "-Zq9!",
            "ALLOWED_HOSTS": "entrepairs.example.org",
            "DATABASE_URL": "postgres://u:p@localhost/db",
            "PROCONNECT_ISSUER": "http://fournisseur.example",
        }
    )
    assert result.returncode != 0
    assert "PROCONNECT_ISSUER doit être une adresse https://" in result.stderr
