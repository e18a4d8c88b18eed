"""Forms of the accompaniment app. French messages; views save only after ``is_valid()``."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import DurationField, PlausibleFormMixin
from entrepairs.core.validators import PAST_DATE
from entrepairs.territory.models import Commune, Facility
from entrepairs.workforce.models import PeerWorker

from .models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Encounter,
    Person,
    Referral,
    Resource,
    Step,
)

MAX_DURATION_MINUTES = 12 * 60


class StyledForm(PlausibleFormMixin):
    """Give Bootstrap classes to every widget (the project has no form renderer of its own);
    the shared plausibility rules come with it."""

    def style_fields(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect) and field.required:
                # A required radio group offers no "---------" choice: one of them is the answer.
                field.choices = [(v, label) for v, label in field.choices if v not in ("", None)]
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            show_limit(field)
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def show_limit(field) -> None:
    """A text limit is shown, counted, and enforced by the server with a message: never by
    the browser's ``maxlength``, which cuts a pasted text without a word."""
    limit = getattr(field, "max_length", None)
    widget = field.widget
    if not limit or not isinstance(widget, forms.TextInput | forms.Textarea):
        return
    widget.attrs.pop("maxlength", None)
    widget.attrs["data-maxlength"] = str(limit)
    if isinstance(widget, forms.Textarea):
        limit_text = _("%(n)s caractères au plus.") % {"n": f"{limit:,}".replace(",", "\u202f")}
        field.help_text = f"{field.help_text} {limit_text}".strip()


def date_input(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def organisation_peers(organisation):
    return PeerWorker.objects.filter(
        Q(employer=organisation) | Q(host_organisation=organisation)
    ).exclude(status=PeerWorker.Status.LEFT)


class CommuneField(forms.CharField):
    """A commune typed by name or INSEE code (the commune list is far too long for a select)."""

    def __init__(self, *args, department=None, **kwargs):
        self.department = department
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return value.name
        if isinstance(value, int):
            commune = Commune.objects.filter(pk=value).first()
            return commune.name if commune else ""
        return value

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        communes = Commune.objects.filter(kind=Commune.Kind.COMMUNE)
        if value[:2].isdigit() or value[:2].upper() in ("2A", "2B"):
            matches = list(communes.filter(code=value.upper())[:2])
        else:
            matches = list(communes.filter(name__iexact=value)[:5])
            if len(matches) > 1 and self.department is not None:
                local = [c for c in matches if c.department_id == self.department]
                matches = local or matches
        if not matches:
            raise forms.ValidationError(
                _("Commune inconnue : saisissez son nom exact ou son code INSEE.")
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Plusieurs communes portent ce nom : saisissez le code INSEE.")
            )
        return matches[0]


class PersonForm(StyledForm, forms.ModelForm):
    commune = CommuneField(label=_("Commune (nom ou code INSEE)"))

    class Meta:
        model = Person
        fields = ["alias", "birth_year", "gender", "commune", "origin", "contact"]
        help_texts = {"alias": _("Choisi avec la personne. Jamais son nom.")}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["commune"].department = organisation.department_id
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})
        self.style_fields()

    def clean_alias(self):
        alias = self.cleaned_data["alias"].strip()
        if not alias:
            raise forms.ValidationError(_("Indiquez le pseudonyme choisi avec la personne."))
        return alias

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not (this_year - 110 <= year <= this_year):
            raise forms.ValidationError(
                _("L'année de naissance doit être comprise entre %(a)s et %(b)s.")
                % {"a": this_year - 110, "b": this_year}
            )
        return year


INTAKE_PURPOSES = list(ConsentPurpose)


