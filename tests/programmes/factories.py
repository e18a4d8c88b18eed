import datetime

import factory

from entrepairs.programmes.models import Funding, Programme, Status, StatusChange
from tests.factories import OrganisationFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Programme de pair-aidance"
    started_on = datetime.date(2023, 1, 1)


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    programme = factory.SubFactory(ProgrammeFactory)
    status = Status.EXPERIMENTAL
    effective_on = datetime.date(2023, 1, 1)


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    programme = factory.SubFactory(ProgrammeFactory)
    source = Funding.Source.FIR
    amount = 45000
    starts_on = datetime.date(2024, 1, 1)
    ends_on = datetime.date(2026, 12, 31)
