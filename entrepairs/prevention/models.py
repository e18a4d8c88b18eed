"""Plan de prévention partagé (psychiatric advance statement) written by the person with
their peer, signed by the person, shared by the person's choice, recipient by recipient.

- ``PreventionPlan``: one per person; holds the plan's data key (wrapped, see ``crypto``)
  and the changes the person prepares for the next meeting.
- ``PlanVersion``: the sections in the person's words. A draft is edited freely; once
  signed by the person it never changes (model guard here, database trigger in migration
  0002); a new signed version replaces it; the person may revoke the version in force.
- ``TrustedPerson``: the personne de confiance of a version (CSP art. L1111-6), with the
  designated person's agreement.
- ``Recipient``: one person or team the person chose to share the plan with. It is a consent
  of its own: withdrawn at once, never given back (a new recipient is added instead). It
  reads through a link of its own (only a hash of the token is stored, with the nonce the
  server computes it again from, so the same link can be printed again) or a printed copy.
- ``RetiredLink``: the hash of a recipient's link that was replaced or withdrawn, so that it
  keeps saying so (it opens nothing).
- ``ReadRecord``: every read of the content by someone else than the person, shown to the
  person; ``CrisisRecord``: the plan consulted in a crisis, and whether the wishes were
  respected; ``PsychiatristComment``: agreement or reasoned disagreement on a signed version.

Everything written is encrypted with the plan's key; dates and categories stay in clear for
the outcomes (never the content).
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from entrepairs.accompaniment.models import Person

from .crypto import PlanBox, new_wrapped_key


class ImmutableVersionError(Exception):
    """A signed version cannot change: start a new version instead."""


class StaleDraftError(Exception):
    """Someone saved the draft since this form was displayed."""


def token_hash(token: str) -> str:
    """Only this hash of a recipient's link is stored: a database copy opens nothing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


LINK_KEY_SALT = "entrepairs.prevention.recipient-link"


