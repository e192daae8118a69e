"""Folding text for search (kliento.core.folding): properties and the letters people type."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kliento.core.folding import fold, fold_words

# Names as they come: Latin with Polish, German, Nordic, Czech letters; Cyrillic (Russian,
# Ukrainian, Belarusian); digits, apostrophes, hyphens and odd spacing.
LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüßÄÖÜẞåæøÅÆØčřšžČŘŠŽéèêÉ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "ґєіїўҐЄІЇЎ"
    "0123456789 -'’ʼ.%_\t"
)
names = st.text(alphabet=LETTERS, max_size=40)
any_text = st.text(max_size=40)


@given(any_text)
def test_folding_twice_changes_nothing(text):
    assert fold(fold(text)) == fold(text)


@given(any_text)
def test_folded_text_has_no_upper_case_and_single_spaces(text):
    folded = fold(text)
    assert folded == folded.casefold()
    assert folded == folded.strip()
    assert "  " not in folded and "\t" not in folded and "\n" not in folded


@given(names)
def test_latin_names_lose_every_accent(text):
    folded = fold(text)
    for char in folded:
        if "LATIN" in unicodedata.name(char, ""):
            assert char in "abcdefghijklmnopqrstuvwxyz", (text, folded, char)


@given(names)
def test_case_does_not_matter(text):
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


@given(names, names)
def test_each_word_of_a_name_is_found_in_the_folded_name(first, last):
    folded = fold(f"{first} {last}")
    for word in fold_words(f"{last} {first}"):
        assert word in folded


@given(names)
def test_query_words_are_distinct_non_empty_and_folded(text):
    words = fold_words(text)
    assert len(words) == len(set(words))
    assert all(word and " " not in word and fold(word) == word for word in words)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łukasz Żółkiewski", "lukasz zolkiewski"),
        ("ŁUKASZ", "lukasz"),
        ("Straße", "strasse"),
        ("Åse Ørsted Æbelø", "ase orsted aebelo"),
        ("Dvořák Šťastný", "dvorak stastny"),
        ("Ḱeçi Đorđe", "keci dorde"),
        ("Олена Шевченко", "олена шевченко"),
        ("ОЛЕНА", "олена"),
        ("Фёдор Ёлкин", "федор елкин"),  # Russian writes "yo" as "ye"
        ("Андрій Їжак", "андрій їжак"),  # Ukrainian "й", "ї" are letters of their own
        ("Ўладзімір", "ўладзімір"),
        ("Ири\u0301на", "ирина"),  # a stress mark is not part of the letter
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("Мар’яна", "маряна"),
        ("Kowalska-Nowak", "kowalska nowak"),
        ("  Anna \t Nowak ", "anna nowak"),
        ("ﬁne ＡＢＣ", "fine abc"),
        ("100% Dance", "100% dance"),
        ("snake_case", "snake_case"),
        ("", ""),
    ],
)
def test_examples(text, folded):
    assert fold(text) == folded


def test_alphabets_are_not_transliterated():
    assert fold("Олена") != fold("Olena")


def test_query_words_keep_the_typed_order_without_repeats():
    assert fold_words("Nowak  Michał nowak") == ["nowak", "michal"]
    assert fold_words("  - ' ") == []
