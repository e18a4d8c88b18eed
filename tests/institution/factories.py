import datetime

import factory
from django.utils import timezone

from entrepairs.institution.models import InstitutionalActivity
from tests.factories import OrganisationFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionalActivity
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = InstitutionalActivity.Kind.AWARENESS
    title = factory.Sequence(lambda n: f"Sensibilisation équipe n°{n}")
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    duration_minutes = 120
    audience_nurses = 8

    @factory.post_generation
    def with_peers(self, create, extracted, **kwargs):
        if create and extracted:
            self.peers.set(extracted)
