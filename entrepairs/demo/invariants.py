"""What a real service's data never shows, checked over the generated demo.

``violations()`` returns one French-free, developer-facing line per broken rule (empty: the
demo is plausible). The tests run it over the demo at two scales (``tests/demo``), and
``manage.py demo --check`` over any database, so that a generator change that dates a
referral before its accompaniment, or names "Léa" a man, fails at once.

Each rule is a function ``check_<what>(today, now) -> Iterator[str]``; ``RULES`` lists them.
"""

import datetime
from collections import Counter, defaultdict

from django.utils import timezone
from faker.providers.person.fr_FR import Provider as FrenchNames

from entrepairs.accompaniment.models import (
    Accompaniment,
    Consent,
    Encounter,
    Person,
    Referral,
    Review,
)
from entrepairs.evaluation.models import AnonymousResponse, LinkedResponse
from entrepairs.groups.models import GroupSession
from entrepairs.institution.models import InstitutionalActivity
from entrepairs.prevention.models import PlanVersion
from entrepairs.programmes.models import Programme, Status
from entrepairs.territory.demo import commune_places
from entrepairs.territory.models import Facility, Organisation, Sector
from entrepairs.workforce.models import (
    CharterSignature,
    Contract,
    MentoringMeeting,
    PeerWorker,
    SupervisionSession,
    Training,
)

SMALL = 11  # settings.SMALL_CELL_THRESHOLD: below it nothing is published
UNHELD_MAX_MINUTES = 30
FEMALE = set(FrenchNames.first_names_female) - set(FrenchNames.first_names_male)
MALE = set(FrenchNames.first_names_male) - set(FrenchNames.first_names_female)


def demo_organisations():
    return Organisation.objects.filter(
        is_demo=False, kind=Organisation.Kind.HEALTH_ESTABLISHMENT, sectors__is_demo=True
    ).distinct()


def _periods(today):
    """peer id -> (first day, last day) of work from their contracts (None: never worked)."""
    spans = defaultdict(list)
    for peer_id, start, end in Contract.objects.values_list("peer_id", "start", "end"):
        spans[peer_id].append((start, end))
    result = {}
    for peer in PeerWorker.objects.all():
        rows = spans.get(peer.pk)
        if not rows:
            result[peer.pk] = None
            continue
        first = min(s for s, _e in rows)
        last = today if any(e is None or e >= today for _s, e in rows) else max(e for _s, e in rows)
        result[peer.pk] = (first, min(last, today))
    return result


def _episodes():
    """person id -> [(start, end)] of their accompaniments."""
    result = defaultdict(list)
    for person_id, start, end in Accompaniment.objects.values_list("person_id", "start", "end"):
        result[person_id].append((start, end))
    return result


def _within(day, episodes, today):
    return any(s <= day <= (e or today) for s, e in episodes)


def check_referrals_within_accompaniment(today, now):
    episodes = _episodes()
    for pk, person_id, day in Referral.objects.values_list("pk", "person_id", "date"):
        if day > today or not _within(day, episodes[person_id], today):
            yield f"orientation {pk} datée du {day} hors de l'accompagnement"


def check_encounters(today, now):
    periods = _periods(today)
    rows = Encounter.objects.values_list(
        "pk",
        "date",
        "outcome",
        "duration_minutes",
        "note",
        "mode",
        "place",
        "kinds",
        "peer_id",
        "accompaniment__start",
        "accompaniment__end",
    )
    for pk, day, outcome, minutes, note, mode, place, kinds, peer_id, start, end in rows:
        if not start <= day <= (end or today) or day > today:
            yield f"rencontre {pk} du {day} hors de l'accompagnement ({start}–{end})"
        if outcome != Encounter.Outcome.HELD and (minutes > UNHELD_MAX_MINUTES or note):
            yield f"rencontre {pk} {outcome} de {minutes} min avec note={bool(note)}"
        if mode != Encounter.Mode.IN_PERSON and (
            place or Encounter.Kind.ACCOMPANYING in (kinds or [])
        ):
            yield f"rencontre {pk} à distance avec lieu ou accompagnement physique"
        period = periods.get(peer_id)
        if peer_id and (period is None or not period[0] <= day <= period[1]):
            yield f"rencontre {pk} du {day} hors de la période de travail du pair {peer_id}"


def check_consents_not_in_future(today, now):
    for pk, decided, recorded in Consent.objects.values_list("pk", "decided_on", "recorded_at"):
        if recorded > now or decided > today:
            yield f"consentement {pk} enregistré dans le futur ({recorded})"
        elif recorded.date() < decided - datetime.timedelta(days=1):
            yield f"consentement {pk} enregistré avant la décision"


def check_names_match_gender(today, now):
    for pk, alias, gender in Person.objects.values_list("pk", "alias", "gender"):
        first = alias.split(" ")[0]
        if gender == Person.Gender.MAN and first in FEMALE:
            yield f"personne {pk} « {alias} » de genre homme"
        if gender == Person.Gender.WOMAN and first in MALE:
            yield f"personne {pk} « {alias} » de genre femme"


