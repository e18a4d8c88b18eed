"""Forms of the "Équipe et accès" page: invite a person, edit a membership.

Roles offered are those the manager may grant (``grantable_roles``); facilities are those of
the manager's organisation. Anything else posted by hand is refused with a French message.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import PlausibleFormMixin
from entrepairs.core.roles import Role
from entrepairs.territory.models import Facility

from .models import Membership, User
from .roles import grantable_roles

ROLE_NOT_OFFERED = _("Choisissez un des rôles proposés.")
FACILITY_NOT_OURS = _("Choisissez uniquement des dispositifs de votre organisation.")
ALREADY_MEMBER = _(
    "Cette personne a déjà ce rôle dans votre organisation. "
    "Si son accès est désactivé, réactivez-le depuis la liste de l'équipe."
)
ALREADY_INVITED = _(
    "Une invitation à ce rôle attend déjà la réponse de cette adresse : elle figure dans la "
    "liste de l'équipe."
)


class TeamFormMixin(PlausibleFormMixin):
    """Role and facilities limited to what the manager may give; Bootstrap classes."""

    def setup_team_fields(self, manager):
        self.manager = manager
        self.organisation = manager.organisation
        roles = grantable_roles(manager.role)
        self.fields["role"].choices = [("", "---------")] + [
            (value, label) for value, label in Role.choices if value in roles
        ]
        self.fields["facilities"].queryset = Facility.objects.filter(
            organisation_id=manager.organisation_id
        )

    def style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            described = [f"id_{name}_helptext"] if field.help_text else []
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}_error")
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] += " is-invalid"
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        self.style()


def role_field():
    return forms.ChoiceField(
        label=_("Rôle"),
        error_messages={"required": _("Choisissez un rôle."), "invalid_choice": ROLE_NOT_OFFERED},
    )


def facilities_field():
    return forms.ModelMultipleChoiceField(
        label=_("Dispositifs"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les lieux où la personne travaille. Un·e professionnel·le ne voit que les personnes "
            "accompagnées de ses dispositifs."
        ),
        error_messages={"invalid_choice": FACILITY_NOT_OURS, "invalid_pk_value": FACILITY_NOT_OURS},
    )


class InviteForm(TeamFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        error_messages={
            "required": _("Indiquez l'adresse e-mail."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
        },
    )
    first_name = forms.CharField(
        label=_("Prénom"), max_length=100, error_messages={"required": _("Indiquez le prénom.")}
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=100, error_messages={"required": _("Indiquez le nom.")}
    )
    role = role_field()
    facilities = facilities_field()

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_team_fields(manager)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["first_name"].help_text = _(
            "Le nom sous lequel l'invitation figure dans votre équipe jusqu'à ce que la "
            "personne l'accepte."
        )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()

    def existing_user(self):
        return User.objects.filter(email__iexact=self.cleaned_data["email"]).first()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        user = self.existing_user()
        if user is None:
            return cleaned
        # Only memberships of our own organisation (shown in the team list) are looked at.
        existing = Membership.objects.filter(
            user=user, organisation=self.organisation, role=cleaned["role"]
        ).first()
        if existing is not None and existing.invitation == Membership.Invitation.PENDING:
            raise forms.ValidationError(ALREADY_INVITED)
        if existing is not None and existing.is_accepted:
            raise forms.ValidationError(ALREADY_MEMBER)
        return cleaned


class MembershipForm(TeamFormMixin, forms.ModelForm):
    role = role_field()
    facilities = facilities_field()

    class Meta:
        model = Membership
        fields = ["role", "facilities"]

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_team_fields(manager)
        if self.instance.pk == manager.pk:
            # A manager never downgrades themself: the organisation keeps its manager.
            self.fields["role"].disabled = True
            self.fields["role"].help_text = _("Vous ne pouvez pas changer votre propre rôle.")

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role != self.instance.role and user_has_role(
            self.instance.user, self.instance.organisation, role
        ):
            raise forms.ValidationError(ALREADY_MEMBER)
        return role


def user_has_role(user, organisation, role) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation, role=role).exists()
