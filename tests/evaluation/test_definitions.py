import copy
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from entrepairs.evaluation.definitions import (
    InstrumentDefinitionError,
    builtin_definitions,
    load_file,
    normalise,
)
from entrepairs.evaluation.models import ImmutableVersionError, Instrument, InstrumentVersion

WHO5_FILE = Path("/work/shared/instruments/who-5-fr.md")


def base():
    return copy.deepcopy(
        {
            "code": "essai",
            "version": "1",
            "title": "Essai",
            "audience": "person",
            "validated": False,
            "licence": "libre",
            "source": "nous",
            "items": [
                {"code": "a", "text": "Question A", "type": "yes_partly_no"},
                {"code": "b", "text": "Question B", "type": "zero_to_ten"},
            ],
            "scales": [{"code": "s", "label": "S", "items": ["a", "b"], "method": "sum"}],
        }
    )


def test_builtin_instruments_load():
    defs = builtin_definitions()
    assert set(defs) == {
        "who-5",
        "satisfaction-personnes",
        "climat-equipe",
        "preparation-programme",
    }
    audiences = {d["audience"] for d in defs.values()}
    assert audiences == {"person", "professional", "coordinator"}


def test_our_own_instruments_say_they_are_not_validated():
    for code, definition in builtin_definitions().items():
        if code == "who-5":
            assert definition["validated"] is True
            continue
        assert definition["validated"] is False
        assert "n'est pas une échelle validée" in definition["description"]


def test_satisfaction_key_item_is_yes_partly_no():
    items = {i["code"]: i for i in builtin_definitions()["satisfaction-personnes"]["items"]}
    key = items["understood"]
    assert key["text"] == "Grâce au pair-aidant, je me suis senti·e mieux compris·e."
    assert [o["code"] for o in key["options"]] == ["yes", "partly", "no"]


def test_who5_is_word_for_word_the_reference_text():
    reference = WHO5_FILE.read_text(encoding="utf-8")
    who5 = builtin_definitions()["who-5"]
    for item in who5["items"]:
        assert f"| {item['code'][1]} | {item['text']} |" in reference
        for option in item["options"]:
            assert f"| {option['code']} | {option['label']} |" in reference
    assert " ".join(who5["instructions"].split()) in " ".join(reference.split())
    assert f'Stem: "{who5["stem"]}"' in reference


@pytest.mark.parametrize(
    "change, item, reason",
    [
        (lambda d: d["items"][0].update(type="echelle"), "a", "valeur « echelle » non permise"),
        (lambda d: d["items"][1].pop("text"), "b", "champ obligatoire « text » manquant"),
        (lambda d: d["items"].append(dict(d["items"][0])), "a", "code de question en double"),
        (lambda d: d["items"][1].update(type="scale"), "b", "doit lister ses réponses"),
        (lambda d: d["items"][1].update(couleur="bleu"), "b", "champ inconnu « couleur »"),
        (lambda d: d["scales"][0]["items"].append("zz"), "score s", "question inconnue « zz »"),
        (
            lambda d: d["items"].append(
                {"code": "c", "text": "Texte", "type": "free_text", "reverse": True}
            ),
            "c",
            "ne peut pas être inversée",
        ),
    ],
)
def test_malformed_definition_names_file_item_and_reason(change, item, reason):
    data = base()
    change(data)
    with pytest.raises(InstrumentDefinitionError) as exc:
        normalise(data, file="essai.yaml")
    assert exc.value.file == "essai.yaml"
    assert exc.value.item == item
    assert reason in exc.value.reason
    assert "essai.yaml" in str(exc.value)


def test_unreadable_yaml_file(tmp_path):
    path = tmp_path / "casse.yaml"
    path.write_text("code: [non fermé\n", encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError, match="casse.yaml.*YAML illisible"):
        load_file(path)


def test_load_instruments_is_idempotent(db):
    call_command("load_instruments")
    assert InstrumentVersion.objects.count() == 4
    call_command("load_instruments")
    assert InstrumentVersion.objects.count() == 4
    assert Instrument.objects.count() == 4


def test_malformed_file_fails_the_whole_load(db, tmp_path):
    good = tmp_path / "bon.yaml"
    import yaml

    good.write_text(yaml.safe_dump(base(), allow_unicode=True), encoding="utf-8")
    bad_data = base()
    bad_data["code"] = "autre"
    bad_data["items"][0]["type"] = "inconnu"
    bad = tmp_path / "mauvais.yaml"
    bad.write_text(yaml.safe_dump(bad_data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="mauvais.yaml, question « a »"):
        call_command("load_instruments", str(good), str(bad))
    assert not InstrumentVersion.objects.exists()


def test_changed_content_needs_a_new_version(db, tmp_path):
    import yaml

    path = tmp_path / "essai.yaml"
    path.write_text(yaml.safe_dump(base(), allow_unicode=True), encoding="utf-8")
    call_command("load_instruments", str(path))
    changed = base()
    changed["items"][0]["text"] = "Question A reformulée"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="nouveau numéro de version"):
        call_command("load_instruments", str(path))
    changed["version"] = "2"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    call_command("load_instruments", str(path))
    versions = InstrumentVersion.objects.filter(instrument__code="essai").order_by("version")
    assert [v.version for v in versions] == ["1", "2"]
    assert versions[0].definition["items"][0]["text"] == "Question A"


def test_published_version_is_immutable(instruments):
    version = instruments["who-5"]
    version.title = "Autre titre"
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        InstrumentVersion.objects.filter(pk=version.pk).update(title="x")
    with pytest.raises(ImmutableVersionError):
        version.delete()
    with pytest.raises(ImmutableVersionError):
        InstrumentVersion.objects.all().delete()
    version.refresh_from_db()
    assert version.title == "Indice de bien-être de l'OMS (WHO-5)"
