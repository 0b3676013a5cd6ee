"""What the commissioners' figures remember: the district's supply each day, for its trend."""

from django.db import models


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
