"""Contracts of peer workers, on an organisation's salary grid. Precarity is derived."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .peers import PeerWorker, dossier_q

ENDING_SOON_DAYS = 90


class SalaryGridQuerySet(models.QuerySet):
    def usable_by(self, organisation_id):
        """The organisation's own grids and the shipped example grids."""
        return self.filter(Q(organisation_id=organisation_id) | Q(is_example=True))


class SalaryGrid(models.Model):
    """An organisation's pay grid for peer workers. ``is_example`` grids ship with the platform
    and are not a regulatory scale: they show how a grid looks until an organisation adopts one."""

    organisation = models.ForeignKey(
        "territory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="salary_grids",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("nom"), max_length=200)
    is_example = models.BooleanField(_("grille d'exemple"), default=False)
    valid_from = models.DateField(_("en vigueur depuis"), null=True, blank=True)

    objects = SalaryGridQuerySet.as_manager()

    class Meta:
        ordering = ["-is_example", "name"]
        verbose_name = _("grille salariale")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_example=True) | Q(organisation__isnull=False),
                name="salary_grid_owner",
                violation_error_message=_("Une grille doit appartenir à une organisation."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({_('grille d’exemple')})" if self.is_example else self.name


class SalaryStep(models.Model):
    grid = models.ForeignKey(SalaryGrid, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("rang"))
    label = models.CharField(_("échelon"), max_length=100)
    gross_monthly = models.DecimalField(_("brut mensuel (€)"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["grid", "order"]
        verbose_name = _("échelon")
        constraints = [
            models.UniqueConstraint(fields=["grid", "order"], name="salary_step_unique_order")
        ]

    def __str__(self):
        return f"{self.grid.name} – {self.label} ({self.gross_monthly} €)"


class ContractQuerySet(models.QuerySet):
    def visible_to(self, membership):
        q = dossier_q(membership)
        return self.none() if q is None else self.filter(q)

    def precarious(self):
        return self.filter(Contract.precarious_q())

    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def ending_within(self, days=ENDING_SOON_DAYS, day=None):
        day = day or timezone.localdate()
        return self.filter(end__gte=day, end__lte=day + datetime.timedelta(days=days))


class Contract(models.Model):
    class Kind(models.TextChoices):
        CDI = "cdi", _("CDI")
        CDD = "cdd", _("CDD")
        PEC = "pec", _("contrat aidé (PEC)")
        FPH = "fph", _("contractuel·le de la fonction publique hospitalière")
        VACATAIRE = "vacataire", _("vacataire")
        SECONDMENT = "mad", _("mise à disposition par une association")
        VOLUNTEER = "benevole", _("bénévole indemnisé·e")

    class Funding(models.TextChoices):
        ESTABLISHMENT = "etablissement", _("budget de l'établissement")
        ARS = "ars", _("crédits ARS")
        INNOVATION = "innovation", _("fonds d'innovation")
        ASSOCIATION = "association", _("association")
        OTHER = "autre", _("autre")

    # Kinds precarious by nature, whatever the end date (see docs/effectifs-pairs.md).
    FIXED_TERM_KINDS = frozenset({Kind.CDD, Kind.PEC, Kind.VACATAIRE})
    SUBSIDISED_KINDS = frozenset({Kind.PEC})
    VOLUNTEER_KINDS = frozenset({Kind.VOLUNTEER})
    PRECARIOUS_KINDS = FIXED_TERM_KINDS | SUBSIDISED_KINDS | VOLUNTEER_KINDS

    peer = models.ForeignKey(PeerWorker, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("type de contrat"), max_length=12, choices=Kind.choices)
    employer = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        related_name="peer_contracts",
        verbose_name=_("employeur"),
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    fte = models.DecimalField(
        _("quotité (ETP)"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("Entre 0,01 et 1 (1 = temps plein)."),
    )
    grade = models.ForeignKey(
        SalaryStep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("échelon de la grille"),
    )
    gross_monthly_pay = models.DecimalField(
        _("rémunération brute mensuelle (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    funding = models.CharField(_("financement"), max_length=16, choices=Funding.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("contrat")
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1),
                name="contract_fte_range",
                violation_error_message=_("La quotité (ETP) doit être comprise entre 0,01 et 1."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="contract_end_after_start",
                violation_error_message=_("La date de fin ne peut pas précéder la date de début."),
            ),
        ]
        indexes = [models.Index(fields=["end"])]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.peer} ({self.start:%d/%m/%Y})"

    @classmethod
    def precarious_q(cls) -> Q:
        return Q(kind__in=cls.PRECARIOUS_KINDS) | Q(end__isnull=False)

    @property
    def precarity_reasons(self) -> list[str]:
        """Why the contract is precarious (empty list: it is not). Derived, never typed."""
        reasons = []
        if self.kind in self.FIXED_TERM_KINDS or self.end is not None:
            reasons.append(str(_("à durée déterminée")))
        if self.kind in self.SUBSIDISED_KINDS:
            reasons.append(str(_("contrat aidé")))
        if self.kind in self.VOLUNTEER_KINDS:
            reasons.append(str(_("bénévolat indemnisé")))
        return reasons

    @property
    def is_precarious(self) -> bool:
        return bool(self.precarity_reasons)

    def overlapping(self):
        """Other contracts of the same peer with the same employer whose dates overlap."""
        far = datetime.date.max
        others = Contract.objects.filter(peer_id=self.peer_id, employer_id=self.employer_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        others = others.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        return others.filter(start__lte=self.end or far)

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La date de fin ne peut pas précéder la date de début.")
        if self.fte is not None and not (Decimal("0") < self.fte <= Decimal("1")):
            errors["fte"] = _("La quotité (ETP) doit être comprise entre 0,01 et 1.")
        if errors:
            raise ValidationError(errors)
        if self.start and self.peer_id and self.employer_id and self.overlapping().exists():
            raise ValidationError(
                _(
                    "Ce contrat chevauche un autre contrat de la même personne avec le même "
                    "employeur : corrigez les dates ou terminez d'abord le contrat en cours."
                )
            )
