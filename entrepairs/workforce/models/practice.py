"""Reflective practice: ethics journal, supervision sessions, cross-mentoring."""

import datetime

from django.db import models
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import MANAGER_ROLES, Role

from .peers import PeerWorker, organisation_q


class SupervisionSessionQuerySet(models.QuerySet):
    def visible_to(self, membership):
        if membership is None:
            return self.none()
        own = self.filter(organisation_id=membership.organisation_id)
        if membership.role in MANAGER_ROLES:
            return own
        if membership.role == Role.PEER:
            return own.filter(participants__user_id=membership.user_id).distinct()
        if membership.role == Role.PROFESSIONAL:
            return own.filter(staff_participants=membership).distinct()
        return self.none()


class SupervisionSession(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individuelle", _("supervision individuelle")
        GROUP = "groupe", _("analyse de la pratique en groupe")
        PEER = "intervision", _("intervision entre pairs")

    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="supervision_sessions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type de séance"), max_length=12, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    facilitator = models.CharField(
        _("animé par (facultatif)"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple un·e psychologue extérieur·e au service."),
    )
    participants = models.ManyToManyField(
        PeerWorker, related_name="supervision_sessions", verbose_name=_("pairs participant·es")
    )
    staff_participants = models.ManyToManyField(
        "accounts.Membership",
        blank=True,
        related_name="supervision_sessions",
        verbose_name=_("autres participant·es de l'équipe"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("séance de supervision")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.date:%d/%m/%Y}"


def with_supervision_status(peers):
    """Annotate peers with their last supervision, their signed charters' frequency and since.

    ``supervision_every_weeks``: the strictest frequency of their fully signed charters;
    ``supervised_since``: when the first one was signed (the clock starts there).
    """
    from .charters import MissionCharter

    signed = MissionCharter.objects.filter(peer=OuterRef("pk"), fully_signed_at__isnull=False)
    return peers.annotate(
        last_supervision=Max("supervision_sessions__date"),
        supervision_every_weeks=Subquery(
            signed.order_by("supervision_every_weeks").values("supervision_every_weeks")[:1]
        ),
        supervised_since=Subquery(signed.order_by("fully_signed_at").values("fully_signed_at")[:1]),
    )


def supervision_overdue_since(peer, today=None):
    """The date the next supervision was due if it is overdue, else None (peer annotated)."""
    weeks = getattr(peer, "supervision_every_weeks", None)
    if not weeks or peer.status == PeerWorker.Status.LEFT:
        return None
    today = today or timezone.localdate()
    start = peer.last_supervision
    if start is None and peer.supervised_since is not None:
        start = timezone.localtime(peer.supervised_since).date()
    if start is None:
        return None
    due = start + datetime.timedelta(weeks=weeks)
    return due if due < today else None


class EthicsJournalEntryQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Private to the author peer; an entry brought to a supervision session is also
        visible to that session's participants, and to nobody else (not the coordinator)."""
        if membership is None or membership.role not in (
            Role.PEER,
            Role.PROFESSIONAL,
            Role.COORDINATOR,
            Role.DIRECTOR,
        ):
            return self.none()
        in_org = organisation_q(membership.organisation_id, "peer__")
        shared = Q(brought_to__participants__user_id=membership.user_id) | Q(
            brought_to__staff_participants=membership
        )
        if membership.role == Role.PEER:
            return self.filter(in_org & (Q(peer__user_id=membership.user_id) | shared)).distinct()
        return self.filter(in_org & shared).distinct()

    def authored_by(self, membership):
        if membership is None or membership.role != Role.PEER:
            return self.none()
        return self.filter(
            organisation_q(membership.organisation_id, "peer__"),
            peer__user_id=membership.user_id,
        )


class EthicsJournalEntry(models.Model):
    peer = models.ForeignKey(PeerWorker, on_delete=models.PROTECT, related_name="journal_entries")
    date = models.DateField(_("date"), default=timezone.localdate)
    situation = models.TextField(
        _("la situation (sans nom ni détail qui permette de reconnaître quelqu'un)"),
        max_length=1500,
    )
    question = models.TextField(_("la question éthique que je me pose"), max_length=1000)
    what_helped = models.TextField(_("ce qui m'a aidé·e"), max_length=1000, blank=True)
    brought_to = models.ForeignKey(
        SupervisionSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_entries",
        verbose_name=_("apporté en supervision"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EthicsJournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("entrée du journal éthique")

    def __str__(self):
        return f"{_('Réflexion du')} {self.date:%d/%m/%Y}"


class MentoringQuerySet(models.QuerySet):
    def active(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def visible_to(self, membership):
        if membership is None:
            return self.none()
        own = self.filter(organisation_id=membership.organisation_id)
        if membership.role in MANAGER_ROLES:
            return own
        if membership.role in (Role.PEER, Role.PROFESSIONAL):
            return own.filter(Q(mentor=membership) | Q(mentee=membership))
        return self.none()


class Mentoring(models.Model):
    """A mentoring pair (compagnonnage, mentorat croisé): the direction follows the roles."""

    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="mentorings"
    )
    mentor = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="mentoring_given",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="mentoring_received",
        verbose_name=_("personne accompagnée dans le mentorat"),
    )
    goals = models.TextField(_("objectifs"), max_length=2000)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MentoringQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("mentorat")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="mentoring_end_after_start",
                violation_error_message=_("La date de fin ne peut pas précéder la date de début."),
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")),
                name="mentoring_two_people",
                violation_error_message=_(
                    "Le mentor et la personne accompagnée doivent être deux personnes différentes."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.mentor.user} → {self.mentee.user}"

    @property
    def direction(self) -> str:
        labels = {
            (Role.PROFESSIONAL, Role.PEER): _("professionnel·le → pair"),
            (Role.PEER, Role.PROFESSIONAL): _("pair → professionnel·le"),
            (Role.PEER, Role.PEER): _("entre pairs"),
        }
        return str(labels.get((self.mentor.role, self.mentee.role), _("autre")))

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.start <= today and (self.end is None or self.end >= today)


class MentoringMeeting(models.Model):
    mentoring = models.ForeignKey(Mentoring, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    topics = models.CharField(_("sujets abordés"), max_length=500)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("rencontre de mentorat")

    def __str__(self):
        return f"{self.mentoring} – {self.date:%d/%m/%Y}"
