"""Sentiment of a mention, simple enough to explain in one line (docs/decisions: the lexicon).

A rating decides when there is one (1-2 of 5 negative, 3 neutral, 4-5 positive). Otherwise
words decide: each word of the text is compared with short lists of positive and negative
word stems of the mention's language (a stem matches a word that starts with it, so "ужасн"
finds "ужасный", "ужасно"); a negation just before a word ("not good", "не рекомендую")
turns it around. More negative than positive words → negative, the other way → positive,
a tie → neutral. The words that decided are stored with the mention and shown beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

WORD = re.compile(r"\w+", re.UNICODE)

POSITIVE: dict[str, tuple[str, ...]] = {
    "en": ("good", "great", "excellent", "love", "thank", "helpful", "fast", "friendly",
           "recommend", "perfect", "happy", "amazing", "best", "nice", "quick", "polite"),
    "ru": ("хорош", "отличн", "спасибо", "благодар", "рекоменд", "быстр", "вежлив", "доволен",
           "довольн", "люблю", "лучш", "прекрасн", "супер", "помогл"),
    "uk": ("добр", "чудов", "дякую", "вдячн", "рекоменд", "швидк", "ввічлив", "задоволен",
           "люблю", "найкращ", "прекрасн", "супер", "допомогл"),
    "pl": ("dobr", "świetn", "dziękuj", "polecam", "szybk", "uprzejm", "zadowolon", "kocham",
           "najlepsz", "super", "pomocn", "doskonał"),
}  # fmt: skip
NEGATIVE: dict[str, tuple[str, ...]] = {
    "en": ("bad", "terrible", "awful", "worst", "slow", "rude", "broken", "refund", "scam",
           "disappoint", "angry", "hate", "useless", "complain", "outage",
           "poor", "wrong", "fail"),
    "ru": ("плох", "ужасн", "худш", "медлен", "груб", "слома", "верните", "обман", "разочаров",
           "никогда", "злой", "ненавиж", "бесполезн", "жалоб", "не работает", "кошмар", "отвратит"),
    "uk": ("поган", "жахлив", "найгірш", "повільн", "груб", "злам", "поверніть", "обман",
           "розчаров", "ніколи", "ненавиджу", "марн", "скарг", "не працює", "кошмар"),
    "pl": ("złe", "zły", "źle", "fataln", "okropn", "najgorsz", "woln", "niegrzeczn", "zepsut",
           "zwrot", "oszust", "rozczarow", "nigdy", "beznadziejn", "skarg", "nie działa",
           "tragedi"),
}  # fmt: skip
NEGATIONS: dict[str, tuple[str, ...]] = {
    "en": ("not", "no", "don't", "isn't", "wasn't", "never"),
    "ru": ("не", "нет", "ни"),
    "uk": ("не", "ні", "нема"),
    "pl": ("nie", "bez"),
}
NEGATIVE_UP_TO = 2  # a rating of 1 or 2 (of 5)
POSITIVE_FROM = 4


@dataclass
class Verdict:
    sentiment: str  # a Sentiment value
    rule: str  # "rating", "words" or "none"
    rating: int | None = None
    positive: list[str] = field(default_factory=list)
    negative: list[str] = field(default_factory=list)

    def reason(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "rating": self.rating,
            "positive": self.positive,
            "negative": self.negative,
        }


# The one-word stems of each list, gathered once: str.startswith takes a tuple, so a word is
# checked against a whole list in one call instead of a generator per word.
_WORD_STEMS: dict[tuple[str, ...], tuple[str, ...]] = {
    stems: tuple(stem for stem in stems if " " not in stem)
    for lexicon in (POSITIVE, NEGATIVE)
    for stems in lexicon.values()
}


def _stem_in(word: str, stems: tuple[str, ...]) -> bool:
    single = _WORD_STEMS.get(stems)
    if single is None:
        single = tuple(stem for stem in stems if " " not in stem)
    return bool(single) and word.startswith(single)


def _phrases(text: str, stems: tuple[str, ...]) -> list[str]:
    return [stem for stem in stems if " " in stem and stem in text]


def judge(text: str, language: str, rating: int | None = None) -> Verdict:
    lang = language if language in POSITIVE else "en"
    lowered = text.lower()
    words = WORD.findall(lowered.replace("'", "\u02bc")) if lang == "en" else WORD.findall(lowered)
    if lang == "en":
        words = [w.replace("\u02bc", "'") for w in words]
    negations = NEGATIONS[lang]
    positive: list[str] = []
    negative: list[str] = _phrases(lowered, NEGATIVE[lang])
    for index, word in enumerate(words):
        negated = index > 0 and words[index - 1] in negations
        if word in negations:
            continue
        if _stem_in(word, POSITIVE[lang]):
            (negative if negated else positive).append(f"not {word}" if negated else word)
        elif _stem_in(word, NEGATIVE[lang]):
            (positive if negated else negative).append(f"not {word}" if negated else word)
    if rating is not None:
        if rating <= NEGATIVE_UP_TO:
            sentiment = "negative"
        elif rating >= POSITIVE_FROM:
            sentiment = "positive"
        else:
            sentiment = "neutral"
        return Verdict(sentiment, "rating", rating, positive, negative)
    if not positive and not negative:
        return Verdict("neutral", "none")
    if len(negative) > len(positive):
        sentiment = "negative"
    elif len(positive) > len(negative):
        sentiment = "positive"
    else:
        sentiment = "neutral"
    return Verdict(sentiment, "words", None, positive, negative)


UKRAINIAN = set("іїєґ")
POLISH = set("ąćęłńóśźż")
RUSSIAN_ONLY = set("ыэъё")


def guess_language(text: str) -> str:
    """en, ru, uk or pl from the letters used: Ukrainian and Polish have letters of their
    own; other Cyrillic reads as Russian, other Latin as English."""
    letters = set(text.lower())
    if letters & UKRAINIAN and not letters & RUSSIAN_ONLY:
        return "uk"
    if any("\u0400" <= ch <= "\u04ff" for ch in letters):
        return "ru"
    if letters & POLISH:
        return "pl"
    return "en"
