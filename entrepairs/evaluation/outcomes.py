"""Figures of the outcomes page, computed from responses and stays. Pure aggregation: the
view decides what may be shown to whom (small-cell rule)."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Min

from entrepairs.accompaniment.models import Accompaniment, ConsentPurpose, Person

from .models import AnonymousResponse, Audience, HospitalStay, InstrumentVersion, LinkedResponse
from .scoring import scale_range
from .stats import is_small, mean_ci, paired_change, proportion

TEAM_AUDIENCES = (Audience.PROFESSIONAL, Audience.PEER)
BEFORE_TIMEPOINT = "start"
AFTER_TIMEPOINTS = ("months", "end")
YEAR = timedelta(days=365)


def consenting_persons(organisation_ids):
    return Person.objects.filter(organisation_id__in=organisation_ids).with_consent(
        ConsentPurpose.EVALUATION
    )


def _linked(organisation_ids, facility, start, end):
    """Linked answers of the period that evaluation may use (consent in force)."""
    qs = LinkedResponse.objects.in_use().filter(
        organisation_id__in=organisation_ids,
        completed_at__date__gte=start,
        completed_at__date__lte=end,
    )
    return qs.filter(facility=facility) if facility else qs


def _anonymous(organisation_ids, facility, start, end):
    qs = AnonymousResponse.objects.filter(
        organisation_id__in=organisation_ids, month__gte=start.replace(day=1), month__lte=end
    )
    return qs.filter(facility=facility) if facility else qs


def _flag(result: dict) -> dict:
    result["small"] = is_small(result["n"])
    return result


def instrument_results(organisation_ids, facility, start, end) -> list[dict]:
    """For each instrument version answered in the period: n, scale means, yes proportions."""
    sheets = defaultdict(list)
    for version_id, answers, scores in _anonymous(
        organisation_ids, facility, start, end
    ).values_list("instrument_version_id", "answers", "scores"):
        sheets[version_id].append((answers, scores))
    for version_id, answers, scores in _linked(organisation_ids, facility, start, end).values_list(
        "instrument_version_id", "answers", "scores"
    ):
        sheets[version_id].append((answers, scores))
    versions = InstrumentVersion.objects.in_bulk(list(sheets))
    results = []
    for version_id, rows in sheets.items():
        version = versions[version_id]
        definition = version.definition
        scales = []
        for scale in definition["scales"]:
            values = [s[scale["code"]]["score"] for _a, s in rows if s.get(scale["code"])]
            scales.append(
                _flag({"label": scale["label"], "unit": scale["unit"], **mean_ci(values)})
            )
        proportions = []
        for item in definition["items"]:
            codes = {o["code"] for o in item.get("options", [])}
            if item["type"] == "multiple_choice" or not {"yes", "partly", "no"} <= codes:
                continue
            answered = [
                a[item["code"]] for a, _s in rows if a.get(item["code"]) in ("yes", "partly", "no")
            ]
            proportions.append(
                _flag(
                    {
                        "code": item["code"],
                        "text": item["text"],
                        **proportion(sum(1 for v in answered if v == "yes"), len(answered)),
                    }
                )
            )
        results.append(
            _flag(
                {
                    "version": version,
                    "n": len(rows),
                    "scales": scales,
                    "proportions": proportions,
                }
            )
        )
    return sorted(results, key=lambda r: r["version"].title)


def paired_results(organisation_ids, facility, start, end) -> list[dict]:
    """Before/after change for linked answers: the first answer at the start of an
    accompaniment against the latest later one (after N months or at the end) completed in
    the period, same person and same instrument version."""
    after_rows = _linked(organisation_ids, facility, start, end).filter(
        timepoint__in=AFTER_TIMEPOINTS
    )
    persons = after_rows.values("person_id")
    before_rows = LinkedResponse.objects.in_use().filter(
        person_id__in=persons,
        organisation_id__in=organisation_ids,
        timepoint=BEFORE_TIMEPOINT,
    )
    before = {}
    for row in before_rows.order_by("completed_at", "pk").values(
        "person_id", "instrument_version_id", "scores"
    ):
        before.setdefault((row["person_id"], row["instrument_version_id"]), row["scores"])
    after = {}
    for row in after_rows.order_by("completed_at", "pk").values(
        "person_id", "instrument_version_id", "scores"
    ):
        after[(row["person_id"], row["instrument_version_id"])] = row["scores"]  # latest wins
    version_ids = {v for _p, v in after}
    versions = InstrumentVersion.objects.in_bulk(list(version_ids))
    results = []
    for version_id in version_ids:
        version = versions[version_id]
        for scale in version.definition["scales"]:
            pre, post = [], []
            for (person_id, v), scores in after.items():
                if v != version_id or (person_id, v) not in before:
                    continue
                b, a = before[(person_id, v)].get(scale["code"]), scores.get(scale["code"])
                if b and a:
                    pre.append(b["score"])
                    post.append(a["score"])
            if not pre:
                continue
            results.append(
                _flag(
                    {
                        "version": version,
                        "label": scale["label"],
                        "meaningful_change": scale.get("meaningful_change"),
                        "higher_is_better": scale["higher_is_better"],
                        "bounds": scale_range(version.definition, scale),
                        **paired_change(pre, post),
                    }
                )
            )
    return sorted(results, key=lambda r: (r["version"].title, r["label"]))


def team_climate(organisation_ids, facility, end) -> list[dict]:
    """Team surveys by calendar year (all years up to the end of the period)."""
    qs = AnonymousResponse.objects.filter(
        organisation_id__in=organisation_ids,
        instrument_version__audience__in=TEAM_AUDIENCES,
        month__lte=end,
    )
    if facility:
        qs = qs.filter(facility=facility)
    groups = defaultdict(list)
    for version_id, month, scores in qs.values_list("instrument_version_id", "month", "scores"):
        groups[(version_id, month.year)].append(scores)
    versions = InstrumentVersion.objects.in_bulk({v for v, _y in groups})
    series = defaultdict(list)
    for (version_id, year), rows in sorted(groups.items(), key=lambda kv: kv[0][1]):
        version = versions[version_id]
        series[version_id].append(
            _flag(
                {
                    "year": year,
                    "n": len(rows),
                    "scales": [
                        _flag(
                            {
                                "label": scale["label"],
                                **mean_ci(
                                    [
                                        r[scale["code"]]["score"]
                                        for r in rows
                                        if r.get(scale["code"])
                                    ]
                                ),
                            }
                        )
                        for scale in version.definition["scales"]
                    ],
                }
            )
        )
    return [{"version": versions[v], "years": years} for v, years in series.items()]


def overlap_days(stays, window_start, window_end) -> int:
    """Days of hospital stays inside [window_start, window_end): a stay counts its nights
    (discharge − admission), clipped to the window."""
    total = 0
    for admission, discharge in stays:
        first, last = max(admission, window_start), min(discharge, window_end)
        total += max(0, (last - first).days)
    return total


def hospital_days(organisation_ids, facility, start, end, today) -> dict:
    """Hospital days in the 12 months before and after the start of the first accompaniment,
    for consenting persons whose accompaniment started in the period and 12 months ago at
    least (so that the "after" year is complete)."""
    accompaniments = Accompaniment.objects.filter(person__in=consenting_persons(organisation_ids))
    if facility:
        accompaniments = accompaniments.filter(facility=facility)
    firsts = (
        accompaniments.values("person_id")
        .annotate(first_start=Min("start"))
        .filter(first_start__gte=start, first_start__lte=min(end, today - YEAR))
    )
    starts = {row["person_id"]: row["first_start"] for row in firsts}
    stays = defaultdict(list)
    for person_id, admission, discharge in HospitalStay.objects.filter(
        person_id__in=list(starts)
    ).values_list("person_id", "admission", "discharge"):
        stays[person_id].append((admission, discharge))
    before, after = [], []
    for person_id, first in sorted(starts.items()):
        before.append(overlap_days(stays[person_id], first - YEAR, first))
        after.append(overlap_days(stays[person_id], first, first + YEAR))
    result = paired_change(before, after) if before else {"n": 0}
    result["hospitalised_before"] = sum(1 for d in before if d > 0)
    result["hospitalised_after"] = sum(1 for d in after if d > 0)
    return _flag(result)
