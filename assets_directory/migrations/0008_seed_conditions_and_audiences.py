"""Seed the health conditions, and read each activity's "who it is for" words into the
structured audience: which people, which conditions, and children's ages kept apart from the
ages of those who take part (a group for "children under 5 with a parent" had age_max 5, which
described the children and shut out every parent).

The words stay as they were, as the activity's own description. The reading is cautious: words
it does not recognise leave the activity open to everyone, for its group or a moderator to set.
"""

import re

from django.db import migrations

CONDITIONS = [
    ("dementia", "Dementia"),
    ("memory-problems", "Memory problems"),
    ("diabetes", "Diabetes"),
    ("lung-conditions", "Lung conditions (such as COPD)"),
    ("heart-conditions", "Heart conditions"),
    ("cancer", "Cancer"),
    ("kidney-disease", "Kidney disease"),
    ("stroke", "Stroke"),
    ("arthritis", "Arthritis and joint pain"),
    ("long-term-pain", "Long-term pain"),
    ("mental-health", "Mental health conditions"),
    ("learning-disability", "Learning disability"),
    ("autism", "Autism"),
    ("sight-loss", "Sight loss"),
    ("hearing-loss", "Hearing loss"),
    ("parkinsons", "Parkinson's"),
    ("multiple-sclerosis", "Multiple sclerosis"),
    ("brain-injury", "Brain injury"),
    ("epilepsy", "Epilepsy"),
    ("addiction", "Addiction and recovery"),
]

# Words that name a condition, and the condition each names.
CONDITION_WORDS = [
    (r"dementia", "dementia"),
    (r"memory", "memory-problems"),
    (r"diabet", "diabetes"),
    (r"\blung|copd|breathless", "lung-conditions"),
    (r"cardiac|\bheart", "heart-conditions"),
    (r"cancer", "cancer"),
    (r"kidney|dialysis", "kidney-disease"),
    (r"stroke", "stroke"),
    (r"arthritis|joint pain", "arthritis"),
    (r"long-term pain|chronic pain|\bpain\b", "long-term-pain"),
    (r"mental health", "mental-health"),
    (r"learning disabilit", "learning-disability"),
    (r"autis", "autism"),
    (r"sight loss|blind|visual impair", "sight-loss"),
    (r"hearing loss|\bdeaf", "hearing-loss"),
    (r"parkinson", "parkinsons"),
    (r"multiple sclerosis|\bms\b", "multiple-sclerosis"),
    (r"brain injur", "brain-injury"),
    (r"epilep", "epilepsy"),
    (r"addiction|recovery from", "addiction"),
]


def read_audience(words: str, age_min, age_max) -> dict:
    """The structured audience the words describe: `audience` (comma-separated slugs, in the
    vocabulary's order), `conditions` (slugs), and the four ages."""
    text = (words or "").lower()
    audiences = set()
    conditions = [slug for pattern, slug in CONDITION_WORDS if re.search(pattern, text)]
    conditions = list(dict.fromkeys(conditions))
    caring = bool(re.match(r"\s*(unpaid )?carers\b", text)) or "carers of" in text
    if conditions:
        audiences.add("carers" if caring else "condition")
    elif caring:
        audiences.add("carers")
    children_age_min = children_age_max = None
    if re.search(r"bab(y|ies)|toddler|under (5|five)s?\b|parents? and carers? with", text):
        audiences.add("young_children")
        if age_max is not None and age_max <= 5:
            # The limit described the children, not the parents who come with them.
            children_age_min, children_age_max = age_min, age_max
            age_min = age_max = None
    if re.search(r"older|over (50|55|60|65)s?|aged (50|55|60|65)", text):
        audiences.add("older")
    if re.search(r"young people|teenager|youth", text):
        audiences.add("young")
    welcome = "all welcome" in text or "everyone" in text
    if re.search(r"\bwomen\b|\bladies\b|\bmums\b", text) and not welcome:
        audiences.add("women")
    if re.search(r"\bmen\b|\bdads\b", text) and not welcome:
        audiences.add("men")
    if "lgbt" in text:
        audiences.add("lgbtq")
    order = ["condition", "carers", "young_children", "older", "young", "women", "men", "lgbtq"]
    return {
        "audience": ",".join(slug for slug in order if slug in audiences),
        "conditions": conditions,
        "age_min": age_min,
        "age_max": age_max,
        "children_age_min": children_age_min,
        "children_age_max": children_age_max,
    }


def grant_moderators(apps):
    """Moderators keep the conditions as they keep the categories."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="assets_directory", model="condition"
    )
    for action in ("add", "change", "delete", "view"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_condition",
            defaults={"name": f"Can {action} condition"},
        )
        moderators.permissions.add(permission)


def forwards(apps, schema_editor):
    grant_moderators(apps)
    Condition = apps.get_model("assets_directory", "Condition")
    Activity = apps.get_model("assets_directory", "Activity")
    for order, (slug, name) in enumerate(CONDITIONS):
        Condition.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    by_slug = dict(Condition.objects.values_list("slug", "pk"))
    through = Activity.conditions.through
    links = []
    rows = Activity.objects.exclude(who_for="").values_list("pk", "who_for", "age_min", "age_max")
    for pk, words, age_min, age_max in rows.iterator():
        read = read_audience(words, age_min, age_max)
        Activity.objects.filter(pk=pk).update(
            audience=read["audience"],
            age_min=read["age_min"],
            age_max=read["age_max"],
            children_age_min=read["children_age_min"],
            children_age_max=read["children_age_max"],
        )
        links += [through(activity_id=pk, condition_id=by_slug[s]) for s in read["conditions"]]
    through.objects.bulk_create(links, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assets_directory", "0007_activity_audience"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
