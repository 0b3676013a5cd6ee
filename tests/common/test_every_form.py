"""Every form of the project normalises its text and names its field in its errors.

A standing guard: a form added later without the two mixins fails here, before any visitor
meets a "This field is required." or a right-to-left override in a page title.
"""

import importlib
import inspect
import pkgutil

from django import forms

from common.forms import NamedErrorsMixin, PlainTextFormMixin

APPS = ("assets_directory", "cms", "common", "matching", "search", "coproduction")


def project_forms() -> list[type]:
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            # Not where forms live, and importing them has effects (settings, the WSGI app).
            skip = (".migrations", ".management", ".settings", ".wsgi", ".celery")
            if any(part in info.name for part in skip):
                continue
            modules.append(importlib.import_module(info.name))
        for module in modules:
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__.split(".")[0] in APPS:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


def test_the_project_has_forms_to_check():
    names = {cls.__name__ for cls in project_forms()}
    assert {"GroupRegistrationForm", "PersonForm", "PlaceForm", "SignInForm"} <= names


def test_every_form_normalises_text_and_names_fields_in_errors():
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in project_forms()
        if not issubclass(cls, PlainTextFormMixin) or not issubclass(cls, NamedErrorsMixin)
    ]
    assert missing == []


def test_admin_page_forms_refuse_junk_in_titles_but_leave_rich_text_alone(db, editor):
    from django.core.exceptions import ValidationError

    from assets_directory.models import Activity, Organisation

    for model in (Activity, Organisation):
        form_class = model.get_edit_handler().get_form_class()
        form = form_class(instance=model(), for_user=editor)
        title = form.fields["title"]
        try:
            title.clean("Knit\u202eand natter")
        except ValidationError as exc:
            assert "U+202E" in exc.messages[0]
        else:
            raise AssertionError(f"{model.__name__}: a right-to-left override was accepted")
        assert title.clean("  Knit   and natter ") == "Knit and natter"
        # The rich text editor's field holds JSON in a hidden input: never rewritten.
        assert not getattr(form.fields["description"], "_plain_text", False)
