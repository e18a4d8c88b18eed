from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from entrepairs.workforce.models import Training
from tests.factories import PeerWorkerFactory
from tests.utils import assert_constant_queries, last_access

from .factories import TrainingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def training_data(**overrides):
    data = {
        "kind": "du",
        "title": "DU pair-aidance",
        "provider": "Université Lyon 1",
        "start": "2025-09-01",
        "end": "2026-06-30",
        "status": "en_cours",
    }
    data.update(overrides)
    return data


def create_url(world):
    return reverse("workforce:training_create", kwargs={"peer_pk": world.peer("peer_a").pk})


def test_peer_adds_a_training_with_a_pdf_certificate(world):
    upload = SimpleUploadedFile("diplome.pdf", PDF, content_type="application/pdf")
    response = world.client("peer_a").post(
        create_url(world), {**training_data(), "certificate": upload}
    )
    assert response.status_code == 302
    training = Training.objects.get()
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / training.certificate_path
    assert stored.read_bytes() == PDF
    assert training.certificate_mime == "application/pdf"
    # Outside the web root: neither under STATIC_ROOT nor the static source folders.
    assert Path(settings.STATIC_ROOT) not in stored.parents
    assert all(Path(d) not in stored.parents for d in settings.STATICFILES_DIRS)
    assert last_access("workforce.training").action == "create"

    response = world.client("coordinator_a").get(
        reverse("workforce:certificate", kwargs={"pk": training.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    event = last_access("workforce.training")
    assert event.action == "view" and event.object_ids == [training.pk]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("faux.pdf", b"Ceci n'est pas un PDF", "ni un PDF ni une image"),
        ("script.png", b"<script>alert(1)</script>", "ni un PDF ni une image"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 40, "ni un PDF ni une image"),
        ("gros.pdf", PDF + b"0" * (5 * 1024 * 1024), "dépasse 5 Mo"),
    ],
)
def test_bad_upload_is_refused_by_content(world, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = world.client("peer_a").post(
        create_url(world), {**training_data(), "certificate": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Training.objects.exists()


def test_png_is_accepted_and_end_before_start_refused(world):
    upload = SimpleUploadedFile("scan.jpg", PNG)  # the extension lies, the content decides
    response = world.client("coordinator_a").post(
        create_url(world), {**training_data(), "certificate": upload}
    )
    assert response.status_code == 302
    assert Training.objects.get().certificate_mime == "image/png"
    response = world.client("coordinator_a").post(
        create_url(world), training_data(start="2026-01-01", end="2025-01-01")
    )
    assert "La date de fin ne peut pas précéder la date de début." in response.content.decode()
    assert Training.objects.count() == 1


def test_replacing_the_certificate_removes_the_old_file(world):
    client = world.client("peer_a")
    client.post(
        create_url(world), {**training_data(), "certificate": SimpleUploadedFile("a.pdf", PDF)}
    )
    training = Training.objects.get()
    old = Path(settings.PRIVATE_MEDIA_ROOT) / training.certificate_path
    url = reverse("workforce:training_update", kwargs={"pk": training.pk})
    client.post(
        url, {**training_data(status="obtenue"), "certificate": SimpleUploadedFile("b.png", PNG)}
    )
    training.refresh_from_db()
    assert training.status == "obtenue" and training.certificate_mime == "image/png"
    assert not old.exists()


def test_certificate_of_another_peer_or_organisation(world):
    mine = TrainingFactory(peer=world.peer("peer_a"), certificate_path="certificates/x.pdf")
    other = TrainingFactory(
        peer=PeerWorkerFactory(employer=world.org_a), certificate_path="certificates/y.pdf"
    )
    assert (
        world.client("peer_a")
        .get(reverse("workforce:certificate", kwargs={"pk": other.pk}))
        .status_code
        == 404
    )
    assert (
        world.client("coordinator_b")
        .get(reverse("workforce:certificate", kwargs={"pk": mine.pk}))
        .status_code
        == 404
    )
    assert (
        world.client("professional_a")
        .get(reverse("workforce:certificate", kwargs={"pk": mine.pk}))
        .status_code
        == 403
    )


def test_a_path_outside_the_private_root_is_never_served(world):
    training = TrainingFactory(
        peer=world.peer("peer_a"),
        certificate_path="../../etc/passwd",
        certificate_mime="application/pdf",
    )
    response = world.client("coordinator_a").get(
        reverse("workforce:certificate", kwargs={"pk": training.pk})
    )
    assert response.status_code == 404


def test_training_list_constant_queries_and_filter(world):
    def add(n):
        for _ in range(n):
            TrainingFactory(peer=PeerWorkerFactory(employer=world.org_a))

    client = world.client("director_a")
    assert_constant_queries(client, reverse("workforce:training_list"), add)
    TrainingFactory(peer=world.peer("peer_a"), status="obtenue")
    response = client.get(reverse("workforce:training_list") + "?statut=obtenue")
    assert len(response.context["page"]) == 1
