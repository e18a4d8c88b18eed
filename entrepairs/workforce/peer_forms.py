"""The form a coordinator uses to create or edit a peer worker, with their deployments.

Tenant rule: a peer belongs to their employer. Only the employer's managers change who the peer
is (name, title, status), where they are employed and to whom they are seconded ("mis·e à
disposition"); the organisation is always the employer of the peers it creates. A host
organisation's managers see the dossier and edit only their own side: the peer's time in the
host's facilities, and the link to one of the host's peer accounts while none is linked.
Anything else posted by hand (another organisation's id, an employer-only field) is refused
with a French message and nothing is saved.
"""

import unicodedata
from decimal import Decimal

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.models import Membership, User
from entrepairs.core.roles import Role
from entrepairs.territory.models import Facility, Organisation

from .forms import BootstrapMixin
from .models import Deployment, PeerWorker

EMPLOYED = "employed"
SECONDED = "seconded"
PLACEMENTS = [
    (EMPLOYED, _("travaille dans notre organisation")),
    (SECONDED, _("mis·e à disposition d'une autre structure")),
]
NOT_AN_ACCOUNT_OF_YOURS = _(
    "Ce compte n'est pas un compte de pair-aidant·e actif de votre organisation."
)
NOT_A_FACILITY_OF_YOURS = _(
    "Seuls les dispositifs de votre organisation peuvent être choisis : rien n'a été enregistré."
)
# Fields only the employer's side may post (and names of the old form, refused the same way).
EMPLOYER_ONLY = (
    "first_name",
    "last_name",
    "title",
    "status",
    "placement",
    "seconded_to",
    "seconded_by",
    "employer",
    "host_organisation",
)
SHARE_PREFIX = "share_"


def host_candidates(employer_id, current_host_id=None):
    """Where an employer may second a peer: establishments and associations that use the
    platform (at least one active coordinator to place the peer), never an ARS, an observatory
    or the employer itself; the current host stays offered."""
    on_platform = Membership.objects.active().filter(
        organisation=OuterRef("pk"), role=Role.COORDINATOR
    )
    kinds = (Organisation.Kind.HEALTH_ESTABLISHMENT, Organisation.Kind.ASSOCIATION)
    candidates = Organisation.objects.filter(kind__in=kinds).filter(Exists(on_platform))
    if current_host_id:
        candidates = candidates | Organisation.objects.filter(pk=current_host_id)
    return candidates.exclude(pk=employer_id).order_by("name")


