"""The attacker of the published figures, written apart from the publishing code.

It reads only what is published (``PublishedFigure`` rows of every level, breakdown and period)
and what anybody knows of the structure (which establishment lies in which département and
region, as the rows say; how breakdowns and periods relate, as the public catalogue says). It
writes every equation and inequality between the published figures, and for every hidden
figure solves two linear programmes (``scipy.optimize.linprog``, HiGHS) over *all* hidden
figures of the indicator at once: the smallest and the largest value consistent with
everything published (non-negative reals, relaxing the integers).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.optimize import linprog

from entrepairs.observatory import catalogue
from entrepairs.observatory.models import PublishedFigure
from entrepairs.observatory.periods import Period

ORG, DEPT, REGION, NATION = "organisation", "department", "region", "nation"


def read_published(indicator):
    """``{(period, level, area, breakdown): value or None}`` of the protected figures of
    ``indicator`` (denominators for a mean or a proportion), and the org → (dept, region)
    map the rows publish."""
    shared = indicator.is_ratio and indicator.breakdown_relation == catalogue.SHARED
    figures, where = {}, {}
    for row in PublishedFigure.objects.filter(indicator=indicator.code):
        if shared and row.breakdown:
            continue
        period = Period(row.period_kind, row.period_start).code
        key = (period, row.level, row.area_code, row.breakdown)
        if row.status == PublishedFigure.Status.HIDDEN:
            figures[key] = None
        else:
            figures[key] = row.denominator if indicator.is_ratio else row.value
        if row.level == ORG:
            where[row.area_code] = (row.department_code, row.region_code)
    return figures, where


def equations(indicator, figures, where):
    """(coefficients, is_equality) rows: Σ coef·x (= or ≤) 0."""
    eq = []
    periods = sorted({k[0] for k in figures})
    breakdowns = sorted({k[3] for k in figures})
    areas = sorted({(k[1], k[2]) for k in figures})
    for p in periods:
        for b in breakdowns:
            groups = defaultdict(list)
            for org, (dept, region) in where.items():
                groups[(NATION, "FR")].append(org)
                if dept:
                    groups[(DEPT, dept)].append(org)
                if region:
                    groups[(REGION, region)].append(org)
            for (level, area), orgs in groups.items():
                eq.append(
                    (
                        {(p, level, area, b): -1, **{(p, ORG, o, b): 1 for o in orgs}},
                        True,
                    )
                )
        if len(breakdowns) > 1:
            parts = [b for b in breakdowns if b]
            for level, area in areas:
                total = (p, level, area, "")
                if indicator.breakdown_relation == catalogue.PARTITION:
                    eq.append(({total: -1, **{(p, level, area, b): 1 for b in parts}}, True))
                elif indicator.breakdown_relation == catalogue.OVERLAP:
                    eq.append(({total: 1, **{(p, level, area, b): -1 for b in parts}}, False))
                    for b in parts:
                        eq.append(({(p, level, area, b): 1, total: -1}, False))
    for p in periods:
        period = Period.parse(p)
        if period.kind != "year":
            continue
        quarters = [q.code for q in period.quarters()]
        if not all(q in periods for q in quarters):
            continue
        for level, area in areas:
            for b in breakdowns:
                y = (p, level, area, b)
                qs = [(q, level, area, b) for q in quarters]
                if indicator.period_relation == catalogue.FLOW:
                    eq.append(({y: -1, **{q: 1 for q in qs}}, True))
                elif indicator.period_relation == catalogue.DISTINCT:
                    eq.append(({y: 1, **{q: -1 for q in qs}}, False))
                    for q in qs:
                        eq.append(({q: 1, y: -1}, False))
                elif indicator.period_relation == catalogue.STOCK:
                    eq.append(({y: -1, qs[-1]: 1}, True))
    return [(c, e) for c, e in eq if all(k in figures for k in c)]


def attack(indicator):
    """``{hidden key: (min, max)}`` over everything published for ``indicator``, plus the
    exact sums of hidden parts the equations reveal: [(keys, value)]."""
    figures, where = read_published(indicator)
    hidden = sorted(k for k, v in figures.items() if v is None)
    rows = equations(indicator, figures, where)
    revealed = []
    for coeffs, equality in rows:
        hidden_terms = {k: c for k, c in coeffs.items() if figures[k] is None}
        if equality and hidden_terms and len({np.sign(c) for c in hidden_terms.values()}) == 1:
            known = -sum(c * figures[k] for k, c in coeffs.items() if figures[k] is not None)
            revealed.append((sorted(hidden_terms), abs(known)))
    if not hidden:
        return {}, revealed
    index = {k: i for i, k in enumerate(hidden)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for coeffs, equality in rows:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for k, c in coeffs.items():
            if figures[k] is None:
                row[index[k]] += c
            else:
                rhs -= c * figures[k]
        if not row.any():
            continue
        (a_eq if equality else a_ub).append(row)
        (b_eq if equality else b_ub).append(rhs)
    kwargs = {
        "A_eq": np.array(a_eq) if a_eq else None,
        "b_eq": b_eq or None,
        "A_ub": np.array(a_ub) if a_ub else None,
        "b_ub": b_ub or None,
        "bounds": (0, None),
        "method": "highs",
    }
    out = {}
    for k, i in index.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1
        low = linprog(objective, **kwargs)
        high = linprog(-objective, **kwargs)
        assert low.status == 0, f"published figures inconsistent for {k}"
        out[k] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return out, revealed
