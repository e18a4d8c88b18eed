"""The form a coordinator uses to create or edit a peer worker, with their deployments.

Tenant rule: the coordinator's organisation is always on the record, as the employer
(salaried peer) or as the host organisation (peer "mis·e à disposition" by an association).
A peer lent out *by* the coordinator's organisation to another one keeps its placement: it is
decided where the peer works.
"""

import unicodedata
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.models import User
from entrepairs.core.roles import Role
from entrepairs.territory.models import Facility, Organisation

from .forms import BootstrapMixin
from .models import Deployment, PeerWorker

EMPLOYED = "employed"
SECONDED = "seconded"
PLACEMENTS = [
    (EMPLOYED, _("salarié·e de notre organisation")),
    (SECONDED, _("mis·e à disposition par une association")),
]
NOT_AN_ACCOUNT_OF_YOURS = _(
    "Ce compte n'est pas un compte de pair-aidant·e actif de votre organisation."
)


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
    seconded_by = forms.ModelChoiceField(
        label=_("Association employeuse"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Seulement pour une mise à disposition."),
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
        self.lent_out = bool(
            peer.pk
            and peer.employer_id == self.organisation_id
            and peer.host_organisation_id not in (None, self.organisation_id)
        )
        if self.lent_out:
            del self.fields["placement"], self.fields["seconded_by"]
        else:
            self._set_up_placement(peer)
        self._set_up_account(peer)
        self._add_share_fields(peer)
        self._style()

    def _add_share_fields(self, peer):
        """One "% of time" field per facility of the organisation; other deployments are kept."""
        self.facilities = list(Facility.objects.filter(organisation_id=self.organisation_id))
        own = {f.pk for f in self.facilities}
        shares = {d.facility_id: d.time_share for d in peer.deployments.all()} if peer.pk else {}
        self.other_shares = sum((s for f, s in shares.items() if f not in own), Decimal(0))
        for facility in self.facilities:
            share = shares.get(facility.pk)
            self.fields[f"share_{facility.pk}"] = forms.IntegerField(
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
        partners = Organisation.objects.filter(
            Q(kind=Organisation.Kind.ASSOCIATION) | Q(pk=peer.employer_id)
        ).exclude(pk=self.organisation_id)
        self.fields["seconded_by"].queryset = partners
        self.fields["seconded_by"].error_messages["invalid_choice"] = _(
            "Choisissez une association de la liste."
        )
        self.fields["placement"].error_messages["invalid_choice"] = _(
            "Choisissez une situation d'emploi de la liste."
        )
        if peer.pk and peer.employer_id != self.organisation_id:
            self.initial.setdefault("placement", SECONDED)
            self.initial.setdefault("seconded_by", peer.employer_id)

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
        return [self[f"share_{f.pk}"] for f in self.facilities]

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
        if cleaned.get("placement") == SECONDED and not cleaned.get("seconded_by"):
            if "seconded_by" not in self.errors:
                self.add_error(
                    "seconded_by",
                    _("Choisissez l'association qui emploie et met à disposition ce·tte pair."),
                )
        percents = [cleaned.get(f"share_{f.pk}") or 0 for f in self.facilities]
        total = sum(percents) + int(self.other_shares * 100)
        if total > 100:
            raise forms.ValidationError(
                _("Les parts de temps dépassent 100 %% au total (actuellement %(t)s %%).")
                % {"t": total}
            )
        return cleaned

    def save(self, commit=True):
        """Save the peer and their deployments here. Call it inside ``transaction.atomic``."""
        peer = super().save(commit=False)
        if not self.lent_out:
            if self.cleaned_data["placement"] == SECONDED:
                peer.employer = self.cleaned_data["seconded_by"]
                peer.host_organisation_id = self.organisation_id
            else:
                peer.employer_id = self.organisation_id
                peer.host_organisation = None
        peer.save()
        self._save_deployments(peer)
        return peer

    def _save_deployments(self, peer):
        existing = {d.facility_id: d for d in peer.deployments.all()}
        for facility in self.facilities:
            percent = self.cleaned_data.get(f"share_{facility.pk}")
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
