"""Instruments and their immutable versions, campaigns, invitations, responses, person space
links and hospital stays.

Anonymity (DESIGN.md principle 6): an ``AnonymousResponse`` holds only organisation,
facility, instrument version, month (1st of the month, no time) and the answers. Its primary
key is a random UUID, nothing points to it, and no invitation, person or timestamp is kept.
It is never written when the invitation is used: the sheet waits, sealed, in
``PendingAnswer`` and reaches ``AnonymousResponse`` in a shuffled batch (``pool.py``).
"""

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.core.roles import OBSERVER_ROLES, Role


class ImmutableVersionError(Exception):
    """A published instrument version cannot change: publish a new version instead."""


class Audience(models.TextChoices):
    PERSON = "person", _("personnes accompagnées")
    PROFESSIONAL = "professional", _("professionnel·les")
    PEER = "peer", _("pairs-aidant·es")
    COORDINATOR = "coordinator", _("coordination du programme")


def token_hash(token: str) -> str:
    """Only this hash of a link token is stored: a database copy gives no working link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


LINK_KEY_SALT = "entrepairs.evaluation.link-token"


def derive_token(nonce: str, secret=None) -> str:
    """The token of a link, computed from its random ``nonce`` (stored) and a key derived
    from the server's SECRET_KEY (never in the database): the same link can be printed
    again, while a copy of the database alone still gives no working link."""
    digest = salted_hmac(LINK_KEY_SALT, nonce, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def new_token() -> tuple[str, str, str]:
    """(token, its hash, its nonce): a fresh link."""
    nonce = secrets.token_hex(16)
    token = derive_token(nonce)
    return token, token_hash(token), nonce


class LinkTokenMixin:
    """For links whose token can be shown again (``nonce``) and checked (``token_hash``)."""

    def reprint_token(self) -> str | None:
        """The token of this link, computed again; None when it cannot be (a link issued
        before links could be re-printed, or a SECRET_KEY retired since)."""
        if not self.nonce:
            return None
        for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
            token = derive_token(self.nonce, secret)
            if hmac.compare_digest(token_hash(token), self.token_hash):
                return token
        return None


def first_of_month(day):
    return day.replace(day=1)


class InstrumentQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Built-in instruments for everyone; imported ones for their organisation (and admins)."""
        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN:
            return self
        return self.filter(Q(organisation__isnull=True) | Q(organisation=membership.organisation))


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("titre"), max_length=200)
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    # Null: built-in, for every organisation. Set: imported by this organisation.
    organisation = models.ForeignKey(
        "territory.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("questionnaire")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="instrument_code"
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=Q(organisation__isnull=False),
                name="instrument_org_code",
            ),
        ]

    def __str__(self):
        return self.title

    def current_version(self):
        return self.versions.filter(published_at__isnull=False).order_by("-published_at").first()


class InstrumentVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(published_at__isnull=False).exists():
            raise ImmutableVersionError("Une version publiée ne peut pas être modifiée.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(published_at__isnull=False).exists():
            raise ImmutableVersionError("Une version publiée ne peut pas être supprimée.")
        return super().delete()

    def visible_to(self, membership):
        return self.filter(instrument__in=Instrument.objects.visible_to(membership))

    def published(self):
        return self.filter(published_at__isnull=False)


class InstrumentVersion(models.Model):
    class Origin(models.TextChoices):
        BUILTIN = "builtin", _("fourni avec Entre Pairs")
        FHIR = "fhir", _("importé (FHIR Questionnaire)")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("version"), max_length=20)
    definition = models.JSONField()
    checksum = models.CharField(max_length=64)
    title = models.CharField(_("titre"), max_length=200)
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    validated = models.BooleanField(_("échelle validée"))
    licence = models.TextField(_("licence"))
    source = models.TextField(_("source"))
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.BUILTIN)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = InstrumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["instrument__title", "-published_at"]
        verbose_name = _("version de questionnaire")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="instrument_version")
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        if not self._state.adding and (
            InstrumentVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists()
        ):
            raise ImmutableVersionError(
                "Une version publiée ne peut pas être modifiée : créez une nouvelle version."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published_at:
            raise ImmutableVersionError("Une version publiée ne peut pas être supprimée.")
        return super().delete(*args, **kwargs)

    @property
    def items(self):
        return self.definition["items"]


def closed_campaign_q(prefix: str = "") -> Q:
    """Campaigns that take no more answers: closed by hand, or past their closing date."""
    return Q(**{f"{prefix}closed_at__isnull": False}) | Q(
        **{f"{prefix}closes_on__lt": timezone.localdate()}
    )


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, membership):
        if membership is None or membership.role not in (Role.COORDINATOR, Role.PEER):
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def closed(self):
        return self.filter(closed_campaign_q())


