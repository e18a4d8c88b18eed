"""Groups (mutual-aid groups, workshops, talking groups…) and their sessions.

Attendance is an anonymous headcount by default. Persons may also be named, but only persons
of the same organisation whose *accompaniment record* consent is in force (their taking part
in a group becomes part of their record), and a name is only ever shown to someone who may
see that person (``Person.objects.visible_to``). See docs/missions.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import Role

MAX_DURATION_MINUTES = 12 * 60


class GroupQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Peers and professionals see the groups they co-facilitate, coordinators and
        directors all the groups of their organisation (directors without named attendance,
        which ``Person.visible_to`` already hides from them); observers and admins none."""
        if membership is None:
            return self.none()
        own = self.filter(organisation_id=membership.organisation_id)
        if membership.role in (Role.COORDINATOR, Role.DIRECTOR):
            return own
        if membership.role == Role.PEER:
            through = Group.peer_facilitators.through
            return own.filter(
                Exists(
                    through.objects.filter(
                        group_id=OuterRef("pk"), peerworker__user_id=membership.user_id
                    )
                )
            )
        if membership.role == Role.PROFESSIONAL:
            through = Group.professional_facilitators.through
            return own.filter(
                Exists(through.objects.filter(group_id=OuterRef("pk"), membership_id=membership.pk))
            )
        return self.none()


class Group(models.Model):
    class Kind(models.TextChoices):
        MUTUAL_AID = "entraide", _("groupe d'entraide")
        THEMATIC_WORKSHOP = "atelier", _("atelier thématique")
        TALKING_GROUP = "parole", _("groupe de parole")
        PEER_MEDIATION = "mediation", _("médiation par les pairs")
        PSYCHOEDUCATION = "psychoeducation", _("psychoéducation co-animée")
        OTHER = "autre", _("autre")

    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="peer_groups"
    )
    name = models.CharField(_("nom du groupe"), max_length=120)
    kind = models.CharField(_("type de groupe"), max_length=20, choices=Kind.choices)
    facility = models.ForeignKey(
        "territory.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="peer_groups",
        verbose_name=_("dispositif"),
    )
    community_place = models.CharField(
        _("lieu dans la cité"),
        max_length=150,
        blank=True,
        help_text=_("Si le groupe a lieu hors d'un dispositif : GEM, maison de quartier…"),
    )
    peer_facilitators = models.ManyToManyField(
        "workforce.PeerWorker",
        related_name="facilitated_groups",
        verbose_name=_("pairs co-animateur·rices"),
    )
    professional_facilitators = models.ManyToManyField(
        "accounts.Membership",
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("professionnel·les co-animateur·rices"),
    )
    is_open = models.BooleanField(
        _("groupe ouvert"),
        default=True,
        help_text=_("Ouvert : chacun·e peut venir à chaque séance. Fermé : participants fixés."),
    )
    usual_schedule = models.CharField(
        _("horaire habituel"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple : le mardi de 14 h à 16 h"),
    )
    starts_on = models.DateField(_("début du cycle"), null=True, blank=True)
    ends_on = models.DateField(_("fin du cycle"), null=True, blank=True)
    is_active = models.BooleanField(_("en activité"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "name"]
        verbose_name = _("groupe")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="group_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def place(self) -> str:
        return str(self.facility) if self.facility_id else self.community_place


class GroupSessionQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(group__in=Group.objects.visible_to(membership))


class GroupSession(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    theme = models.CharField(_("thème"), max_length=150, blank=True)
    peers_present = models.ManyToManyField(
        "workforce.PeerWorker",
        blank=True,
        related_name="group_sessions",
        verbose_name=_("pairs présent·es"),
    )
    professionals_present = models.ManyToManyField(
        "accounts.Membership",
        blank=True,
        related_name="group_sessions",
        verbose_name=_("professionnel·les présent·es"),
    )
    # Total number of participants, always recorded: the only figure directors and the
    # observatory ever see.
    headcount = models.PositiveSmallIntegerField(_("nombre de participant·es"))
    # Optional, a subset of the headcount: registered persons who consented to their record.
    attendees = models.ManyToManyField(
        "accompaniment.Person",
        blank=True,
        related_name="group_sessions",
        verbose_name=_("participant·es nommé·es"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("séance de groupe")
        indexes = [models.Index(fields=["group", "-date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="group_session_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(headcount__gte=0), name="group_session_headcount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.group} – {self.date:%d/%m/%Y}"
