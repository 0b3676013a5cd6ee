from django import forms

from common.forms import HoneypotMixin


class ShortlistEmailForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="We send the list once and do not keep the address.",
        error_messages={"required": "Enter the e-mail address to send the list to."},
    )
