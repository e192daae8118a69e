"""The fields of the clients and purchases import targets, with the header spellings each one
recognises; the exports write the same keys as column names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kliento.imports.registry import FieldSpec

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
    FieldSpec(
        "client_since",
        _("Client since"),
        synonyms=(
            "customer since",
            "since",
            "клиент с",
            "дата начала",
            "клієнт з",
            "дата початку",
            "klient od",
            "data rozpoczęcia",
        ),
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
    # Last, so files and exports written before it existed keep their column order.
    FieldSpec(
        "cost",
        _("Cost"),
        synonyms=("purchase cost", "себестоимость", "собівартість", "koszt"),
    ),
)
