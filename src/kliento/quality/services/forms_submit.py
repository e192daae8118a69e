"""One submission of the evaluation form: answers, their evidence files and, when asked,
completion — all in one transaction, so a refused file or a missing answer leaves nothing
half-written."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kliento.core.types import Actor
from kliento.quality.models import Evaluation
from kliento.quality.services.evaluations import (
    Answer,
    add_evidence,
    complete_evaluation,
    record_results,
)


@transaction.atomic
def submit(
    *,
    actor: Actor,
    evaluation: Evaluation,
    answers: Sequence[Answer],
    files: Mapping[int, Sequence[UploadedFile]],
    complete: bool,
    summary: str = "",
    finish: Callable[[], Evaluation] | None = None,
) -> Evaluation:
    results = {
        r.item_id: r for r in record_results(actor=actor, evaluation=evaluation, answers=answers)
    }
    errors: dict[str, list[str]] = {}
    for item_id, uploads in files.items():
        result = results.get(item_id)
        for upload in uploads:
            if result is None:
                errors[f"item-{item_id}-file"] = [_("Answer the item before attaching evidence.")]
                break
            try:
                with transaction.atomic():
                    add_evidence(actor=actor, result=result, upload=upload)
            except ValidationError as error:
                errors[f"item-{item_id}-file"] = error.messages
    if errors:
        raise ValidationError(errors)
    if complete:
        if finish is not None:
            return finish()
        return complete_evaluation(actor=actor, evaluation=evaluation, summary=summary)
    return evaluation
