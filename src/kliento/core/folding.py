# ruff: noqa: RUF002, RUF003 (the docstrings and comments quote letters of several alphabets)
"""Folding text for search: the form in which "Łukasz", "LUKASZ" and "lukasz" are one word.

`fold` is applied to what is stored (a denormalised column beside the original, e.g.
`Client.search_name`) and to what a user types, so that a plain substring test on the folded
forms ignores case and accents, on every database and with ordinary indexes.

- Case: Unicode case folding (`str.casefold`), so "ß" is "ss" and Cyrillic and Greek fold too.
- Accents: combining marks are removed from Latin (and Greek) letters: "é" is "e", "ż" is "z".
  Letters that carry their stroke in the letter itself are mapped by hand: "ł" is "l",
  "ø" "o", "đ" "d", "æ" "ae", "œ" "oe" …
- Cyrillic letters keep their marks ("й" and "ї" are letters of their own), except "ё", which
  Russian text routinely writes as "е". Alphabets are not transliterated: "olena" does not find
  "Олена".
- Apostrophes are dropped ("O'Brien" is "obrien", "Мар’яна" is "маряна": people type them in
  different shapes or not at all); hyphens separate words like spaces do ("Kowalska-Nowak" is
  "kowalska nowak"); runs of whitespace become one space. Other punctuation is kept, so that
  "100%" or "snake_case" still find what they say.

The result is stable: fold(fold(x)) == fold(x). Stored values were folded by this function as
it was when they were written: a change here needs a data migration that folds them again
(clients/migrations/0007_client_search_name.py shows how).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import models

# Letters with a stroke or ligatures, which Unicode does not decompose into letter + mark.
# Keys are already case-folded.
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ı": "i",
        "ƚ": "l",
        "ŀ": "l",
        "ɨ": "i",
        "ʉ": "u",
        "ƀ": "b",
        "ƶ": "z",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ĸ": "k",
    }
)
_APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u02b9"
_DROP = str.maketrans("", "", _APOSTROPHES)
_HYPHENS = str.maketrans(dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2212", " "))
_SPACES = re.compile(r"\s+")
_MAX_ROUNDS = 4


def _is_cyrillic(char: str) -> bool:
    return (
        "\u0400" <= char <= "\u052f" or "\u1c80" <= char <= "\u1c8f" or "\ua640" <= char <= "\ua69f"
    )


def _strip_marks(text: str) -> str:
    out: list[str] = []
    base = ""  # the letter the following marks belong to
    kept = False  # whether a mark was kept on it
    for char in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(char):
            out.append(char)
            base, kept = char, False
            continue
        # A Cyrillic letter keeps the one mark that makes it a letter of its own ("й", "ї",
        # "ў"), but "ё" is written "е", and stress marks go.
        if _is_cyrillic(base) and not kept:
            letter = unicodedata.normalize("NFC", base + char)
            if len(letter) == 1 and letter not in "ёЁ":
                out.append(char)
                kept = True
    return unicodedata.normalize("NFC", "".join(out))


def fold(text: str) -> str:
    """The search form of `text` (see the module's docstring)."""
    # NFKC first: compatibility forms (ligatures "ﬁ", full-width letters) become plain letters.
    # Case folding, mark stripping and the hand-mapped letters are repeated until nothing
    # changes: one step can expose work for another (a folded letter that decomposes).
    folded = unicodedata.normalize("NFKC", text)
    for _round in range(_MAX_ROUNDS):
        step = unicodedata.normalize("NFKC", _strip_marks(folded.casefold()).translate(_LETTERS))
        if step == folded:
            break
        folded = step
    folded = folded.translate(_DROP).translate(_HYPHENS)
    return _SPACES.sub(" ", folded).strip()


def fold_words(text: str) -> list[str]:
    """The distinct folded words of a query, in the order typed."""
    return [word for word in dict.fromkeys(fold(text).split(" ")) if word]


class FoldedTextField(models.TextField):
    """A column holding `fold()` of another field of the same row, for search.

    The value is computed whenever Django writes the row with this column: `save()` and
    `bulk_create()` (through `pre_save`). Writers that bypass these — `bulk_update()`,
    `QuerySet.update()`, raw COPY — must set it themselves from `fold()`, and a model's
    `save(update_fields=[source])` must name this column too.
    """

    _IMPLIED: dict[str, Any] = {"editable": False, "blank": True, "default": ""}

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        super().__init__(*args, **{**self._IMPLIED, **kwargs})

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        # The defaults set in __init__ need not be spelled out in migrations.
        for key, implied in self._IMPLIED.items():
            if key in kwargs and kwargs[key] == implied:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = fold(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
