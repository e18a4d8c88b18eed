"""Publishing instrument definitions into the database (built-in files or FHIR imports)."""

from django.db import transaction
from django.utils import timezone

from .definitions import InstrumentDefinitionError, builtin_paths, checksum, load_file
from .models import Instrument, InstrumentVersion


@transaction.atomic
def publish(definition: dict, *, origin=InstrumentVersion.Origin.BUILTIN, organisation=None):
    """Publish ``definition`` as an immutable version. Returns (version, created).

    Publishing the same content again changes nothing; a different content under a version
    number already published is refused: a change needs a new version number.
    """
    digest = checksum(definition)
    instrument, _ = Instrument.objects.get_or_create(
        code=definition["code"],
        organisation=organisation,
        defaults={"title": definition["title"], "audience": definition["audience"]},
    )
    existing = instrument.versions.filter(version=definition["version"]).first()
    if existing:
        if existing.checksum != digest:
            raise InstrumentDefinitionError(
                f"la version {definition['version']} de « {definition['code']} » est déjà publiée "
                "avec un autre contenu : une modification demande un nouveau numéro de version"
            )
        return existing, False
    if instrument.title != definition["title"] or instrument.audience != definition["audience"]:
        instrument.title, instrument.audience = definition["title"], definition["audience"]
        instrument.save(update_fields=["title", "audience"])
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition["version"],
        definition=definition,
        checksum=digest,
        title=definition["title"],
        audience=definition["audience"],
        validated=definition["validated"],
        licence=definition["licence"],
        source=definition["source"],
        origin=origin,
        published_at=timezone.now(),
    )
    return version, True


def load_builtin_instruments(paths=None) -> list[tuple[InstrumentVersion, bool]]:
    """Validate every file first, then publish them all in one transaction (all or nothing)."""
    definitions = [(path, load_file(path)) for path in (paths or builtin_paths())]
    results = []
    with transaction.atomic():
        for path, definition in definitions:
            try:
                results.append(publish(definition))
            except InstrumentDefinitionError as exc:
                raise InstrumentDefinitionError(exc.reason, file=path.name) from exc
    return results
