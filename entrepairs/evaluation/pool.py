"""The pool of anonymous answers, and the batches that take them into the results.

Why a pool (DESIGN.md principle 6, issue 9): whatever a request writes carries its traces —
on PostgreSQL the ``xmin`` of the transaction that wrote the row, and on every database the
physical order of arrival (``ctid``, SQLite ``rowid``). If the answer were written when the
invitation is used, both rows would share these traces and any insider could join them.

So, when a person sends an anonymous questionnaire:

1. the invitation is marked used and the sheet (answers and month) goes into
   ``PendingAnswer``, in one transaction. That row shares the invitation's ``xmin``, so it is
   **sealed**: AES-256-GCM with a key derived from ``SECRET_KEY`` (which the database does
   not hold), padded to a multiple of ``PAD`` bytes so that its length says nothing, and
   bound to its campaign and facility. It carries no time.
2. later, in a transaction of its own, a batch of sheets is opened, shuffled, and written
   into ``AnonymousResponse``: the answers of a batch share one ``xmin``, one month, and an
   order that is a random permutation. A batch is what an insider can tell apart: a set of
   at least ``ANONYMOUS_BATCH_SIZE`` (k) answers, matching the k invitations used since.

When a batch is written, for one group of answers that look alike once stored (same
organisation, facility, instrument version):

- while its campaigns run, only when the group holds at least 2k sheets, and then all but k
  of them, chosen at random: k sheets always stay behind, so the last batch (at the closing)
  is never smaller than k either;
- once one of its campaigns is closed (by hand or past its closing date), all of them: that
  batch is smaller than k only if the group never had k answers at all, and then it holds
  every answer of it (nothing finer than "one of the n who answered" can be said).

The month of every answer of a batch is the latest month of its sheets.

Batches are written by the task ``flush_anonymous_answers`` (enqueued, without any argument,
after the sending that brings a group to 2k sheets, and when a campaign is closed) and by
``manage.py flush_anonymous_answers`` (each night, for campaigns past their closing date).
"""

import json
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import AnonymousResponse, InstrumentVersion, PendingAnswer, first_of_month
from .scoring import score_response

logger = logging.getLogger(__name__)

PAD = 1024
FORMAT = b"\x01"
NONCE_BYTES = 12
KEY_SALT = "entrepairs.evaluation.pool"
SYSTEM_RANDOM = random.SystemRandom()


class SealError(ValueError):
    """A sheet that no key of the server opens (SECRET_KEY changed without a fallback)."""


def batch_size() -> int:
    return max(1, int(settings.ANONYMOUS_BATCH_SIZE))


def _keys():
    """The current key first, then those of ``SECRET_KEY_FALLBACKS`` (key rotation)."""
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        yield salted_hmac(KEY_SALT, "aes-256-gcm", secret=secret, algorithm="sha256").digest()


def _bound_to(campaign_id, facility_id) -> bytes:
    return f"{campaign_id}:{facility_id or ''}".encode()


def seal(sheet: dict, campaign_id, facility_id) -> bytes:
    plain = json.dumps(sheet, ensure_ascii=False, separators=(",", ":")).encode()
    framed = len(plain).to_bytes(4, "big") + plain
    framed += b"\0" * (-len(framed) % PAD)
    nonce = secrets.token_bytes(NONCE_BYTES)
    key = next(_keys())
    return FORMAT + nonce + AESGCM(key).encrypt(nonce, framed, _bound_to(campaign_id, facility_id))


def unseal(blob: bytes, campaign_id, facility_id) -> dict:
    blob = bytes(blob)
    if blob[:1] != FORMAT:
        raise SealError("format inconnu")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    for key in _keys():
        try:
            framed = AESGCM(key).decrypt(nonce, body, _bound_to(campaign_id, facility_id))
        except InvalidTag:
            continue
        size = int.from_bytes(framed[:4], "big")
        return json.loads(framed[4 : 4 + size])
    raise SealError("aucune clé ne l'ouvre")


def add_to_pool(campaign, facility_id, answers: dict) -> PendingAnswer:
    """Put a sheet into the pool. Called inside the transaction that uses the invitation."""
    sheet = {"answers": answers, "month": first_of_month(timezone.localdate()).isoformat()}
    pending = PendingAnswer.objects.create(
        campaign=campaign,
        facility_id=facility_id,
        sealed=seal(sheet, campaign.pk, facility_id),
    )
    transaction.on_commit(
        lambda: _enqueue_if_due(
            campaign.organisation_id, facility_id, campaign.instrument_version_id
        )
    )
    return pending


def _group(organisation_id, facility_id, version_id):
    return PendingAnswer.objects.filter(
        campaign__organisation_id=organisation_id,
        facility_id=facility_id,
        campaign__instrument_version_id=version_id,
    )


def _enqueue_if_due(organisation_id, facility_id, version_id):
    if _group(organisation_id, facility_id, version_id).count() >= 2 * batch_size():
        enqueue_flush()


def enqueue_flush():
    """Ask the task worker to write the batches that are due (the task takes no argument)."""
    from .tasks import flush_anonymous_answers

    flush_anonymous_answers.enqueue()


@dataclass
class FlushCounts:
    batches: int = 0
    answers: int = 0
    unreadable: int = 0


def flush_due_batches() -> FlushCounts:
    """Write every batch that is due, each group in a transaction of its own."""
    counts = FlushCounts()
    groups = PendingAnswer.objects.values_list(
        "campaign__organisation_id", "facility_id", "campaign__instrument_version_id"
    ).distinct()
    for organisation_id, facility_id, version_id in sorted(set(groups), key=str):
        written, unreadable = _flush_group(organisation_id, facility_id, version_id)
        counts.batches += bool(written)
        counts.answers += written
        counts.unreadable += unreadable
    return counts


def _flush_group(organisation_id, facility_id, version_id) -> tuple[int, int]:
    k = batch_size()
    with transaction.atomic():
        rows = list(
            _group(organisation_id, facility_id, version_id)
            .select_for_update(of=("self",))
            .select_related("campaign")
        )
        opened, unreadable = [], 0
        for row in rows:
            try:
                opened.append((row, unseal(row.sealed, row.campaign_id, row.facility_id)))
            except SealError:
                unreadable += 1
        if unreadable:
            logger.warning(
                "%s réponse(s) anonyme(s) en attente illisible(s) : SECRET_KEY a changé sans "
                "SECRET_KEY_FALLBACKS",
                unreadable,
            )
        if any(row.campaign.is_closed for row, _sheet in opened):
            chosen = opened
        elif len(opened) >= 2 * k:
            chosen = SYSTEM_RANDOM.sample(opened, len(opened) - k)
        else:
            return 0, unreadable
        SYSTEM_RANDOM.shuffle(chosen)
        version = InstrumentVersion.objects.get(pk=version_id)
        month = max(date.fromisoformat(sheet["month"]) for _row, sheet in chosen)
        AnonymousResponse.objects.bulk_create(
            [
                AnonymousResponse(
                    organisation_id=organisation_id,
                    facility_id=facility_id,
                    instrument_version=version,
                    month=month,
                    answers=sheet["answers"],
                    scores=score_response(version.definition, sheet["answers"]),
                )
                for _row, sheet in chosen
            ]
        )
        PendingAnswer.objects.filter(pk__in=[row.pk for row, _sheet in chosen]).delete()
    return len(chosen), unreadable


def pending_count(campaign) -> int:
    return PendingAnswer.objects.filter(campaign=campaign).count()
