"""What the commissioners' figures remember: the district's supply each day, for its trend."""

from django.conf import settings
from django.db import models

from common.storage import PrivateStorage


class SupplySnapshot(models.Model):
    """One kind of activity's supply across a district on one day, as the gap analysis found
    it: recorded each day (insights.tasks), so supply has a history to chart. Public data."""

    district = models.CharField(max_length=9)
    taken_on = models.DateField()
    theme = models.SlugField(max_length=120)
    theme_name = models.CharField(max_length=120)
    # Hours a week within walking distance, added up over the district's small areas.
    walk_hours = models.FloatField()
    residents = models.PositiveIntegerField()
    residents_without = models.PositiveIntegerField(
        help_text="Residents of small areas with none of it within walking distance."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "taken_on", "theme"], name="one_snapshot_a_day"
            )
        ]
        indexes = [models.Index(fields=["district", "taken_on"])]

    def __str__(self):
        return f"{self.theme} in {self.district} on {self.taken_on}"

    @property
    def walk_per_1000(self) -> float:
        return self.walk_hours * 1000 / self.residents if self.residents else 0.0


class EnglandRun(models.Model):
    """The gap analysis of every district of England, run in the background: its progress,
    each local authority's summary, and every small area × kind of activity as a CSV file."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    districts_done = models.PositiveIntegerField(default=0)
    districts_total = models.PositiveIntegerField(default=0)
    areas_done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When it last moved on: a run that has not for a long while stopped without finishing.
    updated_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    # One row per local authority: see `insights.services.england_run_execute`.
    summary = models.JSONField(default=list, blank=True)
    file = models.FileField(
        upload_to="insights/england/", storage=PrivateStorage(), max_length=200, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"England run {self.pk}: {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if not self.districts_total:
            return 0
        return round(100 * self.districts_done / self.districts_total)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
