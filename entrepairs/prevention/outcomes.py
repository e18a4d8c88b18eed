"""Outcomes of the prevention plans for the people who hold the records (their own
organisation, never published): stays by legal mode, and the detail of the 12 months before
and after the first signed plan, from the stays imported by the DIM and the plans' dates —
never their content.

Pure aggregation over persons who consented to evaluation; every result carries ``n`` and
``small`` (``evaluation.stats.is_small``) so that the page marks a small number. What leaves
the organisation is the publication (``observatory.catalogue``, theme « prévention »),
protected with every other published figure.
"""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.evaluation.models import HospitalStay, LegalMode
from entrepairs.evaluation.outcomes import overlap_days
from entrepairs.evaluation.stats import is_small, paired_change

from .models import PlanVersion

YEAR = timedelta(days=365)
DAY = timedelta(days=1)
# Every legal mode but free care is care under constraint (soins sans consentement).
COMPULSORY_MODES = frozenset(
    {LegalMode.THIRD_PARTY, LegalMode.IMMINENT_PERIL, LegalMode.STATE, LegalMode.JUSTICE}
)
# A crisis record "goes with" an admission when dated from a week before it to discharge.
CRISIS_WINDOW_BEFORE = timedelta(days=7)


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
        firsts.setdefault(person_id, timezone.localtime(signed_at).date())
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


def in_force_on(versions, day) -> bool:
    """Whether a plan was in force on ``day``, from its signed versions ``[(signed_at,
    revoked_at)]``: its latest version signed by then, and not revoked by then."""
    signed = [(s, r) for s, r in versions if timezone.localtime(s).date() <= day]
    if not signed:
        return False
    _signed_at, revoked_at = max(signed)
    return revoked_at is None or timezone.localtime(revoked_at).date() > day
