"""Storage for files only signed-in people may fetch.

MEDIA_ROOT is served as it is (by Django in development, by the web server in production), so a
file there is public to anyone who guesses its address. Files kept here are outside it and reach
people only through views that check who is asking and mark the answer private.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="common.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_MEDIA_ROOT, read from settings on every use (so a
    test's override takes effect), with no public address."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public address: serve them through a view.")
