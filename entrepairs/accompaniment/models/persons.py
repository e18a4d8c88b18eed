"""Persons, their consents by purpose, accompaniment episodes and encounters."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import Role


class ConsentPurpose(models.TextChoices):
    RECORD = "record", _("tenue du dossier d'accompagnement")
    TEAM_SHARING = "team_sharing", _("partage avec l'équipe de soins")
    EVALUATION = "evaluation", _("participation à l'évaluation")
    CONTACT = "contact", _("être contacté·e")


class PersonQuerySet(models.QuerySet):
    @staticmethod
    def _latest_decision(purpose):
        return Subquery(
            Consent.objects.filter(person=OuterRef("pk"), purpose=purpose)
            .order_by("-recorded_at", "-pk")
            .values("given")[:1]
        )

    def with_consent(self, purpose):
        """Persons whose latest consent decision for ``purpose`` is 'given'."""
        return self.alias(**{f"consent_{purpose}": self._latest_decision(purpose)}).filter(
            **{f"consent_{purpose}": True}
        )

    def annotate_consent(self, purpose, name):
        """Add ``name``: True/False/None, the decision in force for ``purpose`` (one subquery)."""
        return self.annotate(**{name: self._latest_decision(purpose)})

    def active(self):
        """Persons not anonymised (anonymised persons leave every list)."""
        return self.filter(anonymised_at__isnull=True)

    def with_open_record(self):
        """Persons whose record may still grow: the "record" consent is in force. Without it
        the record is frozen (read-only, docs/accompagnement.md)."""
        return self.with_consent(ConsentPurpose.RECORD)

    def evaluable(self):
        """Persons who may be invited to a follow-up questionnaire right now: not anonymised,
        evaluation consent in force, and a record that may still grow (a linked answer is
        added to it). Answers already given are used while the evaluation consent alone
        holds (``LinkedResponse.objects.in_use()``)."""
        return self.active().with_consent(ConsentPurpose.EVALUATION).with_open_record()

    def visible_to(self, membership):
        """Who may see which person (DESIGN.md): peers the persons they accompany, professionals
        the persons of their facilities who consented to team sharing, coordinators the whole
        organisation; directors, observers and admins no person."""
        if membership is None:
            return self.none()
        own = self.filter(organisation_id=membership.organisation_id, anonymised_at__isnull=True)
        if membership.role == Role.COORDINATOR:
            return own
        if membership.role == Role.PEER:
            accompanied = Accompaniment.peers.through.objects.filter(
                accompaniment__person=OuterRef("pk"), peerworker__user_id=membership.user_id
            )
            return own.filter(Exists(accompanied))
        if membership.role == Role.PROFESSIONAL:
            in_facilities = Accompaniment.objects.filter(
                person=OuterRef("pk"),
                facility__in=membership.facilities.values("pk"),
            )
            return own.filter(Exists(in_facilities)).with_consent(ConsentPurpose.TEAM_SHARING)
        return self.none()


# The reference given to the DIM (medical information department) to match hospital stays:
# "EP-000042-K", made to be copied: a prefix, the record number on six digits, and a check
# letter that catches a mistyped or swapped digit (no I or O, which read as 1 and 0).
REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _check_letter(number: int) -> str:
    digits = str(number)
    total = sum((i + 2) * int(d) for i, d in enumerate(reversed(digits)))
    return REFERENCE_LETTERS[total % 23]


def person_reference(pk: int) -> str:
    return f"EP-{pk:06d}-{_check_letter(pk)}"


def parse_person_reference(text: str) -> int | None:
    """The record number in a reference ("EP-000042-K", case, spaces and dashes free), or
    in the plain number of the files made before references existed; None if unreadable or
    if its check letter does not match."""
    compact = "".join(ch for ch in str(text).upper() if ch.isalnum())
    if compact.isdigit() and compact.isascii():
        number = int(compact)
        return number if 1 <= number < 2**63 else None
    if not (compact.startswith("EP") and len(compact) >= 4):
        return None
    digits, letter = compact[2:-1], compact[-1]
    if not (digits.isdigit() and digits.isascii()) or len(digits) > 18:
        return None
    number = int(digits)
    if number < 1 or _check_letter(number) != letter:
        return None
    return number


class Person(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "F", _("femme")
        MAN = "M", _("homme")
        OTHER = "X", _("autre / ne se prononce pas")

    class Origin(models.TextChoices):
        CMP = "cmp", _("orienté·e par un CMP")
        HOSPITAL_UNIT = "hospital_unit", _("orienté·e par une unité d'hospitalisation")
        SELF = "self", _("venu·e de lui-même / d'elle-même")
        FAMILY = "family", _("orienté·e par un proche")
        ASSOCIATION = "association", _("orienté·e par une association")
        OTHER = "other", _("autre")

    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="persons"
    )
    alias = models.CharField(_("pseudonyme"), max_length=60)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"))
    gender = models.CharField(_("genre"), max_length=1, choices=Gender.choices, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("commune"),
    )
    origin = models.CharField(
        _("comment la personne est arrivée"), max_length=20, choices=Origin.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Shown only while the "contact" consent is in force; erased at anonymisation.
    contact = models.CharField(
        _("moyen de contact"),
        max_length=80,
        blank=True,
        help_text=_("Téléphone ou e-mail, seulement si la personne accepte d'être contactée."),
    )
    # Date of the latest encounter, review, referral or episode start: orders "my persons"
    # and drives the retention command. Kept up to date by the views that record activity.
    last_activity_on = models.DateField(_("dernière activité"), null=True, blank=True)
    # Closure + anonymisation: alias and notes erased, counts kept for statistics.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["alias"]
        verbose_name = _("personne accompagnée")
        verbose_name_plural = _("personnes accompagnées")
        indexes = [
            models.Index(fields=["organisation", "alias", "birth_year"]),
            models.Index(
                fields=["organisation", "-last_activity_on", "alias"], name="person_org_activity"
            ),
        ]

    def __str__(self):
        return self.alias

    @property
    def reference(self) -> str:
        """The reference to copy for the DIM (``person_reference``)."""
        return person_reference(self.pk)

    def current_consents(self) -> dict:
        """{purpose: latest Consent or None}; uses prefetched ``consents`` when present."""
        if "consents" in getattr(self, "_prefetched_objects_cache", {}):
            rows = sorted(self.consents.all(), key=lambda c: (c.recorded_at, c.pk), reverse=True)
        else:
            rows = list(self.consents.order_by("-recorded_at", "-pk"))
        current = {purpose: None for purpose in ConsentPurpose.values}
        for consent in rows:
            if current.get(consent.purpose) is None:
                current[consent.purpose] = consent
        return current

    def has_consent(self, purpose) -> bool:
        """True when the latest decision for ``purpose`` gives consent (withdrawal is immediate)."""
        consent = self.current_consents().get(purpose)
        return bool(consent and consent.given)

    @property
    def record_is_open(self) -> bool:
        """False once the "record" consent is withdrawn: nothing may be added, changed or
        deleted in the record any more (it stays readable and exportable)."""
        return self.has_consent(ConsentPurpose.RECORD)

    def record_withdrawal(self):
        """The decision in force that withdrew the "record" consent, or None."""
        consent = self.current_consents().get(ConsentPurpose.RECORD)
        return consent if consent is not None and not consent.given else None

    @property
    def visible_contact(self) -> str:
        """The contact details, only while the person agrees to be contacted."""
        return self.contact if self.has_consent(ConsentPurpose.CONTACT) else ""

    def touch(self, day: datetime.date) -> None:
        """Move ``last_activity_on`` forward to ``day`` (never backwards)."""
        Person.objects.filter(pk=self.pk).filter(
            Q(last_activity_on__isnull=True) | Q(last_activity_on__lt=day)
        ).update(last_activity_on=day)
        if self.last_activity_on is None or self.last_activity_on < day:
            self.last_activity_on = day


class Consent(models.Model):
    """One decision (given or withdrawn) for one purpose. The latest decision is in force;
    earlier rows are the history and are never changed."""

    class Means(models.TextChoices):
        ORAL = "oral", _("oral")
        WRITTEN = "written", _("écrit")
        PERSON_SPACE = "person_space", _("depuis l'espace personnel")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalité"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("donné"))
    means = models.CharField(_("recueilli"), max_length=20, choices=Means.choices)
    # The date the person expressed the decision; ``recorded_at`` (entry time) decides which
    # decision is in force, so a withdrawal takes effect the moment it is entered.
    decided_on = models.DateField(_("date de la décision"), default=timezone.localdate)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} : {'donné' if self.given else 'retiré'}"

    @classmethod
    def decide(cls, person, purpose, given, means, *, decided_on=None, recorded_by=None):
        """Record a decision, in force as soon as the transaction commits.

        The person's row is locked first (``SELECT … FOR UPDATE``, a no-op on SQLite where
        writers are serialised anyway): every write that depends on a consent takes the same
        lock and checks the consent after it (``lock_open_record``), so a write and a
        withdrawal cannot cross; the write either lands before the withdrawal or is refused.
        """
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()
            return cls.objects.create(
                person=person,
                purpose=purpose,
                given=given,
                means=means,
                decided_on=decided_on or timezone.localdate(),
                recorded_by=recorded_by,
            )

    @classmethod
    def current_given(cls, purpose):
        """Consent rows that are the latest decision for their person and purpose and give it."""
        newer = cls.objects.filter(person=OuterRef("person"), purpose=purpose).filter(
            Q(recorded_at__gt=OuterRef("recorded_at"))
            | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
        )
        return cls.objects.filter(purpose=purpose, given=True).exclude(Exists(newer))


class AccompanimentQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(person__in=Person.objects.visible_to(membership))

    def open_on(self, day):
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)


class Accompaniment(models.Model):
    class Setting(models.TextChoices):
        HOSPITAL_UNIT = "hospital_unit", _("unité d'hospitalisation")
        CMP = "cmp", _("CMP")
        DAY_HOSPITAL = "day_hospital", _("hôpital de jour")
        COMMUNITY = "community", _("dans la cité")
        HOME = "home", _("à domicile")

    class EndReason(models.TextChoices):
        GOALS_MET = "goals_met", _("objectifs atteints")
        PERSON_CHOICE = "person_choice", _("choix de la personne")
        MOVED = "moved", _("déménagement")
        LOST_CONTACT = "lost_contact", _("perte de contact")
        OTHER = "other", _("autre")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="accompaniments")
    peers = models.ManyToManyField("workforce.PeerWorker", related_name="accompaniments")
    facility = models.ForeignKey(
        "territory.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accompaniments",
    )
    setting = models.CharField(_("cadre"), max_length=20, choices=Setting.choices)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    end_reason = models.CharField(
        _("motif de fin"), max_length=20, choices=EndReason.choices, blank=True
    )

    objects = AccompanimentQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="accompaniment_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.person} depuis le {self.start:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end is None


class EncounterQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(accompaniment__person__in=Person.objects.visible_to(membership))


class Encounter(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("en présence")
        PHONE = "phone", _("téléphone")
        VIDEO = "video", _("visio")

    class Outcome(models.TextChoices):
        HELD = "held", _("a eu lieu")
        MISSED = "missed", _("personne absente")
        CANCELLED = "cancelled", _("annulée")

    class NoteVisibility(models.TextChoices):
        PRIVATE = "private", _("privée (moi seul·e)")
        TEAM = "team", _("partagée avec l'équipe")

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="encounters"
    )
    peer = models.ForeignKey(
        "workforce.PeerWorker", on_delete=models.PROTECT, related_name="encounters"
    )
    # The person's organisation, copied by save(): the tenant filter of the largest table
    # without joining accompaniment and person ("Mon activité" reads it for every page).
    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    place = models.CharField(_("lieu"), max_length=100, blank=True)
    kinds = models.JSONField(_("nature"), default=list)
    outcome = models.CharField(
        _("déroulement"), max_length=12, choices=Outcome.choices, default=Outcome.HELD
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    note_visibility = models.CharField(
        _("visibilité de la note"),
        max_length=8,
        choices=NoteVisibility.choices,
        default=NoteVisibility.PRIVATE,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Kind(models.TextChoices):
        WELCOME = "accueil", _("accueil")
        SUPPORT = "soutien", _("soutien")
        ORIENTATION = "orientation", _("orientation")
        LIFE_PROJECT = "projet_de_vie", _("projet de vie")
        RELATIVES = "lien_proches", _("lien avec les proches")
        ACCOMPANYING = "accompagnement_physique", _("accompagnement physique à une démarche")

    objects = EncounterQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["peer", "organisation", "-date"], name="encounter_peer_org_date"),
            models.Index(fields=["accompaniment", "-date"], name="encounter_acc_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=720),
                name="encounter_duration_range",
            )
        ]

    def __str__(self):
        return f"Rencontre du {self.date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.organisation_id is None:
            self.organisation_id = self.accompaniment.person.organisation_id
        super().save(*args, **kwargs)

    def note_visible_to(self, membership, team_sharing: bool) -> bool:
        """The note rule of DESIGN.md, in one place.

        A private note is read by its author only (never by a coordinator). A shared note is
        read by the team (professionals, coordinator, co-peers) while the person's consent to
        team sharing is in force; withdrawing it hides every shared note at once.
        """
        if not self.note or membership is None:
            return False
        if membership.role == Role.PEER and self.peer.user_id == membership.user_id:
            return True
        if self.note_visibility != self.NoteVisibility.TEAM or not team_sharing:
            return False
        return membership.role in (Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR)

    def kind_labels(self) -> list[str]:
        labels = dict(self.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]
