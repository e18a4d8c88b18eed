"""Texts and examples shipped with the platform (loaded by migration 0003)."""

from decimal import Decimal

EXAMPLE_GRID_NAME = "Grille d'exemple – pair-aidant·e (non réglementaire, à adapter)"
# (échelon, brut mensuel en euros) – an illustration, not a regulatory scale.
EXAMPLE_GRID_STEPS = [
    ("Échelon 1", Decimal("1850.00")),
    ("Échelon 2", Decimal("1920.00")),
    ("Échelon 3", Decimal("2000.00")),
    ("Échelon 4", Decimal("2090.00")),
    ("Échelon 5", Decimal("2180.00")),
    ("Échelon 6", Decimal("2280.00")),
    ("Échelon 7", Decimal("2390.00")),
    ("Échelon 8", Decimal("2510.00")),
]

DEFAULT_CODE_TITLE = "Code de déontologie de la pair-aidance"
DEFAULT_CODE_TEXT = """\
Ce code s'applique aux pair-aidant·es et aux membres des équipes qui travaillent avec elles et
eux. Il protège les personnes accompagnées, les pairs et les équipes.

1. Confidentialité
Ce qu'une personne confie reste entre elle et le·la pair-aidant·e, sauf ce qu'elle accepte de
partager avec l'équipe, et sauf danger grave et immédiat pour elle ou pour autrui : dans ce cas,
le·la pair-aidant·e le dit à la personne et alerte le·la professionnel·le référent·e. Rien de ce
qui permet de reconnaître une personne n'est raconté hors du service, ni sur les réseaux sociaux.

2. Limites relationnelles
La relation de pair-aidance est une relation professionnelle. Pas de relation amoureuse ou
sexuelle, pas d'argent prêté ou emprunté, pas de cadeau de valeur, pas de service personnel.
Les contacts en dehors du temps de travail passent par les moyens du service. En cas de doute,
on en parle en supervision.

3. Partage de son propre vécu
Le·la pair-aidant·e partage son expérience quand cela sert la personne, jamais pour soi. Il·elle
choisit ce qu'il·elle dit et peut toujours refuser de raconter son histoire, y compris à
l'équipe. Personne ne peut l'obliger à se dévoiler.

4. Clarté des rôles
Le·la pair-aidant·e n'est ni soignant·e, ni ami·e, ni représentant·e de l'institution. Il·elle
ne pose pas de diagnostic, ne prend pas de décision clinique, ne participe pas à la contention
ni à l'isolement. Les équipes ne lui confient pas de tâche hors de sa fiche de mission.

5. Soutien et supervision
Le·la pair-aidant·e bénéficie d'une supervision ou d'une analyse de la pratique régulière. Les
équipes s'engagent à respecter son savoir expérientiel comme un savoir à part entière.
"""


def ensure_shipped_defaults(apps=None):
    """Create the rows every database ships with, those missing only: the example salary grid,
    the default code of conduct and the default competency framework.

    Migration 0003 calls it (with its historical ``apps``); so do the demo, after a
    ``manage.py flush`` emptied the tables, and the tests, after a live-server flush."""
    from entrepairs.workforce.framework_loader import load_default_framework

    if apps is None:
        from django.apps import apps
    salary_grid = apps.get_model("workforce", "SalaryGrid")
    salary_step = apps.get_model("workforce", "SalaryStep")
    code_of_conduct = apps.get_model("workforce", "CodeOfConduct")
    framework = apps.get_model("workforce", "CompetencyFramework")
    if not salary_grid.objects.filter(is_example=True).exists():
        grid = salary_grid.objects.create(name=EXAMPLE_GRID_NAME, is_example=True)
        salary_step.objects.bulk_create(
            salary_step(grid=grid, order=i, label=label, gross_monthly=amount)
            for i, (label, amount) in enumerate(EXAMPLE_GRID_STEPS, start=1)
        )
    if not code_of_conduct.objects.filter(organisation__isnull=True).exists():
        code_of_conduct.objects.create(version=1, title=DEFAULT_CODE_TITLE, text=DEFAULT_CODE_TEXT)
    if not framework.objects.filter(organisation__isnull=True).exists():
        load_default_framework(apps=apps)
