"""The filters, sort keys and export columns of the workforce lists (core/listing.py).

Exports hold what the list shows to managers, never a free text (mentoring goals, supervision
themes) nor a contact detail.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import Column, ListFilterSet, SortFilter
from entrepairs.core.roles import Role
from entrepairs.territory.models import Facility

from .models import Contract, Deployment, PeerWorker, SupervisionSession, Training
from .models.practice import supervision_overdue_since

YES_NO = (("oui", _("oui")), ("non", _("non")))


def _name_q(prefix=""):
    def method(queryset, name, value):
        return queryset.filter(
            Q(**{f"{prefix}last_name__icontains": value})
            | Q(**{f"{prefix}first_name__icontains": value})
        )

    return method


def _org_facilities(membership):
    if membership is None:
        return Facility.objects.none()
    return Facility.objects.filter(organisation_id=membership.organisation_id).order_by("name")


class PeerFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_name", label=_("Nom ou prénom"), max_length=60)
    statut = django_filters.ChoiceFilter(
        field_name="status",
        choices=PeerWorker.Status.choices,
        label=_("Statut"),
        empty_label=_("tous"),
    )
    titre = django_filters.ChoiceFilter(
        field_name="title",
        choices=PeerWorker.Title.choices,
        label=_("Titre"),
        empty_label=_("tous"),
    )
    lieu = django_filters.ModelChoiceFilter(
        queryset=Facility.objects.none(),
        method="filter_facility",
        label=_("Lieu d'intervention"),
        empty_label=_("tous"),
    )
    tri = SortFilter(
        fields=(
            ("last_name", "nom"),
            ("title_rank", "titre"),
            ("status_rank", "statut"),
            ("signed_charters", "fiches"),
            ("last_supervision", "supervision"),
        )
    )
    default_order = ("last_name", "first_name")
    choice_orders = {"title": PeerWorker.Title.choices, "status": PeerWorker.Status.choices}

    def scope_choices(self, membership):
        self.filters["lieu"].queryset = _org_facilities(membership)
        self.form.fields["lieu"].queryset = _org_facilities(membership)

    def filter_name(self, queryset, name, value):
        return _name_q()(queryset, name, value)

    def filter_facility(self, queryset, name, value):
        return queryset.filter(pk__in=Deployment.objects.filter(facility=value).values("peer_id"))


PEER_COLUMNS = (
    Column(_("Nom"), lambda p: p.last_name),
    Column(_("Prénom"), lambda p: p.first_name),
    Column(_("Titre"), lambda p: p.get_title_display()),
    Column(_("Statut"), lambda p: p.get_status_display()),
    Column(
        _("Lieux d'intervention"), lambda p: ", ".join(str(d.facility) for d in p.deployments.all())
    ),
    Column(
        _("Contrat en cours"),
        lambda p: ", ".join(f"{c.get_kind_display()} ({c.fte} ETP)" for c in p.current_contracts),
    ),
    Column(_("Fiches signées"), lambda p: p.signed_charters),
    Column(_("Dernière supervision"), lambda p: p.last_supervision),
    Column(_("Supervision en retard depuis"), lambda p: supervision_overdue_since(p)),
)


class ContractFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_name", label=_("Pair"), max_length=60)
    type = django_filters.ChoiceFilter(
        field_name="kind", choices=Contract.Kind.choices, label=_("Type"), empty_label=_("tous")
    )
    financement = django_filters.ChoiceFilter(
        field_name="funding",
        choices=Contract.Funding.choices,
        label=_("Financement"),
        empty_label=_("tous"),
    )
    en_cours = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_current", label=_("En cours"), empty_label=_("tous")
    )
    precaire = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_precarious", label=_("Précaire"), empty_label=_("tous")
    )
    tri = SortFilter(
        fields=(
            ("peer__last_name", "pair"),
            ("kind_rank", "type"),
            ("employer__name", "employeur"),
            ("start", "debut"),
            ("end", "fin"),
            ("fte", "etp"),
            ("funding_rank", "financement"),
        )
    )
    default_order = ("-start",)
    choice_orders = {"kind": Contract.Kind.choices, "funding": Contract.Funding.choices}

    def filter_name(self, queryset, name, value):
        return _name_q("peer__")(queryset, name, value)

    def filter_current(self, queryset, name, value):
        current = Contract.objects.current().values("pk")
        return (
            queryset.filter(pk__in=current) if value == "oui" else queryset.exclude(pk__in=current)
        )

    def filter_precarious(self, queryset, name, value):
        q = Contract.precarious_q()
        return queryset.filter(q) if value == "oui" else queryset.exclude(q)


CONTRACT_COLUMNS = (
    Column(_("Pair"), lambda c: str(c.peer)),
    Column(_("Type"), lambda c: c.get_kind_display()),
    Column(_("Employeur"), lambda c: str(c.employer)),
    Column(_("Début"), lambda c: c.start),
    Column(_("Fin"), lambda c: c.end),
    Column(_("ETP"), lambda c: c.fte),
    Column(_("Financement"), lambda c: c.get_funding_display()),
    Column(_("Grille et échelon"), lambda c: str(c.grade) if c.grade_id else ""),
    Column(_("Précarité"), lambda c: ", ".join(str(r) for r in c.precarity_reasons)),
)


class TrainingFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Pair ou intitulé"), max_length=60)
    type = django_filters.ChoiceFilter(
        field_name="kind", choices=Training.Kind.choices, label=_("Type"), empty_label=_("tous")
    )
    statut = django_filters.ChoiceFilter(
        field_name="status",
        choices=Training.Status.choices,
        label=_("Statut"),
        empty_label=_("tous"),
    )
    tri = SortFilter(
        fields=(
            ("peer__last_name", "pair"),
            ("kind_rank", "type"),
            ("title", "intitule"),
            ("provider", "organisme"),
            ("start", "debut"),
            ("status_rank", "statut"),
        )
    )
    default_order = ("-start",)
    choice_orders = {"kind": Training.Kind.choices, "status": Training.Status.choices}

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(peer__last_name__icontains=value)
            | Q(peer__first_name__icontains=value)
        )


TRAINING_COLUMNS = (
    Column(_("Pair"), lambda t: str(t.peer)),
    Column(_("Type"), lambda t: t.get_kind_display()),
    Column(_("Intitulé"), lambda t: t.title),
    Column(_("Organisme"), lambda t: t.provider),
    Column(_("Début"), lambda t: t.start),
    Column(_("Fin"), lambda t: t.end),
    Column(_("Statut"), lambda t: t.get_status_display()),
    Column(_("Attestation déposée"), lambda t: bool(t.certificate_path)),
)


class SupervisionFilter(ListFilterSet):
    type = django_filters.ChoiceFilter(
        field_name="kind",
        choices=SupervisionSession.Kind.choices,
        label=_("Type"),
        empty_label=_("tous"),
    )
    du = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Du"))
    au = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Au"))
    tri = SortFilter(
        fields=(
            ("date", "date"),
            ("kind_rank", "type"),
            ("duration_minutes", "duree"),
            ("n_peers", "pairs"),
        )
    )
    default_order = ("-date",)
    choice_orders = {"kind": SupervisionSession.Kind.choices}


SUPERVISION_COLUMNS = (
    Column(_("Date"), lambda s: s.date),
    Column(_("Type"), lambda s: s.get_kind_display()),
    Column(_("Durée (minutes)"), lambda s: s.duration_minutes),
    Column(_("Nombre de pairs"), lambda s: s.n_peers),
)


class MentoringFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_name", label=_("Nom"), max_length=60)
    en_cours = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_active", label=_("En cours"), empty_label=_("tous")
    )
    tri = SortFilter(
        fields=(
            ("mentor__user__last_name", "mentor"),
            ("start", "debut"),
            ("n_meetings", "rencontres"),
        )
    )
    default_order = ("-start",)

    def filter_name(self, queryset, name, value):
        return queryset.filter(
            Q(mentor__user__last_name__icontains=value)
            | Q(mentor__user__first_name__icontains=value)
            | Q(mentee__user__last_name__icontains=value)
            | Q(mentee__user__first_name__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        active = Q(end__isnull=True) | Q(end__gte=today)
        active &= Q(start__lte=today)
        return queryset.filter(active) if value == "oui" else queryset.exclude(active)


MENTORING_COLUMNS = (
    Column(_("Mentor"), lambda m: m.mentor.user.get_full_name()),
    Column(_("Personne accompagnée dans le mentorat"), lambda m: m.mentee.user.get_full_name()),
    Column(_("Sens"), lambda m: m.direction),
    Column(_("Début"), lambda m: m.start),
    Column(_("Fin"), lambda m: m.end),
    Column(_("Rencontres"), lambda m: m.n_meetings),
)


class CharterFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_name", label=_("Pair"), max_length=60)
    dispositif = django_filters.ModelChoiceFilter(
        field_name="facility",
        queryset=Facility.objects.none(),
        label=_("Dispositif"),
        empty_label=_("tous"),
    )
    signee = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_signed", label=_("Signée"), empty_label=_("toutes")
    )
    en_vigueur = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_current",
        label=_("Version en vigueur"),
        empty_label=_("toutes"),
    )
    tri = SortFilter(
        fields=(
            ("peer__last_name", "pair"),
            ("facility__name", "dispositif"),
            ("version", "version"),
            ("fully_signed_at", "signature"),
        )
    )
    default_order = ("peer__last_name", "-version")

    def scope_choices(self, membership):
        # A charter lives in the host facility: the organisation's facilities only.
        self.form.fields["dispositif"].queryset = _org_facilities(membership)
        self.filters["dispositif"].queryset = _org_facilities(membership)

    def filter_name(self, queryset, name, value):
        return _name_q("peer__")(queryset, name, value)

    def filter_signed(self, queryset, name, value):
        return queryset.filter(fully_signed_at__isnull=value != "oui")

    def filter_current(self, queryset, name, value):
        return queryset.filter(next_version__isnull=value == "oui")


CHARTER_COLUMNS = (
    Column(_("Pair"), lambda c: str(c.peer)),
    Column(_("Dispositif"), lambda c: str(c.facility)),
    Column(_("Version"), lambda c: c.version),
    Column(_("Remplacée"), lambda c: hasattr(c, "next_version")),
    Column(_("Part individuelle (%)"), lambda c: c.share_individual),
    Column(_("Part groupes (%)"), lambda c: c.share_groups),
    Column(_("Part institutionnelle (%)"), lambda c: c.share_institutional),
    Column(_("Signée le"), lambda c: c.fully_signed_at),
    Column(_("Signatures"), lambda c: len(c.signatures.all())),
)


class AcknowledgementFilter(ListFilterSet):
    lue = django_filters.ChoiceFilter(
        field_name="acknowledged",
        choices=YES_NO,
        method="filter_read",
        label=_("Version actuelle lue"),
        empty_label=_("tous"),
    )
    tri = SortFilter(
        fields=(
            ("user__last_name", "personne"),
            ("role_rank", "role"),
            ("acknowledged", "lue"),
        )
    )
    default_order = ("acknowledged", "user__last_name")
    choice_orders = {"role": Role.choices}

    def filter_read(self, queryset, name, value):
        return queryset.filter(acknowledged=value == "oui")
