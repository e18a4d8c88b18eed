"""factory_boy factories shared by every app's tests. Apps add theirs in tests/<app>/factories.py."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from entrepairs.accounts.models import Membership, User
from entrepairs.core.roles import Role
from entrepairs.territory.models import (
    Commune,
    Department,
    Facility,
    Organisation,
    Region,
    Sector,
)
from entrepairs.workforce.models import Deployment, PeerWorker


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "32"
    name = "Hauts-de-France"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "59"
    name = "Nord"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    code = factory.Sequence(lambda n: f"59{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)
    population_municipal = 1000
    population_total = 1020


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Établissement {n}")
    kind = Organisation.Kind.HEALTH_ESTABLISHMENT
    finess_et = factory.Sequence(lambda n: f"59{n:07d}")
    department = factory.SubFactory(DepartmentFactory)
    region = factory.SelfAttribute("department.region")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    code = factory.Sequence(lambda n: f"59G{n:02d}")
    discipline = "GEN"
    organisation = factory.SubFactory(OrganisationFactory)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"CMP n°{n}")
    kind = Facility.Kind.CMP
    organisation = factory.SubFactory(OrganisationFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("motdepasse-solide-42")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PEER

    @factory.post_generation
    def facilities(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilities.set(extracted)


class PeerWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerWorker

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    title = PeerWorker.Title.PEER_HELPER
    status = PeerWorker.Status.IN_POST
    employer = factory.SubFactory(OrganisationFactory)


class DeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deployment

    peer = factory.SubFactory(PeerWorkerFactory)
    facility = factory.SubFactory(FacilityFactory)
    time_share = "0.50"


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "test"
    confirmed = True
