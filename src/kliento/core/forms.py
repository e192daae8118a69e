from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import translation

from kliento.core import money


class DateInput(forms.DateInput):
    """A native date picker. Browsers take and send only ISO dates (yyyy-mm-dd) in it, so the
    value must not be written in the locale's format (15.01.2026 would show an empty field)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def style_widgets(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class, so templates can render fields plainly, and say
    which fields are required to assistive technology (the label shows an asterisk)."""
    for field in form.fields.values():
        widget = field.widget
        if field.required and not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("aria-required", "true")
        if isinstance(
            widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput
        ):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def mark_invalid(form: forms.BaseForm, field: str | None) -> None:
    """Style a field that has an error (a red border) and point it at its message."""
    if field is None or field not in form.fields:
        return
    attrs = form.fields[field].widget.attrs
    classes = attrs.get("class", "")
    if "is-invalid" not in classes.split():
        attrs["class"] = f"{classes} is-invalid".strip()
    attrs["aria-invalid"] = "true"
    described = [f"{form[field].auto_id}_error"]
    if form.fields[field].help_text:
        described.append(f"{form[field].auto_id}_helptext")
    attrs["aria-describedby"] = " ".join(described)


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in error.error_dict if hasattr(error, "error_dict") else [field]:
            mark_invalid(self, name)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in error.error_dict if hasattr(error, "error_dict") else [field]:
            mark_invalid(self, name)


class AmountField(forms.CharField):
    """An amount typed as people write it in their language ("250,50" in Polish).

    A text input, not a number input: browsers' number inputs drop or reject a decimal comma
    depending on the browser's own locale. `inputmode` still brings up the numeric keyboard.
    Reading and checking are `kliento.core.money`'s, as for the API and the services.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return money.format_amount(value, language=translation.get_language())
        return value

    # A CharField that cleans to a Decimal: the override's type differs on purpose.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        return money.parse_amount(text, language=translation.get_language())


class CurrencyField(forms.CharField):
    """An ISO 4217 code; lower case is accepted and stored upper-case. An empty or unknown code
    gets `kliento.core.money`'s message, as in the API and the services."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"maxlength": "3", "autocapitalize": "characters"})

    def to_python(self, value: Any) -> str:
        return money.validate_currency(super().to_python(value))
