"""Mission charters (fiches de mission): signed in turn, immutable once fully signed."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import Role

from .peers import PeerWorker, organisation_q

DEFAULT_OUT_OF_SCOPE = (
    "Pas de soin ni de traitement, pas de décision clinique, pas de participation à la "
    "contention ou à l'isolement, pas de surveillance de la prise de médicaments, pas "
    "d'expertise sur le diagnostic."
)


class SignedCharterError(PermissionDenied):
    """Raised on any attempt to change a fully signed charter or any signature."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "Cette fiche de mission est signée par les trois parties : elle ne peut plus "
                "être modifiée. Créez une nouvelle version."
            )
        )


class MissionCharterQuerySet(models.QuerySet):
    def visible_to(self, membership):
        if membership is None:
            return self.none()
        org = membership.organisation_id
        in_org = organisation_q(org, "peer__")
        if membership.role in (Role.COORDINATOR, Role.DIRECTOR):
            return self.filter(in_org)
        if membership.role == Role.PEER:
            return self.filter(in_org, peer__user_id=membership.user_id)
        if membership.role == Role.PROFESSIONAL:
            return self.filter(in_org, facility__in=membership.facilities.all())
        return self.none()

    def fully_signed(self):
        return self.filter(fully_signed_at__isnull=False)

    def update(self, **kwargs):
        if self.filter(fully_signed_at__isnull=False).exists():
            raise SignedCharterError
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.filter(fully_signed_at__isnull=False).exists():
            raise SignedCharterError
        return super().delete()

    delete.queryset_only = True


