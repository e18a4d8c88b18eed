"""Links between apps that a person page and a peer dossier must offer."""

from django.urls import reverse


def test_person_page_offers_the_space_link_and_the_dim_reference(world):
    from tests.groups.factories import accompanied_person

    person = accompanied_person(world)
    body = world.client("peer_a").get(reverse("accompaniment:person_detail", args=[person.pk]))
    content = body.content.decode()
    assert reverse("evaluation:person_space_link", args=[person.pk]) in content
    assert person.reference in content


def test_peer_dossier_links_to_the_time_split_for_the_coordinator(world):
    peer = world.peer("peer_a")
    url = reverse("workforce:peer_detail", args=[peer.pk])
    target = reverse("observatory:peer_activity", args=[peer.pk])
    assert target in world.client("coordinator_a").get(url).content.decode()
    assert target not in world.client("peer_a").get(url).content.decode()
