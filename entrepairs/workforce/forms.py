"""Workforce forms. Every message is French; nothing is saved unless everything is valid."""

from decimal import Decimal

import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.models import Membership
from entrepairs.core.forms import DurationField, PlausibleFormMixin
from entrepairs.core.roles import Role
from entrepairs.core.validators import PAST_DATE, DateRule
from entrepairs.territory.models import Facility, Organisation

from .models import (
    CodeOfConduct,
    Contract,
    EthicsJournalEntry,
    Mentoring,
    MentoringMeeting,
    MissionCharter,
    PeerWorker,
    SalaryGrid,
    SalaryStep,
    SupervisionSession,
    Training,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_A_MEMBER_OF_YOURS = _("Choisissez une personne de votre organisation dans la liste.")
NOT_A_PEER_OF_YOURS = _("Choisissez des pairs-aidant·es de votre organisation dans la liste.")
SUPERVISION_MINUTES = (15, 480)
MENTORING_MEETING_MINUTES = (5, 480)


class BootstrapMixin(PlausibleFormMixin):
    """Bootstrap classes and aria-describedby on every widget (errors and help); the shared
    plausibility rules come with it."""

    def _style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                pass
            else:
                widget.attrs.setdefault("class", "form-control")
            described = []
            if field.help_text:
                described.append(f"id_{name}_helptext")
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}_error")
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        self._style()


class ContractForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "kind",
            "employer",
            "start",
            "end",
            "fte",
            "grade",
            "gross_monthly_pay",
            "funding",
        ]
        widgets = {"start": DATE, "end": DATE}
        help_texts = {"end": _("Laisser vide pour un contrat sans date de fin.")}

    def __init__(self, *args, peer, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.peer = peer
        # A contract belongs to its employer: an organisation records only its own contracts
        # (the host of a seconded peer never writes one in the association's name).
        employer = self.fields["employer"]
        employer.queryset = Organisation.objects.filter(pk=membership.organisation_id)
        employer.initial = membership.organisation_id
        employer.error_messages["invalid_choice"] = _(
            "Un contrat est enregistré par son employeur : choisissez votre organisation."
        )
        employer.help_text = _("Votre organisation : chaque employeur enregistre ses contrats.")
        grids = SalaryGrid.objects.usable_by(membership.organisation_id)
        self.fields["grade"].queryset = SalaryStep.objects.filter(grid__in=grids).select_related(
            "grid"
        )
        self.fields["grade"].error_messages["invalid_choice"] = _(
            "Choisissez un échelon d'une grille de votre organisation."
        )
        self.fields["grade"].help_text = _(
            "Les grilles marquées « grille d'exemple » ne sont pas réglementaires."
        )
        self.fields["gross_monthly_pay"].help_text = _("Laisser vide pour reprendre l'échelon.")
        self.fields["fte"].error_messages["max_value"] = _(
            "La quotité (ETP) doit être comprise entre 0,01 et 1."
        )
        self.fields["fte"].error_messages["min_value"] = _(
            "La quotité (ETP) doit être comprise entre 0,01 et 1."
        )
        self._style()

    def clean_fte(self):
        fte = self.cleaned_data["fte"]
        if fte is not None and not (Decimal("0") < fte <= Decimal("1")):
            raise forms.ValidationError(_("La quotité (ETP) doit être comprise entre 0,01 et 1."))
        return fte

    def clean(self):
        cleaned = super().clean()
        grade = cleaned.get("grade")
        if grade and cleaned.get("gross_monthly_pay") is None:
            cleaned["gross_monthly_pay"] = grade.gross_monthly
            self.instance.gross_monthly_pay = grade.gross_monthly
        return cleaned


# Mission charters -----------------------------------------------------------------------------
class MissionCharterForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MissionCharter
        fields = [
            "facility",
            "team_lead",
            "referent",
            "share_individual",
            "share_groups",
            "share_institutional",
            "tasks_in_scope",
            "out_of_scope",
            "supervision_every_weeks",
            "shared_with_team",
            "stays_private",
            "review_by",
        ]
        widgets = {
            "review_by": DATE,
            "tasks_in_scope": forms.Textarea(attrs={"rows": 4}),
            "out_of_scope": forms.Textarea(attrs={"rows": 3}),
            "shared_with_team": forms.Textarea(attrs={"rows": 3}),
            "stays_private": forms.Textarea(attrs={"rows": 3}),
        }

    date_rules = {"review_by": DateRule(years_ahead=5)}

    def __init__(self, *args, peer, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.peer = peer
        self.fields["supervision_every_weeks"] = DurationField(
            label=self.fields["supervision_every_weeks"].label,
            unit="weeks",
            max_value=52,
            initial=self.fields["supervision_every_weeks"].initial,
        )
        # Only the organisation's own facilities: a charter belongs to where the mission is.
        self.fields["facility"].queryset = Facility.objects.filter(
            organisation_id=membership.organisation_id, deployments__peer=peer
        ).distinct()
        self.fields["facility"].error_messages["invalid_choice"] = _(
            "Choisissez un dispositif de votre organisation où ce·tte pair intervient."
        )
        professionals = (
            Membership.objects.active()
            .filter(organisation_id=membership.organisation_id, role=Role.PROFESSIONAL)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        for name in ("team_lead", "referent"):
            self.fields[name].queryset = professionals
            self.fields[name].error_messages["invalid_choice"] = NOT_A_MEMBER_OF_YOURS
            self.fields[name].label_from_instance = lambda m: m.user.get_full_name() or m.user.email
        self.fields["team_lead"].help_text = _(
            "Professionnel·le du dispositif qui signera la fiche après le·la pair-aidant·e."
        )
        for name in ("share_individual", "share_groups", "share_institutional"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 100})
        self.fields["share_institutional"].help_text = _("Les trois parts font 100 % au total.")
        self._style()

    def clean(self):
        cleaned = super().clean()
        shares = [
            cleaned.get(n) for n in ("share_individual", "share_groups", "share_institutional")
        ]
        if all(s is not None for s in shares) and sum(shares) != 100:
            raise forms.ValidationError(
                _("Les parts de temps doivent faire 100 %% au total (actuellement %(t)s %%).")
                % {"t": sum(shares)}
            )
        return cleaned


# Trainings ------------------------------------------------------------------------------------
MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024
CERTIFICATE_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


class TrainingForm(BootstrapMixin, forms.ModelForm):
    certificate = forms.FileField(
        label=_("Attestation ou diplôme (facultatif)"),
        required=False,
        help_text=_("PDF, PNG ou JPEG, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    class Meta:
        model = Training
        fields = ["kind", "title", "provider", "start", "end", "status"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, peer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.peer = peer
        self._style()

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if not upload:
            return None
        if upload.size > MAX_CERTIFICATE_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo : réduisez-le ou scannez-le."))
        head = upload.read(262)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in CERTIFICATE_TYPES:
            raise forms.ValidationError(
                _("Ce fichier n'est ni un PDF ni une image PNG ou JPEG (vérifié sur son contenu).")
            )
        upload.detected_mime = kind.mime
        return upload

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La date de fin ne peut pas précéder la date de début."))
        return cleaned


# Competencies ---------------------------------------------------------------------------------
class AssessmentForm(BootstrapMixin, forms.Form):
    date_rules = {"date": PAST_DATE}
    date = forms.DateField(label=_("Date de l'évaluation"), widget=DATE)
    evidence = forms.CharField(
        label=_("Élément de preuve (facultatif)"),
        max_length=300,
        required=False,
        help_text=_(
            "Une activité enregistrée, sans nom de personne : « groupe de parole du 12 mars »."
        ),
    )

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        for competency in self.competencies:
            self.fields[f"level_{competency.pk}"] = forms.TypedChoiceField(
                label=competency.name,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("— pas évaluée cette fois —"))]
                + [(n, f"{n} – {text}") for n, text in enumerate(competency.levels, start=1)],
            )
        self._style()

    def level_fields(self):
        return [self[f"level_{c.pk}"] for c in self.competencies]

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"level_{c.pk}") for c in self.competencies):
            raise forms.ValidationError(_("Indiquez le niveau d'au moins une compétence."))
        return cleaned

    def levels(self):
        return [
            (c, self.cleaned_data[f"level_{c.pk}"])
            for c in self.competencies
            if self.cleaned_data.get(f"level_{c.pk}")
        ]


# Code of conduct, journal, supervision, mentoring -------------------------------------------
class CodeOfConductForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CodeOfConduct
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class JournalEntryForm(BootstrapMixin, forms.ModelForm):
    date_rules = {"date": PAST_DATE}

    class Meta:
        model = EthicsJournalEntry
        fields = ["date", "situation", "question", "what_helped", "brought_to"]
        widgets = {
            "date": DATE,
            "situation": forms.Textarea(attrs={"rows": 4}),
            "question": forms.Textarea(attrs={"rows": 3}),
            "what_helped": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "brought_to": _(
                "Si vous choisissez une séance, les participant·es de cette séance pourront lire "
                "cette réflexion. Sinon, elle reste privée : personne d'autre que vous ne la voit."
            )
        }

    def __init__(self, *args, peer, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.peer = peer
        # Sessions of the organisation the peer acts for: an entry never crosses to another.
        self.fields["brought_to"].queryset = SupervisionSession.objects.filter(
            participants=peer, organisation_id=membership.organisation_id
        )
        self.fields["brought_to"].error_messages["invalid_choice"] = _(
            "Choisissez une séance de votre organisation à laquelle vous avez participé."
        )
        self.fields["brought_to"].empty_label = _("Non, je la garde pour moi")
        self._style()


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.email} ({obj.get_role_display()})"


class MembershipMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.email} ({obj.get_role_display()})"


