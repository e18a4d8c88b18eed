"""The peer-support programme of an organisation and its maturity.

A programme's status (expérimental, pilote, pérennisé) is never stored on the programme: it
is derived from its dated history of status changes, so that the observatory can ask what a
programme's status was at the end of any past period (``status_on``) and the history cannot
be rewritten by editing one field.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import ORGANISATION_ROLES

# A funding line above this is a typing error for a peer-support programme (a whole
# hospital's yearly budget for psychiatry is of that order).
MAX_FUNDING_AMOUNT = Decimal("10000000")
# "Funding ending soon": what the maturity page and the homes flag.
ENDING_SOON_DAYS = 180


class Status(models.TextChoices):
    EXPERIMENTAL = "experimental", _("expérimental")
    PILOT = "pilot", _("pilote")
    SUSTAINED = "sustained", _("pérennisé")


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """The programme of the member's own organisation; nothing for observers, admins or
        anonymous users (the observatory publishes aggregates instead)."""
        if membership is None or membership.role not in ORGANISATION_ROLES:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def with_status_on(self, date: datetime.date):
        """Annotate ``status_at`` with each programme's status on ``date`` (``None`` when the
        programme had no status yet), in one query: what the indicators group by."""
        latest = (
            StatusChange.objects.filter(programme_id=OuterRef("pk"), effective_on__lte=date)
            .order_by("-effective_on", "-pk")
            .values("status")[:1]
        )
        return self.annotate(status_at=Subquery(latest))


class Programme(models.Model):
    """One peer-support programme per organisation."""

    organisation = models.OneToOneField(
        "territory.Organisation", on_delete=models.PROTECT, related_name="programme"
    )
    name = models.CharField(_("nom du programme"), max_length=150)
    started_on = models.DateField(_("début du programme"))
    establishment_project_on = models.DateField(
        _("inscrit au projet d'établissement le"),
        null=True,
        blank=True,
        help_text=_("Date de la délibération ou de la version du projet qui l'inscrit."),
    )
    in_qvt_approach = models.BooleanField(
        _("inscrit dans la démarche qualité de vie au travail (QVT)"), default=False
    )
    qvt_on = models.DateField(_("inscrit dans la démarche QVT le"), null=True, blank=True)
    facilities = models.ManyToManyField(
        "territory.Facility",
        blank=True,
        related_name="programmes",
        verbose_name=_("dispositifs couverts"),
    )
    referent = models.ForeignKey(
        "accounts.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referent_of_programmes",
        verbose_name=_("référent·e du programme"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("programme de pair-aidance")
        verbose_name_plural = _("programmes de pair-aidance")
        constraints = [
            # A QVT date says it is in the QVT approach.
            models.CheckConstraint(
                condition=Q(qvt_on__isnull=True) | Q(in_qvt_approach=True),
                name="programme_qvt_date_only_when_in_qvt",
            ),
        ]

    def __str__(self):
        return self.name

    def status_on(self, date: datetime.date) -> str | None:
        """The status (a ``Status`` value) in force on ``date``, ``None`` before the first."""
        change = (
            self.status_changes.filter(effective_on__lte=date)
            .order_by("-effective_on", "-pk")
            .first()
        )
        return change.status if change else None

    @property
    def current_status(self) -> str | None:
        return self.status_on(timezone.localdate())

    def get_current_status_display(self) -> str:
        status = self.current_status
        return Status(status).label if status else str(_("pas encore de statut"))

    def fundings_ending_soon(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.fundings.filter(
            ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS)
        ).order_by("ends_on")


class StatusChange(models.Model):
    """From ``effective_on`` the programme has ``status``, until the next change."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices)
    effective_on = models.DateField(_("à compter du"))
    note = models.CharField(_("décision ou motif"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "effective_on"],
                name="programme_one_status_change_per_day",
                violation_error_message=_("Un changement de statut existe déjà à cette date."),
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.effective_on:%d/%m/%Y})"


class Funding(models.Model):
    """A funding line of the programme: who pays, how much, from when, until when."""

    class Source(models.TextChoices):
        FIOP = "fiop", _("FIOP (fonds d'innovation organisationnelle en psychiatrie)")
        FIR = "fir", _("FIR de l'ARS (fonds d'intervention régional)")
        OWN_BUDGET = "own_budget", _("budget propre de l'établissement")
        ASSOCIATION = "association", _("association")
        OTHER = "other", _("autre")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    label = models.CharField(
        _("précision"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple le nom de l'appel à projets ou de l'association."),
    )
    amount = models.DecimalField(
        _("montant (euros)"),
        max_digits=11,
        decimal_places=2,
        help_text=_("Montant total de la ligne sur toute sa durée."),
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(
        _("fin"), null=True, blank=True, help_text=_("Laisser vide si le financement est pérenne.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ends_on", "pk"]
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_FUNDING_AMOUNT),
                name="funding_amount_plausible",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="funding_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.label or self.get_source_display()

    @property
    def is_permanent(self) -> bool:
        return self.ends_on is None
