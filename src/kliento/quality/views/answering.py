"""The evaluation form, shared by auditors, internal shoppers and external shoppers: read
the posted answers and files, save them (and complete on request), or show the errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from kliento.core.types import Actor
from kliento.quality import scoring
from kliento.quality.models import Evaluation, Outcome
from kliento.quality.services import Answer
from kliento.quality.services.forms_submit import submit


def rows(
    evaluation: Evaluation,
    posted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Each item with its saved (or just posted) answer, its evidence and its errors."""
    saved = {r.item_id: r for r in evaluation.results.prefetch_related("evidence")}
    found = []
    for item in evaluation.version.items.select_related("standard"):
        result = saved.get(item.pk)
        key = f"item-{item.pk}"
        if posted is not None:
            outcome = posted.get(f"{key}-outcome", "")
            note = posted.get(f"{key}-note", "")
            did_not_work = bool(posted.get(f"{key}-dnw"))
        else:
            outcome = result.outcome if result else ""
            note = result.note if result else ""
            did_not_work = result.standard_did_not_work if result else False
        found.append(
            {
                "item": item,
                "key": key,
                "outcome": outcome,
                "note": note,
                "did_not_work": did_not_work,
                "result": result,
                "evidence": list(result.evidence.all()) if result else [],
                "errors": [
                    m for f, ms in (errors or {}).items() if f.startswith(f"{key}-") for m in ms
                ],
            }
        )
    return found


def handle_post(
    request: HttpRequest,
    *,
    actor: Actor,
    evaluation: Evaluation,
    finish: Callable[[], Evaluation] | None = None,
) -> tuple[Evaluation | None, dict[str, list[str]]]:
    """Save a posted form; (the evaluation, {}) on success, (None, errors) otherwise."""
    answers, files = [], {}
    for item in evaluation.version.items.all():
        key = f"item-{item.pk}"
        outcome = request.POST.get(f"{key}-outcome", "")
        if outcome in Outcome.values:
            answers.append(
                Answer(
                    item.pk,
                    outcome,
                    request.POST.get(f"{key}-note", "")[:5_000],
                    bool(request.POST.get(f"{key}-dnw")),
                )
            )
        uploads = request.FILES.getlist(f"{key}-file")
        if uploads:
            files[item.pk] = uploads
    try:
        done = submit(
            actor=actor,
            evaluation=evaluation,
            answers=answers,
            files=files,
            complete=bool(request.POST.get("complete")),
            summary=request.POST.get("summary", "")[:10_000],
            finish=finish,
        )
    except ValidationError as exc:
        return None, exc.message_dict
    return done, {}


def result_context(evaluation: Evaluation) -> dict[str, Any]:
    lines = [
        scoring.Line(r.item.weight, r.item.critical, r.outcome)
        for r in evaluation.results.select_related("item")
    ]
    return {"rule": scoring.rule_text(), "explain": scoring.explain(scoring.score(lines))}


def blank_rows(items: list[Any]) -> list[dict[str, Any]]:
    """The form's rows before anything was saved."""
    return [
        {
            "item": item,
            "key": f"item-{item.pk}",
            "outcome": "",
            "note": "",
            "did_not_work": False,
            "result": None,
            "evidence": [],
            "errors": [],
        }
        for item in items
    ]
