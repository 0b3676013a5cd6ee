"""Placeholder: being built."""

from django.http import Http404


def kiosk_start(request, *args, **kwargs):
    raise Http404("Not built yet.")
