"""Persons accompanied, consents, accompaniments, encounters, recovery plans, resources.

Least data: a person is an alias chosen with them and a year of birth. Every queryset that
holds person data has ``visible_to(membership)``; views fetch only through it.
"""

from .persons import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Encounter,
    Person,
    parse_person_reference,
    person_reference,
)
from .recovery import (
    DEFAULT_DOMAINS,
    Goal,
    LifeDomain,
    Rating,
    RecoveryPlan,
    Review,
    StalePlanError,
    Step,
)
from .resources import Referral, Resource

__all__ = [
    "parse_person_reference",
    "person_reference",
    "DEFAULT_DOMAINS",
    "Accompaniment",
    "Consent",
    "ConsentPurpose",
    "Encounter",
    "Goal",
    "LifeDomain",
    "Person",
    "Rating",
    "RecoveryPlan",
    "Referral",
    "Resource",
    "Review",
    "StalePlanError",
    "Step",
]
