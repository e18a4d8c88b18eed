import io

from django.urls import reverse

from entrepairs.evaluation.models import HospitalStay

from .factories import consenting_person


def upload(text):
    f = io.BytesIO(text.encode("utf-8"))
    f.name = "sejours.csv"
    return f


def test_clean_file_is_imported_and_replaces_the_previous_one(world):
    person = consenting_person(world)
    client = world.client("coordinator_a")
    csv = (
        "reference_personne;date_entree;date_sortie;mode_legal\n"
        f"{person.pk};2025-01-01;2025-01-10;SL\n"
        f"{person.pk};10/01/2025;20/01/2025;SDT\n"  # transfer the same day: not an overlap
    )
    response = client.post(reverse("evaluation:stays_import"), {"file": upload(csv)})
    assert response.status_code == 302
    assert HospitalStay.objects.count() == 2
    client.post(reverse("evaluation:stays_import"), {"file": upload(csv.rsplit("\n", 2)[0] + "\n")})
    assert HospitalStay.objects.count() == 1


def test_every_bad_line_is_reported_and_nothing_imported(world):
    person = consenting_person(world)
    other_org = consenting_person(world, "b")
    csv = (
        "reference_personne;date_entree;date_sortie;mode_legal\n"
        f"{person.pk};2025-01-01;2025-01-10;SL\n"
        f"{person.pk};2025-01-05;2025-01-12;SL\n"
        "99999;2025-01-01;2025-01-02;SL\n"
        f"{other_org.pk};2025-01-01;2025-01-02;SL\n"
        f"{person.pk};2025-03-10;2025-03-01;SL\n"
        f"{person.pk};2025-04-01;2025-04-03;XYZ\n"
        f"{person.pk};hier;2025-05-03;SL\n"
    )
    response = world.client("coordinator_a").post(
        reverse("evaluation:stays_import"), {"file": upload(csv)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "rien n&#x27;a été importé" in page or "rien n'a été importé" in page
    assert "Ligne 3 : ce séjour chevauche celui de la ligne 2" in page
    assert "Ligne 4 : référence de personne inconnue" in page
    assert "Ligne 5 : référence de personne inconnue" in page  # another organisation's person
    assert "Ligne 6 : la sortie est avant l" in page
    assert "Ligne 7 : mode légal inconnu" in page
    assert "Ligne 8 : date d" in page
    assert not HospitalStay.objects.exists()


def test_missing_columns(world):
    response = world.client("coordinator_a").post(
        reverse("evaluation:stays_import"), {"file": upload("personne,entree\n1,2025-01-01\n")}
    )
    assert "colonnes manquantes" in response.content.decode()
