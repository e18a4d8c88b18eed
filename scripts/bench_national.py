"""National volume for `make bench BENCH_SCALE=national`, bulk-loaded with PostgreSQL COPY.

Tops the `small` demo up to the national volume: 3,000 peers, 300,000 persons and 6 million
encounters over the real SAE establishments, with their accompaniments and consents. The
ORM would take hours for 6 million rows; COPY streams them in minutes:

- peers are spread over the establishments in proportion to their SAE active file (the
  demo's peers, who have accounts, are kept and get their share of persons too);
- about 100 persons per peer, one accompaniment each with its peer, the "record" and
  "team sharing" consents given;
- about 20 encounters per person over the last two years, dated, typed, with the person's
  organisation copied as ``Encounter.save()`` does.

The encounter table's secondary indexes and foreign keys are dropped during the COPY and
recreated afterwards (PostgreSQL then builds each index in one sort and checks each foreign
key in one join, instead of row by row); recreating the foreign keys validates every row.
Everything runs in one transaction: an interrupted load leaves the database as it was.
Deterministic (``random.Random(seed)``).
"""

import datetime
import io
import random
import time

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

PEERS = 3_000
PERSONS = 300_000
ENCOUNTERS = 6_000_000
CHUNK = 50_000  # rows per COPY write
FIRST_NAMES = "Alex Camille Dominique Claude Sacha Lou Noa Charlie Maxime Morgan".split()
LAST_NAMES = "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent".split()
SETTINGS = ["hospital_unit", "cmp", "day_hospital", "community", "home"]
SETTING_WEIGHTS = [25, 35, 10, 20, 10]
MODES = ["in_person", "phone", "video"]
MODE_WEIGHTS = [75, 20, 5]
KINDS = ["accueil", "soutien", "orientation", "projet_de_vie", "lien_proches"]
OUTCOMES = ["held", "missed", "cancelled"]
OUTCOME_WEIGHTS = [85, 10, 5]


def _columns(model, skip=("id",)):
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def _next_id(cursor, model) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
    return cursor.fetchone()[0]


def _copy(cursor, table, columns, rows):
    """COPY ``rows`` (tuples of already-formatted text, ``\\N`` for NULL) into ``table``."""
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(row))
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def _check_columns(model, given):
    """Every NOT NULL column without a default is written: fail before loading otherwise."""
    missing = [
        f.column
        for f in model._meta.concrete_fields
        if f.column not in given and f.column != "id" and not f.null
    ]
    if missing:
        raise RuntimeError(f"{model._meta.db_table} : colonnes non fournies {missing}")


def _drop_secondary(cursor, table):
    """Drop the foreign keys and non-primary indexes of ``table``; return how to recreate them."""
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype = 'f'""",
        [table],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid
           WHERE x.indrelid = %s::regclass AND c.oid IS NULL""",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return foreign_keys, indexes


