"""Site-wide views that wrap Wagtail's own."""

from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.urls import reverse
from wagtail.admin.views.account import PasswordResetView

from common.ratelimit import limits_exceeded, limits_record
from common.signin import password_reset_limits
from coproduction import access as coproduction_access
from matching.selectors import is_facilitator
from matching.views import people as matching_views


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's "forgotten password" form, limited per e-mail address and per address."""

    def form_valid(self, form):
        checks = password_reset_limits(self.request, form.cleaned_data["email"])
        if limits_exceeded(checks) is not None:
            form.add_error(
                "email",
                "Too many requests to reset a password. Wait an hour and try again, or ask "
                "the person who runs this site for help.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        limits_record(checks)
        return super().form_valid(form)


class SignOutView(LogoutView):
    """Signs out (POST only, with the CSRF token) and says so on the home page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


class SignInView(matching_views.SignInView):
    """The public sign-in, sending each person to their own part of the site.

    Composed here, above the apps: matching's sign-in knows facilitators, the admin and
    commissioners' figures, and must not know coproduction, which sits above it."""

    def get_default_redirect_url(self):
        user = self.request.user
        if not is_facilitator(user) and coproduction_access.teams_for_user(user).exists():
            return reverse("coproduction:home")
        return super().get_default_redirect_url()
