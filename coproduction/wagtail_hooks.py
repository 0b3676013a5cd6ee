"""Coproduction in Wagtail's admin. Each area keeps its admin in a module of its own, imported
here so that Wagtail finds it: the shared vocabulary in `admin_vocabulary`."""

from . import admin_vocabulary  # noqa: F401
