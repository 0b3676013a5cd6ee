from django.core.checks import Error, Warning
from django.core.exceptions import ImproperlyConfigured

from .backends import get_backend


def check_search_backend(app_configs=None, **kwargs):
    """A misconfigured backend is an error; an unreachable one a warning, so that migrations
    and the admin still run while the search engine is down."""
    try:
        backend = get_backend()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="See DIRECTORY_SEARCH in the settings.", id="search.E001")]
    return [
        Warning(problem, hint="Search will fail until this is fixed.", id="search.W002")
        for problem in backend.check()
    ]
