"""The territorial mesh: INSEE COG, health organisations (FINESS), sectors and facilities."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# [0-9], not \d (which accepts other scripts' digits); fullmatch, not $ (which allows a final \n).
FINESS_RE = re.compile(r"(?:[0-9]{2}|2A|2B)[0-9]{7}")


def validate_finess(value: str) -> None:
    """A FINESS number has 9 characters: digits, or 2A/2B first for Corsica."""
    if value and not FINESS_RE.fullmatch(value):
        raise ValidationError(
            _("Numéro FINESS invalide : 9 caractères, chiffres (ou 2A/2B pour la Corse)."),
            code="invalid_finess",
        )


def normalize_for_search(text: str) -> str:
    """Lower case, no accents, words separated by single spaces ("Saint-Étienne" -> "saint etienne").

    Lets people type a commune name as they would say it, whatever the database collation.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"[^0-9a-z]+", " ", text.replace("œ", "oe").replace("æ", "ae"))
    return " ".join(text.split())


class Region(models.Model):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("région")

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")

    def __str__(self):
        return f"{self.code} – {self.name}"


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "COM", _("commune")
        ARRONDISSEMENT = "ARM", _("arrondissement municipal")
        DELEGATED = "COMD", _("commune déléguée")
        ASSOCIATED = "COMA", _("commune associée")

    code = models.CharField(max_length=5, db_index=True)
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.COMMUNE)
    name = models.CharField(max_length=100, db_index=True)
    # normalize_for_search(name), kept up to date by save() and by the COG importer.
    search_name = models.CharField(max_length=100, db_index=True, blank=True, editable=False)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="communes"
    )
    # Legal populations; null when INSEE publishes none for this code (not zero).
    population_municipal = models.PositiveIntegerField(null=True, blank=True)
    population_total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["code", "kind"], name="commune_code_kind")]
        verbose_name = _("commune")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_name = normalize_for_search(self.name)
        super().save(*args, **kwargs)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HEALTH_ESTABLISHMENT = "health_establishment", _("établissement de santé")
        ASSOCIATION = "association", _("association")
        ARS = "ars", _("agence régionale de santé")
        NATIONAL_OBSERVATORY = "national_observatory", _("observatoire national")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    finess_et = models.CharField(
        _("FINESS géographique"),
        max_length=9,
        blank=True,
        validators=[validate_finess],
        db_index=True,
    )
    finess_ej = models.CharField(
        _("FINESS juridique"), max_length=9, blank=True, validators=[validate_finess]
    )
    sae_category = models.CharField(_("catégorie FINESS"), max_length=4, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT)
    # The SAE year the name, FINESS juridique, category and commune come from: an import of
    # an older year leaves them as the latest year gave them.
    sae_identity_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["finess_et"], condition=~models.Q(finess_et=""), name="org_unique_finess_et"
            )
        ]

    def __str__(self):
        return self.name


class Discipline(models.TextChoices):
    GEN = "GEN", _("psychiatrie générale (adultes)")
    INF = "INF", _("psychiatrie infanto-juvénile")
    PEN = "PEN", _("psychiatrie en milieu pénitentiaire")


class ContextFiguresQuerySet(models.QuerySet):
    def latest_year(self) -> int | None:
        """The latest SAE year among these figures (None when none is imported): what the
        pages show, never a year written in the code."""
        return self.aggregate(year=models.Max("year"))["year"]


class ContextFigures(models.Model):
    """Yearly SAE psychiatry figures of an establishment for one discipline.

    Every figure is nullable: an empty SAE cell means "not reported", never zero. ``flags``
    gives a status to some figures: ``not_in_form`` (that year's form does not ask for it:
    None, shown "non déclaré") or ``implausible`` (above its plausibility bound, kept as
    declared and listed in the import report). See importers/sae_layouts.py.
    """

    NOT_IN_FORM = "not_in_form"
    IMPLAUSIBLE = "implausible"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="context_figures"
    )
    year = models.PositiveSmallIntegerField()
    discipline = models.CharField(max_length=3)  # GEN, INF, PEN or TOT
    sectors = models.PositiveIntegerField(null=True)
    full_time_beds = models.PositiveIntegerField(null=True)
    day_places = models.PositiveIntegerField(null=True)
    cmp_count = models.PositiveIntegerField(null=True)
    cattp_count = models.PositiveIntegerField(null=True)
    active_file = models.PositiveIntegerField(null=True)
    outpatient_active_file = models.PositiveIntegerField(null=True)
    nurse_fte = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    psychologist_fte = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    educator_fte = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    care_assistant_fte = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    psychiatrist_fte = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    source = models.CharField(max_length=100, default="DREES SAE")
    flags = models.JSONField(default=dict, blank=True)  # figure name -> status (see above)

    objects = ContextFiguresQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "year", "discipline"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "discipline"], name="context_figures_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.discipline}"


class Sector(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    discipline = models.CharField(_("discipline"), max_length=3, choices=Discipline.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sectors")
    communes = models.ManyToManyField(Commune, blank=True, related_name="sectors")
    # Demo sectors are invented from SAE's NB_SECT: no open dataset maps sectors to communes.
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("secteur de psychiatrie")

    def __str__(self):
        return self.code


class Facility(models.Model):
    class Kind(models.TextChoices):
        CMP = "cmp", _("CMP")
        CATTP = "cattp", _("CATTP")
        DAY_HOSPITAL = "day_hospital", _("hôpital de jour")
        INPATIENT_UNIT = "inpatient_unit", _("unité d'hospitalisation")
        MOBILE_TEAM = "mobile_team", _("équipe mobile")
        CRISIS_CENTRE = "crisis_centre", _("centre de crise")
        OTHER = "other", _("autre")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="facilities"
    )
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilities"
    )
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")

    def __str__(self):
        return self.name
