"""Who may do what with persons accompanied, and the getters every accompaniment view starts
with. Getters answer 404 for what the current membership may not see (``visible_to()``)."""

from functools import wraps

from django.shortcuts import get_object_or_404, render

from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.core.roles import CARE_ROLES, Role
from entrepairs.workforce.access import get_current_peer_for

from .models import Accompaniment, Consent, ConsentPurpose, Encounter, Person, Referral, Resource

# Roles that see persons (the direction, observers and admins get 403 everywhere here).
PERSON_READERS = CARE_ROLES
# Roles that write the accompaniment record; professionals only read what is shared.
RECORD_WRITERS = frozenset({Role.PEER, Role.COORDINATOR})
# Who may take a list of persons away (CSV, XLSX): the roles that hold the records, never a
# professional, who only reads what persons chose to share with the care team.
PERSON_EXPORTERS = RECORD_WRITERS
# The directory of resources holds no personal data: every reader may take it away.
RESOURCE_EXPORTERS = PERSON_READERS
# Only a peer records an encounter, as the peer who met the person.
PEERS = frozenset({Role.PEER})


def can_write_record(membership) -> bool:
    return membership is not None and membership.role in RECORD_WRITERS


def get_person_for(request, pk, queryset=None) -> Person:
    """The person ``pk`` if the current membership may see them, else 404."""
    queryset = queryset if queryset is not None else Person.objects.all()
    return get_object_or_404(queryset.visible_to(request.membership), pk=pk)


def get_own_encounter_for(request, pk) -> Encounter:
    """An encounter the current peer recorded, for a person they may still see, else 404."""
    peer = get_current_peer_for(request)
    membership = request.membership
    encounters = (
        Encounter.objects.visible_to(membership)
        .filter(peer=peer, organisation_id=membership.organisation_id)
        .select_related("accompaniment__person")
    )
    return get_object_or_404(encounters, pk=pk)


def get_accompaniment_for(request, pk) -> Accompaniment:
    episodes = Accompaniment.objects.visible_to(request.membership).select_related("person")
    return get_object_or_404(episodes, pk=pk)


def get_resource_for(request, pk) -> Resource:
    return get_object_or_404(Resource.objects.visible_to(request.membership), pk=pk)


def get_referral_for(request, pk) -> Referral:
    referrals = Referral.objects.visible_to(request.membership).select_related("person")
    return get_object_or_404(referrals, pk=pk)


class RecordFrozen(Exception):
    """The person withdrew the "record" consent: their record takes no new entry, change or
    deletion (docs/accompagnement.md, « Ce que fait un retrait »)."""

    def __init__(self, person):
        super().__init__(person.pk)
        self.person = person


def ensure_open_record(person) -> Person:
    """``person`` if their record may still change, else raise ``RecordFrozen``."""
    if not person.record_is_open:
        raise RecordFrozen(person)
    return person


def lock_open_record(person) -> None:
    """Inside the write's transaction: lock the person's row (as ``Consent.decide`` does)
    and check again that the "record" consent is in force, so that a withdrawal saved
    since the page was checked stops the write (the transaction then rolls back)."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    in_force = Consent.current_given(ConsentPurpose.RECORD).filter(person_id=person.pk).exists()
    if not in_force:
        raise RecordFrozen(person)


def get_open_record_for(request, pk, queryset=None) -> Person:
    """The person ``pk`` (404 as ``get_person_for``), if their record may still change."""
    queryset = queryset if queryset is not None else Person.objects.all()
    return ensure_open_record(get_person_for(request, pk, queryset.prefetch_related("consents")))


def refuses_frozen_record(view):
    """Answer 403 with a French explanation when the view meets a frozen record, on GET as
    on POST (a tampered form saves nothing: the write's transaction has rolled back)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RecordFrozen as frozen:
            # Read again: the withdrawal may have been committed while the view ran.
            person = Person.objects.prefetch_related("consents").get(pk=frozen.person.pk)
            log_access(request, Action.VIEW, person)
            return render(
                request,
                "accompaniment/record_frozen.html",
                {"person": person, "withdrawal": person.record_withdrawal()},
                status=403,
            )

    return wrapped
