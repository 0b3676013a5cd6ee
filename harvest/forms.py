"""Forms of the harvest's pages in the admin: a feed, a file to harvest, a term's category."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat

from assets_directory.models import Category
from common.forms import NamedErrorsMixin

from .models import FeedSource

# A borough's whole feed as ndjson is tens of megabytes; a file this big is a mistake.
UPLOAD_MAX_BYTES = 200 * 1024 * 1024  # "200 MB" in the help text, as filesizeformat counts
# services.harvest_file tells them apart by their ending: JSON, ndjson, or HSDS's tabular form
# (a CSV datapackage) zipped.
UPLOAD_SUFFIXES = (".json", ".ndjson", ".jsonl", ".zip")


def _https_by_default(field, **kwargs):
    """A web address typed without its scheme is taken as https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class FeedSourceForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        formfield_callback = _https_by_default
        model = FeedSource
        fields = ["name", "url", "website", "harvest_every_hours", "enabled"]
        labels = {
            "name": "Name",
            "url": "Feed address",
            "website": "Website",
            "harvest_every_hours": "Harvest every (hours)",
            "enabled": "Harvest it on its schedule",
        }
        help_texts = {
            "enabled": "Untick to stop scheduled harvests for a while; you can still harvest "
            "it by hand.",
        }
        error_messages = {
            "name": {"unique": "Another feed already has this name: choose another name"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Errors that say which field, and what a right answer looks like.
        self.fields["url"].error_messages["invalid"] = (
            "Enter the feed address as a full web address, like https://example.org/openreferral/"
        )
        self.fields["website"].error_messages["invalid"] = (
            "Enter the website as a full web address, like https://example.org"
        )
        hours = self.fields["harvest_every_hours"]
        hours.min_value = 1
        hours.widget.attrs["min"] = 1
        hours.error_messages["invalid"] = "“Harvest every (hours)” must be a whole number"
        hours.validators = [v for v in hours.validators if v.code != "min_value"]
        hours.validators.append(_at_least_one_hour)
        self.fields["url"].widget.attrs["autocomplete"] = "url"
        self.fields["website"].widget.attrs["autocomplete"] = "url"

    def clean(self):
        data = super().clean()
        if data.get("harvest_every_hours") and not data.get("url") and "url" not in self.errors:
            self.add_error(
                "url", "Enter the feed address: a feed is harvested on a schedule from it"
            )
        return data


def _at_least_one_hour(value):
    if value is not None and value < 1:
        raise ValidationError(
            "“Harvest every (hours)” must be 1 or more, or empty to harvest only by hand",
            code="min_value",
        )


class HarvestUploadForm(forms.Form):
    file = forms.FileField(
        label="File to harvest",
        help_text="A JSON file of services (a list, or a page of the feed), an ndjson file "
        "(one service a line, ending .ndjson or .jsonl), or HSDS's CSV files with their "
        "datapackage.json in a .zip. At most 200 MB.",
        error_messages={
            "required": "Choose a file to harvest",
            "empty": "The file is empty: choose a file of services",
            "invalid": "Choose a file to harvest",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise ValidationError(
                f"The file must be JSON or ndjson (ending .json, .ndjson or .jsonl) or a .zip "
                f"of CSV files, not “{suffix or 'no ending'}”"
            )
        if upload.size > UPLOAD_MAX_BYTES:
            raise ValidationError(
                f"The file is {filesizeformat(upload.size)}: it must be at most "
                f"{filesizeformat(UPLOAD_MAX_BYTES)}"
            )
        return upload


class TermCategoryForm(forms.Form):
    """What one of a feed's terms means here."""

    category = forms.ModelChoiceField(
        queryset=Category.objects.in_tree_order(),
        required=False,
        empty_label="Not mapped: nothing we list",
        label="Our category",
        error_messages={"invalid_choice": "Choose one of our categories, or “Not mapped”"},
    )
