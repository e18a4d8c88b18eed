"""Shapes of the API's answers (and of their OpenAPI description).

Field names are French, like the API's addresses: the people who read them are French HR,
quality and statistics teams. Codes of indicators and of choices stay those of the catalogue.
No serializer here has a field that points to a person accompanied.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from entrepairs.groups.models import GroupSession
from entrepairs.institution.models import AUDIENCE_FIELDS, InstitutionalActivity
from entrepairs.workforce.models import Contract, PeerWorker, Training

from .models import Scope


class ErrorSerializer(serializers.Serializer):
    erreur = serializers.CharField(help_text="Message en français.")
    code = serializers.CharField(help_text="Code stable de l'erreur.")
    champs = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Paramètres refusés et pourquoi.",
    )


class OperationOutcomeSerializer(serializers.Serializer):
    resourceType = serializers.ChoiceField(choices=["OperationOutcome"])  # noqa: N815 FHIR name
    issue = serializers.ListField(child=serializers.DictField())


# Published figures ---------------------------------------------------------------------------


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    libelle = serializers.CharField()
    definition = serializers.CharField()
    unite = serializers.CharField()
    secret_statistique = serializers.BooleanField()
    note = serializers.CharField()
    niveaux = serializers.ListField(child=serializers.CharField())
    periode = serializers.CharField()


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 0, "nullable": True},
        "description": "Personnes par cadre d'accompagnement (null : secret statistique).",
    }
)
class PersonsBySettingField(serializers.DictField):
    pass


def protected_count(**kwargs):
    return serializers.IntegerField(
        allow_null=True,
        min_value=0,
        help_text="null : secret statistique (effectif de 1 à 10, ou masqué pour qu'aucune "
        "case masquée ne puisse être recalculée).",
        **kwargs,
    )


class FigureRowSerializer(serializers.Serializer):
    cle = serializers.IntegerField(help_text="Identifiant de l'établissement ou de la région.")
    libelle = serializers.CharField()
    peers_in_post = protected_count()
    persons = protected_count()
    encounters = protected_count()
    group_sessions = protected_count()
    activities = protected_count()
    persons_by_setting = PersonsBySettingField()


class PeriodSerializer(serializers.Serializer):
    debut = serializers.DateField(allow_null=True, help_text="null : rien n'est encore publié.")
    fin = serializers.DateField(allow_null=True, help_text="null : rien n'est encore publié.")
    libelle = serializers.CharField()


class SettingSerializer(serializers.Serializer):
    code = serializers.CharField()
    libelle = serializers.CharField()


class TotalsSerializer(serializers.Serializer):
    peers_in_post = protected_count()
    persons = protected_count()
    encounters = protected_count()
    group_sessions = protected_count()
    activities = protected_count()
    persons_by_setting = PersonsBySettingField()


class FiguresSerializer(serializers.Serializer):
    """The envelope of a published table (the rows are paginated)."""

    niveau = serializers.ChoiceField(choices=["national", "regional"])
    region = RegionSerializer(allow_null=True)
    periode = PeriodSerializer()
    seuil = serializers.IntegerField(help_text="Plus petit effectif de personnes publié.")
    cases_masquees = serializers.IntegerField(min_value=0)
    cadres = SettingSerializer(many=True)
    totaux = TotalsSerializer()


# Organisation data -----------------------------------------------------------------------------


MONTH_PATTERN = r"^(20\d\d|2100)-(0[1-9]|1[0-2])$"


class ActivityQuerySerializer(serializers.Serializer):
    debut = serializers.RegexField(
        MONTH_PATTERN,
        required=False,
        help_text="Premier mois, AAAA-MM (par défaut : 11 mois avant le mois en cours).",
        error_messages={"invalid": "Mois attendu au format AAAA-MM, de 2000 à 2100."},
    )
    mois = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=36,
        help_text="Nombre de mois à partir de « debut » (12 par défaut, au plus 36).",
        error_messages={
            "invalid": "Nombre entier de 1 à 36 attendu.",
            "min_value": "Nombre entier de 1 à 36 attendu.",
            "max_value": "Nombre entier de 1 à 36 attendu.",
        },
    )


class DateRangeQuerySerializer(serializers.Serializer):
    debut = serializers.DateField(required=False, help_text="Première date, AAAA-MM-JJ.")
    fin = serializers.DateField(
        required=False, help_text="Dernière date, AAAA-MM-JJ (avant « debut » : aucune ligne)."
    )


class FacilityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nom = serializers.CharField()


class ActivityCountSerializer(serializers.Serializer):
    mois = serializers.CharField(help_text="AAAA-MM")
    mission = serializers.ChoiceField(choices=["individual", "groups", "institutional"])
    type = serializers.CharField(
        help_text="Nature de la rencontre, type de groupe ou type d'action ; « toutes » : "
        "toutes les rencontres (une rencontre de plusieurs natures compte dans chacune)."
    )
    type_libelle = serializers.CharField()
    dispositif = FacilityRefSerializer(allow_null=True)
    nombre = serializers.IntegerField(min_value=0)
    minutes = serializers.IntegerField(min_value=0)
    participants = serializers.IntegerField(
        allow_null=True, min_value=0, help_text="Groupes : somme des participant·es."
    )


class ActivityPeriodSerializer(serializers.Serializer):
    debut = serializers.CharField()
    fin = serializers.CharField()


class GroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nom = serializers.CharField()
    type = serializers.CharField()
    type_libelle = serializers.CharField()


class GroupSessionSerializer(serializers.ModelSerializer):
    duree_minutes = serializers.IntegerField(source="duration_minutes")
    participants = serializers.IntegerField(source="headcount")
    groupe = serializers.SerializerMethodField()
    dispositif = serializers.SerializerMethodField()
    lieu_dans_la_cite = serializers.CharField(source="group.community_place")
    pairs_presents = serializers.IntegerField(source="n_peers")
    professionnels_presents = serializers.IntegerField(source="n_professionals")

    class Meta:
        model = GroupSession
        fields = [
            "id",
            "date",
            "duree_minutes",
            "participants",
            "groupe",
            "dispositif",
            "lieu_dans_la_cite",
            "pairs_presents",
            "professionnels_presents",
        ]

    @extend_schema_field(GroupRefSerializer)
    def get_groupe(self, session):
        group = session.group
        return {
            "id": group.pk,
            "nom": group.name,
            "type": group.kind,
            "type_libelle": str(group.get_kind_display()),
        }

    @extend_schema_field(FacilityRefSerializer(allow_null=True))
    def get_dispositif(self, session):
        facility = session.group.facility
        return {"id": facility.pk, "nom": facility.name} if facility else None


class InstitutionalActivitySerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="kind")
    type_libelle = serializers.CharField(source="kind_label")
    intitule = serializers.CharField(source="title")
    duree_minutes = serializers.IntegerField(source="duration_minutes")
    public = serializers.SerializerMethodField()
    personnes_concernees = serializers.IntegerField(
        source="lived_experience_count", allow_null=True
    )
    professionnels = serializers.IntegerField(source="professionals_count", allow_null=True)
    pairs = serializers.IntegerField(source="n_peers")

    class Meta:
        model = InstitutionalActivity
        fields = [
            "id",
            "date",
            "type",
            "type_libelle",
            "instance",
            "intitule",
            "duree_minutes",
            "public",
            "personnes_concernees",
            "professionnels",
            "pairs",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 0},
            "description": "Public touché par catégorie (infirmier·es, médecins…).",
        }
    )
    def get_public(self, activity):
        return {
            name.removeprefix("audience_"): getattr(activity, name) for name, _l in AUDIENCE_FIELDS
        }


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nom = serializers.CharField()
    finess = serializers.CharField()


def organisation_ref(org):
    return {"id": org.pk, "nom": org.name, "finess": org.finess_et} if org else None


class DeploymentSerializer(serializers.Serializer):
    dispositif = FacilityRefSerializer()
    part_du_temps = serializers.DecimalField(max_digits=3, decimal_places=2)
    debut = serializers.DateField(allow_null=True)
    fin = serializers.DateField(allow_null=True)


class PeerSerializer(serializers.ModelSerializer):
    prenom = serializers.CharField(source="first_name")
    nom = serializers.CharField(source="last_name")
    titre = serializers.CharField(source="title")
    statut = serializers.CharField(source="status")
    employeur = serializers.SerializerMethodField()
    structure_accueil = serializers.SerializerMethodField()
    affectations = serializers.SerializerMethodField()

    class Meta:
        model = PeerWorker
        fields = [
            "id",
            "prenom",
            "nom",
            "titre",
            "statut",
            "employeur",
            "structure_accueil",
            "affectations",
        ]

    @extend_schema_field(OrganisationRefSerializer)
    def get_employeur(self, peer):
        return organisation_ref(peer.employer)

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_structure_accueil(self, peer):
        return organisation_ref(peer.host_organisation)

    @extend_schema_field(DeploymentSerializer(many=True))
    def get_affectations(self, peer):
        return [
            {
                "dispositif": {"id": d.facility_id, "nom": d.facility.name},
                "part_du_temps": f"{d.time_share:.2f}",
                "debut": d.start,
                "fin": d.end,
            }
            for d in peer.deployments.all()
        ]


class ContractSerializer(serializers.ModelSerializer):
    pair = serializers.IntegerField(source="peer_id")
    type = serializers.CharField(source="kind")
    type_libelle = serializers.CharField(source="get_kind_display")
    employeur = serializers.SerializerMethodField()
    debut = serializers.DateField(source="start")
    fin = serializers.DateField(source="end", allow_null=True)
    etp = serializers.DecimalField(source="fte", max_digits=3, decimal_places=2)
    remuneration_brute_mensuelle = serializers.DecimalField(
        source="gross_monthly_pay", max_digits=8, decimal_places=2, allow_null=True
    )
    financement = serializers.CharField(source="funding")
    precaire = serializers.BooleanField(source="is_precarious")
    motifs_precarite = serializers.ListField(
        source="precarity_reasons", child=serializers.CharField()
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "pair",
            "type",
            "type_libelle",
            "employeur",
            "debut",
            "fin",
            "etp",
            "remuneration_brute_mensuelle",
            "financement",
            "precaire",
            "motifs_precarite",
        ]

    @extend_schema_field(OrganisationRefSerializer)
    def get_employeur(self, contract):
        return organisation_ref(contract.employer)


class TrainingSerializer(serializers.ModelSerializer):
    pair = serializers.IntegerField(source="peer_id")
    type = serializers.CharField(source="kind")
    type_libelle = serializers.CharField(source="get_kind_display")
    intitule = serializers.CharField(source="title")
    organisme = serializers.CharField(source="provider")
    debut = serializers.DateField(source="start")
    fin = serializers.DateField(source="end", allow_null=True)
    statut = serializers.CharField(source="status")

    class Meta:
        model = Training
        fields = [
            "id",
            "pair",
            "type",
            "type_libelle",
            "intitule",
            "organisme",
            "debut",
            "fin",
            "statut",
        ]


# FHIR ------------------------------------------------------------------------------------------

FHIR_RESOURCE = {
    "type": "object",
    "required": ["resourceType"],
    "additionalProperties": True,
}


class QuestionnaireResponseQuerySerializer(serializers.Serializer):
    questionnaire = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="Identifiant du Questionnaire (champ « id » de /fhir/Questionnaire/).",
    )


SCOPE_NAMES = [s.value for s in Scope]
