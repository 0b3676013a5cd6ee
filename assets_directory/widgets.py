from django import forms


class CommaSeparatedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a CharField that stores its choices as "mon,thu"."""

    def format_value(self, value):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name) or []
        allowed = {str(choice) for choice, _ in self.choices}
        return ",".join(v for v in values if v in allowed)
