"""Local resources of an organisation (GEM, club-house, CCAS…) and referrals of persons to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import Role

from .persons import Person


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """The directory of one's organisation, for the roles that accompany persons."""
        if membership is None or membership.role not in (
            Role.PEER,
            Role.PROFESSIONAL,
            Role.COORDINATOR,
        ):
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class Resource(models.Model):
    class Kind(models.TextChoices):
        GEM = "gem", _("GEM (groupe d'entraide mutuelle)")
        CLUBHOUSE = "clubhouse", _("club-house")
        ASSOCIATION = "association", _("association")
        SOCIAL_SERVICE = "social_service", _("service social, CCAS")
        EMPLOYMENT = "employment", _("emploi, insertion (mission locale, Cap emploi, ESAT…)")
        HOUSING = "housing", _("logement (SIAO, résidence accueil, bailleur…)")
        MEDICO_SOCIAL = "medico_social", _("médico-social (SAVS, SAMSAH…)")
        HEALTH = "health", _("santé (médecin, maison de santé…)")
        CULTURE_SPORT = "culture_sport", _("culture, sport, loisirs")
        OTHER = "other", _("autre")

    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="resources"
    )
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    commune = models.ForeignKey(
        "territory.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("commune"),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Adresse, téléphone, site…")
    )
    is_active = models.BooleanField(_("toujours ouverte"), default=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("ressource")
        indexes = [models.Index(fields=["organisation", "kind", "name"])]

    def __str__(self):
        return self.name


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(person__in=Person.objects.visible_to(membership))


class Referral(models.Model):
    class Outcome(models.TextChoices):
        PROPOSED = "proposed", _("proposée")
        IN_PROGRESS = "in_progress", _("en cours")
        SUCCEEDED = "succeeded", _("aboutie")
        NOT_SUCCEEDED = "not_succeeded", _("n'a pas abouti")
        DECLINED = "declined", _("refusée par la personne")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="referrals")
    date = models.DateField(_("date"))
    outcome = models.CharField(
        _("résultat"), max_length=16, choices=Outcome.choices, default=Outcome.PROPOSED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("orientation")

    def __str__(self):
        return f"{self.resource} ({self.date:%d/%m/%Y})"