def check_records_opened_at_the_first_meeting(today, now):
    first = {}
    for person_id, start in Accompaniment.objects.values_list("person_id", "start"):
        first[person_id] = min(start, first.get(person_id, start))
    for pk, created in Person.objects.values_list("pk", "created_at"):
        if pk in first and timezone.localdate(created) > first[pk]:
            yield f"fiche {pk} créée le {created:%d/%m/%Y}, après le début de l'accompagnement"


def check_named_attendees_within_headcount(today, now):
    through = GroupSession.attendees.through
    named = Counter(through.objects.values_list("groupsession_id", flat=True))
    for pk, headcount in GroupSession.objects.filter(pk__in=list(named)).values_list(
        "pk", "headcount"
    ):
        if headcount is not None and named[pk] > headcount:
            yield f"séance {pk} : {named[pk]} personnes nommées pour {headcount} présentes"


def check_adults(today, now):
    for pk, year, start in Accompaniment.objects.values_list("pk", "person__birth_year", "start"):
        if year and start.year - year < 18:
            yield f"accompagnement {pk} d'une personne mineure ({year}, {start})"


def check_sectors_are_neighbourhoods(today, now):
    places = commune_places()
    served = Counter()
    for sector in Sector.objects.filter(is_demo=True).prefetch_related("communes"):
        communes = list(sector.communes.all())
        served.update(c.pk for c in communes)
        org = sector.organisation
        if any(c.department_id != org.department_id for c in communes):
            yield f"secteur {sector.code} hors du département de {org}"
        arrondissements = {places.get(c.code, ("", ""))[0] for c in communes}
        if places and len(arrondissements) > 1:
            yield f"secteur {sector.code} étalé sur {len(arrondissements)} arrondissements"
    for commune_id, n in served.items():
        if n > 1:
            yield f"commune {commune_id} servie par {n} secteurs de démonstration"
    for facility in Facility.objects.filter(is_demo=True, sector__isnull=False).select_related(
        "sector", "commune"
    ):
        if (
            facility.commune_id
            and not facility.sector.communes.filter(pk=facility.commune_id).exists()
        ):
            yield f"{facility.name} : {facility.commune} hors de son secteur {facility.sector}"
    for org in demo_organisations():
        if (
            org.commune_id
            and not Sector.objects.filter(organisation=org, communes=org.commune_id).exists()
        ):
            yield f"{org} : sa propre commune {org.commune} n'est dans aucun de ses secteurs"


def check_programmes(today, now):
    orgs = list(demo_organisations())
    programmes = {p.organisation_id: p for p in Programme.objects.filter(organisation__in=orgs)}
    for org in orgs:
        if org.pk not in programmes:
            yield f"{org} sans programme"
    statuses = Counter()
    for programme in programmes.values():
        changes = list(programme.status_changes.order_by("effective_on"))
        if not changes or changes[0].effective_on != programme.started_on:
            yield f"programme {programme.pk} : historique qui ne part pas du début"
        if any(c.effective_on > today for c in changes):
            yield f"programme {programme.pk} : changement de statut dans le futur"
        statuses[programme.status_on(today)] += 1
        for funding in programme.fundings.all():
            if funding.starts_on < programme.started_on:
                yield f"financement {funding.pk} avant le début du programme"
        first_contract = (
            Contract.objects.filter(peer__host_organisation=programme.organisation)
            .order_by("start")
            .values_list("start", flat=True)
            .first()
        )
        if first_contract and first_contract < programme.started_on:
            yield f"programme {programme.pk} : un contrat de pair commence avant le programme"
    total = sum(statuses.values())
    if total >= 3 and not all(statuses[s] for s in Status):
        yield f"programmes : tous les statuts ne sont pas représentés ({dict(statuses)})"
    if total >= 5 and not 0.3 <= statuses[Status.EXPERIMENTAL] / total <= 0.5:
        yield f"programmes : {statuses[Status.EXPERIMENTAL]}/{total} expérimentaux (≈ 40 % attendu)"


def check_peers_and_contracts(today, now):
    current = Contract.objects.current(today)
    for peer in PeerWorker.objects.all():
        has_current = current.filter(peer=peer).exists()
        if peer.status == PeerWorker.Status.RECRUITING and peer.contracts.exists():
            yield f"pair {peer.pk} en recrutement avec un contrat"
        if peer.status == PeerWorker.Status.LEFT and has_current:
            yield f"pair {peer.pk} parti·e avec un contrat en cours"
        if peer.status == PeerWorker.Status.IN_POST and not has_current:
            yield f"pair {peer.pk} en poste sans contrat en cours"
    n = current.count()
    if n >= 10:
        share = current.precarious().count() / n
        if not 0.4 <= share <= 0.85:
            yield f"contrats précaires : {share:.0%} des contrats en cours (40–85 % attendu)"


