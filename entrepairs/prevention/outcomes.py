"""Outcomes of the prevention plans, from the stays imported by the DIM (with their legal
mode) and the plans' dates and crisis records — never their content.

Pure aggregation over persons who consented to evaluation, as the evaluation outcomes page;
every result carries ``n`` and ``small`` so that the view applies the small-number rule
(``evaluation.stats.is_small``) before anything leaves the organisation.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q

from entrepairs.accompaniment.models import Accompaniment, ConsentPurpose, Person
from entrepairs.core.roles import Role
from entrepairs.evaluation.models import HospitalStay, LegalMode
from entrepairs.evaluation.outcomes import overlap_days
from entrepairs.evaluation.stats import is_small, paired_change, proportion
from entrepairs.territory.models import Organisation

from .models import CrisisRecord, PlanVersion, WishesRespected

YEAR = timedelta(days=365)
DAY = timedelta(days=1)
# Every legal mode but free care is care under constraint (soins sans consentement).
COMPULSORY_MODES = frozenset(
    {LegalMode.THIRD_PARTY, LegalMode.IMMINENT_PERIL, LegalMode.STATE, LegalMode.JUSTICE}
)
# A crisis record "goes with" an admission when dated from a week before it to discharge.
CRISIS_WINDOW_BEFORE = timedelta(days=7)
ESTABLISHMENT_KINDS = (Organisation.Kind.HEALTH_ESTABLISHMENT, Organisation.Kind.ASSOCIATION)


def observed_organisations(membership) -> list[int]:
    """The organisations an observer sees (the region's for the ARS, all for the nation)."""
    organisations = Organisation.objects.filter(kind__in=ESTABLISHMENT_KINDS)
    if membership.role == Role.REGIONAL_OBSERVER:
        organisations = organisations.filter(region_id=membership.organisation.region_id)
    return list(organisations.values_list("pk", flat=True))


def consenting(organisation_ids):
    return Person.objects.filter(organisation_id__in=organisation_ids).with_consent(
        ConsentPurpose.EVALUATION
    )


def _stays(organisation_ids, **filters):
    """{person_id: [(admission, discharge, mode)]} of consenting persons."""
    out = defaultdict(list)
    rows = HospitalStay.objects.filter(
        organisation_id__in=organisation_ids,
        person__in=consenting(organisation_ids),
        **filters,
    ).values_list("person_id", "admission", "discharge", "legal_mode")
    for person_id, admission, discharge, mode in rows:
        out[person_id].append((admission, discharge, mode))
    return out


def stays_by_mode(organisation_ids, start, end) -> list[dict]:
    """Per legal mode: admissions in the period, hospital days inside it, persons concerned."""
    stays = _stays(organisation_ids, admission__lte=end, discharge__gte=start)
    rows = []
    for mode, label in LegalMode.choices:
        admissions, days, persons = 0, 0, set()
        for person_id, person_stays in stays.items():
            of_mode = [(a, d) for a, d, m in person_stays if m == mode]
            if not of_mode:
                continue
            admissions += sum(1 for a, _d in of_mode if start <= a <= end)
            days += overlap_days(of_mode, start, end + DAY)
            persons.add(person_id)
        rows.append(
            {
                "mode": mode,
                "label": label,
                "compulsory": mode in COMPULSORY_MODES,
                "admissions": admissions,
                "days": days,
                "n": len(persons),
                "small": is_small(len(persons)),
            }
        )
    return rows


def first_signatures(organisation_ids) -> dict:
    """{person_id: date of the first signed version} for consenting persons."""
    firsts = {}
    rows = (
        PlanVersion.objects.signed()
        .filter(
            plan__organisation_id__in=organisation_ids,
            plan__person__in=consenting(organisation_ids),
        )
        .order_by("signed_at")
        .values_list("plan__person_id", "signed_at")
    )
    for person_id, signed_at in rows:
        firsts.setdefault(person_id, signed_at.date())
    return firsts


def around_first_plan(organisation_ids, start, end, today) -> dict:
    """Compulsory admissions and days under constraint in the 12 months before and after the
    first signed plan, for persons who signed it in the period and a year ago at least."""
    firsts = {
        person_id: day
        for person_id, day in first_signatures(organisation_ids).items()
        if start <= day <= min(end, today - YEAR)
    }
    stays = _stays(organisation_ids, person_id__in=list(firsts))
    adm_before, adm_after, days_before, days_after = [], [], [], []
    for person_id, first in sorted(firsts.items()):
        compulsory = [(a, d) for a, d, m in stays[person_id] if m in COMPULSORY_MODES]
        adm_before.append(sum(1 for a, _d in compulsory if first - YEAR <= a < first))
        adm_after.append(sum(1 for a, _d in compulsory if first <= a < first + YEAR))
        days_before.append(overlap_days(compulsory, first - YEAR, first))
        days_after.append(overlap_days(compulsory, first, first + YEAR))
    n = len(firsts)
    admissions = paired_change(adm_before, adm_after) if n else {"n": 0}
    days = paired_change(days_before, days_after) if n else {"n": 0}
    return {
        "n": n,
        "small": is_small(n),
        "admissions": admissions,
        "days": days,
        "with_admission_before": sum(1 for x in adm_before if x),
        "with_admission_after": sum(1 for x in adm_after if x),
    }


def _flag_proportion(result: dict, persons: int) -> dict:
    result["persons"] = persons
    result["small"] = is_small(persons) or is_small(result["n"])
    return result


def share_with_plan(organisation_ids, start, end) -> dict:
    """Of the consenting persons accompanied during the period, the share who had signed a
    plan by its end."""
    accompanied = set(
        Accompaniment.objects.filter(person__in=consenting(organisation_ids))
        .filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)
        .values_list("person_id", flat=True)
    )
    signed = {
        person_id
        for person_id, day in first_signatures(organisation_ids).items()
        if day <= end and person_id in accompanied
    }
    return _flag_proportion(proportion(len(signed), len(accompanied)), len(accompanied))