class AccountField(forms.ModelChoiceField):
    """Offers ``queryset`` but looks any id up, so that ``clean_user`` can say what is wrong."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return User.objects.get(pk=int(value))
        except (ValueError, TypeError, User.DoesNotExist):
            raise forms.ValidationError(NOT_AN_ACCOUNT_OF_YOURS) from None

    def validate(self, value):
        forms.Field.validate(self, value)


def account_label(user):
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


class PeerWorkerForm(BootstrapMixin, forms.ModelForm):
    placement = forms.ChoiceField(label=_("Situation d'emploi"), choices=PLACEMENTS)
    seconded_to = forms.ModelChoiceField(
        label=_("Structure d'accueil"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "Seulement pour une mise à disposition : l'établissement ou l'association où le ou la "
            "pair travaille. Sa coordination verra le dossier et y réglera les lieux "
            "d'intervention."
        ),
    )
    user = AccountField(
        label=_("Compte utilisateur (facultatif)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Comptes ayant un rôle de pair-aidant·e actif dans votre organisation et pas encore "
            "de dossier. Le compte relié ne peut plus être changé ensuite depuis cette page."
        ),
    )

    class Meta:
        model = PeerWorker
        fields = ["first_name", "last_name", "title", "status", "user"]
        error_messages = {
            "first_name": {"required": _("Indiquez le prénom.")},
            "last_name": {"required": _("Indiquez le nom.")},
            "title": {"required": _("Choisissez un titre.")},
            "status": {"required": _("Choisissez un statut.")},
            "user": {"unique": _("Ce compte est déjà relié à un·e autre pair-aidant·e.")},
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.organisation_id = membership.organisation_id
        peer = self.instance
        # Views fetch the peer through visible_to(): we are its employer or its host.
        self.is_employer = not peer.pk or peer.employer_id == self.organisation_id
        self.previous_host_id = peer.host_organisation_id
        if self.is_employer:
            self._set_up_placement(peer)
        else:
            for name in ("first_name", "last_name", "title", "status", "placement", "seconded_to"):
                del self.fields[name]
        self._set_up_account(peer)
        self._add_share_fields(peer)
        self._style()

    def _add_share_fields(self, peer):
        """One "% of time" field per facility of the organisation; other deployments are kept."""
        self.facilities = list(Facility.objects.filter(organisation_id=self.organisation_id))
        own = {f.pk for f in self.facilities}
        self.other_deployments = (
            [d for d in peer.deployments.select_related("facility") if d.facility_id not in own]
            if peer.pk
            else []
        )
        shares = {d.facility_id: d.time_share for d in peer.deployments.all()} if peer.pk else {}
        for facility in self.facilities:
            share = shares.get(facility.pk)
            self.fields[f"{SHARE_PREFIX}{facility.pk}"] = forms.IntegerField(
                label=facility.name,
                required=False,
                min_value=1,
                max_value=100,
                initial=int(share * 100) if share else None,
                error_messages={
                    "min_value": _("La part du temps est comprise entre 1 et 100 %%."),
                    "max_value": _("La part du temps est comprise entre 1 et 100 %%."),
                    "invalid": _("Indiquez un nombre entier de 1 à 100."),
                },
            )

    def _set_up_placement(self, peer):
        host_id = peer.host_organisation_id
        if host_id == self.organisation_id:  # an old record may name the employer as host too
            host_id = None
        field = self.fields["seconded_to"]
        field.queryset = host_candidates(self.organisation_id, host_id)
        field.error_messages["invalid_choice"] = _(
            "Choisissez une structure d'accueil de la liste."
        )
        self.fields["placement"].error_messages["invalid_choice"] = _(
            "Choisissez une situation d'emploi de la liste."
        )
        if host_id:
            self.initial.setdefault("placement", SECONDED)
            self.initial.setdefault("seconded_to", host_id)
        else:
            self.initial.setdefault("placement", EMPLOYED)

    def _set_up_account(self, peer):
        field = self.fields["user"]
        if peer.user_id:
            field.queryset = User.objects.filter(pk=peer.user_id)
            field.disabled = True
            field.help_text = _("Le compte relié ne peut pas être changé depuis cette page.")
        else:
            field.queryset = self.free_peer_accounts()
        field.label_from_instance = account_label

    def free_peer_accounts(self):
        """Accounts with an active peer membership here and no peer record yet."""
        return (
            User.objects.filter(
                memberships__organisation_id=self.organisation_id,
                memberships__role=Role.PEER,
                memberships__is_active=True,
                peer_worker__isnull=True,
                is_active=True,
            )
            .distinct()
            .order_by("last_name", "first_name", "email")
        )

    def share_fields(self):
        return [self[f"{SHARE_PREFIX}{f.pk}"] for f in self.facilities]

    @property
    def host_changes(self) -> bool:
        """True when the employer ends the secondment or moves it to another host."""
        if not self.is_employer or not self.previous_host_id:
            return False
        if self.previous_host_id == self.organisation_id:
            return False
        return self.new_host_id() != self.previous_host_id

    def new_host_id(self):
        data = getattr(self, "cleaned_data", {})
        if data.get("placement") == SECONDED and data.get("seconded_to"):
            return data["seconded_to"].pk
        return None

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is None or self.fields["user"].disabled:
            return user
        is_peer_here = user.memberships.filter(
            organisation_id=self.organisation_id, role=Role.PEER, is_active=True
        ).exists()
        if not is_peer_here or not user.is_active:
            raise forms.ValidationError(NOT_AN_ACCOUNT_OF_YOURS)
        if PeerWorker.objects.filter(user=user).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Ce compte est déjà relié à un·e autre pair-aidant·e."))
        return user

    def clean(self):
        cleaned = super().clean()
        self._refuse_what_is_not_ours()
        if cleaned.get("placement") == SECONDED and not cleaned.get("seconded_to"):
            if "seconded_to" not in self.errors:
                self.add_error(
                    "seconded_to",
                    _("Choisissez la structure où ce·tte pair est mis·e à disposition."),
                )
        percents = [cleaned.get(f"{SHARE_PREFIX}{f.pk}") or 0 for f in self.facilities]
        leaving = {self.previous_host_id} if self.host_changes else set()
        kept = [d for d in self.other_deployments if d.facility.organisation_id not in leaving]
        total = sum(percents) + int(sum((d.time_share for d in kept), Decimal(0)) * 100)
        if total > 100:
            raise forms.ValidationError(
                _("Les parts de temps dépassent 100 %% au total (actuellement %(t)s %%).")
                % {"t": total}
            )
        return cleaned

    def _refuse_what_is_not_ours(self):
        """A hand-made POST: a facility of another organisation, or (host side) a field of
        the employer. Browsers never post these, since the form does not show them."""
        posted = {key for key, value in self.data.items() if value not in ("", None)}
        foreign_shares = {
            key for key in posted if key.startswith(SHARE_PREFIX) and key not in self.fields
        }
        if foreign_shares:
            raise forms.ValidationError(NOT_A_FACILITY_OF_YOURS, code="foreign_facility")
        if not self.is_employer and posted & set(EMPLOYER_ONLY):
            raise forms.ValidationError(
                _(
                    "Seul l'employeur (%(employer)s) peut modifier l'identité, le statut ou la "
                    "situation d'emploi de ce·tte pair-aidant·e : votre organisation règle "
                    "seulement ses lieux d'intervention chez vous."
                )
                % {"employer": self.instance.employer},
                code="employer_only",
            )

    def save(self, commit=True):
        """Save the peer and their deployments here. Call it inside ``transaction.atomic``."""
        peer = super().save(commit=False)
        if self.is_employer:
            peer.employer_id = self.organisation_id
            peer.host_organisation_id = self.new_host_id()
        peer.save()
        if self.host_changes:
            # The former host no longer places the peer: their time there ends with it.
            Deployment.objects.filter(
                peer=peer, facility__organisation_id=self.previous_host_id
            ).delete()
        self._save_deployments(peer)
        return peer

    def _save_deployments(self, peer):
        existing = {d.facility_id: d for d in peer.deployments.all()}
        for facility in self.facilities:
            percent = self.cleaned_data.get(f"{SHARE_PREFIX}{facility.pk}")
            deployment = existing.get(facility.pk)
            if percent is None:
                if deployment:
                    deployment.delete()
                continue
            share = Decimal(percent) / 100
            if deployment is None:
                Deployment.objects.create(peer=peer, facility=facility, time_share=share)
            elif deployment.time_share != share:
                deployment.time_share = share
                deployment.save(update_fields=["time_share"])

    def likely_duplicates(self, peer):
        """Ids of other peers of the organisation with the same first and last name.

        Compared in Python, ignoring case and accents (SQLite's LIKE folds ASCII only).
        """
        key = name_key(peer.first_name, peer.last_name)
        others = (
            PeerWorker.objects.visible_to(self.membership)
            .exclude(pk=peer.pk)
            .values_list("pk", "first_name", "last_name")
        )
        return [pk for pk, first, last in others if name_key(first, last) == key]


def name_key(first_name, last_name):
    """``"Élodie", "Martin "`` and ``"elodie", "MARTIN"`` give the same key."""
    text = unicodedata.normalize("NFKD", f"{first_name.strip()} {last_name.strip()}")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()
