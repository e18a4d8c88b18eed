"""Database triggers: a signed version of a prevention plan never changes, whatever the
client. Only its revocation may be set, once, and its content erased (anonymisation, where
the plan's key is erased too). The personne de confiance of a signed version never changes."""

from django.db import migrations

# The columns of a signed version that never change.
FROZEN = [
    "plan_id",
    "number",
    "revision",
    "created_at",
    "signed_at",
    "signed_means",
    "signature_recorded_by_id",
]
FROZEN_TRUSTED = ["version_id", "name", "contact", "relationship", "agreed_on", "agreement_means"]


def changed(columns):
    return " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)


VERSION_CHANGE = (
    f"{changed(FROZEN)}"
    " OR (NEW.content IS DISTINCT FROM OLD.content AND NEW.content <> '')"
    " OR (OLD.revoked_at IS NOT NULL AND ("
    + changed(["revoked_at", "revoked_means", "revoked_by_id"])
    + "))"
)

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION prevention_refuse_signed_change() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL AND ({VERSION_CHANGE}) THEN
        RAISE EXCEPTION 'signed prevention plan version % is immutable', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prevention_planversion_immutable BEFORE UPDATE ON prevention_planversion
    FOR EACH ROW EXECUTE FUNCTION prevention_refuse_signed_change();

CREATE OR REPLACE FUNCTION prevention_refuse_signed_trusted_change() RETURNS trigger AS $$
BEGIN
    IF (SELECT signed_at FROM prevention_planversion WHERE id = OLD.version_id) IS NOT NULL
       AND ({changed(FROZEN_TRUSTED)}) THEN
        RAISE EXCEPTION 'personne de confiance of a signed version is immutable';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prevention_trustedperson_immutable BEFORE UPDATE ON prevention_trustedperson
    FOR EACH ROW EXECUTE FUNCTION prevention_refuse_signed_trusted_change();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS prevention_planversion_immutable ON prevention_planversion;
DROP TRIGGER IF EXISTS prevention_trustedperson_immutable ON prevention_trustedperson;
DROP FUNCTION IF EXISTS prevention_refuse_signed_change();
DROP FUNCTION IF EXISTS prevention_refuse_signed_trusted_change();
"""


def sqlite_changed(columns):
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


SQLITE_FORWARD = [
    "CREATE TRIGGER prevention_planversion_immutable BEFORE UPDATE ON prevention_planversion "
    "WHEN OLD.signed_at IS NOT NULL AND ("
    + sqlite_changed(FROZEN)
    + " OR (NEW.content IS NOT OLD.content AND NEW.content <> '')"
    + " OR (OLD.revoked_at IS NOT NULL AND ("
    + sqlite_changed(["revoked_at", "revoked_means", "revoked_by_id"])
    + "))) BEGIN SELECT RAISE(ABORT, 'signed prevention plan version is immutable'); END;",
    "CREATE TRIGGER prevention_trustedperson_immutable BEFORE UPDATE ON prevention_trustedperson "
    "WHEN (SELECT signed_at FROM prevention_planversion WHERE id = OLD.version_id) IS NOT NULL "
    "AND (" + sqlite_changed(FROZEN_TRUSTED) + ") "
    "BEGIN SELECT RAISE(ABORT, 'personne de confiance of a signed version is immutable'); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS prevention_planversion_immutable;",
    "DROP TRIGGER IF EXISTS prevention_trustedperson_immutable;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("prevention", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
