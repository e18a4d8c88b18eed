"""Encryption of prevention plans: envelope encryption with keys kept outside the database.

Each plan has its own random data key (a Fernet key). Everything written in the plan (the
sections, the personne de confiance, the recipients' names, crisis notes, comments) is
encrypted with it. The data key itself is stored only wrapped by the master keys of
``settings.PREVENTION_PLAN_KEYS`` (environment variable, comma-separated, newest first):

- a copy of the database alone gives nothing readable;
- rotating the master key rewraps the data keys (``manage.py rotate_prevention_keys``)
  without touching the signed versions, which stay byte-for-byte immutable;
- erasing a plan's wrapped key at anonymisation makes all its ciphertext unreadable
  (crypto-shredding), even in older database copies once the backups have expired.
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableContent(Exception):
    """The ciphertext cannot be read with the keys in force (erased key or wrong keys)."""


def master_keys() -> MultiFernet:
    """The master keys, newest first. Fails loudly when none or one is malformed."""
    keys = list(getattr(settings, "PREVENTION_PLAN_KEYS", []) or [])
    if not keys:
        raise ImproperlyConfigured("PREVENTION_PLAN_KEYS : aucune clé de chiffrement des plans.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PREVENTION_PLAN_KEYS : une clé n'est pas une clé Fernet valide "
            "(32 octets en base64 url-safe)."
        ) from exc


def new_wrapped_key() -> str:
    """A fresh data key, wrapped by the newest master key."""
    return master_keys().encrypt(Fernet.generate_key()).decode("ascii")


def rewrap(wrapped: str) -> str:
    """The same data key, wrapped again by the newest master key."""
    return master_keys().rotate(wrapped.encode("ascii")).decode("ascii")


class PlanBox:
    """Encrypts and decrypts the texts of one plan with its data key."""

    @classmethod
    def fresh(cls) -> tuple[str, "PlanBox"]:
        """A new data key: (its wrapped form to store, a box to encrypt with it)."""
        key = Fernet.generate_key()
        box = cls.__new__(cls)
        box._fernet = Fernet(key)
        return master_keys().encrypt(key).decode("ascii"), box

    def __init__(self, wrapped: str):
        if not wrapped:
            raise UnreadableContent("clé du plan effacée")
        try:
            self._fernet = Fernet(master_keys().decrypt(wrapped.encode("ascii")))
        except InvalidToken as exc:
            raise UnreadableContent("clé du plan illisible avec les clés en vigueur") from exc

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii") if text else ""

    def decrypt(self, token: str) -> str:
        if not token:
            return ""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise UnreadableContent("contenu illisible") from exc

    def encrypt_json(self, data: dict) -> str:
        return self.encrypt(json.dumps(data, ensure_ascii=False, sort_keys=True))

    def decrypt_json(self, token: str) -> dict:
        text = self.decrypt(token)
        return json.loads(text) if text else {}
