"""The indicator catalogue: every published figure defined once.

Each ``Indicator`` says what it counts (definition, numerator, denominator, unit), where it
comes from (source), at which levels it is published, which disclosure rule protects it, and
which claim of the source article (``seed/000_b0616c52fd839e7b.txt``) it answers. The
publishing step (``publishing.py``) computes and protects the indicators listed here and only
them; ``docs/indicateurs.md`` is written from this module (``manage.py write_indicator_docs``,
a test fails when the committed file differs).

Disclosure rules (the choices of a statistics office, after INSEE/DREES *secret statistique*):

- ``PERSONS``: a count of persons accompanied or respondents, or of events that bound such a
  count (encounters, participations in groups, answers). No figure from 1 to 10 may be shown
  or derived (threshold ``settings.SMALL_CELL_THRESHOLD`` = 11): primary and secondary
  suppression over every level, breakdown and period published together.
- ``PERSON_MEAN``: a mean or a proportion over persons. Published only when its number of
  persons (denominator, itself protected as ``PERSONS``) is shown, hence never over fewer
  than 11 persons, nor derivable over fewer than 11 by difference.
- ``STAFF``: a headcount of peers (employees, not persons accompanied). Staffing by
  establishment is public information (the SAE publishes staff per establishment): shown as
  it is.
- ``STAFF_ATTRIBUTE``: a count of peers having an attribute of their employment (precarious
  contract, pay on a grid, charter, training, supervision…). A figure from 1 to
  ``settings.STAFF_CELL_THRESHOLD − 1`` (3: the frequency rule on units of INSEE's business
  statistics) is hidden with secondary protection, the "non" category included, so that no
  single peer's contract or training can be read from a table.
- ``ACTIVITY``: a count of sessions or actions that counts no person (group sessions,
  institutional actions, mentoring pairs, staff present at team trainings): shown as it is.
- ``ESTABLISHMENTS``: a count of establishments (the status of their programme): public
  information about institutions, like the SAE, shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from . import computation as c
from .models import Level

PERSONS = "persons"
PERSON_MEAN = "person_mean"
STAFF = "staff"
STAFF_ATTRIBUTE = "staff_attribute"
ACTIVITY = "activity"
ESTABLISHMENTS = "establishments"

RULES = {
    PERSONS: "effectif de personnes : aucun chiffre de 1 à 10 publié ni déductible",
    PERSON_MEAN: "moyenne ou part sur des personnes : publiée seulement sur 11 personnes ou plus",
    STAFF: "effectif de pairs (salarié·es) : publié tel quel",
    STAFF_ATTRIBUTE: "effectif de pairs ayant une caractéristique : aucun chiffre de 1 à 2",
    ACTIVITY: "nombre d'actions ou de séances : publié tel quel",
    ESTABLISHMENTS: "nombre d'établissements (statut de leur programme) : publié tel quel",
}

COUNT, MEAN, PROPORTION = "count", "mean", "proportion"
# How the breakdown figures relate to the total.
PARTITION = "partition"  # the breakdowns sum to the total
OVERLAP = "overlap"  # one unit may be in several breakdowns: total ≤ sum, each ≤ total
SHARED = "shared"  # the breakdowns are other means over the same persons as the total
# How the year relates to its quarters.
FLOW = "flow"  # the year is the sum of its quarters
DISTINCT = "distinct"  # distinct units: year ≤ sum of quarters, each quarter ≤ year
STOCK = "stock"  # counted on the last day: the year is its fourth quarter

ALL_LEVELS = (Level.ORGANISATION, Level.DEPARTMENT, Level.REGION, Level.NATION)

YES_NO = (("oui", "oui"), ("non", "non"))
BEFORE_AFTER = (("avant", "avant"), ("apres", "après"))


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    theme: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    source: str
    rule: str
    claim: str
    compute: object = field(repr=False, compare=False)
    kind: str = COUNT
    breakdowns: tuple = ()
    breakdown_relation: str = PARTITION
    period_relation: str = FLOW
    levels: tuple = ALL_LEVELS

    @property
    def threshold(self) -> int:
        if self.rule in (PERSONS, PERSON_MEAN):
            return settings.SMALL_CELL_THRESHOLD
        if self.rule == STAFF_ATTRIBUTE:
            return settings.STAFF_CELL_THRESHOLD
        return 0

    @property
    def is_ratio(self) -> bool:
        return self.kind in (MEAN, PROPORTION)

    def breakdown_label(self, code: str) -> str:
        if not code:
            return "total"
        return dict(self.breakdowns).get(code, code.replace("_", " "))


def _choices(choices):
    return tuple((str(value), str(label)) for value, label in choices)


def _build():
    from entrepairs.accompaniment.models import Accompaniment, Encounter
    from entrepairs.groups.models import Group
    from entrepairs.institution.models import InstitutionalActivity
    from entrepairs.programmes.models import Status as ProgrammeStatus
    from entrepairs.workforce.models.contracts import Contract
    from entrepairs.workforce.models.trainings import Training

    in_post = "pairs dont un contrat est en vigueur le dernier jour de la période"
    return [
        Indicator(
            code="pairs",
            name="Pairs en poste, en formation, en recrutement",
            theme="effectifs",
            definition=(
                "Pairs (pair-aidant·es, médiateur·rices de santé pairs, travailleur·ses pairs) "
                "le dernier jour de la période : en poste (un contrat en vigueur), sinon en "
                "formation (DU ou licence en cours), sinon en recrutement (statut actuel, "
                "fiche créée avant la fin de la période). Comptés dans la structure d'accueil, "
                "sinon chez l'employeur."
            ),
            numerator="pairs de la structure, par statut",
            denominator="—",
            unit="pairs",
            source="workforce : PeerWorker, Contract, Training",
            rule=STAFF,
            claim="« plus de 300 pair-aidants seraient en poste ou en formation en France »",
            compute=c.peers,
            breakdowns=(
                ("en_poste", "en poste"),
                ("en_formation", "en formation"),
                ("en_recrutement", "en recrutement"),
            ),
            period_relation=STOCK,
        ),
        Indicator(
            code="pairs_lieu",
            name="Pairs en poste à l'hôpital ou dans la cité",
            theme="effectifs",
            definition=(
                "Pairs en poste le dernier jour de la période, selon le dispositif où ils "
                "passent le plus de temps : hôpital (unité d'hospitalisation, hôpital de jour) "
                "ou ville (CMP, CATTP, équipe mobile, centre de crise, autre)."
            ),
            numerator="pairs en poste, par lieu d'exercice",
            denominator="pairs en poste",
            unit="pairs",
            source="workforce : Contract, Deployment ; territory : Facility.kind",
            rule=STAFF,
            claim="« dont la moitié dans le cadre hospitalier »",
            compute=c.peers_by_place,
            breakdowns=(
                ("hopital", "hôpital"),
                ("ville", "ville"),
                ("non_renseigne", "non renseigné"),
            ),
            period_relation=STOCK,
        ),
        Indicator(
            code="contrats_par_type",
            name="Contrats des pairs en poste, par type",
            theme="effectifs",
            definition=(
                "Contrat en vigueur le dernier jour de la période (le plus récent) des "
                f"{in_post}, par type de contrat."
            ),
            numerator="pairs en poste, par type de contrat",
            denominator="pairs en poste",
            unit="pairs",
            source="workforce : Contract.kind",
            rule=STAFF_ATTRIBUTE,
            claim="« leur recrutement se fait encore trop souvent en emploi aidé ou via des "
            "contrats précaires »",
            compute=c.contracts_by_kind,
            breakdowns=_choices(Contract.Kind.choices),
            period_relation=STOCK,
        ),
        Indicator(
            code="contrats_precaires",
            name="Pairs en poste sur un contrat précaire",
            theme="effectifs",
            definition=(
                "Un contrat est précaire par nature (CDD, contrat aidé, vacation, bénévolat "
                "indemnisé…) ou parce qu'il a une date de fin. Part des pairs en poste dont le "
                "contrat en vigueur est précaire."
            ),
            numerator="pairs en poste sur un contrat précaire (« oui »)",
            denominator=in_post,
            unit="pairs",
            source="workforce : Contract (type et date de fin)",
            rule=STAFF_ATTRIBUTE,
            claim="« le statut encore précaire »",
            compute=c.precarious_contracts,
            breakdowns=YES_NO,
            period_relation=STOCK,
        ),
        Indicator(
            code="grille_salariale",
            name="Pairs en poste rémunérés sur une grille",
            theme="effectifs",
            definition="Pairs en poste dont le contrat en vigueur est rattaché à un échelon "
            "d'une grille salariale.",
            numerator="pairs dont le contrat a un échelon (« oui »)",
            denominator=in_post,
            unit="pairs",
            source="workforce : Contract.grade (SalaryStep)",
            rule=STAFF_ATTRIBUTE,
            claim="« l'absence de grille salariale nationale »",
            compute=c.salary_grid,
            breakdowns=YES_NO,
            period_relation=STOCK,
        ),
        Indicator(
            code="charte_signee",
            name="Pairs en poste ayant une fiche de mission signée",
            theme="effectifs",
            definition="Pairs en poste dont une fiche de mission (charte) a été signée par "
            "toutes les parties au plus tard le dernier jour de la période.",
            numerator="pairs avec une charte signée (« oui »)",
            denominator=in_post,
            unit="pairs",
            source="workforce : MissionCharter.fully_signed_at",
            rule=STAFF_ATTRIBUTE,
            claim="« des fiches de poste précises »",
            compute=c.signed_charter,
            breakdowns=YES_NO,
            period_relation=STOCK,
        ),
        Indicator(
            code="code_deontologie",
            name="Pairs en poste ayant pris connaissance du code de déontologie",
            theme="effectifs",
            definition="Pairs en poste dont le compte a enregistré la prise de connaissance "
            "d'un code de déontologie au plus tard le dernier jour de la période.",
            numerator="pairs ayant pris connaissance (« oui »)",
            denominator=in_post,
            unit="pairs",
            source="workforce : ConductAcknowledgement",
            rule=STAFF_ATTRIBUTE,
            claim="« un code de déontologie spécifique de la pair-aidance s'élabore »",
            compute=c.conduct_acknowledged,
            breakdowns=YES_NO,
            period_relation=STOCK,
        ),
        Indicator(
            code="formations",
            name="Formations des pairs",
            theme="effectifs",
            definition="Formations de pairs en cours pendant la période (début avant la fin de "
            "la période, fin après son début ou non connue), hors abandons, par type.",
            numerator="formations, par type",
            denominator="—",
            unit="formations",
            source="workforce : Training",
            rule=STAFF_ATTRIBUTE,
            claim="« formation (DU, licence médiateur de santé pair) »",
            compute=c.trainings,
            breakdowns=_choices(Training.Kind.choices),
            period_relation=DISTINCT,
        ),
        Indicator(
            code="portefeuille_competences",
            name="Pairs en poste ayant un portefeuille de compétences",
            theme="effectifs",
            definition="Pairs en poste ayant au moins une évaluation de compétence (auto-"
            "évaluation, coordination ou mentor) datée au plus tard du dernier jour.",
            numerator="pairs évalué·es (« oui »)",
            denominator=in_post,
            unit="pairs",
            source="workforce : Assessment",
            rule=STAFF_ATTRIBUTE,
            claim="« l'absence de référentiel de compétences partagé »",
            compute=c.competency_portfolio,
            breakdowns=YES_NO,
            period_relation=STOCK,
        ),
        Indicator(
            code="supervision_3_mois",
            name="Pairs en poste supervisés dans les trois derniers mois",
            theme="effectifs",
            definition="Pairs en poste ayant participé à une supervision, une analyse de la "
            "pratique ou une intervision pendant les trois mois civils qui finissent la "
            "période.",
            numerator="pairs supervisé·es (« oui »)",
            denominator=in_post,
            unit="pairs",
            source="workforce : SupervisionSession.participants",
            rule=STAFF_ATTRIBUTE,
            claim="« un accompagnement et une supervision réguliers »",
            compute=c.supervision,
            breakdowns=YES_NO,
            period_relation=STOCK,
        ),
        Indicator(
            code="mentorat_croise",
            name="Binômes de mentorat croisé",
            theme="effectifs",
            definition="Binômes de compagnonnage en cours pendant la période, selon le sens : "
            "un pair forme un·e professionnel·le, un·e professionnel·le forme un pair, autre.",
            numerator="binômes, par sens",
            denominator="—",
            unit="binômes",
            source="workforce : Mentoring (rôles des adhésions)",
            rule=ACTIVITY,
            claim="« développer le compagnonnage par des mentorats croisés »",
            compute=c.mentoring,
            breakdowns=(
                ("pair_vers_professionnel", "un pair forme un·e professionnel·le"),
                ("professionnel_vers_pair", "un·e professionnel·le forme un pair"),
                ("autre", "autre"),
            ),
            period_relation=DISTINCT,
        ),
        Indicator(
            code="formation_equipes_seances",
            name="Séances de sensibilisation et de formation croisée des équipes",
            theme="institution",
            definition="Actions institutionnelles de type sensibilisation d'une équipe ou "
            "formation croisée usagers–professionnels tenues pendant la période.",
            numerator="séances, par type",
            denominator="—",
            unit="séances",
            source="institution : InstitutionalActivity.kind",
            rule=ACTIVITY,
            claim="« une formation croisée, usagers/professionnels, en amont de toute "
            "intégration »",
            compute=c.team_training_sessions,
            breakdowns=_choices(
                [
                    (k, label)
                    for k, label in InstitutionalActivity.Kind.choices
                    if k in c.TEAM_TRAINING
                ]
            ),
        ),
        Indicator(
            code="formation_equipes_personnels",
            name="Personnels présents aux sensibilisations et formations croisées",
            theme="institution",
            definition="Somme des publics déclarés (infirmier·es, médecins, psychologues, "
            "travailleur·ses sociaux·ales, cadres, étudiant·es, autres) des séances de "
            "sensibilisation et de formation croisée de la période. Une personne venue à deux "
            "séances compte deux fois.",
            numerator="présences de personnels",
            denominator="—",
            unit="présences",
            source="institution : InstitutionalActivity.audience_*",
            rule=ACTIVITY,
            claim="« une formation croisée, usagers/professionnels »",
            compute=c.team_training_staff,
            breakdowns=_choices(
                [
                    (k, label)
                    for k, label in InstitutionalActivity.Kind.choices
                    if k in c.TEAM_TRAINING
                ]
            ),
        ),
        Indicator(
            code="formation_equipes_avant_arrivee",
            name="Formations des équipes tenues avant l'arrivée du premier pair",
            theme="institution",
            definition="Séances de sensibilisation et de formation croisée de la période, selon "
            "qu'elles ont eu lieu avant le début du premier contrat de pair de l'organisation "
            "(ou sans pair encore) ou après.",
            numerator="séances « avant »",
            denominator="séances de la période",
            unit="séances",
            source="institution : InstitutionalActivity ; workforce : Contract.start",
            rule=ACTIVITY,
            claim="« en amont de toute intégration »",
            compute=c.team_training_before_arrival,
            breakdowns=BEFORE_AFTER,
        ),
        Indicator(
            code="participation_instances",
            name="Participation des pairs aux instances",
            theme="institution",
            definition="Participations à une instance (CDU, CLSM, commission d'évaluation, "
            "comité d'éthique, certification, autre) enregistrées pendant la période.",
            numerator="participations, par instance",
            denominator="—",
            unit="participations",
            source="institution : InstitutionalActivity (type « instance »)",
            rule=ACTIVITY,
            claim="« l'implication directe dans les commissions d'évaluation […] et les "
            "démarches de certification »",
            compute=c.instances,
            breakdowns=_choices(InstitutionalActivity.Instance.choices),
        ),
        Indicator(
            code="actions_institutionnelles",
            name="Actions institutionnelles",
            theme="institution",
            definition="Actions institutionnelles des pairs enregistrées pendant la période "
            "(sensibilisation, formation croisée, instance, réunion d'équipe, enseignement, "
            "déstigmatisation, groupe de travail), par type.",
            numerator="actions, par type",
            denominator="—",
            unit="actions",
            source="institution : InstitutionalActivity.kind",
            rule=ACTIVITY,
            claim="« participation institutionnelle » (troisième mission des pairs)",
            compute=c.institutional_activities,
            breakdowns=_choices(InstitutionalActivity.Kind.choices),
        ),
        Indicator(
            code="personnes_accompagnees",
            name="Personnes accompagnées",
            theme="accompagnement",
            definition="Personnes distinctes ayant eu au moins une rencontre qui a eu lieu "
            "pendant la période, par cadre de l'accompagnement (une personne accompagnée dans "
            "deux cadres compte dans chacun, une seule fois au total). Personnes anonymisées "
            "comprises.",
            numerator="personnes distinctes",
            denominator="—",
            unit="personnes",
            source="accompaniment : Encounter (« a eu lieu »), Accompaniment.setting",
            rule=PERSONS,
            claim="« accompagnement individuel » (première mission des pairs)",
            compute=c.persons,
            breakdowns=_choices(Accompaniment.Setting.choices),
            breakdown_relation=OVERLAP,
            period_relation=DISTINCT,
        ),
        Indicator(
            code="rencontres_par_nature",
            name="Rencontres par nature",
            theme="accompagnement",
            definition="Rencontres qui ont eu lieu pendant la période, par nature (une "
            "rencontre peut en avoir plusieurs : elle compte dans chacune, une fois au total).",
            numerator="rencontres",
            denominator="—",
            unit="rencontres",
            source="accompaniment : Encounter.kinds",
            rule=PERSONS,
            claim="« accueil, soutien, orientation, projet de vie, lien avec les proches »",
            compute=c.encounters_by_kind,
            breakdowns=_choices(Encounter.Kind.choices),
            breakdown_relation=OVERLAP,
        ),
        Indicator(
            code="rencontres_par_mode",
            name="Rencontres par mode",
            theme="accompagnement",
            definition="Rencontres qui ont eu lieu pendant la période, en présence, par "
            "téléphone ou en visio.",
            numerator="rencontres",
            denominator="—",
            unit="rencontres",
            source="accompaniment : Encounter.mode",
            rule=PERSONS,
            claim="« accompagnement individuel »",
            compute=c.encounters_by_mode,
            breakdowns=_choices(Encounter.Mode.choices),
        ),
        Indicator(
            code="seances_groupe",
            name="Séances de groupe",
            theme="groupes",
            definition="Séances de groupe tenues pendant la période, par type de groupe.",
            numerator="séances",
            denominator="—",
            unit="séances",
            source="groups : GroupSession, Group.kind",
            rule=ACTIVITY,
            claim="« animation de groupes d'entraide » (deuxième mission)",
            compute=c.group_sessions,
            breakdowns=_choices(Group.Kind.choices),
        ),
        Indicator(
            code="participations_groupe",
            name="Participations aux séances de groupe",
            theme="groupes",
            definition="Somme des effectifs présents (comptés sans nom) aux séances de la "
            "période : une personne venue à trois séances compte trois fois.",
            numerator="participations",
            denominator="—",
            unit="participations",
            source="groups : GroupSession.headcount",
            rule=PERSONS,
            claim="« animation de groupes d'entraide »",
            compute=c.group_attendance,
            breakdowns=_choices(Group.Kind.choices),
        ),
        Indicator(
            code="mieux_compris",
            name="Personnes se sentant mieux comprises",
            theme="evaluation",
            definition="Part des réponses « oui » à « Grâce au pair-aidant, je me suis senti·e "
            "mieux compris·e » parmi les réponses oui / en partie / non de la période "
            "(réponses anonymes et réponses liées dont le consentement est en vigueur).",
            numerator="réponses « oui »",
            denominator="réponses oui, en partie ou non",
            unit="%",
            source="evaluation : AnonymousResponse, LinkedResponse (satisfaction-personnes)",
            rule=PERSON_MEAN,
            claim="« 78 % des usagers ayant rencontré un pair-aidant se sentaient mieux compris »",
            compute=c.understood,
            kind=PROPORTION,
        ),
        Indicator(
            code="who5_avant_apres",
            name="Bien-être (WHO-5) avant et après",
            theme="evaluation",
            definition="Personnes dont la dernière réponse « après » (au bout de quelques mois "
            "ou en fin d'accompagnement) au WHO-5 date de la période, appariée à leur première "
            "réponse au début : moyenne du score avant, après, et de l'évolution (après − "
            "avant, total).",
            numerator="somme des scores (0–100)",
            denominator="personnes ayant répondu avant et après",
            unit="points",
            source="evaluation : LinkedResponse (who-5)",
            rule=PERSON_MEAN,
            claim="« renforcer l'empowerment et la confiance des personnes suivies »",
            compute=c.who5,
            kind=MEAN,
            breakdowns=(("avant", "score avant"), ("apres", "score après")),
            breakdown_relation=SHARED,
            period_relation=DISTINCT,
        ),
        Indicator(
            code="journees_hospitalisation",
            name="Journées d'hospitalisation avant et après l'accompagnement",
            theme="evaluation",
            definition="Personnes consentantes dont le premier accompagnement a commencé dans "
            "la période et depuis 12 mois au moins : journées d'hospitalisation dans les 12 "
            "mois avant et les 12 mois après ce début (moyennes ; total : évolution). Une "
            "différence avant/après n'est pas une preuve d'effet (régression vers la moyenne).",
            numerator="somme des journées",
            denominator="personnes",
            unit="jours",
            source="evaluation : HospitalStay ; accompaniment : Accompaniment.start",
            rule=PERSON_MEAN,
            claim="« réduire les durées d'hospitalisation »",
            compute=c.hospital_days,
            kind=MEAN,
            breakdowns=(("avant", "12 mois avant"), ("apres", "12 mois après")),
            breakdown_relation=SHARED,
        ),
        Indicator(
            code="climat_equipe_confusion",
            name="Climat d'équipe : crainte de confusion des rôles, avant et après un pair",
            theme="evaluation",
            definition="Réponses anonymes des équipes de la période au questionnaire de climat "
            "d'équipe, échelle « crainte de dilution des responsabilités » (1 à 5, plus haut = "
            "plus de crainte), selon que le mois de réponse précède l'arrivée du premier pair "
            "de l'organisation ou la suit.",
            numerator="somme des scores",
            denominator="réponses",
            unit="score 1–5",
            source="evaluation : AnonymousResponse (climat-equipe)",
            rule=PERSON_MEAN,
            claim="« plus de 60 % des soignants craignent une confusion des rôles » ; "
            "« l'enrichissement du climat d'équipe »",
            compute=c.team_climate,
            kind=MEAN,
            breakdowns=BEFORE_AFTER,
        ),
        Indicator(
            code="plans_prevention_en_vigueur",
            name="Personnes accompagnées ayant un plan de prévention partagé en vigueur",
            theme="prevention",
            definition="Personnes consentantes (évaluation) dont un accompagnement est ouvert "
            "le dernier jour de la période, selon qu'un plan de prévention partagé signé par "
            "elles est en vigueur ce jour-là (signé, et non retiré). La part se lit avec le "
            "total ; le contenu des plans n'est jamais lu.",
            numerator="personnes ayant un plan en vigueur",
            denominator="personnes accompagnées ce jour-là",
            unit="personnes",
            source="accompaniment : Accompaniment ; prevention : PlanVersion (signed_at, "
            "revoked_at)",
            rule=PERSONS,
            claim="« co-construire un parcours avec les patients » ; « le secteur porte des "
            "valeurs : proximité, prévention »",
            compute=c.prevention_plans_in_force,
            breakdowns=(("avec_plan", "avec un plan en vigueur"), ("sans_plan", "sans plan")),
            period_relation=STOCK,
        ),
        Indicator(
            code="plans_prevention_contrainte",
            name="Journées de soins sans consentement avant et après le premier plan de prévention",
            theme="prevention",
            definition="Personnes consentantes dont le premier plan de prévention a été signé "
            "dans la période et depuis 12 mois au moins : journées d'hospitalisation sans "
            "consentement (SDT, SPI, SDRE, décision de justice) dans les 12 mois avant et les "
            "12 mois après la signature (moyennes ; total : évolution). Un plan s'écrit souvent "
            "après une crise : une différence avant/après n'est pas une preuve d'effet "
            "(régression vers la moyenne).",
            numerator="somme des journées sans consentement",
            denominator="personnes",
            unit="jours",
            source="evaluation : HospitalStay (legal_mode) ; prevention : PlanVersion.signed_at",
            rule=PERSON_MEAN,
            claim="« réduire les durées d'hospitalisation »",
            compute=c.compulsory_days_around_plan,
            kind=MEAN,
            breakdowns=(("avant", "12 mois avant"), ("apres", "12 mois après")),
            breakdown_relation=SHARED,
        ),
        Indicator(
            code="plans_prevention_consultes",
            name="Hospitalisations où le plan de prévention a été consulté",
            theme="prevention",
            definition="Entrées en hospitalisation de la période de personnes consentantes "
            "dont un plan de prévention était en vigueur le jour de l'entrée, selon qu'un "
            "destinataire a noté l'avoir consulté pour cette crise (noté entre 7 jours avant "
            "l'entrée et la sortie).",
            numerator="entrées où le plan a été consulté",
            denominator="entrées avec un plan en vigueur",
            unit="entrées",
            source="evaluation : HospitalStay ; prevention : PlanVersion, CrisisRecord",
            rule=PERSONS,
            claim="« le secteur porte des valeurs : proximité, prévention »",
            compute=c.plan_consulted_at_admission,
            breakdowns=(("consulte", "plan consulté"), ("non_consulte", "plan non consulté")),
        ),
        Indicator(
            code="plans_prevention_souhaits",
            name="Souhaits respectés lors des crises où le plan a été consulté",
            theme="prevention",
            definition="Consultations d'un plan de prévention en crise datées de la période "
            "(personnes consentantes), selon que le destinataire a répondu que les souhaits de "
            "la personne ont été respectés tout à fait, en partie ou pas.",
            numerator="consultations, par réponse",
            denominator="consultations en crise",
            unit="consultations",
            source="prevention : CrisisRecord (crisis_on, respected)",
            rule=PERSONS,
            claim="« renforcer l'empowerment et la confiance des personnes suivies »",
            compute=c.wishes_respected,
            breakdowns=(
                ("fully", "tout à fait respectés"),
                ("partly", "respectés en partie"),
                ("not", "pas respectés"),
            ),
        ),
        Indicator(
            code="programmes_maturite",
            name="Programmes de pair-aidance selon leur maturité",
            theme="programmes",
            definition="Établissements ayant un programme de pair-aidance, selon le statut du "
            "programme le dernier jour de la période (historique daté des statuts) : "
            "expérimental, pilote ou pérennisé.",
            numerator="établissements dont le programme a ce statut",
            denominator="établissements ayant un programme",
            unit="établissements",
            source="programmes : Programme, StatusChange (effective_on)",
            rule=ESTABLISHMENTS,
            claim="« 40 % des programmes encore au stade expérimental »",
            compute=c.programmes_by_maturity,
            breakdowns=_choices(ProgrammeStatus.choices),
            period_relation=STOCK,
        ),
    ]


INDICATORS: list[Indicator] = _build()
BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}


def get(code: str) -> Indicator:
    """The indicator ``code``; KeyError when unknown."""
    return BY_CODE[code]


THEMES = {
    "effectifs": "Effectifs et conditions d'emploi des pairs",
    "institution": "Participation institutionnelle et formation des équipes",
    "accompagnement": "Accompagnement individuel",
    "groupes": "Groupes",
    "evaluation": "Évaluation et parole des personnes",
    "prevention": "Plans de prévention partagés",
    "programmes": "Programmes",
}
LEVEL_NAMES = {
    Level.ORGANISATION: "établissement",
    Level.DEPARTMENT: "département",
    Level.REGION: "région",
    Level.NATION: "France",
}
RELATIONS = {
    PARTITION: "les détails s'additionnent au total",
    OVERLAP: "une même unité peut figurer dans plusieurs détails (total ≤ somme)",
    SHARED: "les détails sont d'autres moyennes sur les mêmes personnes",
}
PERIOD_RELATIONS = {
    FLOW: "l'année est la somme de ses trimestres",
    DISTINCT: "unités distinctes : l'année est au plus la somme de ses trimestres",
    STOCK: "compté le dernier jour : l'année est égale à son 4e trimestre",
}


def markdown() -> str:
    """The text of ``docs/indicateurs.md`` (``manage.py write_indicator_docs``)."""
    lines = [
        "# Indicateurs",
        "",
        "<!-- Fichier produit par `python manage.py write_indicator_docs` depuis",
        "`entrepairs/observatory/catalogue.py` : ne pas le modifier à la main. -->",
        "",
        "Chaque chiffre publié par l'observatoire est défini une seule fois, dans le catalogue.",
        "Il est calculé par établissement pour une période civile fixe (trimestre, année),",
        "additionné en département, région et France, puis protégé par le secret statistique",
        "avec tous les autres chiffres de la période (voir [l'observatoire](observatoire.md)).",
        "Aucune fenêtre glissante, aucune date libre.",
        "",
        "## Règles de diffusion",
        "",
        "| règle | signification |",
        "|---|---|",
    ]
    for code, text in RULES.items():
        lines.append(f"| `{code}` | {text} |")
    lines += [
        "",
        f"Seuils : personnes {settings.SMALL_CELL_THRESHOLD} (`SMALL_CELL_THRESHOLD`), "
        f"caractéristiques des pairs {settings.STAFF_CELL_THRESHOLD} "
        "(`STAFF_CELL_THRESHOLD`). Arrondi à 5 des effectifs de personnes en option "
        "(`OBSERVATORY_ROUNDING_BASE`).",
        "",
        "## Liste",
        "",
        "| code | indicateur | unité | règle | affirmation de l'article |",
        "|---|---|---|---|---|",
    ]
    for i in INDICATORS:
        lines.append(f"| `{i.code}` | {i.name} | {i.unit} | `{i.rule}` | {i.claim} |")
    for theme, title in THEMES.items():
        chosen = [i for i in INDICATORS if i.theme == theme]
        if not chosen:
            continue
        lines += ["", f"## {title}"]
        for i in chosen:
            lines += [
                "",
                f"### {i.name} (`{i.code}`)",
                "",
                i.definition,
                "",
                f"- **Numérateur** : {i.numerator}",
                f"- **Dénominateur** : {i.denominator}",
                f"- **Unité** : {i.unit}",
                f"- **Source** : {i.source}",
                f"- **Niveaux** : {', '.join(LEVEL_NAMES[level] for level in i.levels)}",
                f"- **Règle de diffusion** : {RULES[i.rule]}",
                f"- **Périodes** : trimestre et année ; {PERIOD_RELATIONS[i.period_relation]}",
                f"- **Affirmation de l'article** : {i.claim}",
            ]
            if i.breakdowns:
                details = ", ".join(f"`{code}` ({label})" for code, label in i.breakdowns)
                lines.append(f"- **Détail** : {details} ; {RELATIONS[i.breakdown_relation]}")
    return "\n".join(lines) + "\n"
