"""Throttling of sign-in attempts, by account and by address, on the shared cache.

Three pieces, so that no way of signing in escapes it:
- the `user_login_failed` signal counts every failed `authenticate()`, whichever form or view
  called it;
- `ThrottledModelBackend` refuses to check any password for an account or an address that is
  over its limit, so the right password does not work either until the time is up;
- `ThrottledLoginFormMixin` tells the person, in words, why and for how long.

The limits differ on purpose. An account allows few failures from anywhere (guessing one
person's password is the attack). An address allows many more, because a library or a GP
surgery is one address shared by many honest people, while still stopping one machine from
trying password after password across accounts. Both unlock by themselves after the window.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from .forms import NamedErrorsMixin, PlainTextFormMixin
from .http import client_address
from .ratelimit import Limit


def _limits() -> tuple[Limit, Limit]:
    window = settings.SIGNIN_LOCKOUT_SECONDS
    return (
        Limit("signin-account", settings.SIGNIN_FAILURES_PER_ACCOUNT, window),
        Limit("signin-address", settings.SIGNIN_FAILURES_PER_ADDRESS, window),
    )


def _account(username) -> str:
    # Counted by what was typed, whether or not such an account exists: the answer must not
    # tell an attacker which usernames are real.
    return " ".join(str(username or "").casefold().split())[:254]


def signin_blocked(request, username) -> bool:
    """True while this account or this address has used up its failed attempts."""
    per_account, per_address = _limits()
    return per_account.exceeded(_account(username)) or (
        request is not None and per_address.exceeded(client_address(request))
    )


def signin_failed(request, username) -> None:
    per_account, per_address = _limits()
    per_account.record(_account(username))
    if request is not None:
        per_address.record(client_address(request))


def signin_succeeded(username) -> None:
    # A person who finally remembers their password starts afresh; the address keeps its count.
    per_account, _ = _limits()
    per_account.reset(_account(username))


def lockout_minutes() -> int:
    return max(1, round(settings.SIGNIN_LOCKOUT_SECONDS / 60))


def lockout_message() -> str:
    return (
        "Too many attempts to sign in. For your security, signing in is paused for "
        f"{lockout_minutes()} minutes. Wait and try again, or reset your password."
    )


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, which will not check a password while its account or its
    address is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if signin_blocked(request, username):
            # Stops every backend after this one too; authenticate() reports a failure.
            raise PermissionDenied(lockout_message())
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottledLoginFormMixin:
    """For AuthenticationForm subclasses: say plainly when signing in is paused."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and signin_blocked(self.request, username):
            raise forms.ValidationError(lockout_message(), code="throttled")
        return super().clean()


@receiver(user_login_failed, dispatch_uid="common.signin.failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    signin_failed(request, credentials.get(get_user_model().USERNAME_FIELD, ""))


@receiver(user_logged_in, dispatch_uid="common.signin.succeeded")
def _reset_account(sender, request, user, **kwargs):
    signin_succeeded(user.get_username())


def password_reset_limits(request, email) -> list[tuple[Limit, str]]:
    """Requests to reset a password: a few per e-mail address (so nobody's inbox is flooded)
    and more per address (a shared screen serves many people)."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    return [
        (
            Limit("password-reset-email", settings.PASSWORD_RESETS_PER_EMAIL, window),
            _account(email),
        ),
        (
            Limit("password-reset-address", settings.PASSWORD_RESETS_PER_ADDRESS, window),
            client_address(request),
        ),
    ]


class SignInForm(ThrottledLoginFormMixin, NamedErrorsMixin, PlainTextFormMixin, AuthenticationForm):
    """Django's sign-in form, paused after too many failures."""
