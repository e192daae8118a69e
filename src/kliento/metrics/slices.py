"""Slices: the part of the company a metric is computed for ("team:12", "employee:5", …).

A `Slice` is a kind and, except for the whole company, an id: an organisation unit for a
department or a team (a department includes its teams: the unit's whole subtree), a user for an
employee, a journey stage, a touchpoint, a client segment, a channel code, or a policy pilot
(`pilot:<id>`: the pilot's clients; `nonpilot:<id>`: every other client). How each metric source
attributes its records to a slice is in docs/decisions (employees and teams in metrics).

Parsing checks the syntax only ("team:abc" is refused); `check_exists` then checks that the id
names something, so an API can answer 422 for a slice of a deleted team instead of a silent 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COMPANY_KIND = "company"
DEPARTMENT = "department"
TEAM = "team"
EMPLOYEE = "employee"
STAGE = "stage"
TOUCHPOINT = "touchpoint"
CHANNEL = "channel"
SEGMENT = "segment"
PILOT = "pilot"
NON_PILOT = "nonpilot"

# Every kind, in the order a picker lists them, with its label.
KINDS: dict[str, str | Promise] = {
    COMPANY_KIND: _("Company"),
    DEPARTMENT: _("Department"),
    TEAM: _("Team"),
    EMPLOYEE: _("Employee"),
    STAGE: _("Journey stage"),
    TOUCHPOINT: _("Touchpoint"),
    CHANNEL: _("Channel"),
    SEGMENT: _("Client segment"),
    PILOT: _("Clients in a pilot"),
    NON_PILOT: _("Clients not in a pilot"),
}
UNIT_KINDS = (DEPARTMENT, TEAM)
CHANNEL_CODE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


@dataclass(frozen=True)
class Slice:
    """`kind` one of KINDS; `id` an int (a channel: its code; the company: None)."""

    kind: str
    id: int | str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown slice kind {self.kind!r}")
        if self.kind == COMPANY_KIND:
            if self.id is not None:
                raise ValueError("The company slice takes no id")
        elif self.kind == CHANNEL:
            if not isinstance(self.id, str) or not CHANNEL_CODE.match(self.id):
                raise ValueError(f"Not a channel code: {self.id!r}")
        elif not isinstance(self.id, int) or isinstance(self.id, bool) or self.id <= 0:
            raise ValueError(f"A {self.kind} slice needs a positive id, not {self.id!r}")

    @classmethod
    def parse(cls, text: str | None) -> Slice:
        """From "kind:id" ("team:12", "channel:email") or "company"; empty means the company.
        ValueError for anything else."""
        text = (text or "").strip()
        if not text or text == COMPANY_KIND:
            return COMPANY
        kind, sep, raw = text.partition(":")
        if not sep or not raw:
            raise ValueError(f"Not a slice: {text!r} (expected kind:id)")
        if kind == CHANNEL:
            return cls(kind, raw)
        if not raw.isdigit() or len(raw) > 18:
            raise ValueError(f"Not an id: {raw!r}")
        return cls(kind, int(raw))

    @property
    def is_company(self) -> bool:
        return self.kind == COMPANY_KIND

    @property
    def pk(self) -> int:
        """The id of a slice that names a record (not the company, not a channel)."""
        if not isinstance(self.id, int):
            raise ValueError(f"A {self.kind} slice has no record id")
        return self.id

    @property
    def label(self) -> str | Promise:
        return KINDS[self.kind]

    def __str__(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"


COMPANY = Slice(COMPANY_KIND)

# What a metric of each source can be cut by (see kliento.metrics.slicing).
CLIENT_SLICES = (COMPANY_KIND, DEPARTMENT, TEAM, EMPLOYEE, STAGE, SEGMENT, PILOT, NON_PILOT)
ANSWER_SLICES = (
    COMPANY_KIND,
    DEPARTMENT,
    TEAM,
    EMPLOYEE,
    STAGE,
    TOUCHPOINT,
    CHANNEL,
    SEGMENT,
    PILOT,
    NON_PILOT,
)
STAFF_ANSWER_SLICES = (COMPANY_KIND, DEPARTMENT, TEAM)
CASE_SLICES = ANSWER_SLICES


def kind_choices(kinds: tuple[str, ...] | None = None) -> list[tuple[str, str | Promise]]:
    """(kind, label) pairs for a picker, in KINDS order, limited to `kinds` when given."""
    return [(k, label) for k, label in KINDS.items() if kinds is None or k in kinds]
