from django.db import models


class ZeroResultSearch(models.Model):
    """A search that found nothing: evidence of a gap for commissioners.

    Holds only what was looked for and roughly where (the outward code): nothing personal.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    terms = models.CharField(max_length=200, blank=True)
    categories = models.CharField(max_length=255, blank=True)
    outcode = models.CharField(max_length=8, blank=True, db_index=True)
    filters = models.CharField(
        max_length=255, blank=True, help_text="Other filters used, e.g. 'day=tue free'."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "search with no results"
        verbose_name_plural = "searches with no results"

    def __str__(self):
        return f"{self.terms or '(no words)'} near {self.outcode or 'anywhere'}"


class IndexJournal(models.Model):
    """Activities whose index entries were updated, and when.

    A rebuild reads the directory while updates keep going to the live index; with an
    alias-swapping engine they would be lost at the swap. The rebuild writes again every
    activity journalled since it started. Rows older than a rebuild are pruned by it.
    """

    activity_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "index update"

    def __str__(self):
        return f"activity {self.activity_id} at {self.created_at:%Y-%m-%d %H:%M:%S}"
