"""The page a group answers a referral on, reached by the signed link in its e-mail.

No sign-in: the link is the key (referrals.links). The page shows what was shared with the
group, so it is never stored by a browser or proxy (private_page), and opening it changes
nothing; only its form does.
"""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from common.middleware import private_page

from . import services
from .forms import GroupAnswerForm
from .links import LinkError, referral_from_token
from .status import TransitionError


def _link_problem(request, error: LinkError):
    return render(
        request, "referrals/link_problem.html", {"message": error.message}, status=error.status
    )


@private_page
@require_http_methods(["GET", "POST"])
def group_answer(request, token: str):
    try:
        referral = referral_from_token(token)
    except LinkError as error:
        return _link_problem(request, error)
    form = GroupAnswerForm(referral, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_group_answer(
                token=token,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data["note"],
            )
        except LinkError as error:
            return _link_problem(request, error)
        except TransitionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(request, "referrals/group_answered.html", {"referral": referral})
    return render(request, "referrals/group_answer.html", {"referral": referral, "form": form})
