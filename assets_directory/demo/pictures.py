"""Simple pictures for the demo, drawn with Pillow (nothing is downloaded): a sun over hills,
in a few colours, each with a description of what it shows."""

from __future__ import annotations

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from assets_directory.models import Activity, Organisation
from assets_directory.services import organisation_collection

SIZE = (960, 540)
# (name, sky, sun, hills): the names go into the description.
SCENES = [
    ("a blue sky", "#8fc7ef", "#ffd23f", ("#3f8f4a", "#6bb55a")),
    ("an orange evening sky", "#f4a259", "#fff1b5", ("#5b7f3a", "#8cae4f")),
    ("a pale morning sky", "#dfe9f5", "#ffb347", ("#2f6f5e", "#4f9d7e")),
    ("a purple dusk sky", "#7d6ca8", "#ffe08a", ("#30503a", "#4d7a4f")),
]
# How many of the demo's organisations get a picture on one of their activities.
PHOTOGRAPHED = 8


def draw_scene(scene, rng: random.Random) -> bytes:
    """A PNG of a sun over two rolling hills, in the scene's colours."""
    _, sky, sun, (far, near) = scene
    width, height = SIZE
    picture = PillowImage.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(picture)
    x, y, r = rng.randint(120, width - 120), rng.randint(80, 180), rng.randint(50, 80)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=sun)
    draw.ellipse((-width // 3, height // 2, width, height * 2), fill=far)
    draw.ellipse((width // 4, height * 2 // 3, width * 3 // 2, height * 2), fill=near)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def describe(scene) -> str:
    return f"A drawing of a yellow sun in {scene[0]} over green hills"


def add_demo_photos(organisations: list[Organisation], *, seed: int) -> int:
    """Give the first activity of the first few organisations a picture, in the organisation's
    own collection, with its description. Returns how many were given."""
    rng = random.Random(seed)
    given = 0
    for number, organisation in enumerate(organisations[:PHOTOGRAPHED]):
        activity = (
            Activity.objects.child_of(organisation).order_by("path").only("pk", "title").first()
        )
        if activity is None:
            continue
        scene = SCENES[number % len(SCENES)]
        image = get_image_model().objects.create(
            title=f"{activity.title} picture",
            file=ImageFile(io.BytesIO(draw_scene(scene, rng)), name=f"demo-{number + 1}.png"),
            collection=organisation_collection(organisation=organisation),
        )
        # Straight to the row, as the builder writes its pages (no revisions in the demo).
        Activity.objects.filter(pk=activity.pk).update(photo=image, photo_alt=describe(scene))
        if number % 2 == 0:
            Organisation.objects.filter(pk=organisation.pk).update(
                logo=image, logo_alt=f"{organisation.title}: {describe(scene).lower()}"
            )
        given += 1
    return given
