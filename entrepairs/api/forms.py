"""The form that creates an API token: a name, scopes among those the role may grant, a
validity in days. Anything else posted by hand is refused with a French message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import PlausibleFormMixin

from .access import DEFAULT_VALIDITY_DAYS, MAX_VALIDITY_DAYS, grantable_scopes
from .models import Scope


class TokenForm(PlausibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_(
            "Pour le reconnaître : le système qui l'utilise (« SIRH », « entrepôt qualité »)."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Droits"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choisissez au moins un droit."),
            "invalid_choice": _("Choisissez uniquement des droits proposés."),
        },
    )
    validity_days = forms.IntegerField(
        label=_("Validité (jours)"),
        initial=DEFAULT_VALIDITY_DAYS,
        min_value=1,
        max_value=MAX_VALIDITY_DAYS,
        help_text=_("De 1 à %(n)s jours. Le jeton cesse ensuite de fonctionner.")
        % {"n": MAX_VALIDITY_DAYS},
        error_messages={
            "min_value": _("Au moins 1 jour."),
            "max_value": _("Au plus %(limit_value)s jours."),
            "invalid": _("Un nombre de jours entier."),
        },
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = grantable_scopes(manager.role)
        self.fields["scopes"].choices = [(s.value, s.label) for s in Scope if s in allowed]
        for name in ("name", "validity_days"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            described = [f"id_{name}_helptext"] if field.help_text else []
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " is-invalid"
            if described and name != "scopes":
                field.widget.attrs["aria-describedby"] = " ".join(described)
