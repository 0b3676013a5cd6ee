from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from assets_directory.selectors import category_tiles, directory_index
from search.selectors import category_counts


class HomePage(Page):
    """The front door: a search box, category tiles and a call to list a group."""

    intro = models.CharField(
        max_length=255,
        blank=True,
        default="Find groups, clubs and activities near you, and help people find yours.",
    )
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["assets_directory.DirectoryIndexPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = category_tiles(counts=category_counts())
        context["directory"] = directory_index()
        return context


class StandardPage(Page):
    """A plain page for guides and information (about, privacy, how to list a group)."""

    intro = models.CharField(max_length=255, blank=True)
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = "standard page"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Details shown in the footer and in e-mails, editable by moderators."""

    organisation_name = models.CharField(
        max_length=255, blank=True, help_text="Who runs this directory, e.g. the council or hub."
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    footer_text = models.CharField(max_length=255, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("footer_text"),
            ],
            heading="Who runs this directory",
        )
    ]

    class Meta:
        verbose_name = "site settings"
