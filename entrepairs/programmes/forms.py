import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.models import Membership
from entrepairs.core.forms import PlausibleFormMixin
from entrepairs.core.roles import ORGANISATION_ROLES
from entrepairs.core.validators import DateRule
from entrepairs.territory.models import Facility

from .models import MAX_FUNDING_AMOUNT, Funding, Programme, Status, StatusChange

DATE_WIDGET = {"type": "date", "class": "form-control"}
# A programme of peer support in French psychiatry cannot predate the first médiateurs de
# santé pairs (2012) by much: a date before 2000 is a typing error.
PROGRAMME_DATE = DateRule(earliest=datetime.date(2000, 1, 1), years_ahead=0)
FUNDING_DATE = DateRule(earliest=datetime.date(2000, 1, 1))


def date_input():
    return forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """Euros as people type them: "45 000", "45000,50", "45 000 €"."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=11,
            decimal_places=2,
            min_value=Decimal("0.01"),
            max_value=MAX_FUNDING_AMOUNT,
            error_messages={
                "invalid": _("Saisissez un montant en euros, par exemple 45 000 ou 45 000,50."),
                "min_value": _("Le montant doit être supérieur à zéro."),
                "max_value": _(
                    "Montant invraisemblable pour un programme de pair-aidance "
                    "(10 000 000 € au plus) : vérifiez le nombre de zéros."
                ),
                "max_digits": _("Saisissez un montant en euros, par exemple 45 000."),
                "max_decimal_places": _("Deux chiffres après la virgule au plus (les centimes)."),
                "max_whole_digits": _(
                    "Montant invraisemblable pour un programme de pair-aidance "
                    "(10 000 000 € au plus) : vérifiez le nombre de zéros."
                ),
            },
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            value = value.removesuffix("€").replace(",", ".")
            if len(value) > 20:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return super().to_python(value)
        except InvalidOperation as exc:  # pragma: no cover - DecimalField already maps it
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class ProgrammeForm(PlausibleFormMixin, forms.ModelForm):
    date_rules = {
        "started_on": PROGRAMME_DATE,
        "establishment_project_on": PROGRAMME_DATE,
        "qvt_on": PROGRAMME_DATE,
    }

    class Meta:
        model = Programme
        fields = [
            "name",
            "started_on",
            "establishment_project_on",
            "in_qvt_approach",
            "qvt_on",
            "facilities",
            "referent",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "started_on": date_input(),
            "establishment_project_on": date_input(),
            "qvt_on": date_input(),
            "in_qvt_approach": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "facilities": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "referent": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["facilities"].queryset = Facility.objects.filter(
            organisation=organisation
        ).order_by("name")
        self.fields["facilities"].help_text = _("Les dispositifs où les pairs interviennent.")
        self.fields["referent"].queryset = (
            Membership.objects.filter(
                organisation=organisation, is_active=True, role__in=ORGANISATION_ROLES
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["referent"].label_from_instance = lambda m: (
            f"{m.team_name} ({m.get_role_display()})"
        )
        self.fields["referent"].empty_label = _("— pas encore désigné·e —")
        self.fields["started_on"].help_text = _("Arrivée du premier pair ou décision de lancement.")
        self.fields["qvt_on"].help_text = _("Facultatif, si vous connaissez la date.")

    def clean(self):
        data = super().clean()
        started = data.get("started_on")
        if not data.get("in_qvt_approach") and data.get("qvt_on"):
            self.add_error(
                "qvt_on",
                _("Cochez « inscrit dans la démarche QVT » ou effacez cette date."),
            )
        for name in ("establishment_project_on", "qvt_on"):
            day = data.get(name)
            if started and day and day < started - datetime.timedelta(days=5 * 365):
                self.add_error(
                    name,
                    _("Cette date est plus de cinq ans avant le début du programme : vérifiez-la."),
                )
        return data

    def save(self, commit=True):
        self.instance.organisation = self.organisation
        return super().save(commit)


class StatusChangeForm(PlausibleFormMixin, forms.ModelForm):
    date_rules = {"effective_on": PROGRAMME_DATE}

    class Meta:
        model = StatusChange
        fields = ["status", "effective_on", "note"]
        widgets = {
            "status": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "effective_on": date_input(),
            "note": forms.TextInput(attrs={"class": "form-control", "maxlength": 300}),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["status"].choices = Status.choices
        self.fields["note"].help_text = _(
            "Par exemple : « décision du directoire du 12 mars », « fin de l'expérimentation »."
        )
        self.fields["effective_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        day, status = data.get("effective_on"), data.get("status")
        if day is None or status is None:
            return data
        if day < self.programme.started_on:
            self.add_error(
                "effective_on",
                _("La date est avant le début du programme (%(start)s).")
                % {"start": self.programme.started_on.strftime("%d/%m/%Y")},
            )
        elif self.programme.status_changes.filter(effective_on=day).exists():
            self.add_error("effective_on", _("Un changement de statut existe déjà à cette date."))
        elif self.programme.status_on(day) == status:
            self.add_error(
                "status",
                _("Le programme a déjà ce statut à cette date : rien ne change."),
            )
        return data

    def save(self, commit=True):
        self.instance.programme = self.programme
        return super().save(commit)


class FundingForm(PlausibleFormMixin, forms.ModelForm):
    date_rules = {"starts_on": FUNDING_DATE, "ends_on": FUNDING_DATE}

    class Meta:
        model = Funding
        fields = ["source", "label", "amount", "starts_on", "ends_on"]
        widgets = {
            "source": forms.Select(attrs={"class": "form-select"}),
            "label": forms.TextInput(attrs={"class": "form-control", "maxlength": 150}),
            "starts_on": date_input(),
            "ends_on": date_input(),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["amount"] = AmountField(
            label=_("Montant (euros)"), help_text=Funding._meta.get_field("amount").help_text
        )
        self.fields["source"].choices = [("", _("— choisir —")), *Funding.Source.choices]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("La fin doit être après le début."))
        if data.get("source") == Funding.Source.OTHER and not data.get("label"):
            self.add_error("label", _("Précisez d'où vient ce financement."))
        return data

    def save(self, commit=True):
        self.instance.programme = self.programme
        return super().save(commit)
