"""Pages of process definitions: the list, one process with its versions, creating and editing
(editing publishes a new version), and the managers' list of what is overdue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.processes import selectors, services
from kliento.processes.forms import (
    BaseStepFormSet,
    DefinitionForm,
    initial_steps,
    step_formset,
)
from kliento.processes.models import ProcessDefinition

VIEW = "processes.view_processdefinition"


@require(VIEW)
def definition_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "processes/definition_list.html", {"definitions": selectors.definitions()}
    )


def _definition(pk: int) -> ProcessDefinition:
    try:
        return selectors.definition(pk)
    except ProcessDefinition.DoesNotExist:
        raise Http404 from None


@require(VIEW)
def definition_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    definition = _definition(pk)
    context = {
        "definition": definition,
        "versions": selectors.versions_of(definition.pk),
        "running": selectors.running_of(definition.pk),
    }
    return render(request, "processes/definition_detail.html", context)


def _apply(exc: ValidationError, form: DefinitionForm, steps: BaseStepFormSet) -> None:
    """A service's errors beside their fields: `steps.<i>.<field>` on the i-th filled row."""
    filled = steps.filled()
    for key, messages_ in exc.message_dict.items():
        parts = key.split(".")
        if parts[0] == "steps" and len(parts) == 3 and int(parts[1]) < len(filled):
            row = filled[int(parts[1])]
            for message in messages_:
                row.add_error(parts[2] if parts[2] in row.fields else None, message)
        elif parts[0] == "steps":
            for message in messages_:
                steps.add_non_form_error(message)
        else:
            for message in messages_:
                form.add_error(key if key in form.fields else None, message)


def _edit(request: AuthenticatedHttpRequest, definition: ProcessDefinition | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    steps_initial: list[dict[str, Any]] = []
    if definition is not None and definition.current is not None:
        initial = {"name": definition.current.name, "description": definition.current.description}
        steps_initial = initial_steps(definition.current)
    data = request.POST if request.method == "POST" else None
    form = DefinitionForm(data, initial=initial)
    steps = step_formset(data, initial=steps_initial, prefix="steps")
    if data is not None and form.is_valid() and steps.is_valid():
        fields = {
            "actor": request.user,
            "name": form.cleaned_data["name"],
            "description": form.cleaned_data["description"],
            "steps": steps.specs(),
        }
        try:
            if definition is None:
                definition = services.create_definition(**fields)
                messages.success(request, _("Process created."))
            else:
                version = services.publish_version(definition=definition, **fields)
                messages.success(
                    request,
                    _("Version %(n)d published; runs already started keep their version.")
                    % {"n": version.number},
                )
        except ValidationError as exc:
            _apply(exc, form, steps)
        else:
            return HttpResponseRedirect(reverse("processes:detail", args=[definition.pk]))
    context = {"form": form, "steps": steps, "definition": definition}
    status = 400 if data is not None else 200
    return render(request, "processes/definition_form.html", context, status=status)


@require("processes.add_processdefinition")
def definition_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@require("processes.change_processdefinition")
def definition_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _definition(pk))


@require("processes.view_processrun", "processes.sign_off")
def overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "processes/overdue.html", {"overdue": selectors.overdue()})
