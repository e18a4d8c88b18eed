"""Disclosure control over the whole linear system of the figures published together.

``suppression.py`` protects one two-dimensional table. Published figures are related far
beyond one table: an establishment's figure, its département's, its region's and the nation's
are sums of the same cells; the four quarters sum to the year; a breakdown sums to its total.
A reader holding every published table can combine all of them. This module protects the
whole system at once, the way statistical offices do it (τ-Argus "audit", INSEE/DREES
*secret statistique*):

1. **Primary suppression**: every cell whose value lies between 1 and its threshold − 1
   (persons: ``settings.SMALL_CELL_THRESHOLD`` = 11; peers' attributes: 3; activity counts
   that do not count persons: no threshold) is hidden. Zero is shown.
2. **Secondary suppression by lines**: in every equation of the system (a total and its
   parts), a single hidden figure would be recomputed by difference: the smallest non-zero
   figure of the equation that may still be hidden is hidden too. Repeated until stable.
3. **Audit by linear programming** (``scipy.optimize.linprog``, HiGHS): for every hidden cell,
   the attacker's minimum and maximum over all non-negative values satisfying every published
   equation and inequality. A hidden cell fails when it is pinned (max − min < 1) or, for a
   primary cell, when the attacker can prove it small (max < threshold). A failing cell gets a
   partner: a non-zero figure of one of its equations, the lowest level first
   (``Cell.rank``: an establishment before its département, region or the nation), then the
   smallest one large enough to widen its interval. Steps 2 and 3 repeat until the audit
   passes.
4. **Giving back**: every secondary figure is tried again, the costliest first (nation,
   region, then the largest): shown, the hidden figures around it are audited anew from
   scratch; it stays shown when that audit passes. This undoes the partners a greedy choice
   made useless.

Zeros: a zero is never a primary cell and is hidden as a partner only when no non-zero figure
is left; an equation whose only hidden figure is a zero gives back a zero, which discloses
nothing (no count from 1 to 10), so it needs no partner. A total whose parts are all zero and
shown keeps its one-term equation (the total is 0): the audit knows it as the attacker does.

Only cells marked ``eligible`` (the period being published) may be hidden in steps 2 and 3:
figures already published stay as they were (their shown values are known constants, their
hidden values unknowns), so that a new publication never changes an old one.

The module imports no Django model: it is tested on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

Key = Hashable
DENSE_LIMIT = 300


@dataclass
class Cell:
    key: Key
    value: int
    threshold: int = 0  # 0: no primary rule (figures that count no person)
    eligible: bool = True  # may be hidden now
    hidden: bool = False  # already hidden (a figure published earlier)
    rank: int = 0  # cost class of hiding it: lower is hidden first (an establishment before
    # its département, region or the nation)


@dataclass(frozen=True)
class Constraint:
    """``Σ coeffs[key] · x[key]  (= or ≤)  0``. Totals are written with coefficient −1."""

    coeffs: tuple[tuple[Key, int], ...]
    equality: bool = True

    @classmethod
    def total(cls, total: Key, parts: Iterable[Key]) -> Constraint:
        """``total = Σ parts``."""
        return cls(((total, -1), *((p, 1) for p in parts)))

    @classmethod
    def at_most_sum(cls, total: Key, parts: Iterable[Key]) -> Constraint:
        """``total ≤ Σ parts`` (distinct persons over overlapping parts)."""
        return cls(((total, 1), *((p, -1) for p in parts)), equality=False)

    @classmethod
    def at_least(cls, total: Key, part: Key) -> Constraint:
        """``part ≤ total``."""
        return cls(((part, 1), (total, -1)), equality=False)


@dataclass
class Result:
    hidden: set = field(default_factory=set)
    primary: set = field(default_factory=set)
    audited: int = 0
    rounds: int = 0


@dataclass
class Interval:
    low: float
    high: float


def _components(hidden, constraints):
    """Groups of hidden keys linked by constraints (independent sub-problems)."""
    parent = {k: k for k in hidden}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    touching = []
    for c in constraints:
        keys = [k for k, _ in c.coeffs if k in hidden]
        if keys:
            touching.append((c, keys))
            first = find(keys[0])
            for k in keys[1:]:
                root = find(k)
                if root != first:
                    parent[root] = first
    groups = defaultdict(list)
    for k in hidden:
        groups[find(k)].append(k)
    by_root = defaultdict(list)
    for c, keys in touching:
        by_root[find(keys[0])].append(c)
    return [(sorted(members, key=repr), by_root[root]) for root, members in groups.items()]


def _system(members, cons, values):
    """The linprog arguments of one component (hidden values as variables)."""
    index = {k: i for i, k in enumerate(members)}
    rows_eq, rhs_eq, rows_ub, rhs_ub = [], [], [], []
    for c in cons:
        row = np.zeros(len(members))
        rhs = 0.0
        for k, coef in c.coeffs:
            if k in index:
                row[index[k]] += coef
            else:
                rhs -= coef * values[k]
        (rows_eq if c.equality else rows_ub).append(row)
        (rhs_eq if c.equality else rhs_ub).append(rhs)
    # Small systems go to HiGHS as dense arrays: scipy's sparse stacking costs more than the
    # solve itself below a few hundred unknowns.
    matrix = csr_matrix if len(members) > DENSE_LIMIT else np.asarray
    kwargs = {
        "A_eq": matrix(np.array(rows_eq)) if rows_eq else None,
        "b_eq": rhs_eq or None,
        "A_ub": matrix(np.array(rows_ub)) if rows_ub else None,
        "b_ub": rhs_ub or None,
        "bounds": (0, None),
        "method": "highs",
    }
    return index, kwargs


def _extreme(kwargs, objective, sense):
    """min (sense=1) or max (sense=-1) of ``objective · x``, with the optimal point."""
    result = linprog(sense * objective, **kwargs)
    if result.status == 3:  # unbounded
        return (float("inf") if sense < 0 else 0.0), None
    if result.status != 0:
        return None, None
    return sense * result.fun, result.x


def feasible_intervals(values: dict, hidden: set, constraints, cache=None) -> dict:
    """For each hidden key, the exact interval an attacker derives from the shown values and
    the constraints (hidden values real and non-negative): one minimisation and one
    maximisation per hidden figure. ``values`` holds every key's true value (only the shown
    ones are used). ``cache`` keeps the intervals of components already solved."""
    intervals = {}
    for members, cons in _components(hidden, constraints):
        signature = frozenset(members)
        if cache is not None and signature in cache:
            intervals.update(cache[signature])
            continue
        index, kwargs = _system(members, cons, values)
        found = {}
        for k, i in index.items():
            objective = np.zeros(len(members))
            objective[i] = 1.0
            lo, _x = _extreme(kwargs, objective, 1)
            hi, _x = _extreme(kwargs, objective, -1)
            lo = 0.0 if lo is None else lo
            found[k] = Interval(lo, lo if hi is None else hi)
        if cache is not None:
            cache[signature] = found
        intervals.update(found)
    return intervals


def _audit_component(members, cons, cells, values, safe):
    """``{key: reason}`` of the narrowed figures of one component, with few LPs.

    The true values are a feasible point, so a figure whose maximum reaches
    ``need = max(value + 1, threshold)`` (threshold for primary cells only) is safe: its
    interval is at least one wide and it may be large. Each LP solution certifies every figure
    it pushes high enough; first the sum of the uncertified figures is maximised, then each
    remaining figure alone, then its minimum when its maximum is not enough. Certified figures
    are added to ``safe``: hiding more figures later only widens what the attacker cannot
    exclude, so a safe figure stays safe.
    """
    index, kwargs = _system(members, cons, values)

    def need(k):
        cell = cells[k]
        small = 0 < cell.value < cell.threshold
        return max(cell.value + 1, cell.threshold if small else 0) - 1e-6

    def certify(x, pool):
        done = {k for k in pool if x[index[k]] >= need(k)}
        safe.update(done)
        return done

    uncertified = {k for k in members if k not in safe}
    while uncertified:
        objective = np.zeros(len(members))
        for k in uncertified:
            objective[index[k]] = 1.0
        _value, x = _extreme(kwargs, objective, -1)
        if x is None:
            break
        certified = certify(x, uncertified)
        if not certified:
            break
        uncertified -= certified
    bad = {}
    remaining = sorted(uncertified, key=repr)
    while remaining:
        k = remaining.pop(0)
        if k in safe:
            continue
        objective = np.zeros(len(members))
        objective[index[k]] = 1.0
        high, x = _extreme(kwargs, objective, -1)
        if high is None:
            continue  # inconsistent published figures: nothing can be derived exactly
        if x is not None:
            certify(x, [k, *remaining])
            remaining = [j for j in remaining if j not in safe]
        if k in safe or high >= need(k):
            continue
        cell = cells[k]
        if 0 < cell.value < cell.threshold and high < cell.threshold - 1e-9:
            bad[k] = "provably_small"
            continue
        low, _x = _extreme(kwargs, objective, 1)
        low = 0.0 if low is None else low
        if high - low < 1 - 1e-9 and not (cell.value == 0 and high < 1 - 1e-9):
            bad[k] = "pinned"
    return bad


def failures(cells: dict, hidden: set, constraints, cache=None, safe=None) -> dict:
    """Hidden keys the attacker narrows too much: ``{key: reason}`` — pinned (max − min < 1;
    a zero pinned at zero is no disclosure, zeros are shown) or, for a primary cell, provably
    small (max < threshold)."""
    values = {k: c.value for k, c in cells.items()}
    safe = set() if safe is None else safe
    bad = {}
    for members, cons in _components(hidden, constraints):
        signature = frozenset(members)
        if cache is not None and signature in cache:
            found = cache[signature]
        else:
            found = _audit_component(members, cons, cells, values, safe)
            if cache is not None:
                cache[signature] = found
        bad.update(found)
    return bad


def _lonely_pass(cells, hidden, by_key_constraints, constraints) -> bool:
    changed = False
    for c in constraints:
        if not c.equality:
            continue
        keys = [k for k, _ in c.coeffs]
        alone = [k for k in keys if k in hidden]
        if len(alone) != 1 or not cells[alone[0]].value:
            continue  # a zero given back by its equation is no disclosure
        candidates = [
            k for k in keys if k not in hidden and cells[k].eligible and cells[k].value > 0
        ]
        if not candidates:
            continue
        hidden.add(min(candidates, key=lambda k: (cells[k].rank, cells[k].value, repr(k))))
        changed = True
    return changed


def _partner(cells, hidden, key, reason, by_key_constraints):
    """The figure to hide so that ``key`` is no longer narrowed: a non-zero figure of one of
    its equations, else of the equations of the hidden figures around it (a zero only when
    there is nothing else: a hidden zero under a shown total is given back by the total);
    among them the lowest level first (``Cell.rank``: an establishment rather than its region
    or the nation), then the smallest figure large enough to give the room needed."""
    need = cells[key].threshold - cells[key].value if reason == "provably_small" else 1

    def free(keys):
        return {k for k in keys if k not in hidden and cells[k].eligible}

    near = free(k for c in by_key_constraints[key] for k, _ in c.coeffs)
    around = free(
        k2
        for c in by_key_constraints[key]
        for k, _ in c.coeffs
        if k in hidden
        for c2 in by_key_constraints[k]
        for k2, _ in c2.coeffs
    )
    for pool in (
        {k for k in near if cells[k].value},
        {k for k in around if cells[k].value},
        near,
        around,
    ):
        if pool:
            return min(
                pool,
                key=lambda k: (
                    cells[k].rank,
                    cells[k].value < need,
                    cells[k].value if cells[k].value >= need else -cells[k].value,
                    repr(k),
                ),
            )
    return None


class ProtectionError(RuntimeError):
    """No figure left that could be hidden to protect a cell (cannot happen when the
    period being published holds the totals)."""


def _component_of(start, hidden, by_key_constraints):
    """The hidden keys linked to ``start`` (hidden keys) by constraints, and those constraints."""
    members, todo, cons, seen_cons = set(start), list(start), [], set()
    while todo:
        k = todo.pop()
        for c in by_key_constraints[k]:
            if id(c) in seen_cons:
                continue
            seen_cons.add(id(c))
            cons.append(c)
            for k2, _ in c.coeffs:
                if k2 in hidden and k2 not in members:
                    members.add(k2)
                    todo.append(k2)
    return sorted(members, key=repr), cons


def _give_back(cells, hidden, secondary, by_key_constraints):
    """Show again every secondary figure the protection can do without.

    The greedy choice of partners hides more than needed (a partner chosen early may be made
    useless by a later one). Each secondary figure is tried, the costliest first (highest
    level, then largest value): shown again, the figures hidden around it are audited anew
    (the line rule, then the linear programmes of their component, from scratch); it stays
    shown only when that audit passes. The audit remains the judge: nothing is shown that
    lets the attacker pin a hidden figure or prove a small one small."""
    values = {k: c.value for k, c in cells.items()}
    for key in sorted(secondary, key=lambda k: (-cells[k].rank, -cells[k].value, repr(k))):
        hidden.discard(key)
        lonely = any(
            c.equality
            and len(alone := [k for k, _ in c.coeffs if k in hidden]) == 1
            and cells[alone[0]].value
            for c in by_key_constraints[key]
        )
        neighbours = {k for c in by_key_constraints[key] for k, _ in c.coeffs if k in hidden}
        ok = not lonely
        done = set()
        for k in sorted(neighbours, key=repr) if ok else ():
            if k in done:
                continue
            members, cons = _component_of({k}, hidden, by_key_constraints)
            done.update(members)
            if _audit_component(members, cons, cells, values, set()):
                ok = False
                break
        if not ok:
            hidden.add(key)


def protect(
    cells: dict,
    constraints: list[Constraint],
    max_rounds: int = 10_000,
    give_back: bool = True,
    give_back_rank: int = 0,
) -> Result:
    """Choose the hidden figures of ``cells`` (``{key: Cell}``) under ``constraints``.

    ``give_back_rank``: only the secondary figures of that rank or more are tried again (step
    4), which bounds its cost by the number of areas above the establishments.

    A constraint with one term only (a total whose parts are all zero and shown) stays: it
    tells the attacker that total is zero."""
    constraints = [c for c in constraints if c.coeffs]
    by_key_constraints = defaultdict(list)
    for c in constraints:
        for k, _ in c.coeffs:
            by_key_constraints[k].append(c)
    primary = {
        k for k, c in cells.items() if c.eligible and 0 < c.value < c.threshold and not c.hidden
    }
    hidden = set(primary) | {k for k, c in cells.items() if c.hidden}
    result = Result(primary=primary)
    cache, safe = {}, set()
    for _round in range(max_rounds):
        result.rounds += 1
        while _lonely_pass(cells, hidden, by_key_constraints, constraints):
            pass
        bad = failures(cells, hidden, constraints, cache, safe)
        result.audited += len(hidden)
        if not bad:
            if give_back:
                fixed = primary | {k for k, c in cells.items() if c.hidden or not c.eligible}
                tried = {k for k in hidden - fixed if cells[k].rank >= give_back_rank}
                _give_back(cells, hidden, tried, by_key_constraints)
            result.hidden = hidden
            return result
        progressed = False
        touched = set()  # one partner per neighbourhood, then audit again
        for key, reason in sorted(bad.items(), key=lambda kv: repr(kv[0])):
            if key in touched:
                continue
            partner = _partner(cells, hidden, key, reason, by_key_constraints)
            if partner is not None:
                hidden.add(partner)
                progressed = True
                for c in (*by_key_constraints[key], *by_key_constraints[partner]):
                    touched.update(k for k, _ in c.coeffs)
        if not progressed:
            raise ProtectionError(f"aucune case ne peut protéger {sorted(bad, key=repr)[:3]}")
    raise ProtectionError("protection non stabilisée")  # pragma: no cover
