"""The card's "Log activity" form (with an optional follow-up task)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.activities import rules, selectors
from kliento.activities.models import Activity
from kliento.clients import selectors as clients
from kliento.core.forms import StyledForm

SMALL = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"

# Service error keys that are named differently on the form.
FIELD_OF_ERROR = {"contact_id": "contact"}


def person_label(user: Any) -> str:
    return str(user.get_full_name() or user.username)


class LogActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Activity.Kind.choices,
        initial=Activity.Kind.CALL,
        widget=forms.Select(attrs=SELECT),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", "—"), *Activity.Direction.choices],
        initial=Activity.Direction.OUTBOUND,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={**SMALL, "type": "datetime-local"}, format=LOCAL_MINUTE),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        required=False,
        min_value=1,
        max_value=rules.DURATION_MAX,
        widget=forms.NumberInput(attrs={**SMALL, "inputmode": "numeric"}),
    )
    contact = forms.TypedChoiceField(
        label=_("Contact"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )
    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=rules.SUBJECT_MAX,
        widget=forms.TextInput(attrs=SMALL),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=rules.BODY_MAX,
        widget=forms.Textarea(attrs={**SMALL, "rows": 3}),
    )
    follow_up = forms.BooleanField(
        label=_("Add a follow-up task"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    follow_up_title = forms.CharField(
        label=_("Task"),
        required=False,
        max_length=rules.TITLE_MAX,
        widget=forms.TextInput(attrs=SMALL),
    )
    follow_up_due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={**SMALL, "type": "date"}, format="%Y-%m-%d"),
    )
    follow_up_due_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={**SMALL, "type": "time"}, format="%H:%M"),
    )
    follow_up_assignee = forms.TypedChoiceField(
        label=_("Assignee"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, client_id: int, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
                "follow_up_assignee": user.pk,
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        contact_field = self.fields["contact"]
        assert isinstance(contact_field, forms.ChoiceField)
        contact_field.choices = [("", "—")] + [
            (c.pk, f"{c.get_kind_display()}: {c.value}") for c in clients.contacts(client_id)
        ]
        self.people = {u.pk: u for u in selectors.assignable_users()}
        self.people.setdefault(user.pk, user)
        assignee_field = self.fields["follow_up_assignee"]
        assert isinstance(assignee_field, forms.ChoiceField)
        assignee_field.choices = [(pk, person_label(u)) for pk, u in self.people.items()]
        for name in ("follow_up_title", "follow_up_due_on"):
            self.fields[name].widget.attrs["data-required-with"] = "follow_up"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kind" in data and "occurred_at" in data:
            # The activity's own rules, so their errors show with the follow-up's at once.
            try:
                rules.check_activity(
                    kind=data["kind"],
                    direction=data.get("direction", "")
                    if data["kind"] in Activity.DIRECTED
                    else "",
                    duration_minutes=(
                        data.get("duration_minutes") if data["kind"] in Activity.TIMED else None
                    ),
                    subject=rules.clean_text(data.get("subject", "")),
                    body=rules.clean_text(data.get("body", "")),
                    occurred_at=data["occurred_at"],
                )
            except ValidationError as exc:
                self.apply(exc)
        if data.get("follow_up"):
            if not self.user.has_perm("activities.add_task"):
                raise ValidationError(_("You cannot add tasks."))
            if not data.get("follow_up_title"):
                self.add_error("follow_up_title", _("Say what is to be done."))
            if not data.get("follow_up_due_on") and "follow_up_due_on" not in self.errors:
                self.add_error("follow_up_due_on", _("Give a due date."))
        return data

    def assignee(self) -> Any:
        return self.people.get(self.cleaned_data.get("follow_up_assignee") or self.user.pk)

    def apply(self, exc: ValidationError) -> None:
        """Show a service's errors beside the fields they concern."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            name = FIELD_OF_ERROR.get(key, key)
            self.add_error(name if name in self.fields else None, messages)


class ReassignTaskForm(StyledForm):
    """Whom to give a task to: anyone who can work on tasks, its present assignee first."""

    assignee = forms.TypedChoiceField(label=_("Give it to"), coerce=int)

    def __init__(self, *args: Any, task: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee": task.assignee_id})
        super().__init__(*args, **kwargs)
        self.people = {u.pk: u for u in selectors.assignable_users()}
        self.people.setdefault(task.assignee_id, task.assignee)
        field = self.fields["assignee"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(pk, person_label(u)) for pk, u in self.people.items()]

    def chosen(self) -> Any:
        return self.people[self.cleaned_data["assignee"]]

    def apply(self, exc: ValidationError) -> None:
        """A service's errors beside the field (they are all about whom the task goes to)."""
        self.add_error("assignee", exc.messages)
