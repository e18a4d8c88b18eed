"""What can be searched, kind by kind: each through the owning app's roles and ``visible_to()``.

A ``Source`` names the roles of the owning app that may read that kind (the roles of the page
its results link to, so that a result never leads to a 403), the queryset of what the current
membership may see (the app's own getter or ``visible_to()``), the columns searched, and how a
result reads and where it leads. Adding a kind is adding one ``Source`` here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from entrepairs.accompaniment.access import PERSON_READERS
from entrepairs.accompaniment.models import Person, Resource
from entrepairs.evaluation.access import CAMPAIGN_RUNNERS
from entrepairs.evaluation.models import Campaign
from entrepairs.groups.access import GROUP_READERS
from entrepairs.groups.models import Group
from entrepairs.institution.access import ACTIVITY_READERS
from entrepairs.institution.models import InstitutionalActivity
from entrepairs.workforce.access import (
    DOSSIER_READERS,
    MANAGERS,
    ORGANISATION_READERS,
    charters_for,
    contracts_for,
    trainings_for,
)
from entrepairs.workforce.models import PeerWorker

from .matching import matching

# Results shown per kind: beyond, the page asks for more precise words.
LIMIT = 20


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    roles: frozenset
    queryset: Callable  # membership -> the rows that membership may see
    fields: tuple
    describe: Callable  # row -> the text of the result
    url: Callable  # row -> the page of the result
    order_by: tuple
    # Logged as read (personal data, or what the owning app's list logs); the resource
    # directory is not person data and its own list does not log it.
    audited: bool = True

    def search(self, membership, words) -> tuple[list, bool]:
        """(at most ``LIMIT`` rows, whether there were more)."""
        rows = list(
            matching(self.queryset(membership), self.fields, words).order_by(*self.order_by)[
                : LIMIT + 1
            ]
        )
        return rows[:LIMIT], len(rows) > LIMIT


def _person(person):
    return _("%(alias)s, né·e en %(year)s") % {"alias": person.alias, "year": person.birth_year}


def _contract(contract):
    end = (
        _("jusqu'au %(date)s") % {"date": date_format(contract.end, "SHORT_DATE_FORMAT")}
        if contract.end
        else _("sans date de fin")
    )
    return f"{contract.get_kind_display()} – {contract.peer} – {contract.employer} ({end})"


def _charter(charter):
    state = _("signée") if charter.fully_signed_at else _("en signature")
    return _("Fiche de mission v%(v)s – %(peer)s – %(facility)s (%(state)s)") % {
        "v": charter.version,
        "peer": charter.peer,
        "facility": charter.facility,
        "state": state,
    }


def _activity(activity):
    return f"{activity.title} – {date_format(activity.date, 'SHORT_DATE_FORMAT')}"


SOURCES = [
    Source(
        "persons",
        _("Personnes accompagnées"),
        PERSON_READERS,
        lambda m: Person.objects.visible_to(m),
        ("alias",),
        _person,
        lambda p: reverse("accompaniment:person_detail", args=[p.pk]),
        ("alias", "pk"),
    ),
    Source(
        "peers",
        _("Pairs"),
        DOSSIER_READERS,
        lambda m: PeerWorker.objects.visible_to(m),
        ("first_name", "last_name"),
        lambda p: f"{p} – {p.get_title_display()}",
        lambda p: reverse("workforce:peer_detail", args=[p.pk]),
        ("last_name", "first_name", "pk"),
    ),
    Source(
        "contracts",
        _("Contrats"),
        DOSSIER_READERS,
        contracts_for,
        ("peer__first_name", "peer__last_name", "employer__name"),
        _contract,
        lambda c: reverse("workforce:contract_detail", args=[c.pk]),
        ("peer__last_name", "-start", "pk"),
    ),
    Source(
        "trainings",
        _("Formations"),
        MANAGERS,
        trainings_for,
        ("title", "provider", "peer__first_name", "peer__last_name"),
        lambda t: f"{t.title} – {t.peer} ({t.get_status_display()})",
        lambda t: reverse("workforce:peer_detail", args=[t.peer_id]),
        ("peer__last_name", "-start", "pk"),
    ),
    Source(
        "charters",
        _("Fiches de mission"),
        ORGANISATION_READERS,
        charters_for,
        ("peer__first_name", "peer__last_name", "facility__name"),
        _charter,
        lambda c: reverse("workforce:charter_detail", args=[c.pk]),
        ("peer__last_name", "facility__name", "-version", "pk"),
    ),
    Source(
        "groups",
        _("Groupes"),
        GROUP_READERS,
        lambda m: Group.objects.visible_to(m),
        ("name", "community_place"),
        lambda g: g.name if g.is_active else _("%(name)s (terminé)") % {"name": g.name},
        lambda g: reverse("groups:group_detail", args=[g.pk]),
        ("-is_active", "name", "pk"),
    ),
    Source(
        "campaigns",
        _("Campagnes de questionnaires"),
        CAMPAIGN_RUNNERS,
        lambda m: Campaign.objects.visible_to(m),
        ("title",),
        lambda c: c.title if not c.is_closed else _("%(title)s (close)") % {"title": c.title},
        lambda c: reverse("evaluation:campaign_detail", args=[c.pk]),
        ("-opens_on", "title", "pk"),
    ),
    Source(
        "activities",
        _("Participation institutionnelle"),
        ACTIVITY_READERS,
        lambda m: InstitutionalActivity.objects.visible_to(m),
        ("title",),
        _activity,
        lambda a: reverse("institution:activity_detail", args=[a.pk]),
        ("-date", "pk"),
    ),
    Source(
        "resources",
        _("Ressources du territoire"),
        PERSON_READERS,
        lambda m: Resource.objects.visible_to(m),
        ("name",),
        lambda r: f"{r.name} – {r.get_kind_display()}",
        lambda r: reverse("accompaniment:resource_list") + f"?type={r.kind}",
        ("name", "pk"),
        audited=False,
    ),
]


def sources_for(membership) -> list[Source]:
    if membership is None:
        return []
    return [source for source in SOURCES if membership.role in source.roles]
