"""Recovery plan (projet de vie / plan de rétablissement), co-written with the person.

Life domains (a default list, the plan may add its own), goals in the person's own words,
steps with a status, and dated reviews where the person and the peer each rate every domain
from 0 to 10. Both ratings are kept, they may differ.

Concurrent edits: the plan carries a ``version``; every save sends the version it was read
at and ``RecoveryPlan.bump_version`` refuses a stale one (optimistic locking).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from .persons import Person

DEFAULT_DOMAINS = [
    _("logement"),
    _("activité et emploi"),
    _("relations et famille"),
    _("santé"),
    _("loisirs"),
    _("citoyenneté"),
    _("argent"),
    _("estime de soi"),
]


class StalePlanError(Exception):
    """Someone saved the plan since this form was displayed."""


class RecoveryPlanQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(person__in=Person.objects.visible_to(membership))


class RecoveryPlan(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="recovery_plan")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RecoveryPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan de rétablissement")

    def __str__(self):
        return f"Plan de rétablissement de {self.person}"

    @classmethod
    def start_for(cls, person, user=None) -> "RecoveryPlan":
        """Create the plan of ``person`` with the default life domains."""
        plan = cls.objects.create(person=person, updated_by=user)
        LifeDomain.objects.bulk_create(
            LifeDomain(plan=plan, name=str(name), position=i, is_default=True)
            for i, name in enumerate(DEFAULT_DOMAINS)
        )
        return plan

    def bump_version(self, seen_version: int, user=None) -> None:
        """Claim the next version, or raise StalePlanError if ``seen_version`` is not current.

        One conditional UPDATE: two concurrent saves of the same version cannot both win.
        """
        updated = RecoveryPlan.objects.filter(pk=self.pk, version=seen_version).update(
            version=F("version") + 1, updated_by=user
        )
        if not updated:
            raise StalePlanError
        self.version = seen_version + 1

    def domains_list(self):
        if "domains" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.domains.all())
        return list(self.domains.order_by("position", "pk"))

    def reviews_list(self):
        """Reviews oldest first (with their ratings when prefetched)."""
        if "reviews" in getattr(self, "_prefetched_objects_cache", {}):
            return sorted(self.reviews.all(), key=lambda r: (r.date, r.pk))
        return list(self.reviews.order_by("date", "pk").prefetch_related("ratings"))

    def domain_overview(self) -> list["LifeDomain"]:
        """The life domains with ``goal_count`` and the scores of their latest rating
        (``person_score``, ``peer_score``): the person page's table in one query."""
        latest = Rating.objects.filter(domain=OuterRef("pk")).order_by(
            "-review__date", "-review__pk"
        )
        return list(
            self.domains.annotate(
                goal_count=Count("goals"),
                person_score=Subquery(latest.values("person_score")[:1]),
                peer_score=Subquery(latest.values("peer_score")[:1]),
            ).order_by("position", "pk")
        )

    def summary(self) -> list[dict]:
        """Per domain: its goals (with steps) and the last ratings, for read-only pages."""
        reviews = self.reviews_list()
        last = {}
        for review in reviews:
            for rating in review.ratings.all():
                last[rating.domain_id] = (review.date, rating)
        goals_by_domain = {}
        goals = (
            self.goals.all()
            if "goals" in getattr(self, "_prefetched_objects_cache", {})
            else self.goals.prefetch_related("steps")
        )
        for goal in goals:
            goals_by_domain.setdefault(goal.domain_id, []).append(goal)
        rows = []
        for domain in self.domains_list():
            date, rating = last.get(domain.pk, (None, None))
            rows.append(
                {
                    "domain": domain,
                    "goals": goals_by_domain.get(domain.pk, []),
                    "last_review_date": date,
                    "person_score": rating.person_score if rating else None,
                    "peer_score": rating.peer_score if rating else None,
                }
            )
        return rows


class LifeDomain(models.Model):
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(_("domaine de vie"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="lifedomain_unique_name")
        ]

    def __str__(self):
        return self.name


class Goal(models.Model):
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.ForeignKey(LifeDomain, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("objectif, avec les mots de la personne"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain__position", "pk"]

    def __str__(self):
        return self.text


class Step(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("à faire")
        IN_PROGRESS = "in_progress", _("en cours")
        DONE = "done", _("fait")
        DROPPED = "dropped", _("abandonné")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("étape"), max_length=200)
    status = models.CharField(
        _("où en est-on"), max_length=12, choices=Status.choices, default=Status.TODO
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text


class Review(models.Model):
    """A dated point on the plan, with self-ratings per domain."""

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField(_("date du point"))
    comment = models.CharField(_("ce que l'on retient"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["plan", "date"])]

    def __str__(self):
        return f"Point du {self.date:%d/%m/%Y}"


class Rating(models.Model):
    """The person's and the peer's ratings of one domain at one review (0–10, each optional)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    domain = models.ForeignKey(LifeDomain, on_delete=models.CASCADE, related_name="ratings")
    person_score = models.PositiveSmallIntegerField(
        _("note de la personne"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    peer_score = models.PositiveSmallIntegerField(
        _("note du / de la pair-aidant·e"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "domain"], name="rating_unique_domain"),
            models.CheckConstraint(
                condition=models.Q(person_score__lte=10) | models.Q(person_score__isnull=True),
                name="rating_person_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(peer_score__lte=10) | models.Q(peer_score__isnull=True),
                name="rating_peer_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.domain} : {self.person_score} / {self.peer_score}"
