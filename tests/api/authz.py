import datetime

from django.utils import timezone

from entrepairs.api.models import ApiToken, Scope
from tests.authz import LOGGED_IN, Route
from tests.evaluation.factories import builtin

MANAGERS_A = {"coordinator_a", "director_a"}
MANAGERS = MANAGERS_A | {"coordinator_b"}


def token_of(world, org):
    token, _secret = ApiToken.issue(
        organisation=world.org(org),
        name="SIRH",
        scopes=[Scope.ACTIVITY],
        expires_at=timezone.now() + datetime.timedelta(days=30),
        created_by=world.membership(f"coordinator_{org}"),
    )
    return {"pk": token.pk}


def public(name, **kwargs):
    return Route(name, public=True, allowed=LOGGED_IN, **kwargs)


ROUTES = [
    # Token management pages (HTML): coordinators and directors of the organisation.
    Route("api_tokens:token_list", allowed=MANAGERS),
    Route("api_tokens:token_create", allowed=MANAGERS),
    Route(
        "api_tokens:token_revoke",
        method="post",
        allowed=MANAGERS_A,
        ok_status=302,
        kwargs=token_of,
        status={"coordinator_b": 404},
    ),
    # The description and its documentation UI, public by design.
    public("api:schema"),
    public("api:docs"),
    public("api:not_found", ok_status=404),
    # Published figures, public by design.
    public("api:indicators"),
    public("api:regions"),
    public("api:figures_national"),
    public(
        "api:figures_regional",
        kwargs=lambda world, org: {"code": world.org(org).region.code},
        cross_org=False,
    ),
    # Organisation data: a token of the right scope only (sessions get 401).
    Route("api:activity", token_scope=Scope.ACTIVITY),
    Route("api:group_sessions", token_scope=Scope.ACTIVITY),
    Route("api:institutional_activities", token_scope=Scope.ACTIVITY),
    Route("api:peers", token_scope=Scope.WORKFORCE),
    Route("api:contracts", token_scope=Scope.WORKFORCE),
    Route("api:trainings", token_scope=Scope.WORKFORCE),
    Route("api:fhir_questionnaires", token_scope=Scope.EVALUATION),
    Route(
        "api:fhir_questionnaire",
        token_scope=Scope.EVALUATION,
        kwargs=lambda world, org: {"pk": builtin("who-5").pk},
        cross_org=False,
    ),
    Route(
        "api:fhir_questionnaire_responses",
        token_scope=Scope.EVALUATION,
        query=lambda world: f"questionnaire={builtin('who-5').pk}",
    ),
]
