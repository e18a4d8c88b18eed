"""Statistics of the outcomes page, computed with scipy (no hand-written distributions).

Every function returns plain dicts, with ``n`` first, so that templates can apply the
small-cell rule (``settings.SMALL_CELL_THRESHOLD``) before showing anything.
"""

import math
from statistics import fmean, stdev

from django.conf import settings
from scipy import stats as sps


def is_small(n: int) -> bool:
    """A count of persons between 1 and threshold-1 must not be published."""
    return 0 < n < settings.SMALL_CELL_THRESHOLD


def mean_ci(values: list[float], confidence: float = 0.95) -> dict:
    """Mean with a Student t confidence interval."""
    n = len(values)
    if n == 0:
        return {"n": 0, "mean": None, "low": None, "high": None}
    mean = fmean(values)
    if n < 2 or stdev(values) == 0:
        return {
            "n": n,
            "mean": mean,
            "low": None if n < 2 else mean,
            "high": None if n < 2 else mean,
        }
    sem = stdev(values) / math.sqrt(n)
    low, high = sps.t.interval(confidence, n - 1, loc=mean, scale=sem)
    return {"n": n, "mean": mean, "low": float(low), "high": float(high)}


def paired_change(before: list[float], after: list[float], confidence: float = 0.95) -> dict:
    """Mean change after − before, its t confidence interval and Cohen's d for paired
    samples (dz = mean difference / standard deviation of the differences)."""
    if len(before) != len(after):
        raise ValueError("paired samples need the same length")
    diffs = [b - a for a, b in zip(before, after, strict=True)]
    n = len(diffs)
    result = {
        "n": n,
        "mean_before": fmean(before) if n else None,
        "mean_after": fmean(after) if n else None,
        "mean_change": fmean(diffs) if n else None,
        "low": None,
        "high": None,
        "dz": None,
    }
    if n < 2:
        return result
    sd = stdev(diffs)
    if sd == 0:
        result.update(low=result["mean_change"], high=result["mean_change"])
        return result
    test = sps.ttest_rel(after, before)
    interval = test.confidence_interval(confidence)
    result.update(low=float(interval.low), high=float(interval.high), dz=result["mean_change"] / sd)
    return result


def proportion(successes: int, n: int, confidence: float = 0.95) -> dict:
    """A proportion with its Wilson score interval."""
    if n == 0:
        return {"n": 0, "k": 0, "p": None, "low": None, "high": None}
    interval = sps.binomtest(successes, n).proportion_ci(
        confidence_level=confidence, method="wilson"
    )
    return {
        "n": n,
        "k": successes,
        "p": successes / n,
        "low": float(interval.low),
        "high": float(interval.high),
    }