def derive_token(nonce: str, secret=None) -> str:
    """The token of a recipient's link, computed from its random ``nonce`` (stored) and a key
    derived from the server's SECRET_KEY (never in the database): the same link can be shown
    and printed again, while a copy of the database alone still opens no plan."""
    digest = salted_hmac(LINK_KEY_SALT, nonce, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def new_token() -> tuple[str, str, str]:
    """(token, its hash, its nonce): a fresh link."""
    nonce = secrets.token_hex(16)
    token = derive_token(nonce)
    return token, token_hash(token), nonce


# The sections of a plan, in order: (code, title for the person, help with examples).
SECTIONS = [
    (
        "keeps_well",
        _("Ce qui m'aide à aller bien"),
        _("Par exemple : « marcher le matin », « voir ma sœur le dimanche », « dormir 8 heures »."),
    ),
    (
        "early_signs",
        _("Les premiers signes que ça ne va pas"),
        _("Par exemple : « je dors moins de 4 heures », « je ne réponds plus au téléphone »."),
    ),
    (
        "triggers",
        _("Ce qui peut déclencher une crise"),
        _("Par exemple : « un conflit au travail », « l'anniversaire d'un deuil »."),
    ),
    (
        "what_helps",
        _("Ce qui m'aide quand ça va mal"),
        _("Par exemple : « qu'on me parle calmement », « être dans une pièce sans bruit »."),
    ),
    (
        "what_does_not_help",
        _("Ce qui ne m'aide pas"),
        _("Par exemple : « qu'on crie », « qu'on me touche sans prévenir »."),
    ),
    (
        "treatments_accepted",
        _("Les traitements que j'accepte"),
        _("Par exemple : « tel médicament, à petite dose, m'a aidé en 2021 »."),
    ),
    (
        "treatments_refused",
        _("Les traitements que je refuse, et pourquoi"),
        _("Par exemple : « pas tel médicament : j'ai pris 15 kilos » (dites pourquoi)."),
    ),
    (
        "hospital_wishes",
        _("Où je voudrais être hospitalisé·e, ou pas"),
        _("Par exemple : « plutôt à la clinique X », « pas dans l'unité Y », « chambre seule »."),
    ),
    (
        "staff_should_know",
        _("Ce que je veux que l'équipe sache"),
        _("Par exemple : « j'ai peur du noir », « je suis croyant·e », « je parle mal anglais »."),
    ),
    (
        "contact_people",
        _("Les personnes à prévenir"),
        _("Par exemple : « ma sœur Julie, 06 12 34 56 78 », « mon médecin traitant »."),
    ),
    (
        "do_not_contact",
        _("Les personnes à ne pas prévenir"),
        _("Par exemple : « mon ancien compagnon », « mon employeur »."),
    ),
    (
        "practical",
        _("Les questions pratiques"),
        _(
            "Enfants, animaux, logement, travail, argent. Par exemple : « ma voisine garde mon "
            "chat, elle a un double des clés », « prévenir mon employeur par mail »."
        ),
    ),
    (
        "other_wishes",
        _("Mes autres souhaits"),
        _("Par exemple : « garder mon téléphone », « qu'on m'explique chaque décision »."),
    ),
]
SECTION_CODES = [code for code, _title, _help in SECTIONS]
SECTION_MAX_LENGTH = 600
# What the pocket card says besides "a plan exists": whom to call, chosen by the person.
CARD_FIELDS = ("card_contact_name", "card_contact_phone")


class SignatureMeans(models.TextChoices):
    IN_PERSON = "in_person", _("en présence, avec son ou sa pair-aidant·e")
    PERSON_SPACE = "person_space", _("depuis son espace personnel")


class PreventionPlanQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Plans of the persons the membership may see (``Person.visible_to``). Seeing a plan
        is seeing that it exists and its dates; reading its content is ``can_read_content``."""
        return self.filter(person__in=Person.objects.visible_to(membership))


class PreventionPlan(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="prevention_plan")
    # The person's organisation, copied at creation: the tenant filter of the outcomes.
    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    # The plan's data key, wrapped by the master keys (never the key itself). Emptied at
    # anonymisation: every text of the plan then becomes unreadable.
    wrapped_key = models.TextField(editable=False)
    # What the person wants to change at the next meeting (encrypted), from their space.
    person_notes = models.TextField(blank=True, editable=False)
    person_notes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PreventionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan de prévention partagé")
        verbose_name_plural = _("plans de prévention partagés")

    def __str__(self):
        return f"Plan de prévention {self.pk}"

    @classmethod
    def start_for(cls, person, user=None) -> "PreventionPlan":
        return cls.objects.create(
            person=person,
            organisation_id=person.organisation_id,
            wrapped_key=new_wrapped_key(),
            created_by=user,
        )

    @property
    def box(self) -> PlanBox:
        if not hasattr(self, "_box"):
            self._box = PlanBox(self.wrapped_key)
        return self._box

    @property
    def is_erased(self) -> bool:
        return not self.wrapped_key

    def versions_list(self) -> list["PlanVersion"]:
        if not hasattr(self, "_versions"):
            self._versions = list(self.versions.order_by("number"))
        return self._versions

    @property
    def draft(self) -> "PlanVersion | None":
        return next((v for v in self.versions_list() if not v.is_signed), None)

    @property
    def latest_signed(self) -> "PlanVersion | None":
        signed = [v for v in self.versions_list() if v.is_signed]
        return signed[-1] if signed else None

    @property
    def in_force(self) -> "PlanVersion | None":
        """The latest signed version unless the person revoked it (an older one never comes
        back: a new version replaced it)."""
        latest = self.latest_signed
        return latest if latest and not latest.is_revoked else None

    @property
    def first_signed_at(self):
        signed = [v.signed_at for v in self.versions_list() if v.is_signed]
        return min(signed) if signed else None

    def notes_text(self) -> str:
        return self.box.decrypt(self.person_notes)


class PlanVersionQuerySet(models.QuerySet):
    # The only columns a signed version may still change: its revocation, once.
    REVOCATION_FIELDS = frozenset({"revoked_at", "revoked_means", "revoked_by"})

    def update(self, **kwargs):
        changing = set(kwargs) - self.REVOCATION_FIELDS
        erasing = changing == {"content"} and kwargs["content"] == ""
        if changing and not erasing and self.filter(signed_at__isnull=False).exists():
            raise ImmutableVersionError("Une version signée ne peut pas être modifiée.")
        return super().update(**kwargs)

    def visible_to(self, membership):
        return self.filter(plan__in=PreventionPlan.objects.visible_to(membership))

    def signed(self):
        return self.filter(signed_at__isnull=False)


class PlanVersion(models.Model):
    plan = models.ForeignKey(PreventionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    # The sections, as encrypted JSON {code: text}. Never readable in the database.
    content = models.TextField(blank=True, editable=False)
    # Optimistic lock of the draft: every save sends the revision it was read at.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    signed_means = models.CharField(max_length=20, choices=SignatureMeans.choices, blank=True)
    # The peer who recorded a signature given in person (empty when signed from the space).
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_means = models.CharField(max_length=20, choices=SignatureMeans.choices, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(signed_at__isnull=True),
                name="planversion_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(signed_at__isnull=False),
                name="planversion_revoked_needs_signed",
            ),
        ]

    def __str__(self):
        return f"Version {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding and (
            PlanVersion.objects.filter(pk=self.pk, signed_at__isnull=False).exists()
        ):
            raise ImmutableVersionError(
                "Une version signée ne peut pas être modifiée : commencez une nouvelle version."
            )
        super().save(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def sections(self) -> dict:
        """{code: text} of every section (empty ones included), decrypted."""
        stored = self.plan.box.decrypt_json(self.content)
        return {code: stored.get(code, "") for code in [*SECTION_CODES, *CARD_FIELDS]}

    def filled_sections(self) -> list[dict]:
        """The sections the person wrote, with their titles, for reading pages and PDFs."""
        texts = self.sections()
        return [
            {"code": code, "title": title, "text": texts[code]}
            for code, title, _help in SECTIONS
            if texts.get(code)
        ]

    def is_empty(self) -> bool:
        texts = self.sections()
        has_text = any(texts.get(code) for code in SECTION_CODES)
        return not has_text and not TrustedPerson.objects.filter(version=self).exists()

    def trusted_person_or_none(self) -> "TrustedPerson | None":
        return TrustedPerson.objects.filter(version=self).first()

    def claim_revision(self, seen: int, user=None) -> None:
        """Claim the next revision of the draft, or raise StaleDraftError (one conditional
        UPDATE: two concurrent saves of the same revision cannot both win)."""
        updated = PlanVersion.objects.filter(
            pk=self.pk, revision=seen, signed_at__isnull=True
        ).update(revision=models.F("revision") + 1, updated_by=user, updated_at=timezone.now())
        if not updated:
            raise StaleDraftError
        self.revision = seen + 1

    def write_sections(self, texts: dict) -> None:
        """Encrypt and store the sections of this draft (after ``claim_revision``)."""
        content = self.plan.box.encrypt_json({k: v for k, v in texts.items() if v})
        PlanVersion.objects.filter(pk=self.pk, signed_at__isnull=True).update(content=content)
        self.content = content


class TrustedPerson(models.Model):
    """The personne de confiance (CSP art. L1111-6) named in a version of the plan.

    The law asks for a written designation, co-signed by the person designated, revocable
    at any time; the plan records that agreement. Name and contact are encrypted."""

    class AgreementMeans(models.TextChoices):
        COSIGNED = "cosigned", _("a cosigné la désignation (formulaire papier)")
        ORAL = "oral", _("a donné son accord à l'oral (cosignature à faire)")

    version = models.OneToOneField(
        PlanVersion, on_delete=models.CASCADE, related_name="trusted_person"
    )
    name = models.TextField(editable=False)
    contact = models.TextField(blank=True, editable=False)
    relationship = models.TextField(blank=True, editable=False)
    agreed_on = models.DateField(_("accord donné le"), null=True, blank=True)
    agreement_means = models.CharField(max_length=10, choices=AgreementMeans.choices, blank=True)

    class Meta:
        verbose_name = _("personne de confiance")
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_on__isnull=True) | ~Q(agreement_means=""),
                name="trustedperson_agreement_has_means",
            )
        ]

    def __str__(self):
        return f"Personne de confiance de la version {self.version_id}"

    def save(self, *args, **kwargs):
        if PlanVersion.objects.filter(pk=self.version_id, signed_at__isnull=False).exists():
            raise ImmutableVersionError("La version est signée : elle ne peut plus changer.")
        super().save(*args, **kwargs)

    @property
    def has_agreed(self) -> bool:
        return self.agreed_on is not None

    def decrypted(self) -> dict:
        box = self.version.plan.box
        return {
            "name": box.decrypt(self.name),
            "contact": box.decrypt(self.contact),
            "relationship": box.decrypt(self.relationship),
            "agreed_on": self.agreed_on,
            "agreement_means": self.get_agreement_means_display() if self.agreed_on else "",
        }


class RecipientKind(models.TextChoices):
    PSYCHIATRIST = "psychiatrist", _("psychiatre")
    CMP_TEAM = "cmp_team", _("équipe du CMP")
    TRUSTED_PERSON = "trusted_person", _("personne de confiance")
    RELATIVE = "relative", _("proche")
    CRISIS_SERVICE = "crisis_service", _("service d'urgence ou de crise")
    OTHER = "other", _("autre")


class RecipientQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(plan__in=PreventionPlan.objects.visible_to(membership))

    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Recipient(models.Model):
    """Someone the person chose to share their plan with: a consent of its own."""

    class ConsentMeans(models.TextChoices):
        ORAL = "oral", _("à l'oral, en présence")
        WRITTEN = "written", _("par écrit")
        PERSON_SPACE = "person_space", _("depuis son espace personnel")

    plan = models.ForeignKey(PreventionPlan, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("qui est-ce"), max_length=20, choices=RecipientKind.choices)
    # Encrypted: "Dr Martin, CMP de Lille", "ma sœur Julie".
    name = models.TextField(editable=False)
    # Only the hash of the recipient's link; emptied when the consent is withdrawn.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # The random nonce the link is computed from (``derive_token``): the link can be printed
    # again without being replaced. Empty for links issued before, and once withdrawn.
    link_nonce = models.CharField(max_length=32, blank=True, default="")
    given_at = models.DateTimeField(default=timezone.now)
    given_means = models.CharField(max_length=20, choices=ConsentMeans.choices)
    given_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_means = models.CharField(max_length=20, choices=ConsentMeans.choices, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("destinataire du plan")
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="recipient_unique_token"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(token_hash=""),
                name="recipient_withdrawn_has_no_link",
            ),
        ]

    def __str__(self):
        return f"Destinataire {self.pk} ({self.kind})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def label(self) -> str:
        """The recipient's name as the person gave it, with its kind."""
        name = self.plan.box.decrypt(self.name)
        return f"{name} ({self.get_kind_display()})" if name else str(self.get_kind_display())

    def link_token(self) -> str | None:
        """The token of the link in force, computed again (to show or print it again); None
        when it cannot be: withdrawn, issued before links could be re-printed, or a
        SECRET_KEY retired since (then only a new link helps)."""
        if not self.is_active or not self.link_nonce or not self.token_hash:
            return None
        for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
            token = derive_token(self.link_nonce, secret)
            if hmac.compare_digest(token_hash(token), self.token_hash):
                return token
        return None

    def _retire_link(self, reason) -> None:
        if self.token_hash:
            RetiredLink.objects.get_or_create(
                token_hash=self.token_hash, defaults={"recipient": self, "reason": reason}
            )

    def issue_link(self) -> str:
        """A new link for this recipient; the previous one stops working at once (and keeps
        saying it was replaced)."""
        if not self.is_active:
            raise ValueError("withdrawn recipient")
        current = Recipient.objects.filter(pk=self.pk).values_list("token_hash", flat=True)
        self.token_hash = current.first() or ""
        self._retire_link(RetiredLink.Reason.REPLACED)
        token, digest, nonce = new_token()
        Recipient.objects.filter(pk=self.pk).update(token_hash=digest, link_nonce=nonce)
        self.token_hash, self.link_nonce = digest, nonce
        return token

    def withdraw(self, means, user=None) -> None:
        """The person withdraws this sharing: the link opens nothing from now on (it says the
        sharing was withdrawn)."""
        now = timezone.now()
        current = Recipient.objects.filter(pk=self.pk).values_list("token_hash", flat=True)
        self.token_hash = current.first() or ""
        self._retire_link(RetiredLink.Reason.WITHDRAWN)
        Recipient.objects.filter(pk=self.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now,
            withdrawn_means=means,
            withdrawn_recorded_by=user,
            token_hash="",
            link_nonce="",
        )
        self.withdrawn_at, self.withdrawn_means = now, means
        self.token_hash, self.link_nonce = "", ""


class RetiredLink(models.Model):
    """A recipient's link that no longer opens the plan, kept (as a hash only) so that it
    says why: replaced by a new link, or the sharing withdrawn. Deleted at anonymisation."""

    class Reason(models.TextChoices):
        REPLACED = "replaced", _("remplacé par un nouveau lien")
        WITHDRAWN = "withdrawn", _("partage retiré")

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lien de destinataire retiré")

    def __str__(self):
        return f"Lien retiré ({self.reason})"


class ReadRecord(models.Model):
    """The content was read by someone else than the person: shown in the person's space."""

    class Channel(models.TextChoices):
        LINK = "link", _("par son lien")
        PRINTED = "printed", _("copie imprimée remise")
        PEER = "peer", _("par votre pair-aidant·e, dans Entre Pairs")

    plan = models.ForeignKey(PreventionPlan, on_delete=models.CASCADE, related_name="reads")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reads")
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.CASCADE, related_name="reads"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["plan", "-read_at"])]

    def __str__(self):
        return f"Lecture du {self.read_at:%d/%m/%Y}"