class Campaign(models.Model):
    class Mode(models.TextChoices):
        LINKED = "linked", _("suivi avant / après (personne identifiée, avec son accord)")
        ANONYMOUS = "anonymous", _("anonyme")

    class Timepoint(models.TextChoices):
        START = "start", _("au début de l'accompagnement")
        MONTHS = "months", _("après quelques mois")
        END = "end", _("à la fin de l'accompagnement")
        ONCE = "once", _("une seule fois")
        YEARLY = "yearly", _("chaque année")

    PERSON_TIMEPOINTS = (Timepoint.START, Timepoint.MONTHS, Timepoint.END)
    TEAM_TIMEPOINTS = (Timepoint.ONCE, Timepoint.YEARLY)

    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="campaigns"
    )
    facility = models.ForeignKey(
        "territory.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("dispositif"),
        help_text=_("Laissez vide pour tout l'établissement."),
    )
    title = models.CharField(_("titre"), max_length=200)
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, verbose_name=_("questionnaire")
    )
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    timepoints = models.JSONField(_("moments"), default=list)
    months_after = models.PositiveSmallIntegerField(
        _("nombre de mois après le début"), null=True, blank=True
    )
    link_validity_days = models.PositiveSmallIntegerField(
        _("durée de validité des liens (jours)"), default=30
    )
    opens_on = models.DateField(_("ouverture"), default=timezone.localdate)
    closes_on = models.DateField(_("clôture"), null=True, blank=True)
    # Set when a coordinator closes the campaign by hand, before or after ``closes_on``.
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("campagne")

    def __str__(self):
        return self.title

    @property
    def is_linked(self):
        return self.mode == self.Mode.LINKED

    @property
    def is_closed(self):
        """No more answers: closed by hand, or its closing date has passed."""
        return self.closed_at is not None or bool(
            self.closes_on and self.closes_on < timezone.localdate()
        )

    def timepoint_labels(self):
        labels = dict(self.Timepoint.choices)
        out = []
        for code in self.timepoints:
            label = str(labels.get(code, code))
            if code == self.Timepoint.MONTHS and self.months_after:
                label = _("%(n)s mois après le début") % {"n": self.months_after}
            out.append(label)
        return out


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Invitations that can still be answered."""
        return self.filter(
            is_used=False, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).exclude(closed_campaign_q("campaign__"))

    def visible_to(self, membership):
        campaigns = Campaign.objects.visible_to(membership)
        qs = self.filter(campaign__in=campaigns)
        if membership is not None and membership.role == Role.PEER:
            persons = Person.objects.visible_to(membership)
            qs = qs.filter(Q(person__isnull=True) | Q(person__in=persons))
        return qs


class Invitation(LinkTokenMixin, models.Model):
    """A single-use link to answer one campaign. Only a hash of its token is kept, with the
    nonce from which the server (and only it: the key is not in the database) computes the
    token again to re-print the sheet.

    Linked invitations name the person (and accompaniment); anonymous ones name nobody.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    accompaniment = models.ForeignKey(
        "accompaniment.Accompaniment", null=True, blank=True, on_delete=models.CASCADE
    )
    facility = models.ForeignKey(
        "territory.Facility", null=True, blank=True, on_delete=models.PROTECT
    )
    timepoint = models.CharField(max_length=10)
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=32, blank=True, default="")
    # The invitations issued together, printed (and re-printed) on one sheet.
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    expires_at = models.DateTimeField()
    is_used = models.BooleanField(default=False)
    # Set when someone withdraws the link on purpose: it then says so, and opens nothing.
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(accompaniment__isnull=True),
                name="invitation_accompaniment_needs_person",
            )
        ]

    def __str__(self):
        return f"Invitation {self.pk}"

    @classmethod
    def issue(cls, campaign, *, created_by=None, **fields) -> tuple["Invitation", str]:
        """Create an invitation and return it with its token, which is never stored."""
        token, digest, nonce = new_token()
        invitation = cls.objects.create(
            campaign=campaign,
            token_hash=digest,
            nonce=nonce,
            expires_at=timezone.now() + timedelta(days=campaign.link_validity_days),
            created_by=created_by,
            **fields,
        )
        return invitation, token

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class LinkedResponseQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(person__in=Person.objects.visible_to(membership))

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def in_use(self):
        """Completed answers that evaluation may use right now: their person's evaluation
        consent is in force. Every export, count and result reads through this, so that a
        withdrawal takes the answers out of all of them at once (they are kept, unused,
        until the person's anonymisation; a consent given again brings them back)."""
        return self.completed().filter(
            person__in=Person.objects.with_consent(ConsentPurpose.EVALUATION)
        )


