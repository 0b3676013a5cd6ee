"""The seven service lines of the seed's local health economy, and a starting vocabulary.

Both are editable afterwards; this only fills an empty database, and leaves what an earlier run
or an editor made.
"""

from django.db import migrations
from django.utils.text import slugify

SERVICE_LINES = [
    "Health promotion",
    "Healthy cooking and eating",
    "Exercise and physical activity",
    "Health checks",
    "Early diagnosis of dementia",
    "Self-management of long-term conditions",
    "Talking therapies and family therapy",
]

TERMS = {
    "community": [
        "South Asian", "Tamil", "Somali", "Black African", "Black Caribbean", "Polish",
        "Irish", "Chinese", "Muslim", "Christian", "Hindu", "Sikh",
        "Refugees and asylum seekers", "LGBTQ+", "Carers", "Men", "Women",
    ],
    "language": [
        "Tamil", "Somali", "Urdu", "Bengali", "Gujarati", "Punjabi", "Polish", "Arabic",
        "Portuguese", "Spanish", "British Sign Language",
    ],
    "age": ["Children (0 to 11)", "Young people (12 to 25)", "Working-age adults", "Older people (65 and over)"],
    "condition": [
        "Diabetes", "Heart disease", "Breathing conditions", "Dementia", "Mental health",
        "Learning disability", "Physical disability", "Sight loss", "Hearing loss",
    ],
    "asset": [
        "Meeting room", "Kitchen", "Hall", "Outdoor space", "Minibus or transport",
        "Exercise equipment", "Computers and wifi",
    ],
    "people": [
        "Volunteers", "Trained peer leaders", "Health champions", "Befrienders", "Interpreters",
    ],
    "skill": [
        "Cooking", "Leading exercise", "Peer support", "Digital help", "Advice and advocacy",
        "Facilitation", "Translation", "Running health events",
    ],
    "governance": [
        "Safeguarding policy", "Public liability insurance", "DBS-checked volunteers",
        "Written constitution", "Registered charity",
    ],
}


def seed(apps, schema_editor):
    ServiceLine = apps.get_model("coproduction", "ServiceLine")
    CapabilityTerm = apps.get_model("coproduction", "CapabilityTerm")
    for order, name in enumerate(SERVICE_LINES):
        ServiceLine.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "sort_order": order}
        )
    for kind, names in TERMS.items():
        for name in names:
            CapabilityTerm.objects.get_or_create(
                slug=slugify(f"{kind} {name}"), defaults={"kind": kind, "name": name}
            )


class Migration(migrations.Migration):
    dependencies = [("coproduction", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