class WishesRespected(models.TextChoices):
    FULLY = "fully", _("oui, tout à fait")
    PARTLY = "partly", _("en partie")
    NOT = "not", _("non")


class CrisisRecord(models.Model):
    """The plan was consulted during a crisis; were the wishes respected?"""

    plan = models.ForeignKey(PreventionPlan, on_delete=models.CASCADE, related_name="crises")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="crises")
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="crises"
    )
    crisis_on = models.DateField(_("date de la crise"))
    respected = models.CharField(
        _("les souhaits ont-ils été respectés ?"), max_length=10, choices=WishesRespected.choices
    )
    why = models.TextField(blank=True, editable=False)  # encrypted
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-crisis_on", "-pk"]

    def __str__(self):
        return f"Crise du {self.crisis_on:%d/%m/%Y}"

    def why_text(self) -> str:
        return self.plan.box.decrypt(self.why)


class PsychiatristComment(models.Model):
    """A psychiatrist's comment on a signed version: agreement or reasoned disagreement.
    It is added next to the version, never changes it."""

    class Stance(models.TextChoices):
        AGREE = "agree", _("je suis d'accord avec ce plan")
        DISAGREE = "disagree", _("je ne suis pas d'accord sur un point (je l'explique)")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices)
    text = models.TextField(blank=True, editable=False)  # encrypted
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Avis du {self.created_at:%d/%m/%Y}"

    def text_plain(self) -> str:
        return self.version.plan.box.decrypt(self.text)
