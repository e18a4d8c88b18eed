"""Competency frameworks (versioned, loaded from a YAML definition) and assessments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import Role

from .peers import PeerWorker, dossier_q, organisation_q

LEVELS = (1, 2, 3, 4)


class CompetencyFrameworkQuerySet(models.QuerySet):
    def usable_by(self, organisation_id):
        """Platform frameworks (no organisation) and the organisation's own versions."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))


class CompetencyFramework(models.Model):
    organisation = models.ForeignKey(
        "territory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competency_frameworks",
        verbose_name=_("organisation"),
        help_text=_("Vide : référentiel proposé par la plateforme."),
    )
    slug = models.SlugField(_("identifiant"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    source = models.CharField(_("fichier source"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = CompetencyFrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("référentiel de compétences")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug", "version"], name="framework_unique_version"
            ),
            models.UniqueConstraint(
                fields=["slug", "version"],
                condition=Q(organisation__isnull=True),
                name="framework_unique_platform_version",
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class CompetencyDomain(models.Model):
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="domains"
    )
    code = models.CharField(max_length=20)
    name = models.CharField(_("domaine"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code")
        ]

    def __str__(self):
        return self.name


class Competency(models.Model):
    domain = models.ForeignKey(
        CompetencyDomain, on_delete=models.CASCADE, related_name="competencies"
    )
    code = models.CharField(max_length=20)
    name = models.CharField(_("compétence"), max_length=200)
    description = models.TextField(blank=True)
    # Four level descriptors, level 1 first (validated by the framework loader).
    levels = models.JSONField(_("niveaux"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain__order", "order"]
        verbose_name = _("compétence")
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="competency_unique_code")
        ]

    def __str__(self):
        return self.name

    def level_label(self, level: int) -> str:
        return self.levels[level - 1] if 1 <= level <= len(self.levels) else ""


def mentee_user_ids(membership):
    """Users this membership currently mentors (active mentoring pairs)."""
    from .practice import Mentoring

    return Mentoring.objects.active().filter(mentor=membership).values("mentee__user_id")


def portfolio_q(membership, prefix="peer__"):
    """Dossier readers plus the peer's current mentors (who may assess as mentor)."""
    if membership is None:
        return None
    q = dossier_q(membership, prefix)
    if membership.role in (Role.PEER, Role.PROFESSIONAL):
        mentor_q = organisation_q(membership.organisation_id, prefix) & Q(
            **{f"{prefix}user_id__in": mentee_user_ids(membership)}
        )
        q = mentor_q if q is None else (q | mentor_q)
    return q


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, membership):
        q = portfolio_q(membership)
        return self.none() if q is None else self.filter(q)


class Assessment(models.Model):
    class Assessor(models.TextChoices):
        SELF = "self", _("auto-évaluation")
        COORDINATOR = "coordinator", _("coordinateur·rice")
        MENTOR = "mentor", _("mentor")

    peer = models.ForeignKey(PeerWorker, on_delete=models.PROTECT, related_name="assessments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.CharField(_("évaluation par"), max_length=12, choices=Assessor.choices)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("niveau"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    # A pointer to the peer's recorded activity, de-identified ("groupe de parole du 12/03").
    evidence = models.CharField(_("élément de preuve (facultatif)"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("évaluation de compétence")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=4),
                name="assessment_level_range",
                violation_error_message=_("Le niveau doit être compris entre 1 et 4."),
            )
        ]

    def __str__(self):
        return f"{self.competency} : {self.level} ({self.get_assessor_display()})"
