from django.conf import settings
from django.db import models

from .people import Person, Team


class AuditEvent(models.Model):
    """Who looked at or changed a person's data, and when. The team lead reads these.

    Events point at the person they concern and go with them when the record is erased (an
    erasure leaves no row that refers to them); the erasure itself is logged without them.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        EXPORT = "export", "Exported"
        PRINT = "print", "Printed"
        EMAIL = "email", "E-mailed"
        ERASE = "erase", "Erased"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="audit_events")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    what = models.CharField(max_length=120)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.actor} {self.get_action_display().lower()} {self.what}"
