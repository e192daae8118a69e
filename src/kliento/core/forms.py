from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A native date picker. Browsers take and send only ISO dates (yyyy-mm-dd) in it, so the
    value must not be written in the locale's format (15.01.2026 would show an empty field)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def style_widgets(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput
        ):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
