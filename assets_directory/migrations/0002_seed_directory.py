"""Seed what every deployment starts with: the category tree, accessibility features, the
directory page under the home page, and the moderators' permissions on directory data.
Moderators can edit all of it afterwards."""

from django.db import migrations
from django.utils.text import slugify

CATEGORIES = [
    ("Physical activity", "physical-activity", ["Walking", "Exercise and fitness", "Dance", "Sport", "Swimming", "Yoga and tai chi"]),
    ("Arts and crafts", "arts-and-crafts", ["Knitting and sewing", "Painting and drawing", "Pottery and making", "Writing and reading groups", "Photography"]),
    ("Music and singing", "music-and-singing", ["Choirs and singing", "Playing music"]),
    ("Social and friendship", "social-and-friendship", ["Lunch clubs", "Coffee mornings", "Befriending", "Men's sheds", "Social clubs"]),
    ("Learning and skills", "learning-and-skills", ["Languages", "English for speakers of other languages", "Courses and talks"]),
    ("Digital skills", "digital-skills", ["Computer and phone help", "Online safety"]),
    ("Volunteering", "volunteering", []),
    ("Faith and culture", "faith-and-culture", ["Faith groups", "Cultural and community associations"]),
    ("Nature and gardening", "nature-and-gardening", ["Community gardens", "Allotments", "Conservation"]),
    ("Food and cooking", "food-and-cooking", ["Cooking classes", "Community meals", "Food banks and pantries"]),
    ("Health condition support", "health-condition-support", ["Diabetes", "Kidney disease", "COPD and breathing", "Heart health", "Cancer", "Dementia", "Stroke", "Arthritis and pain"]),
    ("Mental wellbeing", "mental-wellbeing", ["Peer support", "Mindfulness and relaxation", "Bereavement"]),
    ("Carers' support", "carers-support", []),
    ("Advice", "advice", ["Money and debt", "Benefits", "Housing", "Work and employment"]),
    ("Children and families", "children-and-families", ["Parent and baby groups", "Youth clubs", "Family activities"]),
]

ACCESSIBILITY = [
    ("step-free", "Step-free access", "No steps, or a ramp or lift, from the street to the room."),
    ("accessible-toilet", "Accessible toilet", ""),
    ("hearing-loop", "Hearing loop", ""),
    ("bsl", "British Sign Language", "A BSL interpreter or signing staff, on request or always."),
    ("parking", "Parking", "Including Blue Badge spaces nearby."),
    ("public-transport", "Near public transport", "A bus stop or station within a short walk."),
    ("quiet-space", "Quiet space", "A calm room to take a break."),
]

MODERATOR_PERMISSIONS = {
    "category": ("add", "change", "delete", "view"),
    "venue": ("add", "change", "delete", "view"),
    "schoolholiday": ("add", "change", "delete", "view"),
    "listingreport": ("change", "delete", "view"),
    "groupregistration": ("change", "view"),
}


def seed(apps, schema_editor):
    Category = apps.get_model("assets_directory.Category")
    AccessibilityFeature = apps.get_model("assets_directory.AccessibilityFeature")
    for order, (name, slug, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order, "icon": slug}
        )
        for child_order, child in enumerate(children):
            Category.objects.get_or_create(
                slug=slugify(child),
                defaults={"name": child, "parent": parent, "sort_order": child_order},
            )
    for order, (slug, name, description) in enumerate(ACCESSIBILITY):
        AccessibilityFeature.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )

    # Directory page under the home page.
    HomePage = apps.get_model("cms.HomePage")
    DirectoryIndexPage = apps.get_model("assets_directory.DirectoryIndexPage")
    ContentType = apps.get_model("contenttypes.ContentType")
    home = HomePage.objects.filter(depth=2).first()
    if home is not None and not DirectoryIndexPage.objects.exists():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="assets_directory", model="directoryindexpage"
        )
        DirectoryIndexPage.objects.create(
            title="Activities and groups",
            draft_title="Activities and groups",
            slug="directory",
            content_type=content_type,
            path=home.path + "0001",
            depth=3,
            numchild=0,
            url_path=home.url_path + "directory/",
            locale_id=home.locale_id,
            live=True,
            intro="Groups, clubs and activities run by local community and voluntary groups.",
        )
        HomePage.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    # Moderators look after the directory's shared data.
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        for model, actions in MODERATOR_PERMISSIONS.items():
            content_type, _ = ContentType.objects.get_or_create(
                app_label="assets_directory", model=model
            )
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                moderators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("assets_directory", "0001_initial"),
        ("cms", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
