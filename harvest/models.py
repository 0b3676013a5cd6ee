"""Feeds this directory harvests, each harvest's run and report, and the provenance of every
record a feed brought in.

A harvested organisation or activity is an ordinary directory page (so search, the map, the
matching engine and our own feed see it like any other); what makes it the source's is its
`HarvestedRecord`: which feed, the source's id, when it was fetched and the hash of what the
feed said. The directory itself knows nothing of this app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from common.storage import PrivateStorage


class FeedSource(models.Model):
    """A neighbour's feed: where it is, and how its last harvests went."""

    name = models.CharField(
        max_length=200, unique=True, help_text="Shown on the public pages of its records."
    )
    url = models.URLField(
        "feed address",
        blank=True,
        help_text="The feed's root, e.g. https://example.org/openreferral/. Empty for a source "
        "that is imported from files.",
    )
    website = models.URLField(blank=True, help_text="Where people can read about the source.")
    harvest_every_hours = models.PositiveSmallIntegerField(
        "harvest every (hours)",
        null=True,
        blank=True,
        help_text="Empty: harvested only when someone asks.",
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Health, as the last attempt found it (the health page reads these).
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    reachable = models.BooleanField(null=True, editable=False)
    valid = models.BooleanField(null=True, editable=False)
    response_ms = models.PositiveIntegerField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    harvested_at = models.DateTimeField("last harvested", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "feed"

    def __str__(self):
        return self.name


class HarvestRun(models.Model):
    """One harvest of one feed (or one file): its progress while it runs, its report after."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="runs")
    origin = models.CharField(
        max_length=500, help_text="The address or file the records came from."
    )
    # A file a moderator uploaded for this run: private (a feed may hold contact details).
    upload = models.FileField(
        storage=PrivateStorage(), upload_to="harvest/%Y/%m/", blank=True, max_length=255
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    # A run that read the whole feed may flag the records it did not see; a partial one
    # (a single file of some services, a run that failed) must not.
    complete = models.BooleanField(default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expected = models.PositiveIntegerField(null=True, blank=True)
    seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    disappeared = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the run stopped, when it failed.")

    class Meta:
        ordering = ["-queued_at", "-pk"]
        get_latest_by = "queued_at"

    def __str__(self):
        return f"{self.source} at {self.queued_at:%Y-%m-%d %H:%M}"


class HarvestProblem(models.Model):
    """A record a run skipped (or took with a caveat), and why, in words a moderator reads."""

    class Severity(models.TextChoices):
        SKIPPED = "skipped", "Skipped"
        NOTE = "note", "Imported with a note"

    run = models.ForeignKey(HarvestRun, on_delete=models.CASCADE, related_name="problems")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    position = models.PositiveIntegerField(
        null=True, blank=True, help_text="Which record in the feed (1 is the first)."
    )
    source_id = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255, blank=True)
    field = models.CharField(max_length=255, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.source_id or self.position}: {self.reason}"


class HarvestedRecord(models.Model):
    """Provenance: a directory record that came from a feed, and what the feed last said."""

    # The values are Open Referral's words; the labels, which moderators read, are ours.
    class Kind(models.TextChoices):
        ORGANIZATION = "organization", "Organisation"
        SERVICE = "service", "Activity"
        LOCATION = "location", "Venue"

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    external_id = models.CharField("id in the feed", max_length=255)
    # The directory record: a page (organisation or activity) or a venue.
    page = models.OneToOneField(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="harvested_record",
    )
    venue = models.OneToOneField(
        "assets_directory.Venue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="harvested_record",
    )
    content_hash = models.CharField(max_length=64)
    first_fetched_at = models.DateTimeField()
    fetched_at = models.DateTimeField(help_text="When the feed last gave this record.")
    last_run = models.ForeignKey(
        HarvestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when a complete run no longer found the record; cleared when it comes back.
    gone_since = models.DateTimeField(null=True, blank=True)
    # A moderator took the record over: from then on the feed's changes wait as conflicts.
    taken_over_at = models.DateTimeField(null=True, blank=True)
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The feed's taxonomy terms for a service, kept so that a crosswalk decided later can
    # still be applied to it.
    term_keys = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="harvest_record_unique_external_id"
            )
        ]
        indexes = [models.Index(fields=["source", "kind", "gone_since"])]

    def __str__(self):
        return f"{self.source}: {self.kind} {self.external_id}"


class HarvestConflict(models.Model):
    """A change from the feed to a record a moderator took over, waiting for a decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused"

    record = models.ForeignKey(HarvestedRecord, on_delete=models.CASCADE, related_name="conflicts")
    data = models.JSONField(help_text="What the feed now says, whole.")
    content_hash = models.CharField(max_length=64)
    found_at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-found_at"]
        constraints = [
            # One waiting change per record: a newer change replaces the older one.
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(decision="pending"),
                name="harvest_one_pending_conflict",
            )
        ]

    def __str__(self):
        return f"{self.record}: {self.get_decision_display()}"


class TermMapping(models.Model):
    """The crosswalk: one of a feed's taxonomy terms and the category it means here (none yet:
    waiting for a moderator)."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="terms")
    key = models.CharField(
        max_length=255, help_text="The term's id in the feed, or its taxonomy and code."
    )
    taxonomy = models.CharField(max_length=255, blank=True)
    code = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255)
    category = models.ForeignKey(
        "assets_directory.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    how = models.CharField(
        max_length=100, blank=True, help_text="How the term was mapped: by whom or by which rule."
    )
    services = models.PositiveIntegerField(default=0, help_text="Services that use the term.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="harvest_term_unique_key")
        ]

    def __str__(self):
        return f"{self.source}: {self.name}"


class DuplicatePair(models.Model):
    """Two listings from different sources (or one local) that may be the same: a moderator
    merges them or keeps them apart; nothing is merged without one."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting"
        MERGED = "merged", "Merged"
        APART = "apart", "Kept apart"

    # The lower key first, so that a pair is found once whichever way round it was seen.
    first = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    reasons = models.CharField(max_length=255)
    found_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    kept = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="harvest_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="harvest_pair_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} / {self.second_id}: {self.reasons}"
