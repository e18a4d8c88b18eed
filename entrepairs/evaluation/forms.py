import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import DurationField, PlausibleFormMixin
from entrepairs.core.validators import DateRule
from entrepairs.territory.models import Facility

from .models import Audience, Campaign, InstrumentVersion

MAX_BATCH = 100
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A campaign runs within a programme's life: not before 2000, not planned beyond five years.
CAMPAIGN_DATES = DateRule(earliest=datetime.date(2000, 1, 1), years_ahead=5)
MAX_MONTHS_AFTER = 60
MAX_LINK_VALIDITY_DAYS = 365


class CampaignForm(PlausibleFormMixin, forms.ModelForm):
    timepoints = forms.MultipleChoiceField(
        label=_("Moments où l'on propose le questionnaire"),
        choices=Campaign.Timepoint.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Personnes accompagnées : début, après quelques mois, fin. "
            "Équipes : une seule fois ou chaque année."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "instrument_version",
            "facility",
            "mode",
            "timepoints",
            "months_after",
            "link_validity_days",
            "opens_on",
            "closes_on",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    date_rules = {"opens_on": CAMPAIGN_DATES, "closes_on": CAMPAIGN_DATES}

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["months_after"] = DurationField(
            label=self.fields["months_after"].label,
            unit="months",
            max_value=MAX_MONTHS_AFTER,
            required=False,
        )
        self.fields["link_validity_days"] = DurationField(
            label=self.fields["link_validity_days"].label,
            unit="days",
            max_value=MAX_LINK_VALIDITY_DAYS,
            initial=30,
        )
        self.fields["instrument_version"].queryset = (
            InstrumentVersion.objects.visible_to(membership).published().order_by("title")
        )
        self.fields["facility"].queryset = Facility.objects.filter(
            organisation=membership.organisation
        ).order_by("name")
        for name, field in self.fields.items():
            if name != "timepoints":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        version, mode = data.get("instrument_version"), data.get("mode")
        timepoints = data.get("timepoints") or []
        if not version or not mode:
            return data
        if version.audience == Audience.PERSON:
            if set(timepoints) - set(Campaign.PERSON_TIMEPOINTS):
                self.add_error(
                    "timepoints",
                    _("Pour les personnes accompagnées : début, après quelques mois ou fin."),
                )
            if Campaign.Timepoint.MONTHS in timepoints and not data.get("months_after"):
                self.add_error("months_after", _("Indiquez après combien de mois."))
        else:
            if mode == Campaign.Mode.LINKED:
                self.add_error("mode", _("Les enquêtes auprès des équipes sont toujours anonymes."))
            if len(timepoints) != 1 or timepoints[0] not in Campaign.TEAM_TIMEPOINTS:
                self.add_error(
                    "timepoints",
                    _("Pour les équipes : choisissez « une seule fois » ou « chaque année »."),
                )
        closes_on, opens_on = data.get("closes_on"), data.get("opens_on")
        if closes_on and opens_on and closes_on < opens_on:
            self.add_error("closes_on", _("La clôture doit suivre l'ouverture."))
        return data


class AnonymousBatchForm(PlausibleFormMixin, forms.Form):
    count = forms.IntegerField(
        label=_("Nombre de liens à imprimer"),
        min_value=1,
        max_value=MAX_BATCH,
        initial=10,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    facility = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        facilities = Facility.objects.filter(organisation=campaign.organisation).order_by("name")
        if campaign.facility_id:
            facilities = facilities.filter(pk=campaign.facility_id)
        self.fields["facility"].queryset = facilities


class FhirImportForm(PlausibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichier FHIR Questionnaire (JSON)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".json"}),
    )
    rights = forms.BooleanField(
        label=_("Notre établissement détient les droits d'utiliser ce questionnaire."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux (2 Mo au plus)."))
        return upload


class StaysImportForm(PlausibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des séjours"),
        help_text=_(
            "Colonnes : reference_personne ; date_entree ; date_sortie ; mode_legal. "
            "Le fichier remplace tous les séjours déjà importés pour l'établissement."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES * 5:
            raise forms.ValidationError(_("Fichier trop volumineux (10 Mo au plus)."))
        return upload


class OutcomesFilterForm(PlausibleFormMixin, forms.Form):
    facility = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Tout l'établissement"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        label=_("Du"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = forms.DateField(
        label=_("Au"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["facility"].queryset = Facility.objects.filter(
                organisation=organisation
            ).order_by("name")
        else:
            del self.fields["facility"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("La fin de la période doit suivre son début."))
        return data


class OutcomesPeriodForm(PlausibleFormMixin, forms.Form):
    """A fixed calendar period (quarter or year), never free dates: two overlapping windows
    would reveal one person's answer by difference (12·m₁₂ − 11·m₁₁)."""

    period = forms.ChoiceField(
        label=_("Période"), widget=forms.Select(attrs={"class": "form-select"})
    )
    facility = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Tout l'établissement"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, organisation=None, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.code: p for p in periods}
        self.fields["period"].choices = [(p.code, p.label) for p in periods]
        if organisation is not None:
            self.fields["facility"].queryset = Facility.objects.filter(
                organisation=organisation
            ).order_by("name")
        else:
            del self.fields["facility"]

    def clean_period(self):
        return self.periods[self.cleaned_data["period"]]
