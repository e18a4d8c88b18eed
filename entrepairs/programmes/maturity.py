"""The readiness checklist (``evaluation/instruments/readiness.yaml``) read for one
organisation, year by year, under the small-number rule of the evaluation app: nothing is
shown for a year with fewer than ``SMALL_CELL_THRESHOLD`` answers (``stats.is_small``)."""

from collections import defaultdict

from entrepairs.evaluation.models import AnonymousResponse, InstrumentVersion
from entrepairs.evaluation.stats import is_small, mean_ci, proportion

READINESS_CODE = "preparation-programme"
ANSWERS = ("yes", "partly", "no")


def readiness_versions():
    return InstrumentVersion.objects.filter(
        instrument__code=READINESS_CODE, instrument__organisation__isnull=True
    ).select_related("instrument")


def readiness_by_year(organisation) -> list[dict]:
    """[{year, n, small, score: mean_ci, items: [{text, yes, partly, no}]}], newest first.

    For a small year only ``year``, ``n`` hidden and ``small`` are given: the page says that
    there were answers, not how many, nor what they said."""
    versions = {v.pk: v for v in readiness_versions()}
    rows = defaultdict(list)
    for version_id, month, answers, scores in AnonymousResponse.objects.filter(
        organisation=organisation, instrument_version_id__in=list(versions)
    ).values_list("instrument_version_id", "month", "answers", "scores"):
        rows[month.year].append((versions[version_id], answers, scores))
    result = []
    for year in sorted(rows, reverse=True):
        sheets = rows[year]
        n = len(sheets)
        if is_small(n):
            result.append({"year": year, "small": True})
            continue
        definition = sheets[-1][0].definition
        scale = definition["scales"][0]["code"]
        score = mean_ci([s[scale]["score"] for _v, _a, s in sheets if s.get(scale)])
        items = []
        for item in definition["items"]:
            answered = [a.get(item["code"]) for _v, a, _s in sheets]
            answered = [v for v in answered if v in ANSWERS]
            items.append(
                {
                    "code": item["code"],
                    "text": item["text"],
                    "n": len(answered),
                    "small": is_small(len(answered)),
                    **{
                        answer: proportion(sum(1 for v in answered if v == answer), len(answered))
                        for answer in ANSWERS
                    },
                }
            )
        result.append({"year": year, "small": False, "n": n, "score": score, "items": items})
    return result