class SupervisionSessionForm(BootstrapMixin, forms.ModelForm):
    date_rules = {
        "date": DateRule(
            years_ahead=0, future_message=_("Une séance future ne peut pas être enregistrée.")
        )
    }

    class Meta:
        model = SupervisionSession
        fields = ["date", "kind", "duration_minutes", "facilitator", "participants"]
        widgets = {"date": DATE, "participants": forms.CheckboxSelectMultiple}

    duration_minutes = DurationField(
        label=_("Durée (minutes)"),
        min_value=SUPERVISION_MINUTES[0],
        max_value=SUPERVISION_MINUTES[1],
    )
    staff_participants = MembershipMultipleChoiceField(
        label=_("Autres participant·es de l'équipe"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation_id = membership.organisation_id
        self.fields["participants"].queryset = PeerWorker.objects.visible_to(membership).exclude(
            status=PeerWorker.Status.LEFT
        )
        self.fields["participants"].error_messages["invalid_choice"] = NOT_A_PEER_OF_YOURS
        self.fields["staff_participants"].queryset = (
            Membership.objects.active()
            .filter(
                organisation_id=membership.organisation_id,
                role__in=(Role.PROFESSIONAL, Role.COORDINATOR),
            )
            .select_related("user")
        )
        self.fields["staff_participants"].error_messages["invalid_choice"] = NOT_A_MEMBER_OF_YOURS
        self._style()

    def save(self, commit=True):
        session = super().save(commit)
        if commit:
            session.staff_participants.set(self.cleaned_data["staff_participants"])
        return session


class MentoringForm(BootstrapMixin, forms.ModelForm):
    mentor = MembershipChoiceField(label=_("Mentor"), queryset=Membership.objects.none())
    mentee = MembershipChoiceField(
        label=_("Personne accompagnée dans le mentorat"), queryset=Membership.objects.none()
    )

    class Meta:
        model = Mentoring
        fields = ["mentor", "mentee", "goals", "start", "end"]
        widgets = {"start": DATE, "end": DATE, "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation_id = membership.organisation_id
        people = (
            Membership.objects.active()
            .filter(
                organisation_id=membership.organisation_id,
                role__in=(Role.PEER, Role.PROFESSIONAL),
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        for name in ("mentor", "mentee"):
            self.fields[name].queryset = people
            self.fields[name].error_messages["invalid_choice"] = NOT_A_MEMBER_OF_YOURS
        self._style()

    def clean(self):
        cleaned = super().clean()
        mentor, mentee = cleaned.get("mentor"), cleaned.get("mentee")
        start, end = cleaned.get("start"), cleaned.get("end")
        if mentor and mentee:
            if mentor.user_id == mentee.user_id:
                raise forms.ValidationError(
                    _(
                        "Le mentor et la personne accompagnée doivent être deux personnes différentes."
                    )
                )
            if Role.PEER not in (mentor.role, mentee.role):
                raise forms.ValidationError(
                    _("Un mentorat croisé associe au moins un·e pair-aidant·e.")
                )
        if start and end and end < start:
            self.add_error("end", _("La date de fin ne peut pas précéder la date de début."))
        return cleaned


class MentoringMeetingForm(BootstrapMixin, forms.ModelForm):
    date_rules = {
        "date": DateRule(
            years_ahead=0, future_message=_("Une rencontre future ne peut pas être enregistrée.")
        )
    }
    duration_minutes = DurationField(
        label=_("Durée (minutes)"),
        min_value=MENTORING_MEETING_MINUTES[0],
        max_value=MENTORING_MEETING_MINUTES[1],
    )

    class Meta:
        model = MentoringMeeting
        fields = ["date", "duration_minutes", "topics"]
        widgets = {"date": DATE}

    def __init__(self, *args, mentoring, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.mentoring = mentoring
        self._style()

    def clean_date(self):
        date = self.cleaned_data["date"]
        mentoring = self.instance.mentoring
        if date < mentoring.start or (mentoring.end and date > mentoring.end):
            raise forms.ValidationError(
                _("La date doit être comprise dans la période du mentorat.")
            )
        return date
