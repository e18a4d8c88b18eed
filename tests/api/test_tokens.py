"""The "Accès API" pages: create (value shown once, hash kept), list, revoke; scopes by role."""

import re

from django.urls import reverse

from entrepairs.api.models import ApiToken, Scope, token_hash
from entrepairs.core.models import AccessEvent

from .conftest import issue_token, token_client


def create(client, **data):
    payload = {"name": "SIRH", "scopes": [Scope.WORKFORCE], "validity_days": 30} | data
    return client.post(reverse("api_tokens:token_create"), payload)


def test_created_token_is_shown_once_and_only_its_hash_is_kept(world):
    response = create(world.client("coordinator_a"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'value="(ep_[0-9a-f]{8}_[\w-]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.organisation == world.org_a
    assert token.scopes == [Scope.WORKFORCE]
    assert token.token_hash == token_hash(secret)
    # Nowhere in the database is the value itself: not in the token row, not in the audit.
    assert secret not in str(list(ApiToken.objects.values()))
    assert secret not in str(list(AccessEvent.objects.values()))
    assert AccessEvent.objects.filter(object_type="api.apitoken", action="create").exists()
    # The list shows its start only.
    page = world.client("coordinator_a").get(reverse("api_tokens:token_list")).content.decode()
    assert f"ep_{token.prefix}…" in page
    assert secret not in page
    # And it opens the API at once.
    assert token_client(secret).get(reverse("api:peers")).status_code == 200


def test_director_cannot_grant_evaluation_scope(world):
    response = create(world.client("director_a"), scopes=[Scope.EVALUATION])
    assert response.status_code == 200
    assert "Choisissez uniquement des droits proposés." in response.content.decode()
    assert not ApiToken.objects.exists()
    form = world.client("director_a").get(reverse("api_tokens:token_create")).content.decode()
    assert 'value="evaluation"' not in form
    assert 'value="effectifs"' in form


def test_bad_input_saves_nothing(world):
    client = world.client("coordinator_a")
    for data, message in (
        ({"scopes": []}, "Choisissez au moins un droit."),
        ({"validity_days": 0}, "Au moins 1 jour."),
        ({"validity_days": 366}, "Au plus 365 jours."),
        ({"validity_days": "bientôt"}, "Un nombre de jours entier."),
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"scopes": ["tout"]}, "Choisissez uniquement des droits proposés."),
    ):
        response = create(client, **data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
        assert "rien n'a été enregistré" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_token_opens_nothing_and_revocation_is_audited(world):
    token, secret = issue_token(world, "a", [Scope.WORKFORCE])
    client = token_client(secret)
    assert client.get(reverse("api:peers")).status_code == 200
    response = world.client("director_a").post(
        reverse("api_tokens:token_revoke", kwargs={"pk": token.pk})
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.membership("director_a")
    assert AccessEvent.objects.filter(object_type="api.apitoken", action="update").exists()
    answer = client.get(reverse("api:peers"))
    assert answer.status_code == 401
    assert answer.json() == {
        "erreur": "Jeton inconnu, expiré ou révoqué.",
        "code": "non_authentifie",
    }


def test_token_of_another_organisation_cannot_be_revoked(world):
    token, secret = issue_token(world, "b", [Scope.WORKFORCE])
    response = world.client("coordinator_a").post(
        reverse("api_tokens:token_revoke", kwargs={"pk": token.pk})
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_client(secret).get(reverse("api:peers")).status_code == 200


def test_token_stops_when_its_creator_loses_access(world):
    """A coordinator who leaves cannot keep reading with a token they copied."""
    _token, secret = issue_token(world, "a", [Scope.WORKFORCE])
    client = token_client(secret)
    assert client.get(reverse("api:peers")).status_code == 200
    membership = world.membership("coordinator_a")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert client.get(reverse("api:peers")).status_code == 401
    page = world.client("director_a").get(reverse("api_tokens:token_list")).content.decode()
    assert "son auteur·rice n'a plus d'accès" in page


def test_sessions_never_open_token_endpoints(world):
    """Signed in with a verified second factor, a coordinator's browser still gets 401."""
    response = world.client("coordinator_a").get(reverse("api:peers"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="entrepairs"'


def test_menu_offers_the_page_to_managers_only(world):
    url = reverse("api_tokens:token_list")
    assert url in world.client("coordinator_a").get(reverse("home:home")).content.decode()
    assert url not in world.client("peer_a").get(reverse("home:home")).content.decode()
