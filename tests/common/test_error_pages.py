"""The error pages keep to the site's Content-Security-Policy: no inline style or script."""

import re

from django.template.loader import render_to_string


def test_the_server_error_page_has_no_inline_style_or_script():
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=", html)
    assert "/static/css/site.css" in html
