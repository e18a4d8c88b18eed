"""Per-organisation API tokens: created and revoked by coordinators and directors.

Only a SHA-256 hash of a token is kept (a token is 256 random bits: no slow hash is needed,
and a lookup by hash leaks nothing), with its prefix so that people can tell tokens apart.
A token opens its organisation's data within its scopes, until it expires, is revoked, or
the membership of the person who created it is deactivated.
"""

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import MANAGER_ROLES

TOKEN_PREFIX = "ep_"  # noqa: S105 - the visible start of every token, not a secret


class Scope(models.TextChoices):
    ACTIVITY = "activite", _("activité : rencontres, groupes, actions institutionnelles (comptes)")
    WORKFORCE = "effectifs", _("effectifs : pairs, contrats, formations (SIRH)")
    EVALUATION = "evaluation", _("évaluation : questionnaires et réponses FHIR")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """The tokens of a manager's own organisation; none for anyone else."""
        if membership is None or membership.role not in MANAGER_ROLES:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def usable(self, now=None):
        """Tokens that open the API right now."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, created_by__is_active=True)


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("droits"), default=list)
    expires_at = models.DateTimeField(_("expire le"))
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="api_tokens"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jeton d'API")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="api_token_revoked_by_someone",
            )
        ]

    def __str__(self):
        return f"{self.name} ({TOKEN_PREFIX}{self.prefix}…)"

    @classmethod
    def issue(cls, *, organisation, name, scopes, expires_at, created_by) -> tuple["ApiToken", str]:
        """Create a token and return it with its secret value, which is never stored."""
        prefix = secrets.token_hex(4)
        secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            organisation=organisation,
            name=name,
            prefix=prefix,
            token_hash=token_hash(secret),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
            created_by=created_by,
        )
        return token, secret

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired and self.created_by.is_active

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
