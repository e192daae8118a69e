"""kliento.core.money: reading amounts as people write them, and what a valid amount is."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kliento.core import money

COMMA_DECIMAL = ["pl", "uk", "ru"]
LANGUAGES = [*COMMA_DECIMAL, "en"]


def code_of(text, language) -> str:
    with pytest.raises(ValidationError) as exc:
        money.parse_amount(text, language=language)
    return exc.value.code


@pytest.mark.parametrize("language", [*LANGUAGES, None])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("250,50", "250.50"),
        ("250.50", "250.50"),
        ("250,5", "250.50"),
        ("0,99", "0.99"),
        (",5", "0.50"),
        ("1234", "1234.00"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234.567", "1234567.00"),
        ("1,234,567.5", "1234567.50"),
        ("+12", "12.00"),
        ("  42  ", "42.00"),
    ],
)
def test_unambiguous_amounts_read_the_same_in_every_language(text, language, expected):
    assert money.parse_amount(text, language=language) == Decimal(expected)


@pytest.mark.parametrize("language", COMMA_DECIMAL)
@pytest.mark.parametrize("text", ["1,234", "1.234", "12,500", "999.000"])
def test_a_lone_separator_before_three_digits_is_ambiguous_in_a_comma_decimal_language(
    text, language
):
    assert code_of(text, language) == "ambiguous_amount"


def test_in_english_a_comma_before_three_digits_groups_thousands():
    assert money.parse_amount("1,234", language="en") == Decimal("1234.00")
    assert code_of("1.234", "en") == "ambiguous_amount"


@pytest.mark.parametrize("text", ["1,234", "1.234", "1.500", "1,500"])
def test_without_a_language_both_readings_are_refused(text):
    assert code_of(text, None) == "ambiguous_amount"


def test_the_ambiguity_message_names_the_whole_amount():
    with pytest.raises(ValidationError) as exc:
        money.parse_amount("1,234", language="pl")
    assert exc.value.messages == [
        "“1,234” is ambiguous: “,” can separate thousands or decimals. Write the amount "
        "without a thousands separator, such as 1234, or with at most two decimals."
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "invalid_amount"),
        ("", "invalid_amount"),
        ("1e400", "invalid_amount"),
        ("NaN", "invalid_amount"),
        ("12,345,67.8.9", "invalid_amount"),
        ("12,34.56", "invalid_amount"),
        ("1,2,3", "invalid_amount"),
        ("--5", "invalid_amount"),
        ("-5", "negative_amount"),
        ("−5", "negative_amount"),
        ("0,125", "too_many_decimals"),
        ("1234.567", "too_many_decimals"),
        ("1000000000000", "amount_too_large"),
        ("9" * 30 + ".001", "amount_too_large"),
        ("123456789012345678901234567.125", "amount_too_large"),
    ],
)
@pytest.mark.parametrize("language", ["pl", "en", None])
def test_bad_amounts_are_refused_with_a_reason(text, code, language):
    assert code_of(text, language) == code


def test_the_invalid_amount_message_shows_the_languages_own_notation():
    def message(language) -> str:
        with pytest.raises(ValidationError) as exc:
            money.parse_amount("ten", language=language)
        return exc.value.messages[0]

    assert message("en") == "“ten” is not an amount; write it like 1234.50 or 1,234.50."
    assert message("pl") == "“ten” is not an amount; write it like 1234,50 or 1 234,50."
    # Without a language (a file), the wording the import has always used.
    assert message(None) == "“ten” is not an amount; write it like 1234.50 or 1 234,50."


@pytest.mark.parametrize(
    ("value", "expected"), [(12.5, "12.50"), (7, "7.00"), (Decimal("3.1"), "3.10")]
)
def test_numbers_from_spreadsheet_cells_are_taken_as_they_are(value, expected):
    assert money.parse_amount(value, language=None) == Decimal(expected)


@pytest.mark.parametrize("value", [True, Decimal("NaN"), Decimal("Infinity"), "12"])
def test_clean_amount_takes_only_finite_numbers(value):
    with pytest.raises(ValidationError):
        money.clean_amount(value)


def test_clean_amount_quantises_to_cents():
    assert str(money.clean_amount(Decimal("12.5"))) == "12.50"
    assert str(money.clean_amount(Decimal("12.500"))) == "12.50"
    assert str(money.clean_amount(0)) == "0.00"
    assert money.clean_amount(money.MAX_AMOUNT) == money.MAX_AMOUNT


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_formatted_amount_reads_back_the_same(language):
    amount = Decimal("1234.50")
    assert (
        money.parse_amount(money.format_amount(amount, language=language), language=language)
        == amount
    )


def test_messages_are_translated():
    with translation.override("pl"), pytest.raises(ValidationError) as exc:
        money.clean_amount(Decimal("-1"))
    assert exc.value.messages == ["Kwota nie może być ujemna."]


@pytest.mark.parametrize(("code", "expected"), [("eur", "EUR"), (" pln ", "PLN"), ("UAH", "UAH")])
def test_currency_codes_are_normalised(code, expected):
    assert money.validate_currency(code) == expected


@pytest.mark.parametrize("code", ["", None, "ZZZ", "EURO", "zł", "EU"])
def test_unknown_currencies_are_refused(code):
    with pytest.raises(ValidationError) as exc:
        money.validate_currency(code)
    assert exc.value.code == "invalid_currency"
    assert exc.value.messages == ["Use a three-letter ISO 4217 currency code, such as EUR."]


def test_the_settings_import_no_app(tmp_path):
    """Settings check the default currency against the plumbing's ISO 4217 list (which the
    money module shares): loading the settings must import no app, not even the base layer."""
    code = (
        "import sys, kliento.settings; "
        "print(sorted(m for m in sys.modules if m.startswith('kliento.')))"
    )
    env = {**os.environ, "KLIENTO_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    loaded = set(ast.literal_eval(result.stdout))
    plumbing = {"kliento.conf_checks", "kliento.private_files", "kliento.startup"}
    assert loaded <= {"kliento", "kliento.settings", *plumbing}, loaded
