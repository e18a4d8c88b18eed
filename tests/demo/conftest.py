import pytest


@pytest.fixture(autouse=True)
def _shipped_defaults_back_after_a_flush(request):
    """The demo draws on the rows the workforce data migration ships (the example salary grid,
    the default code of conduct and competency framework): with them missing, it draws other
    random numbers and builds another demo. A transactional test run earlier by the same worker
    (``pytest -n 2 --dist loadfile``) ends with a flush that deletes them: put them back."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from entrepairs.workforce.defaults import (
        DEFAULT_CODE_TEXT,
        DEFAULT_CODE_TITLE,
        EXAMPLE_GRID_NAME,
        EXAMPLE_GRID_STEPS,
    )
    from entrepairs.workforce.framework_loader import load_default_framework
    from entrepairs.workforce.models import (
        CodeOfConduct,
        CompetencyFramework,
        SalaryGrid,
        SalaryStep,
    )

    if not SalaryGrid.objects.filter(is_example=True).exists():
        grid = SalaryGrid.objects.create(name=EXAMPLE_GRID_NAME, is_example=True)
        SalaryStep.objects.bulk_create(
            SalaryStep(grid=grid, order=i, label=label, gross_monthly=amount)
            for i, (label, amount) in enumerate(EXAMPLE_GRID_STEPS, start=1)
        )
    if not CodeOfConduct.objects.filter(organisation__isnull=True).exists():
        CodeOfConduct.objects.create(version=1, title=DEFAULT_CODE_TITLE, text=DEFAULT_CODE_TEXT)
    if not CompetencyFramework.objects.filter(organisation__isnull=True).exists():
        load_default_framework()
