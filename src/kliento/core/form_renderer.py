"""The form renderer: Django's, with its most used widget templates written in Python.

Django renders every widget through templates, and a select through two template includes per
option: the client card's forms (a country list of ~240 phone regions among them) spent a
quarter of the card's server time there. The commonest widgets (inputs, text areas, selects)
are written here in exactly the markup of Django's templates; any other template, and any
widget with a template of its own, is rendered by Django as before.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils import formats

WIDGETS = "django/forms/widgets/"


def _escape(value: Any) -> str:
    # What {{ value }} writes: safe strings as they are, anything else escaped.
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _text(value: Any) -> str:
    # What {{ value }} writes for a value that may be a number or a date: localised first.
    return _escape(value if isinstance(value, str) else formats.localize(value))


def _attrs(attrs: dict[str, Any]) -> str:
    # As attrs.html writes them: False leaves the attribute out, True writes its bare name.
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(value)}"'
    return (
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != WIDGETS + "select_option.html":
                raise _Unknown
            parts.append(
                f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class _Unknown(Exception):
    """A part this module does not write (an option with a template of its own)."""


WRITERS: dict[str, Callable[[dict[str, Any]], str]] = {
    **{
        f"{WIDGETS}{name}.html": _input
        for name in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "checkbox",
            "search",
            "tel",
            "color",
        )
    },
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class QuickRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = WRITERS.get(template_name)
        if write is not None:
            try:
                # Django's renderer strips what its templates write; these write nothing extra.
                return write(context["widget"])
            except _Unknown:
                pass
        return str(super().render(template_name, context, request=request))
