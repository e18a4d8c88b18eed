from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import Role


def organisation_q(org_id, prefix=""):
    """Peers (or rows of a peer, with ``prefix="peer__"``) of an organisation: employer or host."""
    return Q(**{f"{prefix}employer_id": org_id}) | Q(**{f"{prefix}host_organisation_id": org_id})


def dossier_q(membership, prefix="peer__"):
    """Rows of a peer's dossier (contracts, trainings, portfolio…) a membership may see.

    Coordinators and directors: their organisation's peers; a peer: their own dossier;
    anyone else: nothing (``None``).
    """
    if membership is None:
        return None
    org = membership.organisation_id
    if membership.role in (Role.COORDINATOR, Role.DIRECTOR):
        return organisation_q(org, prefix)
    if membership.role == Role.PEER:
        return organisation_q(org, prefix) & Q(**{f"{prefix}user_id": membership.user_id})
    return None


class PeerWorkerQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Peers a membership may see: managers their organisation's (employer or host),
        a peer their own record, a professional the peers deployed in their facilities."""
        if membership is None:
            return self.none()
        org = membership.organisation_id
        in_org = organisation_q(org)
        if membership.role in (Role.COORDINATOR, Role.DIRECTOR):
            return self.filter(in_org)
        if membership.role == Role.PEER:
            return self.filter(in_org, user_id=membership.user_id)
        if membership.role == Role.PROFESSIONAL:
            return self.filter(
                in_org, deployments__facility__in=membership.facilities.all()
            ).distinct()
        return self.none()


class PeerWorker(models.Model):
    class Title(models.TextChoices):
        PEER_HELPER = "pair_aidant", _("pair-aidant·e")
        PEER_HEALTH_MEDIATOR = "msp", _("médiateur·rice de santé pair")
        PEER_WORKER = "travailleur_pair", _("travailleur·se pair")

    class Status(models.TextChoices):
        RECRUITING = "recruiting", _("en recrutement")
        TRAINING = "training", _("en formation")
        IN_POST = "in_post", _("en poste")
        LEFT = "left", _("parti·e")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="peer_worker",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    title = models.CharField(_("titre"), max_length=20, choices=Title.choices)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices)
    employer = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        related_name="employed_peers",
        verbose_name=_("employeur"),
    )
    # Set when the peer is "mis·e à disposition" by an association to a health establishment.
    host_organisation = models.ForeignKey(
        "territory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_peers",
        verbose_name=_("structure d'accueil"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PeerWorkerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("pair-aidant·e")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Deployment(models.Model):
    """A peer's presence in a facility, with the share of their time spent there."""

    peer = models.ForeignKey(PeerWorker, on_delete=models.CASCADE, related_name="deployments")
    facility = models.ForeignKey(
        "territory.Facility", on_delete=models.PROTECT, related_name="deployments"
    )
    time_share = models.DecimalField(
        _("part du temps"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    start = models.DateField(_("début"), null=True, blank=True)
    end = models.DateField(_("fin"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["peer", "facility"], name="deployment_unique"),
            models.CheckConstraint(
                condition=Q(time_share__gt=0) & Q(time_share__lte=1), name="deployment_share_range"
            ),
        ]

    def __str__(self):
        return f"{self.peer} – {self.facility} ({self.time_share:.0%})"