def check_trainings(today, now):
    for pk, status, start, end in Training.objects.values_list("pk", "status", "start", "end"):
        if status in (Training.Status.OBTAINED, Training.Status.ABANDONED) and (
            end is None or end > today
        ):
            yield f"formation {pk} {status} sans fin passée ({end})"
        if status == Training.Status.IN_PROGRESS and (end is not None or start > today):
            yield f"formation {pk} en cours mal datée"
        if end and end < start:
            yield f"formation {pk} finit avant de commencer"


def check_work_within_periods(today, now):
    periods = _periods(today)

    def working(peer_id, day):
        period = periods.get(peer_id)
        return period is not None and period[0] <= day <= period[1]

    for session in SupervisionSession.objects.prefetch_related("participants"):
        for peer in session.participants.all():
            if not working(peer.pk, session.date):
                yield f"supervision {session.pk} du {session.date} : pair {peer.pk} pas en poste"
    for session in GroupSession.objects.prefetch_related("peers_present"):
        if session.date > today:
            yield f"séance de groupe {session.pk} dans le futur"
        for peer in session.peers_present.all():
            if not working(peer.pk, session.date):
                yield f"séance {session.pk} du {session.date} : pair {peer.pk} pas en poste"
    episodes = _episodes()
    through = GroupSession.attendees.through
    for session_id, day, person_id in through.objects.values_list(
        "groupsession_id", "groupsession__date", "person_id"
    ):
        if not _within(day, episodes[person_id], today):
            yield f"séance {session_id} : personne {person_id} pas accompagnée ce jour-là"
    for activity in InstitutionalActivity.objects.prefetch_related("peers"):
        for peer in activity.peers.all():
            if activity.date > today or not working(peer.pk, activity.date):
                yield f"action {activity.pk} du {activity.date} : pair {peer.pk} pas en poste"
    for signature in CharterSignature.objects.select_related("charter"):
        peer_id = signature.charter.peer_id
        if signature.signed_at > now:
            yield f"signature {signature.pk} dans le futur"
        elif signature.party == "peer" and not working(peer_id, signature.signed_at.date()):
            yield f"fiche signée par le pair {peer_id} hors de sa période de travail"
    for meeting in MentoringMeeting.objects.select_related("mentoring"):
        if not meeting.mentoring.start <= meeting.date <= today:
            yield f"rencontre de mentorat {meeting.pk} hors du mentorat"
    for pk, day, person_id in Review.objects.values_list("pk", "date", "plan__person_id"):
        if not _within(day, episodes[person_id], today):
            yield f"point d'étape {pk} du {day} hors de l'accompagnement"


def check_answers(today, now):
    episodes = _episodes()
    for pk, person_id, completed in LinkedResponse.objects.values_list(
        "pk", "person_id", "completed_at"
    ):
        if completed > now or not _within(
            timezone.localdate(completed), episodes[person_id], today
        ):
            yield f"réponse suivie {pk} hors de l'accompagnement ou dans le futur"
    if AnonymousResponse.objects.filter(month__gt=today).exists():
        yield "réponse anonyme datée d'un mois à venir"
    for version in PlanVersion.objects.filter(signed_at__isnull=False).select_related("plan"):
        if version.signed_at > now or not _within(
            version.signed_at.date(), episodes[version.plan.person_id], today
        ):
            yield f"plan de prévention {version.plan_id} signé hors de l'accompagnement"


def check_living_figures(today, now):
    """Every establishment has something to publish: a quarter of persons' opinions, a wave
    of team climate and a year of readiness answers with at least 11 answers each."""
    for org in demo_organisations():
        for code in ("satisfaction-personnes", "climat-equipe", "preparation-programme"):
            months = Counter(
                AnonymousResponse.objects.filter(
                    organisation=org, instrument_version__instrument__code=code
                ).values_list("month", flat=True)
            )
            years = Counter()
            for month, n in months.items():
                years[month.year] += n
            if not years or max(years.values()) < SMALL:
                yield f"{org} : pas une année avec 11 réponses à « {code} »"


RULES = [
    check_referrals_within_accompaniment,
    check_encounters,
    check_consents_not_in_future,
    check_names_match_gender,
    check_adults,
    check_records_opened_at_the_first_meeting,
    check_named_attendees_within_headcount,
    check_sectors_are_neighbourhoods,
    check_programmes,
    check_peers_and_contracts,
    check_trainings,
    check_work_within_periods,
    check_answers,
    check_living_figures,
]


def violations(limit_per_rule: int = 20) -> list[str]:
    today, now = timezone.localdate(), timezone.now()
    found = []
    for rule in RULES:
        for n, line in enumerate(rule(today, now)):
            if n >= limit_per_rule:
                found.append(f"{rule.__name__} : …")
                break
            found.append(f"{rule.__name__} : {line}")
    return found