def _in_force_on(versions, day) -> bool:
    """Whether a plan was in force on ``day``: its latest version signed by then, and not
    revoked by then."""
    signed = [(s, r) for s, r in versions if s.date() <= day]
    if not signed:
        return False
    _signed_at, revoked_at = max(signed)
    return revoked_at is None or revoked_at.date() > day


def crisis_use(organisation_ids, start, end) -> dict:
    """Of the admissions in the period of persons whose plan was in force that day, the
    share with a crisis record saying the plan was consulted (from a week before the
    admission to the discharge)."""
    versions = defaultdict(list)
    for person_id, signed_at, revoked_at in (
        PlanVersion.objects.signed()
        .filter(plan__organisation_id__in=organisation_ids)
        .values_list("plan__person_id", "signed_at", "revoked_at")
    ):
        versions[person_id].append((signed_at, revoked_at))
    crises = defaultdict(list)
    for person_id, day in CrisisRecord.objects.filter(
        plan__organisation_id__in=organisation_ids
    ).values_list("plan__person_id", "crisis_on"):
        crises[person_id].append(day)
    stays = _stays(
        organisation_ids, person_id__in=list(versions), admission__gte=start, admission__lte=end
    )
    admissions, used, persons = 0, 0, set()
    for person_id, person_stays in stays.items():
        for admission, discharge, _mode in person_stays:
            if not _in_force_on(versions[person_id], admission):
                continue
            admissions += 1
            persons.add(person_id)
            if any(admission - CRISIS_WINDOW_BEFORE <= d <= discharge for d in crises[person_id]):
                used += 1
    return _flag_proportion(proportion(used, admissions), len(persons))


def wishes_respected(organisation_ids, start, end) -> dict:
    """Of the crisis records of the period, the share where the wishes were fully respected
    (and the counts of 'partly' and 'not')."""
    rows = list(
        CrisisRecord.objects.filter(
            plan__organisation_id__in=organisation_ids,
            plan__person__in=consenting(organisation_ids),
            crisis_on__gte=start,
            crisis_on__lte=end,
        ).values_list("plan__person_id", "respected")
    )
    fully = sum(1 for _p, r in rows if r == WishesRespected.FULLY)
    result = proportion(fully, len(rows))
    result["partly"] = sum(1 for _p, r in rows if r == WishesRespected.PARTLY)
    result["not"] = sum(1 for _p, r in rows if r == WishesRespected.NOT)
    return _flag_proportion(result, len({p for p, _r in rows}))


def publishable_outside(result: dict) -> bool:
    """Outside the organisation: nothing about fewer than the threshold, and no count of
    'yes' or of the others that would reveal a small group."""
    if not result.get("n") or result["small"]:
        return False
    if "k" in result and (is_small(result["k"]) or is_small(result["n"] - result["k"])):
        return False
    return True


def suppress_modes_outside(rows: list[dict]) -> list[dict]:
    """Drop the modes about 1 to 10 persons; when only one is dropped, drop the smallest
    other one too, so that it cannot be found back from a total published elsewhere."""
    hidden = [r for r in rows if r["small"]]
    shown = [r for r in rows if not r["small"]]
    if len(hidden) == 1 and shown:
        shown.remove(min((r for r in shown if r["n"]), key=lambda r: r["n"], default=shown[0]))
    return [dict(r, hidden=r not in shown) for r in rows]