class LinkedResponse(models.Model):
    """Answers of a consenting person, kept with the person for a before/after follow-up.

    While ``completed_at`` is empty it is the draft of the invitation (saved at each step).
    """

    invitation = models.OneToOneField(
        Invitation, null=True, on_delete=models.SET_NULL, related_name="linked_response"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="responses")
    accompaniment = models.ForeignKey(
        "accompaniment.Accompaniment", null=True, blank=True, on_delete=models.CASCADE
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    organisation = models.ForeignKey("territory.Organisation", on_delete=models.PROTECT)
    facility = models.ForeignKey(
        "territory.Facility", null=True, blank=True, on_delete=models.PROTECT
    )
    instrument_version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT)
    timepoint = models.CharField(max_length=10)
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = LinkedResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at", "-pk"]

    def __str__(self):
        return f"Réponse {self.pk}"


class AnonymousResponse(models.Model):
    """One anonymous answer sheet. Nothing else may be added here: see the anonymity test."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("territory.Organisation", on_delete=models.PROTECT)
    facility = models.ForeignKey(
        "territory.Facility", null=True, blank=True, on_delete=models.PROTECT
    )
    instrument_version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT)
    month = models.DateField()  # always the 1st of the month
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)

    class Meta:
        # Never ordered by anything that follows the order of arrival.
        ordering = ["month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__day=1), name="anonymous_response_month_first_day"
            )
        ]

    def __str__(self):
        return f"Réponse anonyme {self.month:%m/%Y}"


class PendingAnswer(models.Model):
    """An anonymous answer sheet waiting for its batch (see ``pool.py``).

    It is written in the transaction that uses the invitation, so PostgreSQL gives both rows
    the same ``xmin``: the sheet is therefore sealed (AES-GCM, key derived from SECRET_KEY,
    which the database does not hold) and padded, and it carries no time. It leaves this
    table when its batch is written, shuffled, into ``AnonymousResponse``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(
        "territory.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("réponse anonyme en attente de son lot")

    def __str__(self):
        return "Réponse anonyme en attente"


class PersonSpaceLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PersonSpaceLink(LinkTokenMixin, models.Model):
    """A personal magic link to the person's own space. Only a hash of its token is kept,
    with the nonce from which the server computes it again to re-print it."""

    VALIDITY_DAYS = 90

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="space_links")
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=32, blank=True, default="")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PersonSpaceLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Lien espace personnel {self.pk}"

    @classmethod
    def issue(cls, person, created_by=None) -> tuple["PersonSpaceLink", str]:
        """A new link for ``person``; earlier links stop working at once."""
        cls.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token, digest, nonce = new_token()
        link = cls.objects.create(
            person=person,
            token_hash=digest,
            nonce=nonce,
            expires_at=timezone.now() + timedelta(days=cls.VALIDITY_DAYS),
            created_by=created_by,
        )
        return link, token


class LegalMode(models.TextChoices):
    FREE = "SL", _("soins libres")
    THIRD_PARTY = "SDT", _("soins à la demande d'un tiers")
    IMMINENT_PERIL = "SPI", _("soins pour péril imminent")
    STATE = "SDRE", _("soins sur décision du représentant de l'État")
    JUSTICE = "DJ", _("décision de justice")


class HospitalStayQuerySet(models.QuerySet):
    def visible_to(self, membership):
        if membership is None or membership.role != Role.COORDINATOR:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class HospitalStay(models.Model):
    """A full-time psychiatric stay, imported from the DIM's CSV (complete extract)."""

    organisation = models.ForeignKey("territory.Organisation", on_delete=models.PROTECT)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hospital_stays")
    admission = models.DateField(_("entrée"))
    discharge = models.DateField(_("sortie"))
    legal_mode = models.CharField(_("mode légal"), max_length=5, choices=LegalMode.choices)
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = HospitalStayQuerySet.as_manager()

    class Meta:
        ordering = ["person", "admission"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharge__gte=models.F("admission")), name="stay_discharge_after"
            )
        ]

    def __str__(self):
        return f"Séjour du {self.admission:%d/%m/%Y}"


def can_see_outcomes_of_other_organisations(membership) -> bool:
    return membership is not None and membership.role in OBSERVER_ROLES
