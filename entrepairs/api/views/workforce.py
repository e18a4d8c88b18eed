"""The workforce dossier of the token's organisation for HR systems: peers (with their
deployments), contracts and trainings. Scope ``effectifs``.

Peers are staff, not persons accompanied: their names are what an HR system needs. Fetched
through ``visible_to`` as the direction's pages do; every page of answers writes an
``export`` AccessEvent with the ids it gave. Certificates never leave the pages.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema

from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.workforce.models import Contract, Deployment, PeerWorker, Training

from ..access import acting_membership
from ..base import ApiView
from ..models import Scope
from ..schema import PAGE_PARAMETERS, page_of, token_responses
from ..serializers import ContractSerializer, PeerSerializer, TrainingSerializer

WORKFORCE_TAG = ["Effectifs (jeton « effectifs »)"]


class PeerListView(ApiView):
    required_scope = Scope.WORKFORCE

    @extend_schema(
        operation_id="pairs",
        summary="Pair-aidant·es de l'organisation (employeuse ou d'accueil) et leurs affectations",
        tags=WORKFORCE_TAG,
        parameters=PAGE_PARAMETERS,
        responses=token_responses(page_of(PeerSerializer, "PagePairs")),
    )
    def get(self, request):
        peers = (
            PeerWorker.objects.visible_to(acting_membership(self.token))
            .select_related("employer", "host_organisation")
            .prefetch_related(
                Prefetch(
                    "deployments",
                    Deployment.objects.select_related("facility").order_by("facility__name", "pk"),
                )
            )
            .order_by("last_name", "first_name", "pk")
        )
        paginator, page = self.paginate(peers)
        log_access(request, Action.EXPORT, model=PeerWorker, ids=[p.pk for p in page])
        return paginator.get_paginated_response(PeerSerializer(page, many=True).data)


class ContractListView(ApiView):
    required_scope = Scope.WORKFORCE

    @extend_schema(
        operation_id="contrats",
        summary="Contrats des pair-aidant·es (type, quotité, rémunération, précarité)",
        tags=WORKFORCE_TAG,
        parameters=PAGE_PARAMETERS,
        responses=token_responses(page_of(ContractSerializer, "PageContrats")),
    )
    def get(self, request):
        contracts = (
            Contract.objects.visible_to(acting_membership(self.token))
            .select_related("employer")
            .order_by("-start", "pk")
        )
        paginator, page = self.paginate(contracts)
        log_access(request, Action.EXPORT, model=Contract, ids=[c.pk for c in page])
        return paginator.get_paginated_response(ContractSerializer(page, many=True).data)


class TrainingListView(ApiView):
    required_scope = Scope.WORKFORCE

    @extend_schema(
        operation_id="formations",
        summary="Formations et qualifications des pair-aidant·es",
        tags=WORKFORCE_TAG,
        parameters=PAGE_PARAMETERS,
        responses=token_responses(page_of(TrainingSerializer, "PageFormations")),
    )
    def get(self, request):
        trainings = Training.objects.visible_to(acting_membership(self.token)).order_by(
            "-start", "pk"
        )
        paginator, page = self.paginate(trainings)
        log_access(request, Action.EXPORT, model=Training, ids=[t.pk for t in page])
        return paginator.get_paginated_response(TrainingSerializer(page, many=True).data)
