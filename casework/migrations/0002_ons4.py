"""ONS4, the four ONS personal wellbeing questions, as every team's default measure.

The definition is copied here (not imported from casework.measures) so that this migration
stays as it was written whatever the code later says.
"""

from django.db import migrations

ONS4 = {
    "slug": "ons4",
    "name": "ONS4 personal wellbeing",
    "source": "Office for National Statistics (ONS), personal wellbeing questions",
    "scale_min": 0,
    "scale_max": 10,
    "is_default": True,
    "questions": [
        {
            "key": "life_satisfaction",
            "label": "Life satisfaction",
            "text": "Overall, how satisfied are you with your life nowadays?",
            "higher_is_better": True,
        },
        {
            "key": "worthwhile",
            "label": "Worthwhile",
            "text": "Overall, to what extent do you feel that the things you do in your "
            "life are worthwhile?",
            "higher_is_better": True,
        },
        {
            "key": "happiness",
            "label": "Happiness",
            "text": "Overall, how happy did you feel yesterday?",
            "higher_is_better": True,
        },
        {
            "key": "anxiety",
            "label": "Anxiety",
            "text": "On a scale where 0 is 'not at all anxious' and 10 is 'completely "
            "anxious', overall, how anxious did you feel yesterday?",
            "higher_is_better": False,
        },
    ],
}


def create_ons4(apps, schema_editor):
    Measure = apps.get_model("casework", "WellbeingMeasure")
    fields = {k: v for k, v in ONS4.items() if k != "slug"}
    Measure.objects.update_or_create(slug=ONS4["slug"], defaults=fields)


def remove_ons4(apps, schema_editor):
    apps.get_model("casework", "WellbeingMeasure").objects.filter(
        slug=ONS4["slug"], scores__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(create_ons4, remove_ons4)]
