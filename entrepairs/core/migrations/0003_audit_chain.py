"""The hash chain of the audit log, and the triggers that close the last ways to rewrite it.

- ``previous_hash`` and ``hash`` on every event; the events already written are chained here,
  in id order (see ``entrepairs/core/chain.py``).
- PostgreSQL: a BEFORE TRUNCATE trigger on both tables (row triggers do not see TRUNCATE);
  ``entrepairs_audit_reserve()``, which ``log_access`` calls to take the chain's lock, read
  the head and draw the next id; a BEFORE INSERT trigger that refuses an event that does not
  extend the head (id not after the last, or previous_hash not the head's hash).
- SQLite: the same BEFORE INSERT trigger, which also refuses ``INSERT OR REPLACE`` and
  ``REPLACE`` of an event (a REPLACE deletes the old row without firing the DELETE trigger
  unless recursive_triggers is on); the same for a record id that already exists.

On SQLite, adding a column rebuilds the table and drops its triggers: ``install`` puts every
trigger back (and any later migration that rebuilds these tables must call it again; a test
checks that every trigger is there after all migrations).
"""

from django.db import migrations, models

from entrepairs.core.chain import CONTENT_FIELDS, GENESIS, event_hash

TABLES = ["core_accessevent", "core_accesseventrecord"]

# Key of the transaction advisory lock that serialises writers of the chain ("EPaudit").
CHAIN_LOCK_KEY = 0x4550617564697400

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION entrepairs_refuse_truncate() RETURNS trigger AS $$
DECLARE
    not_empty boolean;
BEGIN
    -- Truncating an empty table erases nothing (a fresh database, the test runner's flush).
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO not_empty;
    IF not_empty THEN
        RAISE EXCEPTION 'append-only table %: TRUNCATE refused', TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_accessevent_no_truncate BEFORE TRUNCATE ON core_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION entrepairs_refuse_truncate();
CREATE TRIGGER core_accesseventrecord_no_truncate BEFORE TRUNCATE ON core_accesseventrecord
    FOR EACH STATEMENT EXECUTE FUNCTION entrepairs_refuse_truncate();

-- VOLATILE: each statement inside sees what was committed before it ran, so the head is read
-- after the lock is held (a single statement would read it from a snapshot taken before).
CREATE OR REPLACE FUNCTION entrepairs_audit_reserve(OUT next_id bigint, OUT head text)
VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
    SELECT e.hash INTO head FROM core_accessevent e ORDER BY e.id DESC LIMIT 1;
    next_id := nextval(pg_get_serial_sequence('core_accessevent', 'id'));
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION entrepairs_audit_extends_chain() RETURNS trigger AS $$
DECLARE
    head_id bigint;
    head_hash text;
BEGIN
    SELECT e.id, e.hash INTO head_id, head_hash FROM core_accessevent e
        ORDER BY e.id DESC LIMIT 1;
    IF NEW.id <= coalesce(head_id, 0)
       OR NEW.previous_hash IS DISTINCT FROM coalesce(head_hash, '{GENESIS}')
       OR length(NEW.hash) <> 64 THEN
        RAISE EXCEPTION 'audit event % does not extend the chain (head %)', NEW.id, head_id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_accessevent_chain BEFORE INSERT ON core_accessevent
    FOR EACH ROW EXECUTE FUNCTION entrepairs_audit_extends_chain();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS core_accessevent_chain ON core_accessevent;
DROP TRIGGER IF EXISTS core_accessevent_no_truncate ON core_accessevent;
DROP TRIGGER IF EXISTS core_accesseventrecord_no_truncate ON core_accesseventrecord;
DROP FUNCTION IF EXISTS entrepairs_audit_extends_chain();
DROP FUNCTION IF EXISTS entrepairs_audit_reserve();
DROP FUNCTION IF EXISTS entrepairs_refuse_truncate();
"""

# Every trigger of the two tables on SQLite (those of 0002 included: a rebuild drops them).
SQLITE_TRIGGERS = {
    **{
        f"{t}_no_{op}": (
            f"CREATE TRIGGER {t}_no_{op} BEFORE {op.upper()} ON {t} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only table {t}'); END;"
        )
        for t in TABLES
        for op in ("update", "delete")
    },
    "core_accessevent_chain": (
        "CREATE TRIGGER core_accessevent_chain BEFORE INSERT ON core_accessevent "
        "WHEN NEW.id IS NULL "
        "OR NEW.id <= coalesce((SELECT max(id) FROM core_accessevent), 0) "
        "OR NEW.previous_hash IS NOT coalesce("
        f"(SELECT hash FROM core_accessevent ORDER BY id DESC LIMIT 1), '{GENESIS}') "
        "OR length(NEW.hash) <> 64 "
        "BEGIN SELECT RAISE(ABORT, 'audit event does not extend the chain'); END;"
    ),
    "core_accesseventrecord_no_replace": (
        "CREATE TRIGGER core_accesseventrecord_no_replace BEFORE INSERT ON core_accesseventrecord "
        "WHEN EXISTS (SELECT 1 FROM core_accesseventrecord WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'append-only table core_accesseventrecord'); END;"
    ),
}


def install_sqlite_triggers(schema_editor) -> None:
    for name, statement in SQLITE_TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
        schema_editor.execute(statement)


def chain_existing_events(apps, schema_editor, batch=5_000) -> None:
    """Chain the events written before this migration, in id order, in batches."""
    AccessEvent = apps.get_model("core", "AccessEvent")  # noqa: N806
    events = AccessEvent.objects.using(schema_editor.connection.alias).order_by("pk")
    previous, last = GENESIS, 0
    while True:
        rows = list(events.filter(pk__gt=last).values_list("pk", *CONTENT_FIELDS)[:batch])
        if not rows:
            return
        updates = []
        for row in rows:
            digest = event_hash(row[0], previous, dict(zip(CONTENT_FIELDS, row[1:], strict=True)))
            updates.append((previous, digest, row[0]))
            previous, last = digest, row[0]
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE core_accessevent SET previous_hash = %s, hash = %s WHERE id = %s", updates
            )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE core_accessevent DISABLE TRIGGER core_accessevent_append_only"
        )
        chain_existing_events(apps, schema_editor)
        schema_editor.execute(
            "ALTER TABLE core_accessevent ENABLE TRIGGER core_accessevent_append_only"
        )
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_accessevent_no_update;")
        chain_existing_events(apps, schema_editor)
        install_sqlite_triggers(schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        for name in ("core_accessevent_chain", "core_accesseventrecord_no_replace"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_append_only_triggers")]
    operations = [
        migrations.AddField(
            model_name="accessevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accessevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(forward, backward),
    ]
