"""Pre-aggregated published figures (the observatory's analytics tables).

``PublishedFigure`` holds every figure that leaves the people who hold the records, already
protected (``publishing.publish``): pages, exports and the API read these rows and never the
raw records. One row per (period, level, area, indicator, breakdown).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    ORGANISATION = "organisation", _("établissement")
    DEPARTMENT = "department", _("département")
    REGION = "region", _("région")
    NATION = "nation", _("France")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("trimestre")
    YEAR = "year", _("année")


class Publication(models.Model):
    """One run of the publishing step for one period."""

    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    published_at = models.DateTimeField(auto_now_add=True)
    figures = models.PositiveIntegerField(default=0)
    hidden = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period_kind", "period_start"], name="one_publication")
        ]

    def __str__(self):
        return f"{self.period_kind} {self.period_start}"


class PublishedFigure(models.Model):
    class Status(models.TextChoices):
        SHOWN = "shown", _("publié")
        ROUNDED = "rounded", _("arrondi à 5")
        HIDDEN = "hidden", _("secret statistique")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="rows")
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    level = models.CharField(max_length=12, choices=Level.choices)
    area_code = models.CharField(max_length=20)
    area_label = models.CharField(max_length=200)
    region_code = models.CharField(max_length=3, blank=True)
    department_code = models.CharField(max_length=3, blank=True)
    indicator = models.CharField(max_length=40)
    breakdown = models.CharField(max_length=40, blank=True)
    # Shown figures only: hidden rows keep None in value, numerator and denominator.
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.PositiveIntegerField(null=True)
    status = models.CharField(max_length=8, choices=Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "period_kind",
                    "period_start",
                    "level",
                    "area_code",
                    "indicator",
                    "breakdown",
                ],
                name="one_published_figure",
            )
        ]
        indexes = [
            models.Index(
                fields=["indicator", "level", "period_kind", "period_start"],
                name="published_table",
            ),
            models.Index(fields=["indicator", "level", "area_code"], name="published_series"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.level} {self.area_code} {self.period_start}"
