import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import (
    DEFAULT_DOMAINS,
    Goal,
    LifeDomain,
    Rating,
    RecoveryPlan,
    Review,
    Step,
)
from tests.utils import assert_constant_queries, last_access

from .factories import body, make_person, make_plan

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def plan_url(person):
    return reverse("accompaniment:recovery_plan", args=[person.pk])


def review_url(person):
    return reverse("accompaniment:recovery_review_create", args=[person.pk])


def review_data(plan, **scores):
    data = {"version": plan.version, "date": TODAY().isoformat(), "comment": "Bon moment"}
    data.update(scores)
    return data


def test_start_plan_with_default_domains(world):
    person = make_person(world)
    response = world.client("peer_a").post(plan_url(person))
    assert response.status_code == 302
    plan = RecoveryPlan.objects.get(person=person)
    assert [d.name for d in plan.domains.all()] == [str(d) for d in DEFAULT_DOMAINS]


def test_co_write_goal_step_and_domain(world):
    person = make_person(world)
    plan = make_plan(person)
    housing = plan.domains.get(name="logement")
    client = world.client("peer_a")
    response = client.post(
        plan_url(person),
        {
            "version": 1,
            "new_goal_domain": housing.pk,
            "new_goal_text": "Avoir mon studio",
            "new_domain": "spiritualité",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.text == "Avoir mon studio" and goal.domain == housing
    assert LifeDomain.objects.filter(plan=plan, name="spiritualité").exists()
    response = client.post(
        plan_url(person),
        {
            "version": 2,
            f"goal_{goal.pk}": "Avoir mon propre studio",
            "new_step_goal": goal.pk,
            "new_step_text": "Demande au bailleur",
        },
    )
    assert response.status_code == 302
    step = Step.objects.get()
    response = client.post(
        plan_url(person),
        {"version": 3, f"goal_{goal.pk}": "Avoir mon propre studio", f"step_{step.pk}": "done"},
    )
    step.refresh_from_db()
    goal.refresh_from_db()
    assert step.status == "done" and goal.text == "Avoir mon propre studio"
    plan.refresh_from_db()
    assert plan.version == 4
    assert last_access("accompaniment.person").action == "update"


def test_stale_save_is_refused_and_loses_nothing(world):
    person = make_person(world)
    plan = make_plan(person)
    housing = plan.domains.get(name="logement")
    goal = Goal.objects.create(plan=plan, domain=housing, text="Version de départ")
    peer, coordinator = world.client("peer_a"), world.client("coordinator_a")
    # Both opened the page at version 1; the peer saves first.
    assert (
        peer.post(plan_url(person), {"version": 1, f"goal_{goal.pk}": "Écrit par le pair"})
    ).status_code == 302
    response = coordinator.post(
        plan_url(person), {"version": 1, f"goal_{goal.pk}": "Écrit par la coordination"}
    )
    assert response.status_code == 200
    assert "Rechargez la page" in body(response)
    goal.refresh_from_db()
    assert goal.text == "Écrit par le pair"


def test_review_keeps_both_ratings_and_draws_the_chart(world):
    person = make_person(world)
    plan = make_plan(person)
    housing, health = plan.domains.get(name="logement"), plan.domains.get(name="santé")
    client = world.client("peer_a")
    response = client.post(
        review_url(person),
        review_data(plan, **{f"person_{housing.pk}": 3, f"peer_{housing.pk}": 5}),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    client.post(
        review_url(person),
        review_data(plan, **{f"person_{housing.pk}": 6, f"person_{health.pk}": 8}),
    )
    ratings = Rating.objects.filter(domain=housing).order_by("review__pk")
    assert [(r.person_score, r.peer_score) for r in ratings] == [(3, 5), (6, None)]
    assert Review.objects.count() == 2
    assert last_access("accompaniment.review").action == "create"
    page = body(client.get(plan_url(person)))
    assert "<svg" in page and 'role="img"' in page and "aria-label=" in page
    assert 'id="ratings-table"' in page
    assert "3 / 5" in page and "6 / –" in page


@pytest.mark.parametrize(
    "scores, message",
    [
        ({"person_X": 11}, "Une note va de 0 à 10."),
        ({"peer_X": -1}, "Une note va de 0 à 10."),
        ({}, "Donnez au moins une note pour un domaine."),
        ({"person_X": 4, "date": "2999-01-01"}, "La date ne peut pas être dans le futur."),
    ],
)
def test_review_bad_input_saves_nothing(world, scores, message):
    person = make_person(world)
    plan = make_plan(person)
    housing = plan.domains.get(name="logement")
    data = review_data(plan)
    data.update({k.replace("X", str(housing.pk)): v for k, v in scores.items()})
    response = world.client("peer_a").post(review_url(person), data)
    assert response.status_code == 200
    assert message in body(response)
    assert not Review.objects.exists() and not Rating.objects.exists()
    plan.refresh_from_db()
    assert plan.version == 1


def test_stale_review_is_refused(world):
    person = make_person(world)
    plan = make_plan(person)
    housing = plan.domains.get(name="logement")
    RecoveryPlan.objects.filter(pk=plan.pk).update(version=2)
    response = world.client("peer_a").post(
        review_url(person), review_data(plan, **{f"person_{housing.pk}": 4})
    )
    assert "Rechargez la page" in body(response)
    assert not Review.objects.exists()


def test_professional_reads_but_cannot_write(world):
    person = make_person(world, team_sharing=True)
    make_plan(person)
    client = world.client("professional_a")
    assert client.get(plan_url(person)).status_code == 200
    assert client.post(plan_url(person), {"version": 1, "new_domain": "x"}).status_code == 403
    assert not LifeDomain.objects.filter(name="x").exists()


def test_other_organisation_gets_404(world):
    person = make_person(world)
    make_plan(person)
    assert world.client("coordinator_b").get(plan_url(person)).status_code == 404


def test_plan_page_constant_queries(world):
    person = make_person(world)
    plan = make_plan(person)
    domains = list(plan.domains.all())

    def add_reviews(n):
        for _ in range(n):
            review = Review.objects.create(plan=plan, date=TODAY())
            Rating.objects.bulk_create(
                Rating(review=review, domain=d, person_score=5, peer_score=4) for d in domains
            )
            Goal.objects.create(plan=plan, domain=domains[0], text="objectif")

    assert_constant_queries(world.client("peer_a"), plan_url(person), add_reviews, 2, 8)


def test_person_space_partial_renders_plain_plan(world):
    person = make_person(world)
    plan = make_plan(person)
    housing = plan.domains.get(name="logement")
    goal = Goal.objects.create(plan=plan, domain=housing, text="Avoir mon studio")
    Step.objects.create(goal=goal, text="Voir le bailleur")
    review = Review.objects.create(plan=plan, date=TODAY())
    Rating.objects.create(review=review, domain=housing, person_score=7, peer_score=6)
    html = render_to_string("accompaniment/_recovery_plan_for_person.html", {"person": person})
    assert "Mon plan de rétablissement" in html
    assert "Avoir mon studio" in html and "Voir le bailleur" in html
    assert "Votre dernière note : 7 sur 10." in html
    empty = render_to_string(
        "accompaniment/_recovery_plan_for_person.html", {"person": make_person(world)}
    )
    assert "Vous n'avez pas encore de plan" in empty
