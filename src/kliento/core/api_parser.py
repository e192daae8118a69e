"""The API's request parser: text every database can store, for every app's endpoints.

PostgreSQL refuses NUL characters in text, and JSON can smuggle in lone surrogates ("\\ud800")
that no encoding holds. Checked once here, for every string in a JSON body (keys too) and every
query parameter, so no app's endpoint can turn such input into a 500; the answer is the API's
usual 422 at the exact place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

Location = tuple[str | int, ...]


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored, or None when it can."""
    if "\x00" in text:
        return _("Text cannot contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("Text is not valid Unicode.")
    return None


def _problems(value: Any, loc: Location) -> Iterator[tuple[Location, str]]:
    if isinstance(value, str):
        if reason := unstorable(value):
            yield loc, reason
    elif isinstance(value, dict):
        for key, item in value.items():
            if reason := unstorable(str(key)):
                yield (*loc, "<key>"), reason
            else:
                yield from _problems(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _problems(item, (*loc, index))


def _refuse(problems: list[tuple[Location, str]]) -> None:
    if problems:
        raise ValidationError(
            [{"loc": list(loc), "msg": msg, "type": "unstorable_text"} for loc, msg in problems]
        )


class StorableTextParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        _refuse(list(_problems(data, ("body",))))
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        result = super().parse_querydict(data, list_fields, request)
        where = "query" if data is request.GET else "form"
        _refuse(list(_problems(result, (where,))))
        return result
