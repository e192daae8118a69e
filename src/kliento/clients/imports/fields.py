"""Target fields of an import and the matching of file headers to them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CLIENTS = "clients"
PURCHASES = "purchases"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str | Promise
    required: bool = False
    # Header spellings recognised besides the key itself (en / ru / uk / pl).
    synonyms: tuple[str, ...] = ()


CLIENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        _("Name"),
        True,
        (
            "full name",
            "client name",
            "имя",
            "фио",
            "наименование",
            "ім'я",
            "піб",
            "назва",
            "nazwa",
            "imię i nazwisko",
            "imie i nazwisko",
        ),
    ),
    FieldSpec("kind", _("Kind (person or company)"), synonyms=("type", "тип", "вид", "typ")),
    FieldSpec(
        "external_ref",
        _("External reference"),
        synonyms=(
            "external id",
            "ref",
            "client id",
            "код",
            "код клиента",
            "код клієнта",
            "kod",
            "identyfikator",
        ),
    ),
    FieldSpec("phone", _("Phone"), synonyms=("telephone", "mobile", "tel", "телефон", "telefon")),
    FieldSpec(
        "email",
        _("Email"),
        synonyms=(
            "e-mail",
            "mail",
            "почта",
            "эл почта",
            "пошта",
            "електронна пошта",
            "adres e-mail",
        ),
    ),
    FieldSpec(
        "company",
        _("Company (reference or name)"),
        synonyms=("organisation", "organization", "компания", "компанія", "організація", "firma"),
    ),
    FieldSpec(
        "job_title",
        _("Job title"),
        synonyms=("position", "title", "должность", "посада", "stanowisko"),
    ),
    FieldSpec("language", _("Language"), synonyms=("lang", "язык", "мова", "język", "jezyk")),
    FieldSpec("segment", _("Segment"), synonyms=("сегмент",)),
    FieldSpec("tags", _("Tags (comma-separated)"), synonyms=("labels", "теги", "мітки", "tagi")),
    FieldSpec(
        "account_manager",
        _("Account manager (username or email)"),
        synonyms=("manager", "менеджер", "opiekun", "opiekun klienta"),
    ),
    FieldSpec("status", _("Status (active or left)"), synonyms=("статус",)),
    FieldSpec(
        "left_on",
        _("Left on"),
        synonyms=("date left", "дата ухода", "дата відходу", "data odejścia"),
    ),
    FieldSpec(
        "notes",
        _("Notes"),
        synonyms=(
            "comment",
            "comments",
            "примечания",
            "комментарий",
            "нотатки",
            "коментар",
            "notatki",
            "uwagi",
        ),
    ),
)

PURCHASE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "client",
        _("Client (reference, email or phone)"),
        True,
        (
            "customer",
            "client ref",
            "client id",
            "клиент",
            "покупатель",
            "клієнт",
            "покупець",
            "klient",
        ),
    ),
    FieldSpec(
        "occurred_on",
        _("Date"),
        True,
        ("date", "purchase date", "order date", "дата", "дата покупки", "data", "data zakupu"),
    ),
    FieldSpec("amount", _("Amount"), True, ("sum", "total", "сумма", "сума", "kwota")),
    FieldSpec("currency", _("Currency"), synonyms=("валюта", "waluta")),
    FieldSpec(
        "description",
        _("Description"),
        synonyms=("items", "описание", "опис", "opis"),
    ),
    FieldSpec("channel", _("Channel"), synonyms=("канал", "kanał", "kanal")),
    FieldSpec(
        "external_ref",
        _("Order number"),
        synonyms=(
            "order",
            "order number",
            "order no",
            "order id",
            "номер заказа",
            "номер замовлення",
            "numer zamówienia",
            "nr zamówienia",
        ),
    ),
)

TARGET_FIELDS = {CLIENTS: CLIENT_FIELDS, PURCHASES: PURCHASE_FIELDS}


def fields_for(target: str) -> tuple[FieldSpec, ...]:
    try:
        return TARGET_FIELDS[target]
    except KeyError:
        raise ValueError(f"Unknown import target {target!r}") from None


def normalize_header(text: str) -> str:
    """Case, spacing, underscores and trailing punctuation do not matter in a header."""
    text = re.sub(r"[\s_\-]+", " ", str(text).strip().lower())
    return text.strip(" .:#№*")


def _index(target: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in fields_for(target):
        for spelling in (spec.key, *spec.synonyms):
            index.setdefault(normalize_header(spelling), spec.key)
    return index


def auto_mapping(headers: list[str], target: str) -> dict[str, str]:
    """Map each header to a field; a field is taken by the first header that names it."""
    index = _index(target)
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


def mapping_problems(mapping: dict[str, str], target: str) -> list[str]:
    """Why a mapping cannot be used: unknown fields, a field twice, a required field missing."""
    from django.utils.translation import gettext

    specs = {spec.key: spec for spec in fields_for(target)}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for column, key in mapping.items():
        if not key:
            continue
        if key not in specs:
            problems.append(gettext("“%(field)s” is not a field you can import.") % {"field": key})
        elif key in seen:
            problems.append(
                gettext("Columns “%(a)s” and “%(b)s” are both mapped to %(field)s.")
                % {"a": seen[key], "b": column, "field": specs[key].label}
            )
        else:
            seen[key] = column
    for spec in specs.values():
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

    def get(self, values: list, key: str):
        position = self.index.get(key)
        if position is None or position >= len(values):
            return None
        return values[position]
