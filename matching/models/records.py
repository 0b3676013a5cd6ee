"""What a person tells their facilitator: network maps, preferences, needs, plans, follow-ups."""

from django.conf import settings
from django.db import models

from ..network import members_from_dicts, network_metrics
from ..vocabulary import AGE_BANDS, NEEDS, SINGLE_SEX_GROUPS
from .people import Person

AGE_BAND_CHOICES = [(slug, label) for slug, label, _, _ in AGE_BANDS]


class NetworkMap(models.Model):
    """One dated version of a person's personal community of support (GENIE step 1).

    Never edited after it is saved: a later map is a new version, so the first and a
    follow-up map can be compared.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_maps")
    members = models.JSONField(
        default=list, blank=True, help_text="matching.network.Member.as_dict() rows"
    )
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return f"Network map of {self.created_at:%d %b %Y}"

    def member_objects(self):
        return members_from_dicts(self.members)

    def metrics(self):
        return network_metrics(self.member_objects())


class Preferences(models.Model):
    """The questionnaire (GENIE step 2): interests, what they used to enjoy, practical limits."""

    class Company(models.TextChoices):
        ALONE = "alone", "On my own is fine"
        WITH_SOMEONE = "with_someone", "I'd like to go with someone"
        EITHER = "either", "Either"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="preferences")
    interests = models.JSONField(default=list, blank=True)  # category slugs
    top_three = models.JSONField(default=list, blank=True)  # category slugs, at most three
    used_to_enjoy = models.TextField(blank=True, max_length=500)
    max_travel_km = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    travel = models.JSONField(default=list, blank=True)  # TRAVEL_MODES slugs
    free_times = models.JSONField(
        default=list, blank=True
    )  # [{"day": "tue", "from": "09:00", "to": "12:00"}]
    max_cost = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    access_needs = models.JSONField(default=list, blank=True)  # AccessibilityFeature slugs
    delivery = models.JSONField(default=list, blank=True)  # Activity.Delivery values; empty = any
    company = models.CharField(max_length=20, choices=Company.choices, default=Company.EITHER)
    # About them, so that suggestions fit (all optional; see matching.scoring.Profile).
    age_band = models.CharField(max_length=20, blank=True, choices=AGE_BAND_CHOICES)
    # Health conditions (slugs): only with Consent.health_conditions (services enforce it).
    conditions = models.JSONField(default=list, blank=True)
    cares_for = models.BooleanField(default=False)
    cared_for_conditions = models.JSONField(default=list, blank=True)
    young_children = models.BooleanField(default=False)
    single_sex = models.CharField(max_length=10, blank=True, choices=SINGLE_SEX_GROUPS)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self):
        return "Preferences"


class PersonNeed(models.Model):
    """One of the needs a person chose (PLANS), in their order of priority and their words."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=30, choices=[(slug, label) for slug, label, _ in NEEDS])
    priority = models.PositiveSmallIntegerField()  # 1 = most important
    in_their_words = models.CharField(max_length=300, blank=True)
    who_will_help = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority"]
        constraints = [
            models.UniqueConstraint(fields=["person", "need"], name="one_row_per_need"),
        ]

    def __str__(self):
        return self.get_need_display()


class Plan(models.Model):
    """What the person chose to try, with when and where, and who will help with their needs."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plans")
    notes = models.TextField("Anything else agreed", blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return f"Plan of {self.created_at:%d %b %Y}"


class PlanItem(models.Model):
    """A chosen activity. Title, place and times are copied so the plan still reads well if
    the listing changes or goes."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    activity = models.ForeignKey(
        "assets_directory.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=255)
    organisation = models.CharField(max_length=255, blank=True)
    where = models.CharField(max_length=300, blank=True)
    when = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)
    reasons = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class FollowUp(models.Model):
    """Did they go, and did they keep going?"""

    class Went(models.TextChoices):
        YES = "yes", "Yes"
        NOT_YET = "not_yet", "Not yet"
        NO = "no", "No, and not planning to"

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="follow_ups")
    went = models.CharField(max_length=10, choices=Went.choices)
    kept_going = models.BooleanField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"Follow-up of {self.recorded_at:%d %b %Y}"
