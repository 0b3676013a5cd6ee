"""Forms a directory page shows beside its content, made by the template rather than the model."""

from django import template

from ..forms import ProblemReportForm

register = template.Library()


@register.simple_tag
def problem_report_form() -> ProblemReportForm:
    """An empty "report a problem" form: `{% problem_report_form as report_form %}`."""
    return ProblemReportForm()