class PersonCreateForm(PersonForm):
    """The person, their first accompaniment episode and the consents collected at intake."""

    date_rules = {"start": PAST_DATE}

    setting = forms.ChoiceField(label=_("Cadre de l'accompagnement"), choices=[])
    facility = forms.ModelChoiceField(
        label=_("Dispositif"), queryset=Facility.objects.none(), required=False
    )
    start = forms.DateField(label=_("Début de l'accompagnement"), widget=date_input())
    peers = forms.ModelMultipleChoiceField(
        label=_("Pairs-aidant·es"), queryset=PeerWorker.objects.none(), required=False
    )
    consent_record = forms.BooleanField(
        # Never ticked in advance: the peer ticks it once the person has said yes.
        label=_("Accepte la tenue du dossier d'accompagnement"),
        required=False,
    )
    consent_team_sharing = forms.BooleanField(
        label=_("Accepte le partage avec l'équipe de soins"), required=False
    )
    consent_evaluation = forms.BooleanField(
        label=_("Accepte de participer à l'évaluation"), required=False
    )
    consent_contact = forms.BooleanField(label=_("Accepte d'être contacté·e"), required=False)
    consent_means = forms.ChoiceField(
        label=_("Consentements recueillis"),
        choices=[(Consent.Means.ORAL, _("à l'oral")), (Consent.Means.WRITTEN, _("par écrit"))],
        initial=Consent.Means.ORAL,
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'une autre personne"), required=False
    )

    def __init__(self, *args, membership, peer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.peer = peer
        self.likely_duplicate = False
        self.fields["setting"].choices = Accompaniment.Setting.choices
        self.fields["facility"].queryset = Facility.objects.filter(organisation=self.organisation)
        self.fields["start"].initial = timezone.localdate
        if peer is None:
            self.fields["peers"].queryset = organisation_peers(self.organisation)
            self.fields["peers"].required = True
            self.fields["peers"].error_messages["required"] = _(
                "Choisissez au moins un·e pair-aidant·e."
            )
        else:
            del self.fields["peers"]
        self.style_fields()

    def clean(self):
        data = super().clean()
        if not data.get("consent_record"):
            self.add_error(
                "consent_record",
                _(
                    "Sans l'accord de la personne pour la tenue du dossier, aucune fiche n'est créée."
                ),
            )
        if data.get("contact") and not data.get("consent_contact"):
            self.add_error(
                "contact",
                _("Un moyen de contact ne s'enregistre qu'avec l'accord d'être contacté·e."),
            )
        alias, year = data.get("alias"), data.get("birth_year")
        if alias and year and not data.get("confirm_duplicate"):
            # Only among the persons this membership may see: the warning must never tell a
            # peer that someone they do not accompany exists (the answer is the same whether
            # or not a hidden person has this alias).
            if (
                Person.objects.visible_to(self.membership)
                .filter(alias__iexact=alias, birth_year=year)
                .exists()
            ):
                # A warning, not a refusal: ticking the confirmation lets the form through.
                self.likely_duplicate = True
                raise forms.ValidationError(
                    _(
                        "Une personne « %(alias)s » née en %(year)s figure déjà dans votre liste "
                        "de personnes. S'il s'agit bien d'une autre personne, cochez la "
                        "confirmation et enregistrez à nouveau."
                    )
                    % {"alias": alias, "year": year},
                    code="duplicate",
                )
        return data


class PersonUpdateForm(PersonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.has_consent(ConsentPurpose.CONTACT):
            del self.fields["contact"]


class ConsentForm(StyledForm, forms.Form):
    purpose = forms.ChoiceField(label=_("Finalité"), choices=ConsentPurpose.choices)
    given = forms.TypedChoiceField(
        label=_("Décision"),
        choices=[("1", _("donne son accord")), ("0", _("retire son accord"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    means = forms.ChoiceField(
        label=_("Recueilli"),
        choices=[(Consent.Means.ORAL, _("à l'oral")), (Consent.Means.WRITTEN, _("par écrit"))],
        initial=Consent.Means.ORAL,
    )
    decided_on = forms.DateField(
        label=_("Date de la décision"), widget=date_input(), initial=timezone.localdate
    )
    date_rules = {"decided_on": PAST_DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class EncounterForm(StyledForm, forms.ModelForm):
    """One phone screen: date, duration, mode, place, kinds, outcome, optional note."""

    date_rules = {"date": PAST_DATE}

    accompaniment = forms.ModelChoiceField(
        label=_("Accompagnement"), queryset=Accompaniment.objects.none()
    )
    duration_minutes = DurationField(label=_("Durée (minutes)"), max_value=MAX_DURATION_MINUTES)
    kinds = forms.MultipleChoiceField(
        label=_("Nature de la rencontre"),
        choices=Encounter.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une nature de rencontre.")},
    )

    class Meta:
        model = Encounter
        fields = [
            "accompaniment",
            "date",
            "duration_minutes",
            "mode",
            "place",
            "kinds",
            "outcome",
            "note",
            "note_visibility",
        ]
        widgets = {
            "date": date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "mode": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "note_visibility": forms.RadioSelect,
        }
        help_texts = {"note": _("Facultative, courte. Privée par défaut.")}

    def __init__(self, *args, person, accompaniments, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.team_sharing = person.has_consent(ConsentPurpose.TEAM_SHARING)
        self.fields["accompaniment"].queryset = accompaniments
        self.fields["accompaniment"].empty_label = None
        if len(accompaniments) == 1:
            self.fields["accompaniment"].widget = forms.HiddenInput()
        if not self.team_sharing:
            # Not offered at all: choosing it could only fail when the form is sent.
            field = self.fields["note_visibility"]
            field.choices = [c for c in field.choices if c[0] != Encounter.NoteVisibility.TEAM]
            field.help_text = _(
                "La personne n'a pas donné son accord au partage avec l'équipe : "
                "la note reste privée."
            )
            field.error_messages["invalid_choice"] = _(
                "La personne n'a pas donné son accord au partage avec l'équipe de soins : "
                "la note ne peut pas être partagée."
            )
        self.style_fields()

    def clean(self):
        data = super().clean()
        accompaniment, day = data.get("accompaniment"), data.get("date")
        if accompaniment and day:
            if day < accompaniment.start:
                self.add_error(
                    "date",
                    _("La rencontre ne peut pas précéder le début de l'accompagnement (%(start)s).")
                    % {"start": accompaniment.start.strftime("%d/%m/%Y")},
                )
            elif accompaniment.end and day > accompaniment.end:
                self.add_error(
                    "date",
                    _("L'accompagnement s'est terminé le %(end)s.")
                    % {"end": accompaniment.end.strftime("%d/%m/%Y")},
                )
        if (
            data.get("note_visibility") == Encounter.NoteVisibility.TEAM
            and data.get("note")
            and not self.team_sharing
        ):
            self.add_error(
                "note_visibility",
                _(
                    "La personne n'a pas donné son accord au partage avec l'équipe de soins : "
                    "la note ne peut pas être partagée."
                ),
            )
        return data


class AccompanimentForm(StyledForm, forms.ModelForm):
    date_rules = {"start": PAST_DATE, "end": PAST_DATE}

    class Meta:
        model = Accompaniment
        fields = ["setting", "facility", "peers", "start", "end", "end_reason"]
        widgets = {"start": date_input(), "end": date_input()}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.filter(organisation=organisation)
        self.fields["peers"].queryset = organisation_peers(organisation)
        self.fields["peers"].error_messages["required"] = _(
            "Choisissez au moins un·e pair-aidant·e."
        )
        self.style_fields()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin ne peut pas précéder le début de l'accompagnement."))
        if end and not data.get("end_reason"):
            self.add_error("end_reason", _("Indiquez le motif de fin."))
        if data.get("end_reason") and not end:
            self.add_error("end", _("Indiquez la date de fin."))
        return data


class ResourceForm(StyledForm, forms.ModelForm):
    commune = CommuneField(label=_("Commune (nom ou code INSEE)"))

    class Meta:
        model = Resource
        fields = ["name", "kind", "commune", "contact", "is_active"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].department = organisation.department_id
        self.style_fields()


class ReferralForm(StyledForm, forms.ModelForm):
    date_rules = {"date": PAST_DATE}

    class Meta:
        model = Referral
        fields = ["resource", "date", "outcome"]
        widgets = {"date": date_input()}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(
            organisation=organisation, is_active=True
        )
        self.fields["date"].initial = timezone.localdate
        self.style_fields()


class ReviewForm(StyledForm, forms.Form):
    """A dated review: for each life domain, the person's and the peer's rating (0–10)."""

    date_rules = {"date": PAST_DATE}

    version = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date du point"), widget=date_input())
    comment = forms.CharField(
        label=_("Ce que l'on retient (facultatif)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        self.fields["date"].initial = timezone.localdate
        for domain in domains:
            for who, label in (
                ("person", _("%(domain)s – note de la personne")),
                ("peer", _("%(domain)s – note du ou de la pair-aidant·e")),
            ):
                self.fields[f"{who}_{domain.pk}"] = forms.IntegerField(
                    label=label % {"domain": domain.name},
                    required=False,
                    min_value=0,
                    max_value=10,
                    error_messages={
                        "min_value": _("Une note va de 0 à 10."),
                        "max_value": _("Une note va de 0 à 10."),
                        "invalid": _("Une note est un nombre entier de 0 à 10."),
                    },
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
                )
        self.style_fields()

    def rows(self):
        return [(d, self[f"person_{d.pk}"], self[f"peer_{d.pk}"]) for d in self.domains]

    def clean(self):
        data = super().clean()
        scores = [data.get(f"{who}_{d.pk}") for d in self.domains for who in ("person", "peer")]
        if not self.errors and all(score is None for score in scores):
            raise forms.ValidationError(_("Donnez au moins une note pour un domaine."))
        return data

    def ratings(self):
        """[(domain, person_score, peer_score)] for the domains that received a rating."""
        data = self.cleaned_data
        return [
            (d, data.get(f"person_{d.pk}"), data.get(f"peer_{d.pk}"))
            for d in self.domains
            if data.get(f"person_{d.pk}") is not None or data.get(f"peer_{d.pk}") is not None
        ]


class RecoveryPlanForm(StyledForm, forms.Form):
    """The co-writing screen: edit goals and step statuses, add a domain, a goal or a step."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    new_domain = forms.CharField(label=_("Nouveau domaine de vie"), max_length=60, required=False)
    new_goal_domain = forms.ChoiceField(label=_("Domaine du nouvel objectif"), required=False)
    new_goal_text = forms.CharField(
        label=_("Nouvel objectif, avec les mots de la personne"), max_length=300, required=False
    )
    new_step_goal = forms.ChoiceField(label=_("Objectif de la nouvelle étape"), required=False)
    new_step_text = forms.CharField(label=_("Nouvelle étape"), max_length=200, required=False)

    def __init__(self, *args, plan, domains, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.domains, self.goals = plan, domains, goals
        self.fields["version"].initial = plan.version
        self.fields["new_goal_domain"].choices = [("", "—")] + [(d.pk, d.name) for d in domains]
        self.fields["new_step_goal"].choices = [("", "—")] + [(g.pk, g.text) for g in goals]
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.CharField(
                label=_("Objectif"), max_length=300, initial=goal.text
            )
            for step in goal.steps.all():
                self.fields[f"step_{step.pk}"] = forms.ChoiceField(
                    label=_("Où en est l'étape « %(step)s »") % {"step": step.text},
                    choices=Step.Status.choices,
                    initial=step.status,
                )
        self.style_fields()

    def clean_new_domain(self):
        name = self.cleaned_data["new_domain"].strip()
        if name and any(d.name.lower() == name.lower() for d in self.domains):
            raise forms.ValidationError(_("Ce domaine existe déjà dans le plan."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("new_goal_text") and not data.get("new_goal_domain"):
            self.add_error("new_goal_domain", _("Choisissez le domaine du nouvel objectif."))
        if data.get("new_step_text") and not data.get("new_step_goal"):
            self.add_error("new_step_goal", _("Choisissez l'objectif de la nouvelle étape."))
        return data

    def structure(self):
        """Domains → goals (with their bound field) → steps (with their bound field)."""
        by_domain = {}
        for goal in self.goals:
            steps = [(step, self[f"step_{step.pk}"]) for step in goal.steps.all()]
            by_domain.setdefault(goal.domain_id, []).append((goal, self[f"goal_{goal.pk}"], steps))
        return [(domain, by_domain.get(domain.pk, [])) for domain in self.domains]


class AnonymiseForm(PlausibleFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Je confirme : le pseudonyme, les notes et les textes libres seront effacés "
            "définitivement."
        ),
        error_messages={"required": _("Cochez la confirmation pour anonymiser.")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
