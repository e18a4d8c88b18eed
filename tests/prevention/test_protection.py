"""What an insider with the database would try: read the plan in SQL, change a signed
version, use a copy of the database without the key."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from entrepairs.prevention.crypto import UnreadableContent, master_keys
from entrepairs.prevention.models import (
    ImmutableVersionError,
    PlanVersion,
    PreventionPlan,
    TrustedPerson,
)
from entrepairs.prevention.operations import add_comment, record_crisis, save_person_notes

from .factories import SECRET, make_plan, share

pytestmark = pytest.mark.django_db

WORDS = [
    SECRET,
    "Haldol",
    "Zéphyrine",
    "Quintalba",
    "Kerbrat",
    "Marcher le matin",
    "06 12 34 56 78",
    "rupture",
]


def every_cell():
    """Every text cell of every table of the database, read in SQL."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for cell in row:
                    if isinstance(cell, bytes | memoryview):
                        cell = bytes(cell).decode("utf-8", "replace")
                    if isinstance(cell, str):
                        yield table, cell


def test_the_database_holds_no_word_of_the_plan(world):
    plan = make_plan(world, trusted=True)
    recipient, _token = share(plan, name="Dr Kerbrat, CMP")
    version = plan.in_force
    record_crisis(
        recipient,
        version,
        {"crisis_on": version.signed_at.date(), "respected": "partly", "why": "rupture de stock"},
    )
    add_comment(recipient, version, {"stance": "disagree", "text": "Le Haldol reste utile"})
    save_person_notes(plan, "Ajouter Zéphyrine Quintalba")
    assert plan.in_force.sections()["treatments_refused"] == SECRET  # readable with the key
    leaks = [(table, word) for table, cell in every_cell() for word in WORDS if word in cell]
    assert not leaks


def test_a_copy_of_the_database_without_the_key_reads_nothing(world, settings):
    plan = make_plan(world)
    settings.PREVENTION_PLAN_KEYS = [Fernet.generate_key().decode()]
    stolen = PreventionPlan.objects.get(pk=plan.pk)
    with pytest.raises(UnreadableContent):
        stolen.in_force.sections()


def test_rotating_the_master_key_keeps_signed_versions_byte_for_byte(world, settings):
    old = settings.PREVENTION_PLAN_KEYS[0]
    plan = make_plan(world)
    content = PlanVersion.objects.get(plan=plan).content
    new = Fernet.generate_key().decode()
    settings.PREVENTION_PLAN_KEYS = [new, old]
    call_command("rotate_prevention_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.PREVENTION_PLAN_KEYS = [new]  # the old key is gone
    rotated = PreventionPlan.objects.get(pk=plan.pk)
    assert rotated.in_force.sections()["treatments_refused"] == SECRET
    assert PlanVersion.objects.get(plan=plan).content == content


def test_master_keys_fail_loudly(settings):
    settings.PREVENTION_PLAN_KEYS = []
    with pytest.raises(Exception, match="aucune clé"):
        master_keys()
    settings.PREVENTION_PLAN_KEYS = ["pas-une-clé"]
    with pytest.raises(Exception, match="pas une clé Fernet"):
        master_keys()


def test_a_signed_version_refuses_any_change_in_the_model(world):
    plan = make_plan(world, trusted=True)
    version = plan.in_force
    version.content = "x"
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        PlanVersion.objects.filter(pk=version.pk).update(content="tampered")
    with pytest.raises(ImmutableVersionError):
        version.trusted_person.save()
    assert PlanVersion.objects.get(pk=version.pk).sections()["treatments_refused"] == SECRET


SQL_TAMPERING = [
    "UPDATE prevention_planversion SET content = 'gAAAAAtampered' WHERE id = %s",
    "UPDATE prevention_planversion SET signed_at = NULL WHERE id = %s",
    "UPDATE prevention_planversion SET number = 9 WHERE id = %s",
]


@pytest.mark.parametrize("statement", SQL_TAMPERING)
def test_a_signed_version_refuses_any_change_in_the_database(world, statement):
    version = make_plan(world).in_force
    before = PlanVersion.objects.filter(pk=version.pk).values().get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [version.pk])
    assert PlanVersion.objects.filter(pk=version.pk).values().get() == before


def test_the_database_refuses_to_undo_a_revocation_and_to_touch_the_trusted_person(world):
    plan = make_plan(world, trusted=True)
    version = plan.in_force
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE prevention_planversion SET revoked_at = signed_at, revoked_means = 'in_person'"
            " WHERE id = %s",
            [version.pk],
        )
    for statement, pk in (
        ("UPDATE prevention_planversion SET revoked_at = NULL WHERE id = %s", version.pk),
        ("UPDATE prevention_trustedperson SET name = 'x' WHERE version_id = %s", version.pk),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [pk])
    assert PlanVersion.objects.get(pk=version.pk).revoked_at is not None
    assert TrustedPerson.objects.get(version=version).decrypted()["name"] == "Zéphyrine Quintalba"


def test_a_draft_stays_free_to_change(world):
    plan = make_plan(world, signed=False)
    draft = plan.draft
    seen = draft.revision
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE prevention_planversion SET revision = revision + 1 WHERE id = %s", [draft.pk]
        )
    draft.refresh_from_db()
    assert draft.revision == seen + 1
