"""Base figures of the indicators, per establishment, for one fixed calendar period.

Each function takes a ``Period`` and returns ``{(organisation_id, breakdown): Base}`` where the
breakdown ``""`` is the indicator's total. Higher levels (département, region, nation) are sums
of these base figures (``publishing.py``): a person, a peer, an answer belongs to exactly one
organisation, so the sums are exact. Every function runs a fixed number of grouped queries,
whatever the number of rows, and reads only the columns it counts.

These are the *unprotected* figures: only the publishing step (which protects them) and the
pages of the people who hold the records (their own organisation) may read them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Coalesce

from entrepairs.accompaniment.models import Accompaniment, ConsentPurpose, Encounter, Person
from entrepairs.evaluation.models import AnonymousResponse, HospitalStay, LinkedResponse
from entrepairs.evaluation.outcomes import AFTER_TIMEPOINTS, BEFORE_TIMEPOINT, YEAR, overlap_days
from entrepairs.groups.models import GroupSession
from entrepairs.institution.models import AUDIENCE_FIELDS, InstitutionalActivity
from entrepairs.programmes.models import Programme
from entrepairs.territory.models import Facility
from entrepairs.workforce.models.charters import MissionCharter
from entrepairs.workforce.models.competencies import Assessment
from entrepairs.workforce.models.conduct import ConductAcknowledgement
from entrepairs.workforce.models.contracts import Contract
from entrepairs.workforce.models.peers import Deployment, PeerWorker
from entrepairs.workforce.models.practice import Mentoring, SupervisionSession
from entrepairs.workforce.models.trainings import Training

from .periods import Period

HOSPITAL_FACILITIES = (Facility.Kind.INPATIENT_UNIT, Facility.Kind.DAY_HOSPITAL)
SATISFACTION = ("satisfaction-personnes", "understood")
WHO5 = "who-5"
TEAM_CLIMATE = ("climat-equipe", "fear_dilution")
PEER_ORG = Coalesce(F("host_organisation_id"), F("employer_id"))

# The organisation the figures are computed for (``only``), or None for every organisation.
_ONLY: ContextVar[int | None] = ContextVar("observatory_only_organisation", default=None)


@contextmanager
def only(organisation_id: int):
    """Compute the figures of one organisation only: every query below filters on it (the
    records holders' view of their own figures reads one organisation's rows, not the
    nation's). The queries are the same in number; the result has that organisation's keys
    only."""
    token = _ONLY.set(organisation_id)
    try:
        yield
    finally:
        _ONLY.reset(token)


def _mine(rows, field="organisation_id"):
    """``rows`` restricted to the organisation of ``only`` (unchanged outside it)."""
    organisation = _ONLY.get()
    return rows if organisation is None else rows.filter(**{field: organisation})


@dataclass
class Base:
    value: float = 0
    denominator: int | None = None

    def __add__(self, other):
        if self.denominator is None and other.denominator is None:
            return Base(self.value + other.value)
        return Base(self.value + other.value, (self.denominator or 0) + (other.denominator or 0))


def _counts(pairs) -> dict:
    """``{(org, breakdown): Base(count)}`` plus the totals, from (org, breakdown, n) rows of a
    partition."""
    out = defaultdict(Base)
    for org, breakdown, n in pairs:
        if org is None:
            continue
        out[(org, breakdown or "non_renseigne")] += Base(n)
        out[(org, "")] += Base(n)
    return dict(out)


def _yes_no(org_of: dict, yes: set) -> dict:
    return _counts((org, "oui" if peer in yes else "non", 1) for peer, org in org_of.items())


# --- Workforce (staff) ----------------------------------------------------------------------


def peers_in_post(day: datetime.date) -> dict[int, int]:
    """``{peer id: organisation id}`` of the peers with a contract in force on ``day``, counted
    in their host organisation, else their employer."""
    ids = Contract.objects.current(day).values("peer_id")
    return dict(
        _mine(PeerWorker.objects.filter(pk__in=ids).annotate(org=PEER_ORG), "org").values_list(
            "pk", "org"
        )
    )


def peers(period: Period) -> dict:
    """Peers by status on the last day of the period: in post (a contract in force), else in
    training (a DU or licence in progress), else recruiting (current status, created by then)."""
    day = period.end
    in_post = peers_in_post(day)
    training_ids = set(
        Training.objects.filter(
            Q(end__isnull=True) | Q(end__gte=day),
            kind__in=(Training.Kind.DU, Training.Kind.LICENCE),
            start__lte=day,
        )
        .exclude(status=Training.Status.ABANDONED)
        .values_list("peer_id", flat=True)
    )
    rows = []
    for pk, org, status, created in _mine(
        PeerWorker.objects.annotate(org=PEER_ORG), "org"
    ).values_list("pk", "org", "status", "created_at"):
        if pk in in_post:
            rows.append((org, "en_poste", 1))
        elif pk in training_ids:
            rows.append((org, "en_formation", 1))
        elif status == PeerWorker.Status.RECRUITING and created.date() <= day:
            rows.append((org, "en_recrutement", 1))
    return _counts(rows)


def peers_by_place(period: Period) -> dict:
    """Peers in post by place of work on the last day: hospital (inpatient unit, day hospital)
    or city (CMP, CATTP, mobile team, crisis centre, other), from the deployment with the
    largest time share; no deployment: "non renseigné"."""
    day = period.end
    in_post = peers_in_post(day)
    best = {}
    for peer, kind in (
        Deployment.objects.filter(peer_id__in=list(in_post))
        .filter(Q(start__isnull=True) | Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day))
        .order_by("peer_id", "-time_share", "pk")
        .values_list("peer_id", "facility__kind")
    ):
        best.setdefault(peer, kind)
    return _counts(
        (
            org,
            "non_renseigne"
            if peer not in best
            else ("hopital" if best[peer] in HOSPITAL_FACILITIES else "ville"),
            1,
        )
        for peer, org in in_post.items()
    )


def _current_contracts(day):
    """``{peer id: (kind, precarious, on grid)}`` of the latest contract in force on ``day``."""
    out = {}
    for peer, kind, end, grade in (
        Contract.objects.current(day)
        .order_by("peer_id", "-start", "-pk")
        .values_list("peer_id", "kind", "end", "grade_id")
    ):
        if peer not in out:
            precarious = kind in Contract.PRECARIOUS_KINDS or end is not None
            out[peer] = (kind, precarious, grade is not None)
    return out


def contracts_by_kind(period: Period) -> dict:
    day = period.end
    in_post = peers_in_post(day)
    contracts = _current_contracts(day)
    return _counts((org, contracts[p][0], 1) for p, org in in_post.items() if p in contracts)


def precarious_contracts(period: Period) -> dict:
    day = period.end
    in_post, contracts = peers_in_post(day), _current_contracts(day)
    return _yes_no(in_post, {p for p, c in contracts.items() if c[1]})


def salary_grid(period: Period) -> dict:
    day = period.end
    in_post, contracts = peers_in_post(day), _current_contracts(day)
    return _yes_no(in_post, {p for p, c in contracts.items() if c[2]})


def signed_charter(period: Period) -> dict:
    day = period.end
    in_post = peers_in_post(day)
    signed = set(
        MissionCharter.objects.filter(
            peer_id__in=list(in_post), fully_signed_at__date__lte=day
        ).values_list("peer_id", flat=True)
    )
    return _yes_no(in_post, signed)


def conduct_acknowledged(period: Period) -> dict:
    day = period.end
    in_post = peers_in_post(day)
    users = dict(PeerWorker.objects.filter(pk__in=list(in_post)).values_list("user_id", "pk"))
    acknowledged = {
        users[u]
        for u in ConductAcknowledgement.objects.filter(
            membership__user_id__in=[u for u in users if u], acknowledged_at__date__lte=day
        ).values_list("membership__user_id", flat=True)
        if u in users
    }
    return _yes_no(in_post, acknowledged)


def trainings(period: Period) -> dict:
    """Trainings of peers under way during the period (not abandoned), by kind."""
    rows = (
        Training.objects.filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .filter(start__lte=period.end)
        .exclude(status=Training.Status.ABANDONED)
        .annotate(org=Coalesce(F("peer__host_organisation_id"), F("peer__employer_id")))
    )
    return _counts(_mine(rows, "org").values_list("org", "kind").annotate(n=Count("pk")))


def competency_portfolio(period: Period) -> dict:
    day = period.end
    in_post = peers_in_post(day)
    assessed = set(
        Assessment.objects.filter(peer_id__in=list(in_post), date__lte=day).values_list(
            "peer_id", flat=True
        )
    )
    return _yes_no(in_post, assessed)


def supervision(period: Period) -> dict:
    """Peers in post on the last day who took part in a supervision, analysis of practice or
    intervision in the three months ending that day."""
    day = period.end
    in_post = peers_in_post(day)
    since = (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    since = (since - datetime.timedelta(days=1)).replace(day=1)  # first day, two months back
    supervised = set(
        SupervisionSession.participants.through.objects.filter(
            supervisionsession__date__gte=since,
            supervisionsession__date__lte=day,
            peerworker_id__in=list(in_post),
        ).values_list("peerworker_id", flat=True)
    )
    return _yes_no(in_post, supervised)


def mentoring(period: Period) -> dict:
    """Mentoring pairs under way during the period, by direction (who mentors whom)."""
    from entrepairs.core.roles import Role

    rows = []
    for org, mentor_role, mentee_role in (
        _mine(Mentoring.objects.filter(Q(end__isnull=True) | Q(end__gte=period.start)))
        .filter(start__lte=period.end)
        .values_list("organisation_id", "mentor__role", "mentee__role")
    ):
        mentor_peer, mentee_peer = mentor_role == Role.PEER, mentee_role == Role.PEER
        if mentor_peer and not mentee_peer:
            rows.append((org, "pair_vers_professionnel", 1))
        elif mentee_peer and not mentor_peer:
            rows.append((org, "professionnel_vers_pair", 1))
        else:
            rows.append((org, "autre", 1))
    return _counts(rows)


# --- Institution ----------------------------------------------------------------------------

TEAM_TRAINING = (InstitutionalActivity.Kind.AWARENESS, InstitutionalActivity.Kind.CROSS_TRAINING)


def _first_arrivals() -> dict[int, datetime.date]:
    """``{organisation id: first day a peer worked there}`` (first contract start)."""
    return dict(
        _mine(
            Contract.objects.annotate(
                org=Coalesce(F("peer__host_organisation_id"), F("employer_id"))
            ),
            "org",
        )
        .values("org")
        .annotate(first=Min("start"))
        .values_list("org", "first")
    )


def team_training_sessions(period: Period) -> dict:
    """Awareness and cross-training sessions of teams, by kind."""
    return _counts(
        _mine(InstitutionalActivity.objects)
        .filter(kind__in=TEAM_TRAINING, date__range=(period.start, period.end))
        .values_list("organisation_id", "kind")
        .annotate(n=Count("pk"))
    )


def team_training_staff(period: Period) -> dict:
    """Staff present at awareness and cross-training sessions (sum of the audiences)."""
    total = sum((F(name) for name, _label in AUDIENCE_FIELDS[1:]), F(AUDIENCE_FIELDS[0][0]))
    return _counts(
        _mine(InstitutionalActivity.objects)
        .filter(kind__in=TEAM_TRAINING, date__range=(period.start, period.end))
        .values_list("organisation_id", "kind")
        .annotate(n=Sum(total))
    )


def team_training_before_arrival(period: Period) -> dict:
    """Team trainings of the period held before the first peer's arrival, or after."""
    arrivals = _first_arrivals()
    rows = []
    for org, day in (
        _mine(InstitutionalActivity.objects)
        .filter(kind__in=TEAM_TRAINING, date__range=(period.start, period.end))
        .values_list("organisation_id", "date")
    ):
        first = arrivals.get(org)
        rows.append((org, "avant" if first is None or day < first else "apres", 1))
    return _counts(rows)


def institutional_activities(period: Period) -> dict:
    return _counts(
        _mine(InstitutionalActivity.objects)
        .filter(date__range=(period.start, period.end))
        .values_list("organisation_id", "kind")
        .annotate(n=Count("pk"))
    )


def instances(period: Period) -> dict:
    return _counts(
        _mine(InstitutionalActivity.objects)
        .filter(kind=InstitutionalActivity.Kind.INSTANCE, date__range=(period.start, period.end))
        .values_list("organisation_id", "instance")
        .annotate(n=Count("pk"))
    )


# --- Accompaniment and groups ---------------------------------------------------------------


def _held(period):
    return _mine(Encounter.objects).filter(
        outcome=Encounter.Outcome.HELD, date__range=(period.start, period.end)
    )


def persons(period: Period) -> dict:
    """Distinct persons with at least one encounter held in the period, in total and by
    setting of the accompaniment (a person met in two settings counts in each, once in the
    total)."""
    held = _held(period)
    out = {}
    for org, n in held.values_list("organisation_id").annotate(
        n=Count("accompaniment__person", distinct=True)
    ):
        out[(org, "")] = Base(n)
    for org, setting, n in held.values_list("organisation_id", "accompaniment__setting").annotate(
        n=Count("accompaniment__person", distinct=True)
    ):
        out[(org, setting)] = Base(n)
    return out


def encounters_by_kind(period: Period) -> dict:
    """Held encounters, in total and by nature (an encounter may have several natures)."""
    out = defaultdict(Base)
    for org, kinds in _held(period).values_list("organisation_id", "kinds"):
        out[(org, "")] += Base(1)
        for kind in set(kinds or ()):
            out[(org, kind)] += Base(1)
    return dict(out)


def encounters_by_mode(period: Period) -> dict:
    return _counts(_held(period).values_list("organisation_id", "mode").annotate(n=Count("pk")))


def group_sessions(period: Period) -> dict:
    return _counts(
        _mine(GroupSession.objects, "group__organisation_id")
        .filter(date__range=(period.start, period.end))
        .values_list("group__organisation_id", "group__kind")
        .annotate(n=Count("pk"))
    )


def group_attendance(period: Period) -> dict:
    """Participations in group sessions (sum of the anonymous headcounts), by kind of group."""
    return _counts(
        _mine(GroupSession.objects, "group__organisation_id")
        .filter(date__range=(period.start, period.end))
        .values_list("group__organisation_id", "group__kind")
        .annotate(n=Sum("headcount"))
    )


# --- Evaluation -----------------------------------------------------------------------------


def _answers(period, instrument_code):
    """(organisation id, answers, scores, month) of the anonymous and linked (consent in force)
    answers of the period to ``instrument_code``."""
    anonymous = (
        _mine(AnonymousResponse.objects)
        .filter(
            instrument_version__instrument__code=instrument_code,
            month__gte=period.start,
            month__lte=period.end,
        )
        .values_list("organisation_id", "answers", "scores", "month")
    )
    linked = (
        _mine(LinkedResponse.objects.in_use())
        .filter(
            instrument_version__instrument__code=instrument_code,
            completed_at__date__gte=period.start,
            completed_at__date__lte=period.end,
        )
        .values_list("organisation_id", "answers", "scores", "completed_at")
    )
    return [*anonymous, *linked]


def understood(period: Period) -> dict:
    """Share of "oui" among the persons who answered "Grâce au pair-aidant, je me suis senti·e
    mieux compris·e" (oui / en partie / non)."""
    code, item = SATISFACTION
    out = defaultdict(lambda: Base(0, 0))
    for org, answers, _scores, _when in _answers(period, code):
        answer = (answers or {}).get(item)
        if answer in ("yes", "partly", "no"):
            out[(org, "")] += Base(1 if answer == "yes" else 0, 1)
    return dict(out)


def who5(period: Period) -> dict:
    """WHO-5 before/after: persons whose latest "after" answer falls in the period, paired with
    their first answer at the start of an accompaniment. Total: mean change; breakdowns: mean
    before and mean after (same persons)."""
    after = {}
    for person, org, scores in (
        _mine(LinkedResponse.objects.in_use())
        .filter(
            instrument_version__instrument__code=WHO5,
            timepoint__in=AFTER_TIMEPOINTS,
            completed_at__date__gte=period.start,
            completed_at__date__lte=period.end,
        )
        .order_by("completed_at", "pk")
        .values_list("person_id", "organisation_id", "scores")
    ):
        after[person] = (org, scores)
    before = {}
    for person, scores in (
        LinkedResponse.objects.in_use()
        .filter(
            instrument_version__instrument__code=WHO5,
            timepoint=BEFORE_TIMEPOINT,
            person_id__in=list(after),
        )
        .order_by("completed_at", "pk")
        .values_list("person_id", "scores")
    ):
        before.setdefault(person, scores)
    out = defaultdict(lambda: Base(0, 0))
    for person, (org, scores) in after.items():
        pre, post = _score(before.get(person)), _score(scores)
        if pre is None or post is None:
            continue
        out[(org, "")] += Base(post - pre, 1)
        out[(org, "avant")] += Base(pre, 1)
        out[(org, "apres")] += Base(post, 1)
    return dict(out)


def _score(scores):
    """The percentage score (0–100) of a WHO-5 answer (the first scale's when absent)."""
    if not scores:
        return None
    # The published unit is the 0–100 percentage score (catalogue), not the raw 0–25 sum.
    chosen = scores.get("percentage") or next(iter(scores.values()), None)
    return chosen.get("score") if isinstance(chosen, dict) else None


def hospital_days(period: Period) -> dict:
    """Hospital days in the 12 months before and after the start of the first accompaniment,
    for consenting persons whose first accompaniment started in the period and whose "after"
    year is complete on the last day of the period's publication (start + 12 months ≤ today).
    Total: mean change; breakdowns: mean before, mean after."""
    from django.utils import timezone

    today = timezone.localdate()
    consenting = Person.objects.with_consent(ConsentPurpose.EVALUATION)
    firsts = (
        _mine(Accompaniment.objects, "person__organisation_id")
        .filter(person__in=consenting)
        .values("person_id", "person__organisation_id")
        .annotate(first=Min("start"))
        .filter(first__gte=period.start, first__lte=min(period.end, today - YEAR))
        .values_list("person_id", "person__organisation_id", "first")
    )
    firsts = list(firsts)
    stays = defaultdict(list)
    for person, admission, discharge in HospitalStay.objects.filter(
        person_id__in=[p for p, _o, _f in firsts]
    ).values_list("person_id", "admission", "discharge"):
        stays[person].append((admission, discharge))
    out = defaultdict(lambda: Base(0, 0))
    for person, org, first in firsts:
        pre = overlap_days(stays[person], first - YEAR, first)
        post = overlap_days(stays[person], first, first + YEAR)
        out[(org, "")] += Base(post - pre, 1)
        out[(org, "avant")] += Base(pre, 1)
        out[(org, "apres")] += Base(post, 1)
    return dict(out)


def team_climate(period: Period) -> dict:
    """Team answers of the period on the "fear of dilution of responsibilities / role
    confusion" scale, before or after the first peer's arrival in the organisation (month of
    the answer against the first contract start)."""
    code, scale = TEAM_CLIMATE
    arrivals = _first_arrivals()
    out = defaultdict(lambda: Base(0, 0))
    for org, _items, scores, month in _answers(period, code):
        score = (scores or {}).get(scale)
        if not isinstance(score, dict) or score.get("score") is None:
            continue
        month = month.date() if isinstance(month, datetime.datetime) else month
        first = arrivals.get(org)
        when = "avant" if first is None or month < first.replace(day=1) else "apres"
        out[(org, when)] += Base(score["score"], 1)
        out[(org, "")] += Base(score["score"], 1)
    return dict(out)


# --- Programmes -------------------------------------------------------------------------------


def programmes_by_maturity(period: Period) -> dict:
    """The establishment's peer-support programme by its status on the last day of the period
    (expérimental, pilote, pérennisé), from the dated status history: 1 per establishment that
    has a programme with a status by then. One query."""
    rows = (
        _mine(Programme.objects.with_status_on(period.end))
        .filter(status_at__isnull=False)
        .values_list("organisation_id", "status_at")
    )
    return _counts((org, status, 1) for org, status in rows)


# --- Prevention plans ----------------------------------------------------------------------


def _plan_versions() -> dict:
    """``{person id: [(signed_at, revoked_at)]}`` of every signed version of a prevention plan."""
    from entrepairs.prevention.models import PlanVersion

    versions = defaultdict(list)
    for person, signed_at, revoked_at in (
        PlanVersion.objects.signed()
        .values_list("plan__person_id", "signed_at", "revoked_at")
        .order_by()
    ):
        versions[person].append((signed_at, revoked_at))
    return versions


def prevention_plans_in_force(period: Period) -> dict:
    """Consenting persons with an accompaniment open on the last day of the period (today for a
    period under way), by whether a signed prevention plan is in force that day."""
    from django.utils import timezone

    from entrepairs.prevention.outcomes import in_force_on

    day = min(period.end, timezone.localdate())
    open_on_day = (
        Accompaniment.objects.filter(
            Q(end__isnull=True) | Q(end__gte=day),
            start__lte=day,
            person__in=Person.objects.with_consent(ConsentPurpose.EVALUATION),
        )
        .values_list("person_id", "person__organisation_id")
        .distinct()
    )
    versions = _plan_versions()
    return _counts(
        (org, "avec_plan" if in_force_on(versions.get(person, []), day) else "sans_plan", 1)
        for person, org in set(open_on_day)
    )


def compulsory_days_around_plan(period: Period) -> dict:
    """Days of hospitalisation without consent in the 12 months before and after the first
    signed prevention plan, for consenting persons whose first plan was signed in the period
    and a year ago at least. Total: mean change; breakdowns: mean before, mean after."""
    from django.utils import timezone

    from entrepairs.prevention.models import PlanVersion
    from entrepairs.prevention.outcomes import COMPULSORY_MODES

    today = timezone.localdate()
    last = min(period.end, today - YEAR)
    firsts = {}
    for person, org, signed_at in (
        PlanVersion.objects.signed()
        .filter(plan__person__in=Person.objects.with_consent(ConsentPurpose.EVALUATION))
        .values("plan__person_id", "plan__organisation_id")
        .annotate(first=Min("signed_at"))
        .values_list("plan__person_id", "plan__organisation_id", "first")
    ):
        day = timezone.localtime(signed_at).date()
        if period.start <= day <= last:
            firsts[person] = (org, day)
    stays = defaultdict(list)
    for person, admission, discharge in HospitalStay.objects.filter(
        person_id__in=list(firsts), legal_mode__in=list(COMPULSORY_MODES)
    ).values_list("person_id", "admission", "discharge"):
        stays[person].append((admission, discharge))
    out = defaultdict(lambda: Base(0, 0))
    for person, (org, first) in firsts.items():
        pre = overlap_days(stays[person], first - YEAR, first)
        post = overlap_days(stays[person], first, first + YEAR)
        out[(org, "")] += Base(post - pre, 1)
        out[(org, "avant")] += Base(pre, 1)
        out[(org, "apres")] += Base(post, 1)
    return dict(out)


def plan_consulted_at_admission(period: Period) -> dict:
    """Admissions of the period of consenting persons whose prevention plan was in force on the
    admission day, by whether a recipient recorded that the plan was consulted in that crisis
    (a record dated from a week before the admission to the discharge)."""
    from entrepairs.prevention.models import CrisisRecord
    from entrepairs.prevention.outcomes import CRISIS_WINDOW_BEFORE, in_force_on

    versions = _plan_versions()
    crises = defaultdict(list)
    for person, day in CrisisRecord.objects.values_list("plan__person_id", "crisis_on"):
        crises[person].append(day)
    rows = []
    for person, org, admission, discharge in HospitalStay.objects.filter(
        admission__gte=period.start,
        admission__lte=period.end,
        person_id__in=list(versions),
        person__in=Person.objects.with_consent(ConsentPurpose.EVALUATION),
    ).values_list("person_id", "organisation_id", "admission", "discharge"):
        if not in_force_on(versions[person], admission):
            continue
        consulted = any(
            admission - CRISIS_WINDOW_BEFORE <= day <= discharge for day in crises[person]
        )
        rows.append((org, "consulte" if consulted else "non_consulte", 1))
    return _counts(rows)


def wishes_respected(period: Period) -> dict:
    """Consultations of a prevention plan in a crisis dated in the period (consenting persons),
    by whether the person's wishes were respected: fully, partly, not."""
    from entrepairs.prevention.models import CrisisRecord

    return _counts(
        CrisisRecord.objects.filter(
            crisis_on__gte=period.start,
            crisis_on__lte=period.end,
            plan__person__in=Person.objects.with_consent(ConsentPurpose.EVALUATION),
        )
        .values_list("plan__organisation_id", "respected")
        .annotate(n=Count("pk"))
        .order_by()
    )
