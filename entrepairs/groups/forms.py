from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.accounts.models import Membership
from entrepairs.core.forms import DurationField, PlausibleFormMixin
from entrepairs.core.roles import Role
from entrepairs.core.validators import DateRule
from entrepairs.territory.models import Facility
from entrepairs.workforce.models import PeerWorker

from .models import MAX_DURATION_MINUTES, Group, GroupSession

MAX_HEADCOUNT = 300


def style_widgets(form):
    """Bootstrap classes on every widget, so templates stay plain."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def peers_of(organisation):
    """Peers working in the organisation (employed or hosted), still there."""
    return (
        PeerWorker.objects.filter(Q(employer=organisation) | Q(host_organisation=organisation))
        .exclude(status=PeerWorker.Status.LEFT)
        .order_by("last_name", "first_name")
    )


class MembershipChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name() or obj.user.email


class GroupForm(PlausibleFormMixin, forms.ModelForm):
    """Create or edit a group. The peer or professional who creates it becomes a co-facilitator."""

    class Meta:
        model = Group
        fields = [
            "name",
            "kind",
            "facility",
            "community_place",
            "peer_facilitators",
            "professional_facilitators",
            "is_open",
            "usual_schedule",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        widgets = {
            "peer_facilitators": forms.CheckboxSelectMultiple,
            "professional_facilitators": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        org = membership.organisation
        self.fields["facility"].queryset = Facility.objects.filter(organisation=org).order_by(
            "name"
        )
        self.fields["facility"].empty_label = _("— aucun (lieu dans la cité) —")
        self.fields["peer_facilitators"].queryset = peers_of(org)
        self.fields["peer_facilitators"].required = membership.role != Role.PEER
        self.fields["professional_facilitators"] = MembershipChoiceField(
            queryset=Membership.objects.active()
            .filter(organisation=org, role__in=[Role.PROFESSIONAL, Role.COORDINATOR])
            .select_related("user")
            .order_by("user__last_name", "user__first_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("professionnel·les co-animateur·rices"),
        )
        self.fields["is_open"] = forms.TypedChoiceField(
            label=_("Le groupe est"),
            choices=[("True", _("ouvert (chacun·e peut venir)")), ("False", _("fermé"))],
            coerce=lambda v: v == "True",
            widget=forms.RadioSelect,
            initial="True" if self.instance.is_open else "False",
        )
        if membership.role == Role.PEER:
            self.fields["peer_facilitators"].help_text = _(
                "Vous êtes ajouté·e automatiquement comme co-animateur·rice."
            )
        style_widgets(self)

    def clean(self):
        data = super().clean()
        if not data.get("facility") and not data.get("community_place", "").strip():
            self.add_error(
                "community_place",
                _("Indiquez un dispositif ou un lieu dans la cité."),
            )
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La fin du cycle ne peut pas précéder son début."))
        return data

    def save(self, commit=True):
        group = super().save(commit=False)
        group.organisation = self.membership.organisation
        if group.pk is None:
            group.created_by = self.membership.user
        group.save()
        self.save_m2m()
        if self.membership.role == Role.PEER:
            own = peers_of(self.membership.organisation).filter(user=self.membership.user_id)
            group.peer_facilitators.add(*own)
        elif self.membership.role == Role.PROFESSIONAL:
            group.professional_facilitators.add(self.membership)
        return group


class SessionForm(PlausibleFormMixin, forms.ModelForm):
    """The quick form: date, duration, headcount. Naming persons is optional and folded away.

    The same form corrects a recorded session (``instance``), with the same checks."""

    date_rules = {
        "date": DateRule(
            years_ahead=0,
            future_message=_("La date de la séance ne peut pas être dans le futur."),
        )
    }

    class Meta:
        model = GroupSession
        fields = [
            "date",
            "duration_minutes",
            "headcount",
            "theme",
            "peers_present",
            "professionals_present",
            "attendees",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "peers_present": forms.CheckboxSelectMultiple,
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, group, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.membership = membership
        self.fields["date"].error_messages["invalid"] = _("Saisissez une date valide.")
        self.fields["duration_minutes"] = DurationField(
            label=_("Durée (minutes)"),
            help_text=_("1 h 30 = 90 minutes"),
            max_value=MAX_DURATION_MINUTES,
        )
        self.fields["headcount"] = forms.IntegerField(
            label=_("Nombre de participant·es"),
            help_text=_("Sans les animateur·rices. Ce nombre reste anonyme."),
            min_value=0,
            max_value=MAX_HEADCOUNT,
            error_messages={
                "min_value": _("Le nombre de participant·es ne peut pas être négatif."),
                "max_value": _("Le nombre de participant·es ne peut pas dépasser %(limit_value)s."),
                "invalid": _("Saisissez un nombre entier de participant·es."),
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        # When correcting a session, whoever was noted present stays offered even if they
        # no longer co-facilitate the group, so that saving does not drop them silently.
        session_pk = self.instance.pk
        peers = Q(pk__in=group.peer_facilitators.values("pk"))
        professionals = Q(pk__in=group.professional_facilitators.values("pk"))
        if session_pk:
            peers |= Q(pk__in=self.instance.peers_present.values("pk"))
            professionals |= Q(pk__in=self.instance.professionals_present.values("pk"))
        self.fields["peers_present"].queryset = PeerWorker.objects.filter(peers).order_by(
            "last_name", "first_name"
        )
        self.fields["professionals_present"] = MembershipChoiceField(
            queryset=Membership.objects.filter(professionals)
            .select_related("user")
            .order_by("user__last_name", "user__first_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("professionnel·les présent·es"),
        )
        self.fields["attendees"].queryset = self.nameable_persons()
        self.fields["attendees"].help_text = _(
            "Seulement les personnes accompagnées par un·e pair du groupe qui ont consenti "
            "à la tenue de leur dossier d'accompagnement."
        )
        self.kept_attendee_ids = self.attendees_out_of_reach()
        if session_pk:
            # Only the names the editor may see are ticked; the others are kept on save.
            self.initial["attendees"] = list(
                self.fields["attendees"]
                .queryset.filter(group_sessions=self.instance)
                .values_list("pk", flat=True)
            )
        style_widgets(self)

    def nameable_persons(self):
        """Persons that may be named: visible to the recorder, of the group's organisation,
        accompanied by one of its peer facilitators (or already named on this session), with
        their record consent in force."""
        accompanied = Q(
            pk__in=Person.objects.filter(
                accompaniments__peers__in=self.group.peer_facilitators.all()
            ).values("pk")
        )
        if self.instance.pk:
            accompanied |= Q(pk__in=self.instance.attendees.values("pk"))
        return (
            Person.objects.visible_to(self.membership)
            .filter(accompanied, organisation_id=self.group.organisation_id)
            .with_consent(ConsentPurpose.RECORD)
            .order_by("alias")
        )

    def attendees_out_of_reach(self):
        """Ids of persons named on this session whom the editor may not see or name (not
        visible to them, or record consent withdrawn). A correction keeps them as they are:
        nobody removes, or learns the name of, a person they may not see."""
        if not self.instance.pk:
            return []
        return list(
            self.instance.attendees.exclude(
                pk__in=self.fields["attendees"].queryset.values("pk")
            ).values_list("pk", flat=True)
        )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if self.group.starts_on and value < self.group.starts_on:
            raise forms.ValidationError(
                _("La séance ne peut pas précéder le début du cycle (%(date)s).")
                % {"date": date_format(self.group.starts_on, "SHORT_DATE_FORMAT")}
            )
        return value

    def clean(self):
        data = super().clean()
        named = len(data.get("attendees") or []) + len(self.kept_attendee_ids)
        headcount = data.get("headcount")
        if headcount is not None and named > headcount:
            self.add_error("headcount", self.headcount_message(named))
        return data

    def headcount_message(self, named):
        if self.kept_attendee_ids:
            return ngettext(
                "Cette séance compte %(named)d personne nommée : le nombre de participant·es "
                "doit l'inclure (au moins %(named)d).",
                "Cette séance compte %(named)d personnes nommées : le nombre de participant·es "
                "doit les inclure (au moins %(named)d).",
                named,
            ) % {"named": named}
        return ngettext(
            "Vous avez nommé %(named)d personne : le nombre de participant·es doit "
            "l'inclure (au moins %(named)d).",
            "Vous avez nommé %(named)d personnes : le nombre de participant·es doit "
            "les inclure (au moins %(named)d).",
            named,
        ) % {"named": named}

    def save(self, commit=True):
        """Save the session and its attendance; call inside ``transaction.atomic``."""
        session = super().save(commit=False)
        session.group = self.group
        if session.pk is None:
            session.recorded_by = self.membership.user
        session.save()
        self.save_m2m()
        session.attendees.add(*self.kept_attendee_ids)
        return session
