"""The fields of an import target and the matching of file headers to them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext


@dataclass(frozen=True)
class FieldSpec:
    """One field a target fills from a column: `key` is also the column name its exports use."""

    key: str
    label: str | Promise
    required: bool = False
    # Header spellings recognised besides the key itself (en / ru / uk / pl).
    synonyms: tuple[str, ...] = ()


Specs = Sequence[FieldSpec]


def normalize_header(text: str) -> str:
    """Case, spacing, underscores and trailing punctuation do not matter in a header."""
    text = re.sub(r"[\s_\-]+", " ", str(text).strip().lower())
    return text.strip(" .:#№*")


def labels_in_every_language(spec: FieldSpec) -> list[str]:
    """The field's label as each of Kliento's languages writes it: the headers of an XLSX
    export, which must import back whoever exported it."""
    spellings = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            spellings.append(str(spec.label))
    return spellings


def _index(specs: Specs) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in specs:
        for spelling in (spec.key, *spec.synonyms):
            index.setdefault(normalize_header(spelling), spec.key)
    for spec in specs:  # after keys and synonyms, which win a clash
        for spelling in labels_in_every_language(spec):
            index.setdefault(normalize_header(spelling), spec.key)
    return index


def auto_mapping(headers: list[str], specs: Specs) -> dict[str, str]:
    """Map each header to a field; a field is taken by the first header that names it."""
    index = _index(specs)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = index.get(normalize_header(header), "")
        if key in taken:
            key = ""
        if key:
            taken.add(key)
        mapping[header] = key
    return mapping


def mapping_problems(mapping: dict[str, str], specs: Specs) -> list[str]:
    """Why a mapping cannot be used: unknown fields, a field twice, a required field missing."""
    by_key = {spec.key: spec for spec in specs}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for column, key in mapping.items():
        if not key:
            continue
        if key not in by_key:
            problems.append(gettext("“%(field)s” is not a field you can import.") % {"field": key})
        elif key in seen:
            problems.append(
                gettext("Columns “%(a)s” and “%(b)s” are both mapped to %(field)s.")
                % {"a": seen[key], "b": column, "field": by_key[key].label}
            )
        else:
            seen[key] = column
    for spec in by_key.values():
        if spec.required and spec.key not in seen:
            problems.append(
                gettext("The required field %(field)s is not mapped to any column.")
                % {"field": spec.label}
            )
    return problems


class Columns:
    """Where each mapped field sits in a row, and the header the user knows it by."""

    def __init__(self, headers: list[str], mapping: dict[str, str]) -> None:
        self.index: dict[str, int] = {}
        self.header: dict[str, str] = {}
        for position, header in enumerate(headers):
            key = mapping.get(header, "")
            if header and key:
                self.index[key] = position
                self.header[key] = header

    def has(self, key: str) -> bool:
        return key in self.index

    def get(self, values: Sequence[Any], key: str) -> Any:
        position = self.index.get(key)
        if position is None or position >= len(values):
            return None
        return values[position]
