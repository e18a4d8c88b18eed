"""The application under a PostgreSQL role that can only read and add to the audit log.

The test creates a role that owns nothing, applies ``scripts/postgres_roles.sql`` exactly as
docs/deploiement.md says, then runs the application in a process of its own connected as that
role: ``log_access`` works, and every way to rewrite the log is refused with a permission
error (SQLSTATE 42501).
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from entrepairs.core.chain import verify_chain

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL seulement"),
    pytest.mark.django_db(transaction=True),
]

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "postgres_roles.sql"

ATTACKS = {
    "update": "UPDATE core_accessevent SET action = 'list'",
    "delete": "DELETE FROM core_accessevent",
    "truncate": "TRUNCATE core_accessevent, core_accesseventrecord",
    "update_records": "UPDATE core_accesseventrecord SET object_id = 0",
    "delete_records": "DELETE FROM core_accesseventrecord",
    "truncate_records": "TRUNCATE core_accesseventrecord",
    "upsert": (
        "INSERT INTO core_accessevent SELECT * FROM core_accessevent WHERE true "
        "ON CONFLICT (id) DO UPDATE SET action = 'list'"
    ),
    "disable_triggers": "ALTER TABLE core_accessevent DISABLE TRIGGER ALL",
    "drop_trigger": "DROP TRIGGER core_accessevent_no_truncate ON core_accessevent",
    "replace_function": (
        "CREATE OR REPLACE FUNCTION entrepairs_refuse_truncate() RETURNS trigger "
        "AS $$ BEGIN RETURN NULL; END $$ LANGUAGE plpgsql"
    ),
    "skip_triggers": "SET session_replication_role = replica",
    "rewind_sequence": "SELECT setval(pg_get_serial_sequence('core_accessevent', 'id'), 1)",
}

APPLICATION = """
import json

import django

django.setup()
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from entrepairs.core.audit import log_access
from entrepairs.core.chain import verify_chain
from entrepairs.core.models import AccessEvent, Action
from entrepairs.workforce.models import PeerWorker

out = {}
with connection.cursor() as cursor:
    cursor.execute("SELECT current_user")
    out["user"] = cursor.fetchone()[0]
request = RequestFactory().get("/une/page/")
request.user = AnonymousUser()
out["logged"] = [
    log_access(request, Action.VIEW, model=PeerWorker, ids=[1, 2]).pk for _ in range(2)
]
out["peers_updated"] = PeerWorker.objects.filter(pk=-1).update(title="x")  # other tables: DML
out["verified"] = verify_chain().ok  # verify_audit runs under this role too
for name, statement in ATTACKS.items():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
        out[name] = "done"
    except DatabaseError as error:
        out[name] = getattr(error.__cause__, "sqlstate", None) or str(error)
out["events"] = AccessEvent.objects.count()
print("RESULT " + json.dumps(out))
"""


def statements(script: str, role: str) -> list[str]:
    """The script's statements, with psql's ``:"app_role"`` replaced as psql would."""
    quoted = '"' + role.replace('"', '""') + '"'
    body = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    body = body.replace(':"app_role"', quoted)
    assert not re.search(r':"?\w', body), "une variable psql n'est pas remplacée"
    return [s.strip() for s in body.split(";") if s.strip()]


def database_url(role: str) -> str:
    db = connection.settings_dict
    return f"postgres://{role}:secret@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_the_application_role_can_read_and_add_to_the_audit_but_not_rewrite_it(world):
    role = f"entrepairs_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'secret'")
    try:
        with connection.cursor() as cursor:
            for statement in statements(SCRIPT.read_text(), role):
                cursor.execute(statement)
        code = f"ATTACKS = {ATTACKS!r}\n{APPLICATION}"
        completed = subprocess.run(  # noqa: S603 our own code, in our own interpreter
            [sys.executable, "-c", code],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": database_url(role),
            },
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
        assert lines, completed.stdout + completed.stderr
        result = json.loads(lines[-1].removeprefix("RESULT "))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")

    assert result["user"] == role
    assert len(result["logged"]) == 2 and result["events"] == 2
    assert result["peers_updated"] == 0 and result["verified"] is True
    refused = {name: result[name] for name in ATTACKS}
    assert refused == dict.fromkeys(ATTACKS, "42501")  # insufficient_privilege, every one
    report = verify_chain()
    assert report.ok and report.checked == 2
