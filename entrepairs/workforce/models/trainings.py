"""Trainings and qualifications, with an optional certificate kept outside the web root."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .peers import PeerWorker, dossier_q


class TrainingQuerySet(models.QuerySet):
    def visible_to(self, membership):
        q = dossier_q(membership)
        return self.none() if q is None else self.filter(q)


class Training(models.Model):
    class Kind(models.TextChoices):
        DU = "du", _("DU pair-aidance")
        LICENCE = "licence", _("licence option médiateur de santé pair")
        SHORT = "courte", _("formation courte")
        CONTINUING = "continue", _("formation continue")
        CROSS = "croisee", _("formation croisée")

    class Status(models.TextChoices):
        PLANNED = "prevue", _("prévue")
        IN_PROGRESS = "en_cours", _("en cours")
        OBTAINED = "obtenue", _("obtenue")
        ABANDONED = "abandonnee", _("abandonnée")

    peer = models.ForeignKey(PeerWorker, on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField(_("type de formation"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    provider = models.CharField(_("organisme de formation"), max_length=200)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices)
    # Relative path under settings.PRIVATE_MEDIA_ROOT; served by workforce:certificate only.
    certificate_path = models.CharField(max_length=300, blank=True, editable=False)
    certificate_mime = models.CharField(max_length=50, blank=True, editable=False)
    certificate_name = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("formation")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="training_end_after_start",
                violation_error_message=_("La date de fin ne peut pas précéder la date de début."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"