def _recreate(cursor, table, foreign_keys, indexes):
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def load(seed: int = 7, *, peers=PEERS, persons=PERSONS, encounters=ENCOUNTERS, say=print):
    """Top the database up to ``peers`` / ``persons`` / ``encounters``; returns timings (s)."""
    from entrepairs.accompaniment.models import Accompaniment, Consent, Encounter, Person
    from entrepairs.territory.models import ContextFigures, Organisation
    from entrepairs.workforce.models import PeerWorker

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now().isoformat()
    timings = {}
    through = Accompaniment.peers.through
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.monotonic()
        # 1. Peers, over the establishments, in proportion to their adult active file.
        weights = dict(
            ContextFigures.objects.filter(discipline="GEN", active_file__gt=0)
            .order_by("organisation_id")
            .values_list("organisation_id", "active_file")
        )
        establishments = list(
            Organisation.objects.filter(
                kind=Organisation.Kind.HEALTH_ESTABLISHMENT, pk__in=list(weights)
            ).values_list("pk", flat=True)
        )
        if not establishments:
            raise RuntimeError("Aucun établissement SAE : importez la SAE d'abord.")
        existing = list(PeerWorker.objects.values_list("pk", "employer_id"))
        new_count = max(0, peers - len(existing))
        first_peer = _next_id(cursor, PeerWorker)
        employers = rng.choices(establishments, [weights[e] for e in establishments], k=new_count)
        peer_columns = [
            "id",
            "user_id",
            "first_name",
            "last_name",
            "title",
            "status",
            "employer_id",
            "host_organisation_id",
            "created_at",
        ]
        _check_columns(PeerWorker, peer_columns)
        statuses = rng.choices(["in_post", "training", "recruiting"], [80, 15, 5], k=new_count)
        _copy(
            cursor,
            PeerWorker._meta.db_table,
            peer_columns,
            (
                (
                    str(first_peer + i),
                    r"\N",
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    "pair_aidant",
                    statuses[i],
                    str(employers[i]),
                    r"\N",
                    now,
                )
                for i in range(new_count)
            ),
        )
        all_peers = existing + [(first_peer + i, employers[i]) for i in range(new_count)]
        timings["pairs (COPY)"] = time.monotonic() - started

        # 2. Persons: each peer is brought to about persons / peers persons accompanied.
        started = time.monotonic()
        per_peer = persons // max(1, len(all_peers))
        have = dict(
            through.objects.values("peerworker_id")
            .annotate(n=Count("pk"))
            .values_list("peerworker_id", "n")
        )
        plan = []  # (peer id, organisation id) per new person
        for peer_id, org_id in all_peers:
            plan += [(peer_id, org_id)] * max(0, per_peer - have.get(peer_id, 0))
        existing_persons = Person.objects.count()
        missing = persons - existing_persons - len(plan)
        plan += [rng.choice(all_peers) for _ in range(max(0, missing))]
        plan = plan[: max(0, persons - existing_persons)]
        first_person = _next_id(cursor, Person)
        first_accompaniment = _next_id(cursor, Accompaniment)
        first_link = _next_id(cursor, through)
        n = len(plan)
        starts = [today - datetime.timedelta(days=rng.randint(30, 900)) for _ in range(n)]
        person_columns = [
            "id",
            "organisation_id",
            "alias",
            "birth_year",
            "gender",
            "commune_id",
            "origin",
            "created_at",
            "created_by_id",
            "contact",
            "last_activity_on",
            "anonymised_at",
        ]
        _check_columns(Person, person_columns)
        # The latest encounter date is known before the encounters are written: the person's
        # last_activity_on (kept by the views) is set to it.
        encounter_counts = _encounter_counts(rng, n, encounters - Encounter.objects.count())
        spans = [max(1, (today - start).days) for start in starts]
        _copy(
            cursor,
            Person._meta.db_table,
            person_columns,
            (
                (
                    str(first_person + i),
                    str(plan[i][1]),
                    f"{rng.choice(FIRST_NAMES)} {chr(65 + i % 26)}.",
                    str(rng.randint(1950, 2006)),
                    rng.choice("FMFMX"),
                    r"\N",
                    rng.choice(["cmp", "hospital_unit", "self", "family"]),
                    now,
                    r"\N",
                    "",
                    (
                        starts[i]
                        + datetime.timedelta(
                            days=_offset(i, encounter_counts[i] - 1, encounter_counts[i], spans[i])
                        )
                    ).isoformat(),
                    r"\N",
                )
                for i in range(n)
            ),
        )
        accompaniment_columns = [
            "id",
            "person_id",
            "facility_id",
            "setting",
            "start",
            "end",
            "end_reason",
        ]
        _check_columns(Accompaniment, accompaniment_columns)
        settings_ = rng.choices(SETTINGS, SETTING_WEIGHTS, k=n)
        _copy(
            cursor,
            Accompaniment._meta.db_table,
            accompaniment_columns,
            (
                (
                    str(first_accompaniment + i),
                    str(first_person + i),
                    r"\N",
                    settings_[i],
                    starts[i].isoformat(),
                    r"\N",
                    "",
                )
                for i in range(n)
            ),
        )
        _copy(
            cursor,
            through._meta.db_table,
            ["id", "accompaniment_id", "peerworker_id"],
            (
                (str(first_link + i), str(first_accompaniment + i), str(plan[i][0]))
                for i in range(n)
            ),
        )
        consent_columns = [
            "person_id",
            "purpose",
            "given",
            "means",
            "decided_on",
            "recorded_at",
            "recorded_by_id",
        ]
        _check_columns(Consent, consent_columns)
        _copy(
            cursor,
            Consent._meta.db_table,
            consent_columns,
            (
                (str(first_person + i), purpose, "t", "oral", starts[i].isoformat(), now, r"\N")
                for i in range(n)
                for purpose in ("record", "team_sharing")
            ),
        )
        timings["personnes, accompagnements, consentements (COPY)"] = time.monotonic() - started

        # 3. Encounters, with the encounter table's indexes and foreign keys set aside.
        started = time.monotonic()
        table = Encounter._meta.db_table
        # Django's foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED): check
        # the rows loaded so far now, as PostgreSQL refuses DDL with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        foreign_keys, indexes = _drop_secondary(cursor, table)
        encounter_columns = [
            "accompaniment_id",
            "peer_id",
            "organisation_id",
            "date",
            "duration_minutes",
            "mode",
            "place",
            "kinds",
            "outcome",
            "note",
            "note_visibility",
            "created_at",
        ]
        _check_columns(Encounter, encounter_columns)
        kinds = [f'["{k}"]' for k in KINDS] + ['["accueil", "soutien"]']
        say(f"COPY de {sum(encounter_counts):,} rencontres…".replace(",", "\u202f"))
        written = _copy(
            cursor,
            table,
            encounter_columns,
            _encounter_rows(
                rng, plan, starts, spans, encounter_counts, first_accompaniment, kinds, now
            ),
        )
        timings["rencontres (COPY)"] = time.monotonic() - started
        started = time.monotonic()
        _recreate(cursor, table, foreign_keys, indexes)
        timings["rencontres : index et clés étrangères recréés"] = time.monotonic() - started
        for model in (PeerWorker, Person, Accompaniment, through, Consent, Encounter):
            db_table = model._meta.db_table
            sequence = f"SELECT setval(pg_get_serial_sequence('\"{db_table}\"', 'id'), "
            cursor.execute(f'{sequence}(SELECT COALESCE(MAX(id), 1) FROM "{db_table}"))')  # noqa: S608
    say(f"Chargé : {new_count} pairs, {n} personnes, {written} rencontres.")
    return timings


