"""Workforce lists sort, filter and export (core/listing.py): managers only take them away."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from entrepairs.core.roles import Role
from entrepairs.workforce.models import Contract, PeerWorker, SupervisionSession, Training
from tests.factories import DeploymentFactory, FacilityFactory, MembershipFactory, PeerWorkerFactory
from tests.listing import (
    assert_constant_queries,
    assert_sorts_by_column,
    check_sorts,
    first_column,
    french_date,
    last_export,
    read_export,
    table_rows,
)

from .factories import (
    ContractFactory,
    MentoringFactory,
    MentoringMeetingFactory,
    MissionCharterFactory,
    SupervisionSessionFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

NOT_MANAGERS = ["peer_a", "professional_a", "regional_observer", "admin"]


def make_peer(world, name, org="a", **fields):
    peer = PeerWorkerFactory(employer=world.org(org), first_name=name, last_name=name, **fields)
    DeploymentFactory(peer=peer, facility=world.facility(org))
    return peer


def number(text):
    return Decimal(text.replace(",", ".").split()[0])


# Peers ----------------------------------------------------------------------------------------
class TestPeers:
    LIST = reverse("workforce:peer_list")
    EXPORT = reverse("workforce:peer_list_export")

    @pytest.fixture
    def peers(self, world):
        return [
            make_peer(world, "Martin", title=PeerWorker.Title.PEER_WORKER),
            make_peer(world, "Bernard", status=PeerWorker.Status.LEFT),
            make_peer(
                world,
                "Durand",
                title=PeerWorker.Title.PEER_HEALTH_MEDIATOR,
                status=PeerWorker.Status.RECRUITING,
            ),
        ]

    @pytest.mark.parametrize("key,column", [("titre", 1), ("statut", 2)])
    def test_choice_columns_sort_by_their_french_label(self, world, peers, key, column):
        assert_sorts_by_column(world.client("coordinator_a"), self.LIST, key, column)

    def test_name_sorts_by_last_name(self, world, peers):
        client = world.client("coordinator_a")
        names = [n.split()[-1] for n in first_column(client.get(self.LIST, {"tri": "nom"}))]
        assert names == sorted(names)
        down = [n.split()[-1] for n in first_column(client.get(self.LIST, {"tri": "-nom"}))]
        assert down == sorted(names, reverse=True)
        check_sorts(client, self.LIST, ["nom", "titre", "statut", "fiches", "supervision"])

    def test_filters(self, world, peers):
        client = world.client("coordinator_a")
        assert first_column(client.get(self.LIST, {"statut": "left"})) == ["Bernard Bernard"]
        other_site = FacilityFactory(name="CATTP Alpha", organisation=world.org_a)
        DeploymentFactory(peer=peers[0], facility=other_site)
        assert first_column(client.get(self.LIST, {"lieu": other_site.pk})) == ["Martin Martin"]

    def test_a_facility_of_another_organisation_is_neither_offered_nor_accepted(self, world, peers):
        client = world.client("coordinator_a")
        html = client.get(self.LIST).content.decode()
        assert "CMP Alpha" in html and "CMP Bêta" not in html
        response = client.get(self.LIST, {"lieu": world.facility_b.pk})
        assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
        assert len(table_rows(response)) == 4  # the filter is ignored, the list stays

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export_is_the_filtered_list_and_stays_in_the_organisation(self, world, peers, fmt):
        make_peer(world, "Bêta", org="b")
        params = {"statut": "in_post", "tri": "-nom"}
        shown = first_column(world.client("coordinator_a").get(self.LIST, params))
        rows = read_export(
            world.client("coordinator_a").get(self.EXPORT, {**params, "format": fmt})
        )
        assert rows[0][:4] == ["Nom", "Prénom", "Titre", "Statut"]
        assert [f"{r[1]} {r[0]}" for r in rows[1:]] == shown
        assert "Bêta" not in {r[0] for r in rows}
        event = last_export()
        assert event.object_type == "workforce.peerworker"
        assert len(event.object_ids) == len(shown)
        rows_b = read_export(world.client("coordinator_b").get(self.EXPORT, {"format": fmt}))
        assert {r[0] for r in rows_b[1:]} == {"Bêta", world.peer("peer_b").last_name}

    @pytest.mark.parametrize("persona", NOT_MANAGERS)
    def test_only_managers_export(self, world, persona):
        assert world.client(persona).get(self.EXPORT, {"format": "csv"}).status_code == 403

    def test_constant_queries(self, world):
        for url in (f"{self.LIST}?tri=-fiches&statut=in_post", f"{self.EXPORT}?format=xlsx"):
            assert_constant_queries(
                world.client("director_a"),
                url,
                lambda n: [make_peer(world, f"P{i}") for i in range(n)],
            )


# Contracts ------------------------------------------------------------------------------------
class TestContracts:
    LIST = reverse("workforce:contract_list")
    EXPORT = reverse("workforce:contract_list_export")

    @pytest.fixture
    def contracts(self, world):
        specs = [
            ("Martin", Contract.Kind.CDI, "2023-03-01", None, "0.50", "ars"),
            ("Bernard", Contract.Kind.CDD, "2025-01-15", "2026-02-28", "1.00", "etablissement"),
            ("Durand", Contract.Kind.PEC, "2024-06-01", "2026-12-31", "0.80", "innovation"),
        ]
        return [
            ContractFactory(
                peer=make_peer(world, name),
                kind=kind,
                start=datetime.date.fromisoformat(start),
                end=datetime.date.fromisoformat(end) if end else None,
                fte=fte,
                funding=funding,
            )
            for name, kind, start, end, fte, funding in specs
        ]

    @pytest.mark.parametrize(
        "key,column,parse",
        [
            ("type", 1, None),
            ("debut", 3, french_date),
            ("etp", 5, number),
            ("financement", 6, None),
        ],
    )
    def test_each_column_sorts(self, world, contracts, key, column, parse):
        assert_sorts_by_column(world.client("coordinator_a"), self.LIST, key, column, parse)

    def test_end_sorts_among_contracts_that_end(self, world, contracts):
        client = world.client("coordinator_a")
        params = {"precaire": "oui"}
        assert_sorts_by_column(client, self.LIST, "fin", 4, french_date, params=params)

    def test_all_sort_links_and_pair(self, world, contracts):
        client = world.client("director_a")
        check_sorts(
            client, self.LIST, ["pair", "type", "employeur", "debut", "fin", "etp", "financement"]
        )
        assert first_column(client.get(self.LIST, {"tri": "pair"})) == [
            "Bernard Bernard",
            "Durand Durand",
            "Martin Martin",
        ]

    def test_filters(self, world, contracts):
        client = world.client("coordinator_a")
        assert first_column(client.get(self.LIST, {"type": "cdi"})) == ["Martin Martin"]
        precarious = set(first_column(client.get(self.LIST, {"precaire": "oui"})))
        assert precarious == {"Bernard Bernard", "Durand Durand"}
        assert first_column(client.get(self.LIST, {"q": "dura"})) == ["Durand Durand"]

    @pytest.mark.parametrize("tampered", [{"tri": "peer__user__password"}, {"type": "cdx"}])
    def test_tampered(self, world, contracts, tampered):
        response = world.client("coordinator_a").get(self.LIST, tampered)
        assert response.status_code == 200
        # The default order: the most recent start first.
        assert first_column(response) == ["Bernard Bernard", "Durand Durand", "Martin Martin"]

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export(self, world, contracts, fmt):
        ContractFactory(peer=make_peer(world, "Bêta", org="b"))
        params = {"precaire": "oui", "tri": "fin"}
        shown = table_rows(world.client("coordinator_a").get(self.LIST, params))
        rows = read_export(
            world.client("coordinator_a").get(self.EXPORT, {**params, "format": fmt})
        )
        assert (
            [r[0] for r in rows[1:]]
            == [r[0] for r in shown]
            == [
                "Bernard Bernard",
                "Durand Durand",
            ]
        )
        assert rows[0][-1] == "Précarité" and rows[1][-1]  # the reasons, in words
        event = last_export()
        assert event.object_type == "workforce.contract"
        assert sorted(event.object_ids) == sorted(c.pk for c in contracts[1:])

    @pytest.mark.parametrize("persona", NOT_MANAGERS)
    def test_only_managers_export(self, world, persona):
        assert world.client(persona).get(self.EXPORT, {"format": "xlsx"}).status_code == 403

    def test_constant_queries(self, world):
        for url in (f"{self.LIST}?tri=type&precaire=non", f"{self.EXPORT}?format=csv"):
            assert_constant_queries(
                world.client("coordinator_a"),
                url,
                lambda n: [ContractFactory(peer=make_peer(world, f"C{i}")) for i in range(n)],
            )


# Trainings ------------------------------------------------------------------------------------
class TestTrainings:
    LIST = reverse("workforce:training_list")
    EXPORT = reverse("workforce:training_list_export")

    @pytest.fixture
    def trainings(self, world):
        specs = [
            ("Martin", Training.Kind.CROSS, "Croiser", "IFSI", "2025-02-01", "obtenue"),
            ("Bernard", Training.Kind.DU, "Accueillir", "Université", "2024-09-01", "en_cours"),
            ("Durand", Training.Kind.SHORT, "Briser", "Association", "2026-01-10", "prevue"),
        ]
        return [
            TrainingFactory(
                peer=make_peer(world, name),
                kind=kind,
                title=title,
                provider=provider,
                start=datetime.date.fromisoformat(start),
                status=status,
            )
            for name, kind, title, provider, start, status in specs
        ]

    @pytest.mark.parametrize(
        "key,column,parse",
        [
            ("type", 1, None),
            ("intitule", 2, None),
            ("organisme", 3, None),
            ("debut", 4, french_date),
            ("statut", 5, None),
        ],
    )
    def test_each_column_sorts(self, world, trainings, key, column, parse):
        assert_sorts_by_column(world.client("coordinator_a"), self.LIST, key, column, parse)

    def test_filters_keep_the_old_status_parameter(self, world, trainings):
        client = world.client("coordinator_a")
        assert first_column(client.get(self.LIST, {"statut": "prevue"})) == ["Durand Durand"]
        assert first_column(client.get(self.LIST, {"q": "accueil"})) == ["Bernard Bernard"]

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_formula_injection_and_audit(self, world, fmt):
        TrainingFactory(peer=make_peer(world, "Martin"), title="=cmd|' /C calc'!A0")
        TrainingFactory(peer=make_peer(world, "Bernard"), provider="@SOMME(1;2)")
        rows = read_export(world.client("director_a").get(self.EXPORT, {"format": fmt}))
        cells = {cell for row in rows[1:] for cell in row if isinstance(cell, str)}
        assert "'=cmd|' /C calc'!A0" in cells and "'@SOMME(1;2)" in cells
        assert not any(c.startswith(("=", "@")) for c in cells)
        assert last_export().object_type == "workforce.training"

    def test_export_of_a_filter_that_matches_nothing(self, world, trainings):
        rows = read_export(
            world.client("coordinator_a").get(self.EXPORT, {"format": "csv", "q": "zzz"})
        )
        assert rows == [rows[0]] and last_export().object_ids == []


# Supervision, mentoring, charters, code of conduct ----------------------------------------------
class TestSupervision:
    LIST = reverse("workforce:supervision_list")
    EXPORT = reverse("workforce:supervision_list_export")

    @pytest.fixture
    def sessions(self, world):
        peers = [world.peer("peer_a"), make_peer(world, "Martin"), make_peer(world, "Durand")]
        specs = [
            ("2026-03-10", SupervisionSession.Kind.PEER, 60, 1),
            ("2026-01-05", SupervisionSession.Kind.INDIVIDUAL, 45, 3),
            ("2026-02-20", SupervisionSession.Kind.GROUP, 120, 2),
        ]
        made = []
        for day, kind, minutes, n in specs:
            session = SupervisionSessionFactory(
                organisation=world.org_a,
                date=datetime.date.fromisoformat(day),
                kind=kind,
                duration_minutes=minutes,
            )
            session.participants.set(peers[:n])
            made.append(session)
        return made

    @pytest.mark.parametrize(
        "key,column,parse",
        [("date", 0, french_date), ("type", 1, None), ("duree", 2, number), ("pairs", 3, int)],
    )
    def test_each_column_sorts(self, world, sessions, key, column, parse):
        assert_sorts_by_column(world.client("coordinator_a"), self.LIST, key, column, parse)

    def test_date_range(self, world, sessions):
        response = world.client("coordinator_a").get(
            self.LIST, {"du": "2026-02-01", "au": "2026-02-28"}
        )
        assert first_column(response) == ["20/02/2026"]

    def test_export_for_managers_not_for_the_peer(self, world, sessions):
        rows = read_export(world.client("director_a").get(self.EXPORT, {"format": "csv"}))
        assert rows[0] == ["Date", "Type", "Durée (minutes)", "Nombre de pairs"]
        assert [r[0] for r in rows[1:]] == ["10/03/2026", "20/02/2026", "05/01/2026"]
        assert world.client("peer_a").get(self.EXPORT, {"format": "csv"}).status_code == 403
        assert self.EXPORT not in world.client("peer_a").get(self.LIST).content.decode()


class TestMentoring:
    LIST = reverse("workforce:mentoring_list")
    EXPORT = reverse("workforce:mentoring_list_export")

    @pytest.fixture
    def mentorings(self, world):
        made = []
        for days, meetings in ((30, 2), (90, 0), (10, 1)):
            mentor = MembershipFactory(organisation=world.org_a, role=Role.PROFESSIONAL)
            mentoring = MentoringFactory(
                mentor=mentor,
                mentee=world.membership("peer_a"),
                start=datetime.date(2026, 1, 1) + datetime.timedelta(days=days),
                goals="=secret goals",
            )
            for _ in range(meetings):
                MentoringMeetingFactory(mentoring=mentoring)
            made.append(mentoring)
        return made

    @pytest.mark.parametrize("key,column,parse", [("rencontres", 3, int)])
    def test_sorts(self, world, mentorings, key, column, parse):
        assert_sorts_by_column(world.client("coordinator_a"), self.LIST, key, column, parse)
        check_sorts(world.client("coordinator_a"), self.LIST, ["mentor", "debut"])

    def test_export_has_no_free_text(self, world, mentorings):
        rows = read_export(world.client("coordinator_a").get(self.EXPORT, {"format": "xlsx"}))
        assert len(rows) == 4
        assert not any("secret" in str(cell) for row in rows for cell in row)


class TestCharters:
    LIST = reverse("workforce:charter_list")
    EXPORT = reverse("workforce:charter_list_export")

    def test_sort_filter_export(self, world):
        for name in ("Martin", "Bernard", "Durand"):
            MissionCharterFactory(peer=make_peer(world, name))
        MissionCharterFactory(peer=make_peer(world, "Bêta", org="b"))
        client = world.client("coordinator_a")
        assert first_column(client.get(self.LIST, {"tri": "-pair"})) == [
            "Martin Martin",
            "Durand Durand",
            "Bernard Bernard",
        ]
        check_sorts(client, self.LIST, ["pair", "dispositif", "version", "signature"])
        assert first_column(client.get(self.LIST, {"signee": "oui"})) == [
            "Aucune fiche de mission."
        ]
        rows = read_export(client.get(self.EXPORT, {"format": "csv", "tri": "pair"}))
        assert [r[0] for r in rows[1:]] == ["Bernard Bernard", "Durand Durand", "Martin Martin"]
        assert world.client("peer_a").get(self.EXPORT, {"format": "csv"}).status_code == 403


class TestConductAcknowledgements:
    LIST = reverse("workforce:conduct_acknowledgements")

    def test_sorts_and_filters(self, world):
        client = world.client("coordinator_a")
        assert_sorts_by_column(client, self.LIST, "role", 1)
        check_sorts(client, self.LIST, ["personne", "role", "lue"])
        assert client.get(self.LIST, {"lue": "oui"}).status_code == 200
        assert table_rows(client.get(self.LIST, {"lue": "oui"})) == [["Personne."]]
