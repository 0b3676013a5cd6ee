"""Forget the commissioners' overview (selectors.commissioning_overview_cached) whenever what
it is worked out from changes: asks and what they seek, teams, groups' profiles, partnerships,
their groups and reviews."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    Partnership,
    PartnershipGroup,
    Review,
    ServiceTeam,
)
from .selectors import forget_commissioning_overview

SOURCES = (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    Partnership,
    PartnershipGroup,
    Review,
    ServiceTeam,
)


def _forget(sender, **kwargs):
    forget_commissioning_overview()


def connect() -> None:
    for model in SOURCES:
        post_save.connect(_forget, sender=model, dispatch_uid=f"overview-save-{model.__name__}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"overview-delete-{model.__name__}")
    for field in ("capabilities", "communities"):
        m2m_changed.connect(
            _forget,
            sender=getattr(Ask, field).through,
            dispatch_uid=f"overview-ask-{field}",
        )
