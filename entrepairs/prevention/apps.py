from django.apps import AppConfig
from django.core import checks


class PreventionConfig(AppConfig):
    name = "entrepairs.prevention"
    label = "prevention"

    def ready(self):
        from entrepairs.accompaniment import rights

        from . import rights as plan_rights

        rights.register_part(plan_rights.EXPORT_PART)
        rights.register_anonymiser(plan_rights.anonymise_plan)
        checks.register(check_plan_keys, checks.Tags.security, deploy=True)


def check_plan_keys(app_configs, **kwargs):
    """In production the public development key must never encrypt a plan."""
    from django.conf import settings

    from .crypto import master_keys

    errors = []
    try:
        master_keys()
    except Exception as exc:  # noqa: BLE001 - reported as a check error
        errors.append(checks.Error(str(exc), id="prevention.E001"))
    if settings.DEV_PREVENTION_PLAN_KEY in settings.PREVENTION_PLAN_KEYS:
        errors.append(
            checks.Error(
                "PREVENTION_PLAN_KEYS contient la clé de développement, publique.",
                id="prevention.E002",
            )
        )
    return errors
