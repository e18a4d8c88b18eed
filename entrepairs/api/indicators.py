"""Definitions of the figures the observatory publishes, as the API gives them.

Each code names a column of ``observatory.dashboards.Row`` (a test checks it), so that the
definitions and the published figures cannot drift apart. The figures themselves are never
computed here: the API serves what ``dashboards.national()`` and ``dashboards.regional()``
give the observatory pages. The texts say what docs/indicateurs.md says.
"""

from django.utils.translation import gettext_lazy as _

PERIOD = _("la dernière année civile publiée")
LEVELS = ["national", "regional"]

INDICATORS = [
    {
        "code": "peers_in_post",
        "libelle": _("Pairs en poste"),
        "definition": _(
            "Pair-aidant·es au statut « en poste », compté·es dans la structure d'accueil si "
            "elle existe, sinon chez l'employeur."
        ),
        "unite": _("pairs"),
        "secret_statistique": False,
        "note": _("Des salarié·es, pas des personnes accompagnées : pas de secret statistique."),
    },
    {
        "code": "persons",
        "libelle": _("Personnes accompagnées"),
        "definition": _(
            "Personnes distinctes ayant eu au moins une rencontre qui a eu lieu dans la "
            "période, personnes anonymisées comprises."
        ),
        "unite": _("personnes"),
        "secret_statistique": True,
        "note": _(
            "Aucun effectif de 1 à 10 n'est publié ; d'autres cases sont masquées pour "
            "qu'aucune ne puisse être recalculée (valeur null)."
        ),
    },
    {
        "code": "encounters",
        "libelle": _("Rencontres tenues"),
        "definition": _("Rencontres « a eu lieu » de la période."),
        "unite": _("rencontres"),
        "secret_statistique": True,
        "note": _("Masquées sous 11, car elles bornent le nombre de personnes (valeur null)."),
    },
    {
        "code": "group_sessions",
        "libelle": _("Séances de groupe"),
        "definition": _("Séances de groupe de la période, par organisation du groupe."),
        "unite": _("séances"),
        "secret_statistique": False,
        "note": _("Un nombre de séances, pas de personnes."),
    },
    {
        "code": "activities",
        "libelle": _("Actions institutionnelles"),
        "definition": _("Actions institutionnelles de la période."),
        "unite": _("actions"),
        "secret_statistique": False,
        "note": _("Un nombre d'actions, pas de personnes."),
    },
    {
        "code": "persons_by_setting",
        "libelle": _("Personnes accompagnées par cadre d'accompagnement"),
        "definition": _(
            "Personnes distinctes accompagnées dans chaque cadre (unité d'hospitalisation, CMP, "
            "hôpital de jour, dans la cité, à domicile) ; une personne accompagnée dans deux "
            "cadres compte dans chacun, mais une seule fois dans les totaux."
        ),
        "unite": _("personnes"),
        "secret_statistique": True,
        "note": _("Protégé avec « personnes accompagnées », dans le même tableau."),
    },
]


def indicator_definitions() -> list[dict]:
    """The definitions with their texts in the active language."""
    return [
        {
            **{
                key: str(value) if key != "secret_statistique" else value
                for key, value in i.items()
            },
            "niveaux": LEVELS,
            "periode": str(PERIOD),
        }
        for i in INDICATORS
    ]
