"""Institutional participation: awareness and training of teams, cross-training, committees,
team meetings, teaching, destigmatisation, working groups.

Audience counts are separate non-negative integer columns rather than a JSON dict: the list
of professions is fixed by the programme's reporting, columns can be summed in SQL across
organisations (the observatory does), the database enforces ``>= 0``, and a form shows one
labelled field and one French error per profession.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import Role

MAX_DURATION_MINUTES = 12 * 60

# (field name, label): the audience by profession, in display order.
AUDIENCE_FIELDS = [
    ("audience_nurses", _("infirmier·es")),
    ("audience_doctors", _("médecins")),
    ("audience_psychologists", _("psychologues")),
    ("audience_social_workers", _("travailleur·ses sociaux·ales")),
    ("audience_managers", _("cadres")),
    ("audience_students", _("étudiant·es")),
    ("audience_other", _("autres")),
]


class InstitutionalActivityQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Peers see the activities they took part in; coordinators and directors their
        organisation's; everyone else none."""
        if membership is None:
            return self.none()
        own = self.filter(organisation_id=membership.organisation_id)
        if membership.role in (Role.COORDINATOR, Role.DIRECTOR):
            return own
        if membership.role == Role.PEER:
            through = InstitutionalActivity.peers.through
            return own.filter(
                Exists(
                    through.objects.filter(
                        institutionalactivity_id=OuterRef("pk"),
                        peerworker__user_id=membership.user_id,
                    )
                )
            )
        return self.none()


class InstitutionalActivity(models.Model):
    class Kind(models.TextChoices):
        AWARENESS = "sensibilisation", _("sensibilisation / formation d'une équipe")
        CROSS_TRAINING = "formation_croisee", _("formation croisée usagers–professionnels")
        INSTANCE = "instance", _("participation à une instance")
        TEAM_MEETING = "reunion_equipe", _("réunion d'équipe / synthèse")
        TEACHING = "enseignement", _("enseignement en IFSI ou à l'université")
        DESTIGMATISATION = "destigmatisation", _("action publique de déstigmatisation")
        WORKING_GROUP = "groupe_travail", _("groupe de travail projet d'établissement ou QVT")

    class Instance(models.TextChoices):
        CDU = "cdu", _("CDU (commission des usagers)")
        CLSM = "clsm", _("CLSM (conseil local de santé mentale)")
        EVALUATION = "evaluation", _("commission d'évaluation")
        ETHICS = "ethique", _("comité d'éthique")
        CERTIFICATION = "certification", _("démarche de certification")
        OTHER = "autre", _("autre instance")

    organisation = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        related_name="institutional_activities",
    )
    kind = models.CharField(_("type d'action"), max_length=20, choices=Kind.choices)
    instance = models.CharField(_("instance"), max_length=20, choices=Instance.choices, blank=True)
    title = models.CharField(_("intitulé"), max_length=150)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    peers = models.ManyToManyField(
        "workforce.PeerWorker",
        related_name="institutional_activities",
        verbose_name=_("pairs impliqué·es"),
    )
    audience_nurses = models.PositiveIntegerField(_("infirmier·es"), default=0)
    audience_doctors = models.PositiveIntegerField(_("médecins"), default=0)
    audience_psychologists = models.PositiveIntegerField(_("psychologues"), default=0)
    audience_social_workers = models.PositiveIntegerField(
        _("travailleur·ses sociaux·ales"), default=0
    )
    audience_managers = models.PositiveIntegerField(_("cadres"), default=0)
    audience_students = models.PositiveIntegerField(_("étudiant·es"), default=0)
    audience_other = models.PositiveIntegerField(_("autres"), default=0)
    # Cross-training only: both halves of the room.
    lived_experience_count = models.PositiveIntegerField(
        _("personnes concernées (savoir expérientiel)"), null=True, blank=True
    )
    professionals_count = models.PositiveIntegerField(_("professionnel·les"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InstitutionalActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("action institutionnelle")
        verbose_name_plural = _("actions institutionnelles")
        indexes = [models.Index(fields=["organisation", "-date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="institutional_activity_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="instance", instance__gt="")
                | (~Q(kind="instance") & Q(instance="")),
                name="institutional_activity_instance_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="formation_croisee")
                | (Q(lived_experience_count__isnull=True) & Q(professionals_count__isnull=True)),
                name="institutional_activity_cross_counts_only_for_cross_training",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def audience_total(self) -> int:
        return sum(getattr(self, name) for name, _label in AUDIENCE_FIELDS)

    def audience_rows(self):
        """[(label, count)] of the professions present."""
        return [
            (label, getattr(self, name)) for name, label in AUDIENCE_FIELDS if getattr(self, name)
        ]

    @property
    def kind_label(self) -> str:
        if self.kind == self.Kind.INSTANCE and self.instance:
            return f"{self.get_kind_display()} : {self.get_instance_display()}"
        return self.get_kind_display()
