"""Which situation a mention belongs to: the first rule (in order) whose conditions all hold."""

from __future__ import annotations

from collections.abc import Iterable

from kliento.mentions.models import MatchRule, Situation


def active_rules() -> list[MatchRule]:
    return list(
        MatchRule.objects.filter(situation__active=True)
        .select_related("situation", "situation__owner")
        .order_by("position", "id")
    )


def holds(rule: MatchRule, *, source: str, sentiment: str, rating: int | None, text: str) -> bool:
    if rule.source and rule.source.strip().lower() != source.strip().lower():
        return False
    if rule.sentiment and rule.sentiment != sentiment:
        return False
    if rule.rating_at_most is not None and (rating is None or rating > rule.rating_at_most):
        return False
    keywords = rule.keyword_list()
    return not keywords or any(word in text.lower() for word in keywords)


def match(
    *,
    source: str,
    sentiment: str,
    rating: int | None,
    text: str,
    rules: Iterable[MatchRule] | None = None,
) -> Situation | None:
    for rule in active_rules() if rules is None else rules:
        if holds(rule, source=source, sentiment=sentiment, rating=rating, text=text):
            return rule.situation
    return None
