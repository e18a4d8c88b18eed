"""Evaluation as FHIR R4 (the R4B models of ``fhir.resources``, wire-compatible with R4 for
these resources): Questionnaire, and QuestionnaireResponse where the rules allow. Scope
``evaluation``, granted by coordinators only (as the pages' FHIR export).

A QuestionnaireResponse leaves only when all of this holds (docs/api.md):
- it is an answer of the token's organisation to a questionnaire it may see;
- an anonymous answer, or a follow-up answer whose person's "evaluation" consent is in force
  right now (withdrawal takes it out at once) and who is not anonymised;
- at least ``SMALL_CELL_THRESHOLD`` (11) such answers exist for that questionnaire: below it
  the bundle is empty, with an OperationOutcome that says why;
- it names nobody (no subject, no id), gives the month only, never a free-text answer (free
  text can name someone), in an order that follows neither arrival nor person.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from fhir.resources.R4B.bundle import Bundle
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.evaluation.fhir import to_questionnaire, to_questionnaire_response
from entrepairs.evaluation.models import AnonymousResponse, InstrumentVersion, LinkedResponse

from ..access import acting_membership
from ..base import FhirView
from ..errors import operation_outcome
from ..models import Scope
from ..schema import PAGE_PARAMETERS, token_responses
from ..serializers import FHIR_RESOURCE, QuestionnaireResponseQuerySerializer

FHIR_TAG = ["Évaluation FHIR R4 (jeton « evaluation »)"]
BUNDLE = {
    **FHIR_RESOURCE,
    "properties": {
        "resourceType": {"type": "string", "enum": ["Bundle"]},
        "type": {"type": "string", "enum": ["searchset"]},
        "total": {"type": "integer", "minimum": 0},
        "link": {"type": "array", "items": {"type": "object"}},
        "entry": {"type": "array", "items": {"type": "object"}},
    },
}
QUESTIONNAIRE = {
    **FHIR_RESOURCE,
    "properties": {"resourceType": {"type": "string", "enum": ["Questionnaire"]}},
}


def questionnaires_for(token):
    return (
        InstrumentVersion.objects.visible_to(acting_membership(token))
        .published()
        .select_related("instrument")
        .order_by("instrument__code", "published_at", "pk")
    )


def questionnaire_resource(version) -> dict:
    return {**to_questionnaire(version.definition), "id": str(version.pk)}


def searchset(view, paginator, resources, total, outcome=None) -> dict:
    request = view.request
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    for relation, url in (
        ("next", paginator.get_next_link()),
        ("previous", paginator.get_previous_link()),
    ):
        if url:
            links.append({"relation": relation, "url": url})
    entries = [{"resource": r, "search": {"mode": "match"}} for r in resources]
    if outcome:
        entries.append({"resource": outcome, "search": {"mode": "outcome"}})
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": entries,
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


class QuestionnaireListView(FhirView):
    required_scope = Scope.EVALUATION

    @extend_schema(
        operation_id="fhir_questionnaires",
        summary="Questionnaires (FHIR Questionnaire) que l'organisation peut utiliser",
        tags=FHIR_TAG,
        parameters=PAGE_PARAMETERS,
        responses=token_responses(
            OpenApiResponse(BUNDLE, description="Bundle searchset"), fhir=True
        ),
    )
    def get(self, request):
        paginator, page = self.paginate(questionnaires_for(self.token))
        resources = [questionnaire_resource(v) for v in page]
        total = paginator.page.paginator.count
        return Response(searchset(self, paginator, resources, total))


class QuestionnaireDetailView(FhirView):
    required_scope = Scope.EVALUATION

    @extend_schema(
        operation_id="fhir_questionnaire",
        summary="Un questionnaire (FHIR Questionnaire)",
        tags=FHIR_TAG,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses=token_responses(
            OpenApiResponse(QUESTIONNAIRE, description="Questionnaire"), fhir=True
        ),
    )
    def get(self, request, pk):
        version = questionnaires_for(self.token).filter(pk=pk).first()
        if version is None:
            raise NotFound(_("Questionnaire introuvable."))
        return Response(questionnaire_resource(version))


def _shuffled(kind: str, pk) -> str:
    """A stable order that follows neither arrival nor person (keyed by the secret key)."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256
    ).hexdigest()


def releasable_answers(token, version) -> list[tuple]:
    """(month "AAAA-MM", answers, linked response id or None), in publication order."""
    org = token.organisation_id
    anonymous = AnonymousResponse.objects.filter(organisation_id=org, instrument_version=version)
    consenting = (
        Person.objects.filter(organisation_id=org).active().with_consent(ConsentPurpose.EVALUATION)
    )
    linked = LinkedResponse.objects.completed().filter(
        organisation_id=org, instrument_version=version, person__in=consenting
    )
    rows = [
        (r.month.strftime("%Y-%m"), r.answers, None, _shuffled("a", r.pk))
        for r in anonymous.only("id", "month", "answers")
    ] + [
        (r.completed_at.strftime("%Y-%m"), r.answers, r.pk, _shuffled("l", r.pk))
        for r in linked.only("id", "completed_at", "answers")
    ]
    rows.sort(key=lambda row: (row[0], row[3]))
    return [row[:3] for row in rows]


def without_free_text(definition: dict) -> dict:
    return {**definition, "items": [i for i in definition["items"] if i["type"] != "free_text"]}


class QuestionnaireResponseListView(FhirView):
    required_scope = Scope.EVALUATION

    @extend_schema(
        operation_id="fhir_questionnaire_responses",
        summary="Réponses à un questionnaire (FHIR QuestionnaireResponse, sans personne)",
        description="Réponses anonymes et réponses de suivi dont l'accord « évaluation » est en "
        "vigueur, sans sujet ni texte libre, au mois près ; rien sous 11 réponses.",
        tags=FHIR_TAG,
        parameters=[QuestionnaireResponseQuerySerializer, *PAGE_PARAMETERS],
        responses=token_responses(
            OpenApiResponse(BUNDLE, description="Bundle searchset"), fhir=True
        ),
    )
    def get(self, request):
        query = QuestionnaireResponseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        version = (
            questionnaires_for(self.token).filter(pk=query.validated_data["questionnaire"]).first()
        )
        if version is None:
            raise NotFound(_("Questionnaire introuvable."))
        answers = releasable_answers(self.token, version)
        outcome = None
        if len(answers) < settings.SMALL_CELL_THRESHOLD:
            answers = []
            outcome = operation_outcome(
                _(
                    "Effectif trop faible : moins de %(n)s réponses à ce questionnaire, aucune "
                    "n'est communiquée."
                )
                % {"n": settings.SMALL_CELL_THRESHOLD},
                "informational",
                severity="information",
            )
        paginator, page = self.paginate(answers)
        definition = without_free_text(version.definition)
        resources = [to_questionnaire_response(definition, a, month) for month, a, _id in page]
        log_access(
            request, Action.EXPORT, model=LinkedResponse, ids=[pk for _m, _a, pk in page if pk]
        )
        total = paginator.page.paginator.count
        return Response(searchset(self, paginator, resources, total, outcome))
