"""Forms the site gives to Wagtail's admin through its settings."""

from wagtail.admin.forms.auth import LoginForm

from common.forms import NamedErrorsMixin, PlainTextFormMixin
from common.signin import ThrottledLoginFormMixin


class AdminLoginForm(ThrottledLoginFormMixin, NamedErrorsMixin, PlainTextFormMixin, LoginForm):
    """Wagtail's sign-in form, paused after too many failures (WAGTAILADMIN_USER_LOGIN_FORM)."""
