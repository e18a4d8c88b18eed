from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import DurationField, PlausibleFormMixin
from entrepairs.core.roles import Role
from entrepairs.core.validators import PAST_DATE
from entrepairs.workforce.models import PeerWorker

from .models import AUDIENCE_FIELDS, MAX_DURATION_MINUTES, InstitutionalActivity

MAX_COUNT = 5000
CROSS_FIELDS = ("lived_experience_count", "professionals_count")


def count_field(label, required=False):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_COUNT,
        error_messages={
            "min_value": _("Un effectif ne peut pas être négatif."),
            "max_value": _("Effectif trop élevé (%(limit_value)s au plus)."),
            "invalid": _("Saisissez un nombre entier."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
    )


class ActivityForm(PlausibleFormMixin, forms.ModelForm):
    date_rules = {"date": PAST_DATE}

    class Meta:
        model = InstitutionalActivity
        fields = [
            "kind",
            "instance",
            "title",
            "date",
            "duration_minutes",
            "peers",
            *[name for name, _label in AUDIENCE_FIELDS],
            *CROSS_FIELDS,
        ]
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select"}),
            "instance": forms.Select(attrs={"class": "form-select"}),
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "date": forms.DateInput(
                attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
            ),
            "peers": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        org = membership.organisation
        self.fields["instance"].help_text = _("Seulement pour une participation à une instance.")
        self.fields["kind"].choices = [("", _("— choisir —")), *InstitutionalActivity.Kind.choices]
        self.fields["instance"].choices = [("", "—"), *InstitutionalActivity.Instance.choices]
        self.fields["date"].error_messages["invalid"] = _("Saisissez une date valide.")
        self.fields["duration_minutes"] = DurationField(
            label=_("Durée (minutes)"),
            help_text=_("1 h 30 = 90 minutes"),
            max_value=MAX_DURATION_MINUTES,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
        )
        self.fields["peers"].queryset = (
            PeerWorker.objects.filter(Q(employer=org) | Q(host_organisation=org))
            .exclude(status=PeerWorker.Status.LEFT)
            .order_by("last_name", "first_name")
        )
        if membership.role == Role.PEER:
            self.fields["peers"].required = False
            self.fields["peers"].help_text = _("Vous êtes ajouté·e automatiquement.")
        for name, label in AUDIENCE_FIELDS:
            self.fields[name] = count_field(label)
            self.fields[name].initial = 0
        self.fields["lived_experience_count"] = count_field(
            _("Personnes concernées (savoir expérientiel)")
        )
        self.fields["professionals_count"] = count_field(_("Professionnel·les"))

    def main_fields(self):
        return [self[name] for name in ("kind", "instance", "title", "date", "duration_minutes")]

    def audience_fields(self):
        return [self[name] for name, _label in AUDIENCE_FIELDS]

    def cross_fields(self):
        return [self[name] for name in CROSS_FIELDS]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name, _label in AUDIENCE_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        if kind == InstitutionalActivity.Kind.INSTANCE:
            if not data.get("instance"):
                self.add_error("instance", _("Précisez l'instance (CDU, CLSM…)."))
        else:
            data["instance"] = ""
        if kind == InstitutionalActivity.Kind.CROSS_TRAINING:
            for name in CROSS_FIELDS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(
                        name,
                        _("Pour une formation croisée, indiquez les deux effectifs."),
                    )
        else:
            for name in CROSS_FIELDS:
                data[name] = None
        return data

    def save(self, commit=True):
        activity = super().save(commit=False)
        activity.organisation = self.membership.organisation
        if activity.pk is None:
            activity.created_by = self.membership.user
        activity.save()
        self.save_m2m()
        if self.membership.role == Role.PEER:
            activity.peers.add(*self.fields["peers"].queryset.filter(user=self.membership.user_id))
        return activity