class MissionCharter(models.Model):
    class Party(models.TextChoices):
        PEER = "peer", _("pair-aidant·e")
        TEAM_LEAD = "team_lead", _("responsable d'équipe")
        COORDINATOR = "coordinator", _("coordinateur·rice")

    # The order in which the parties sign.
    SIGNING_ORDER = (Party.PEER, Party.TEAM_LEAD, Party.COORDINATOR)

    peer = models.ForeignKey(PeerWorker, on_delete=models.PROTECT, related_name="charters")
    facility = models.ForeignKey(
        "territory.Facility",
        on_delete=models.PROTECT,
        related_name="charters",
        verbose_name=_("dispositif"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    share_individual = models.PositiveSmallIntegerField(
        _("accompagnement individuel (%)"), validators=[MaxValueValidator(100)]
    )
    share_groups = models.PositiveSmallIntegerField(
        _("groupes (%)"), validators=[MaxValueValidator(100)]
    )
    share_institutional = models.PositiveSmallIntegerField(
        _("participation institutionnelle (%)"), validators=[MaxValueValidator(100)]
    )
    tasks_in_scope = models.TextField(_("missions confiées"), max_length=3000)
    out_of_scope = models.TextField(
        _("ce qui n'entre pas dans la mission"), max_length=2000, default=DEFAULT_OUT_OF_SCOPE
    )
    referent = models.ForeignKey(
        "accounts.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("professionnel·le référent·e"),
    )
    team_lead = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="charters_to_sign",
        verbose_name=_("responsable d'équipe signataire"),
    )
    supervision_every_weeks = models.PositiveSmallIntegerField(
        _("supervision au moins toutes les (semaines)"), default=6
    )
    shared_with_team = models.TextField(_("ce qui est partagé avec l'équipe"), max_length=2000)
    stays_private = models.TextField(
        _("ce qui reste entre le·la pair-aidant·e et la personne"), max_length=2000
    )
    review_by = models.DateField(_("à revoir avant le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fully_signed_at = models.DateTimeField(_("signée le"), null=True, blank=True, editable=False)

    objects = MissionCharterQuerySet.as_manager()

    class Meta:
        ordering = ["peer", "facility", "-version"]
        verbose_name = _("fiche de mission")
        verbose_name_plural = _("fiches de mission")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    share_individual__gte=0,
                    share_groups__gte=0,
                    share_institutional__gte=0,
                )
                & Q(
                    share_individual=100
                    - models.F("share_groups")
                    - models.F("share_institutional")
                ),
                name="charter_shares_sum_100",
                violation_error_message=_("Les parts de temps doivent faire 100 %% au total."),
            ),
            models.UniqueConstraint(
                fields=["peer", "facility", "version"],
                name="charter_unique_version",
                violation_error_message=_("Cette version de la fiche de mission existe déjà."),
            ),
        ]

    def __str__(self):
        return f"{_('Fiche de mission')} {self.peer} – {self.facility} (v{self.version})"

    # Immutability -----------------------------------------------------------------------
    def save(self, *args, **kwargs):
        if (
            self.pk
            and type(self)._base_manager.filter(pk=self.pk, fully_signed_at__isnull=False).exists()
        ):
            raise SignedCharterError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if (
            self.pk
            and type(self)._base_manager.filter(pk=self.pk, fully_signed_at__isnull=False).exists()
        ):
            raise SignedCharterError
        return super().delete(*args, **kwargs)

    # Shares --------------------------------------------------------------------------------
    @property
    def shares(self) -> dict:
        """Share of time per mission type, in percent (for "Mon activité")."""
        return {
            "individual": self.share_individual,
            "groups": self.share_groups,
            "institutional": self.share_institutional,
        }

    @classmethod
    def current_for(cls, peer, facility=None):
        """The peer's latest fully signed charter (for ``facility`` if given), or None.

        Its ``shares`` dict gives the agreed split of time: individual / groups / institutional.
        """
        charters = cls.objects.filter(peer=peer, fully_signed_at__isnull=False)
        if facility is not None:
            charters = charters.filter(facility=facility)
        return charters.order_by("-fully_signed_at", "-version").first()

    # Signatures ----------------------------------------------------------------------------
    @property
    def is_fully_signed(self) -> bool:
        return self.fully_signed_at is not None

    def signed_parties(self) -> set:
        return {s.party for s in self.signatures.all()}

    def next_party(self):
        signed = self.signed_parties()
        return next((p for p in self.SIGNING_ORDER if p not in signed), None)

    def party_for(self, membership):
        """Which party ``membership`` may sign as on this charter (None: not a signatory)."""
        if membership.role == Role.PEER and membership.user_id == self.peer.user_id:
            return self.Party.PEER
        if membership.role == Role.PROFESSIONAL and membership.pk == self.team_lead_id:
            return self.Party.TEAM_LEAD
        # The coordination of the organisation where the mission takes place (the facility's),
        # never the other organisation of a seconded peer.
        if (
            membership.role == Role.COORDINATOR
            and membership.organisation_id == self.facility.organisation_id
        ):
            return self.Party.COORDINATOR
        return None

    def sign(self, membership):
        """Sign as the party ``membership`` stands for, in turn. Raises ValidationError (French).

        Locks the charter row so that two simultaneous signatures cannot both pass the checks.
        """
        with transaction.atomic():
            charter = type(self)._base_manager.select_for_update().get(pk=self.pk)
            party = charter.party_for(membership)
            if party is None:
                raise ValidationError(_("Vous n'êtes pas signataire de cette fiche de mission."))
            signed = set(charter.signatures.values_list("party", flat=True))
            if party in signed:
                raise ValidationError(_("Vous avez déjà signé cette fiche de mission."))
            expected = next((p for p in self.SIGNING_ORDER if p not in signed), None)
            if party != expected:
                raise ValidationError(
                    _(
                        "Ce n'est pas encore votre tour : la fiche doit d'abord être signée par %(p)s."
                    )
                    % {"p": self.Party(expected).label}
                )
            signature = CharterSignature.objects.create(
                charter=charter, party=party, user=membership.user, membership=membership
            )
            if len(signed) + 1 == len(self.SIGNING_ORDER):
                charter.fully_signed_at = signature.signed_at
                charter.save(update_fields=["fully_signed_at"])
                self.fully_signed_at = charter.fully_signed_at
            return signature

    COPIED_FIELDS = (
        "peer",
        "facility",
        "share_individual",
        "share_groups",
        "share_institutional",
        "tasks_in_scope",
        "out_of_scope",
        "referent",
        "team_lead",
        "supervision_every_weeks",
        "shared_with_team",
        "stays_private",
        "review_by",
    )

    def new_version(self, user):
        """An unsigned copy with version + 1; the signed charter stays as it was."""
        if hasattr(self, "next_version"):
            raise ValidationError(_("Une version plus récente de cette fiche existe déjà."))
        latest = (
            MissionCharter.objects.filter(peer=self.peer, facility=self.facility)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        copy = MissionCharter(
            **{f: getattr(self, f) for f in self.COPIED_FIELDS},
            version=(latest or self.version) + 1,
            previous=self,
            created_by=user,
        )
        copy.full_clean()
        copy.save()
        return copy

    def clean(self):
        shares = (self.share_individual, self.share_groups, self.share_institutional)
        if all(s is not None for s in shares) and sum(shares) != 100:
            raise ValidationError(
                _("Les parts de temps doivent faire 100 %% au total (actuellement %(t)s %%).")
                % {"t": sum(shares)}
            )
        if self.team_lead_id and self.facility_id:
            lead = self.team_lead
            if (
                lead.role != Role.PROFESSIONAL
                or not lead.is_active
                or not lead.facilities.filter(pk=self.facility_id).exists()
            ):
                raise ValidationError(
                    {
                        "team_lead": _(
                            "Le·la responsable d'équipe doit être un·e professionnel·le de ce "
                            "dispositif."
                        )
                    }
                )


class CharterSignatureQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SignedCharterError(_("Une signature ne peut pas être modifiée."))

    update.queryset_only = True

    def delete(self):
        raise SignedCharterError(_("Une signature ne peut pas être supprimée."))

    delete.queryset_only = True


class CharterSignature(models.Model):
    """One party's dated signature. Append-only: never changed, never deleted."""

    charter = models.ForeignKey(MissionCharter, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(max_length=12, choices=MissionCharter.Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    objects = CharterSignatureQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("signature de fiche de mission")
        constraints = [
            models.UniqueConstraint(fields=["charter", "party"], name="charter_signature_once")
        ]

    def __str__(self):
        return f"{self.get_party_display()} – {self.signed_at:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise SignedCharterError(_("Une signature ne peut pas être modifiée."))
        if MissionCharter._base_manager.filter(
            pk=self.charter_id, fully_signed_at__isnull=False
        ).exists():
            raise SignedCharterError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedCharterError(_("Une signature ne peut pas être supprimée."))
