"""Forms of the agent workspace. They parse what the browser sends; the rules that matter live
in `rules` and the services, whose errors `apply` puts beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel
from kliento.core.forms import StyledForm
from kliento.desk import rules
from kliento.desk.models import Call, Case
from kliento.desk.selectors import QUEUES
from kliento.desk.selectors import workspace as ws
from kliento.desk.selectors.workspace import CaseFilters

ANY = [("", _("Any"))]
KEEP = [("", _("Leave as it is"))]
MAX_FILES = 10
# After a reply, the status the case moves to ("" leaves it to the reply: new → open).
AFTER_REPLY = [
    ("", _("Send")),
    (Case.Status.WAITING, _("Send and set waiting on client")),
    (Case.Status.RESOLVED, _("Send and resolve")),
]


def attachment_limit() -> int:
    return int(getattr(settings, "KLIENTO_DESK_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024))


class Form(StyledForm):
    def choose(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        """Fill a choice field's options when the form is made (they come from the database)."""
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def apply(self, exc: ValidationError) -> None:
        """A service's errors, each beside its field (else above the form)."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields else ALIASES.get(field)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


# Service field names → the form's.
ALIASES = {"stage_id": "stage", "touchpoint_id": "touchpoint", "procedure_id": "procedure"}


def _team_choices() -> list[tuple[Any, str]]:
    return [(t.pk, t.name) for t in ws.teams()]


def _agent_choices() -> list[tuple[Any, str]]:
    return [(u.pk, u.get_full_name() or u.get_username()) for u in ws.agents()]


def _model_choices(model: str, label: str = "name") -> list[tuple[Any, str]]:
    rows = apps.get_model(model).objects.all()
    return [(row.pk, str(getattr(row, label))) for row in rows[:500]]


class QueueFilterForm(Form):
    queue = forms.ChoiceField(
        label=_("Queue"), choices=[(q.key, q.label) for q in QUEUES], required=False
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=ANY + Case.Status.choices, required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=ANY + Case.Priority.choices, required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=ANY + Channel.choices, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=ANY + Case.Kind.choices, required=False)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    assignee = forms.TypedChoiceField(
        label=_("Assignee"), coerce=int, required=False, empty_value=None
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=rules.TAG_MAX)
    # Set by the client card's "open cases" link; not shown as a filter of its own.
    client = forms.IntegerField(
        label=_("Client"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose("team", ANY + _team_choices())
        self.choose("assignee", ANY + _agent_choices())

    def filters(self) -> CaseFilters:
        """The filters understood; a value not understood is left out, not an error page."""
        data = self.cleaned_data if self.is_valid() else {}
        return CaseFilters(
            queue=data.get("queue") or "mine",
            q=data.get("q") or "",
            status=data.get("status") or "",
            priority=data.get("priority") or "",
            channel=data.get("channel") or "",
            kind=data.get("kind") or "",
            team=data.get("team"),
            assignee=data.get("assignee"),
            tag=rules.clean_tag(data.get("tag") or ""),
            client=data.get("client"),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class MessageForm(Form):
    """A reply to the client or an internal note, with attachments."""

    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=rules.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    after = forms.ChoiceField(label=_("Then"), choices=AFTER_REPLY, required=False)
    # The newest message the page showed: a reply written by someone else since stops the send.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.prefix == "note":
            self.fields["body"].widget.attrs["rows"] = 3

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(max)d files.") % {"max": MAX_FILES})
        limit = attachment_limit()
        for item in files:
            if item.size is not None and item.size > limit:
                raise ValidationError(
                    _("“%(name)s” is larger than %(max)s MB.")
                    % {"name": item.name, "max": limit // (1024 * 1024)}
                )
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        empty = not (data.get("body") or "").strip() and not data.get("attachments")
        if empty and "body" not in self.errors:
            self.add_error("body", _("Write a message."))
        return data


class StatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)


class AssignForm(Form):
    assignee = forms.TypedChoiceField(
        label=_("Assignee"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose("assignee", [("", _("Nobody")), *_agent_choices()])


class EditForm(Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Case.Priority.choices)
    kind = forms.ChoiceField(label=_("Type"), choices=Case.Kind.choices)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=1000, help_text=_("Separate tags with commas.")
    )
    stage = forms.TypedChoiceField(
        label=_("Journey stage"), coerce=int, required=False, empty_value=None
    )
    touchpoint = forms.TypedChoiceField(
        label=_("Touchpoint"), coerce=int, required=False, empty_value=None
    )
    procedure = forms.TypedChoiceField(
        label=_("Policy procedure"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        none = [("", "—")]
        self.choose("team", none + _team_choices())
        self.choose("stage", none + _model_choices("journeys.Stage"))
        self.choose("touchpoint", none + _model_choices("touchpoints.Touchpoint"))
        self.choose("procedure", none + _model_choices("policy.Procedure", "title"))

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        return {
            "priority": case.priority,
            "kind": case.kind,
            "team": case.team_id,
            "tags": ", ".join(t.name for t in case.tags.all()),
            "stage": case.stage_id,
            "touchpoint": case.touchpoint_id,
            "procedure": case.procedure_id,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "priority": data["priority"],
            "kind": data["kind"],
            "team": data["team"],
            "stage_id": data["stage"],
            "touchpoint_id": data["touchpoint"],
            "procedure_id": data["procedure"],
        }


class MergeForm(Form):
    into = forms.CharField(
        label=_("Merge into case"),
        max_length=20,
        help_text=_("The number of the case that carries on, e.g. C-000123."),
    )


class CallForm(Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Call.Direction.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Call.Outcome.choices)
    number = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=24 * 60, initial=0
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewCallCaseForm(CallForm):
    client = forms.IntegerField(label=_("Client id"), min_value=1)
    subject = forms.CharField(label=_("Subject"), max_length=rules.SUBJECT_MAX, required=False)

    field_order = ["client", "subject", "direction", "outcome", "number", "duration_minutes"]


class NewCaseForm(Form):
    client = forms.IntegerField(label=_("Client id"), min_value=1)
    subject = forms.CharField(label=_("Subject"), max_length=rules.SUBJECT_MAX)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    kind = forms.ChoiceField(label=_("Type"), choices=Case.Kind.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Case.Priority.choices, initial=Case.Priority.NORMAL
    )
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    body = forms.CharField(
        label=_("First message (from the client)"),
        required=False,
        max_length=rules.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose("team", [("", "—"), *_team_choices()])


class MacroForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    status = forms.ChoiceField(
        label=_("Set status"), choices=KEEP + Case.Status.choices, required=False
    )
    priority = forms.ChoiceField(
        label=_("Set priority"), choices=KEEP + Case.Priority.choices, required=False
    )
    team = forms.TypedChoiceField(
        label=_("Move to team"), coerce=int, required=False, empty_value=None
    )
    tags = forms.CharField(
        label=_("Add tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )
    assign_to_me = forms.BooleanField(label=_("Assign to whoever applies it"), required=False)
    reply_text = forms.CharField(
        label=_("Reply to the client"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Placeholders such as {client_name} and {agent_name} are filled in."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose("team", KEEP + _team_choices())


class SavedViewForm(Form):
    name = forms.CharField(label=_("View name"), max_length=80)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class BulkForm(Form):
    ACTIONS = [
        ("take", _("Assign to me")),
        ("assign", _("Assign to…")),
        ("status", _("Set status")),
        ("priority", _("Set priority")),
        ("tag", _("Add tag")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(label=_("Cases"), coerce=int)
    assignee = forms.TypedChoiceField(
        label=_("Assignee"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), choices=ANY + Case.Status.choices, required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=ANY + Case.Priority.choices, required=False
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=rules.TAG_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose("assignee", ANY + _agent_choices())
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        # Any id may be offered: the service refuses, by number, those the agent may not see.
        self.choose("ids", [(v, v) for v in raw if str(v).isdigit()][:1000])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        needed = {"assign": "assignee", "status": "status", "priority": "priority", "tag": "tag"}
        field = needed.get(action or "")
        if field and not data.get(field):
            self.add_error(field, _("Choose what to set."))
        return data

    def value(self) -> Any:
        data = self.cleaned_data
        action = data["action"]
        if action == "assign":
            return ws.agent(data["assignee"])
        return data.get(action) if action in ("status", "priority", "tag") else None
