"""Code of conduct (code de déontologie): versioned text, acknowledged by each peer and team member."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entrepairs.core.roles import MANAGER_ROLES, Role

# Who is asked to acknowledge the code: the peers and the members of the teams they work in.
ACKNOWLEDGING_ROLES = frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR})


class CodeOfConductQuerySet(models.QuerySet):
    def for_organisation(self, organisation_id):
        """The organisation's own versions, or the platform default when it has none."""
        own = self.filter(organisation_id=organisation_id)
        return own if own.exists() else self.filter(organisation__isnull=True)


class CodeOfConduct(models.Model):
    organisation = models.ForeignKey(
        "territory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="codes_of_conduct",
        verbose_name=_("organisation"),
        help_text=_("Vide : texte par défaut de la plateforme."),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte"), max_length=20000)
    published_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CodeOfConductQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("code de déontologie")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="conduct_unique_version"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(organisation__isnull=True),
                name="conduct_unique_platform_version",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @classmethod
    def current_for(cls, organisation_id):
        return cls.objects.for_organisation(organisation_id).order_by("-version").first()

    @classmethod
    def needs_acknowledgement(cls, membership) -> bool:
        """True when ``membership`` has not acknowledged the current version yet."""
        if membership is None or membership.role not in ACKNOWLEDGING_ROLES:
            return False
        current = cls.current_for(membership.organisation_id)
        return (
            current is not None
            and not current.acknowledgements.filter(membership=membership).exists()
        )


class ConductAcknowledgementQuerySet(models.QuerySet):
    def visible_to(self, membership):
        if membership is None:
            return self.none()
        if membership.role in MANAGER_ROLES:
            return self.filter(membership__organisation_id=membership.organisation_id)
        if membership.role in ACKNOWLEDGING_ROLES:
            return self.filter(membership=membership)
        return self.none()


class ConductAcknowledgement(models.Model):
    code = models.ForeignKey(
        CodeOfConduct, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="conduct_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("prise de connaissance le"), auto_now_add=True)

    objects = ConductAcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("prise de connaissance du code de déontologie")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "membership"],
                name="conduct_ack_once",
                violation_error_message=_("Vous avez déjà pris connaissance de cette version."),
            )
        ]

    def __str__(self):
        return f"{self.membership} – v{self.code.version}"