def _encounter_counts(rng, n, total):
    """Encounters per new person: between 1 and 39, summing to ``total``."""
    if n == 0 or total <= 0:
        return [0] * n
    mean = total / n
    counts = [max(1, min(39, round(rng.gauss(mean, mean / 3)))) for _ in range(n)]
    difference = total - sum(counts)
    step = 1 if difference > 0 else -1
    i = 0
    while difference:
        j = i % n
        if 1 <= counts[j] + step <= 39:
            counts[j] += step
            difference -= step
        i += 1
    return counts


def _offset(i, j, count, span):
    """Day (from the accompaniment's start) of encounter ``j`` of ``count`` of person ``i``:
    spread over the accompaniment, with a deterministic jitter; computed twice (last activity,
    then the rows) rather than holding 6 million dates in memory."""
    if count <= 0:
        return 0
    step = max(1, span // count)
    return min(span - 1, j * span // count + (i * 31 + j * 17) % step)


def _encounter_rows(rng, plan, starts, spans, counts, first_accompaniment, kinds, now):
    modes = rng.choices(MODES, MODE_WEIGHTS, k=1024)
    outcomes = rng.choices(OUTCOMES, OUTCOME_WEIGHTS, k=1024)
    durations = [str(rng.choice([30, 45, 60, 60, 90, 120])) for _ in range(1024)]
    k = 0
    for i, (peer_id, org_id) in enumerate(plan):
        accompaniment, peer, org = str(first_accompaniment + i), str(peer_id), str(org_id)
        start, span, count = starts[i], spans[i], counts[i]
        for j in range(count):
            offset = _offset(i, j, count, span)
            k = (k + 7) % 1021
            yield (
                accompaniment,
                peer,
                org,
                (start + datetime.timedelta(days=offset)).isoformat(),
                durations[k],
                modes[k],
                "",
                kinds[k % len(kinds)],
                outcomes[k],
                "",
                "private",
                now,
            )
