"""The shared vocabulary of coproduction (capability terms, service lines) as snippets that
moderators keep in the admin (the Moderators group has their add, change and delete rights:
migration 0010).

A term or a service line in use is not deleted: groups' profiles, asks and teams would lose
what they say (or, for asks' terms, have it silently unticked). The refusal names where it is
used, so that a moderator can change those first, or rename the term instead.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from assets_directory.selectors import categories_in_tree_order
from common.forms import NamedErrorsMixin, PlainTextFormMixin

from .models import CapabilityTerm, ServiceLine
from .selectors import vocabulary_uses


class CapabilityTermViewSet(SnippetViewSet):
    model = CapabilityTerm
    icon = "tag"
    menu_label = "Capability terms"
    list_display = ["name", "kind", "slug", "description"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    ordering = ["kind", "name"]


class ServiceLineAdminForm(NamedErrorsMixin, PlainTextFormMixin, WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind of activity followed by the kinds below it, not one mixed list.
        self.fields["categories"].queryset = categories_in_tree_order()


class ServiceLineViewSet(SnippetViewSet):
    model = ServiceLine
    icon = "list-ul"
    menu_label = "Service lines"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("sort_order"),
            FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=ServiceLineAdminForm,
    )


class CoproductionVocabularyGroup(SnippetViewSetGroup):
    items = (CapabilityTermViewSet, ServiceLineViewSet)
    menu_icon = "tag"
    menu_label = "Coproduction words"
    menu_name = "coproduction-vocabulary"


register_snippet(CoproductionVocabularyGroup)

VOCABULARY = (CapabilityTerm, ServiceLine)


@hooks.register("before_delete_snippet")
def refuse_deleting_vocabulary_in_use(request, instances):
    # Runs before the confirmation page and before the deletion itself, for one or many.
    if not instances or not all(isinstance(i, VOCABULARY) for i in instances):
        return None
    refusals = []
    for instance in instances:
        uses = vocabulary_uses(instance)
        if uses:
            refusals.append(
                f"“{instance}” is in use, so it cannot be deleted. It is used by "
                + "; ".join(uses)
                + ". Change those first, or rename it instead."
            )
    if not refusals:
        return None
    for message in refusals:
        messages.error(request, message)
    model = type(instances[0])._meta
    return redirect(f"wagtailsnippets_{model.app_label}_{model.model_name}:list")
