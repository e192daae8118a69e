"""Where survey invitations come from: trigger sources that other apps plug in.

A source has a key (stored on each survey's triggers and each invitation) and one of two ways
of reporting what happened:

- it calls `fire(...)` when the event happens, inside its own transaction (the service desk's
  "case resolved" will do this): the invitations are written with the change and sent after
  it commits;
- or it offers `poll(after_id, limit)`, returning the events with an id above `after_id`;
  `kliento surveys_tick` polls each such source and remembers how far it read, so a source
  needs no hook in its own code (purchases are read this way through `clients.selectors`).

Each event names the client and what it concerns (agent, team, touchpoint, stage, case,
pilot policy); `target_id` is what a survey's trigger can narrow on (the stage entered, the
touchpoint seen). The same event twice makes one invitation (`source` + `ref`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from kliento.core.registry import Registry


@dataclass(frozen=True)
class Event:
    id: int  # increasing within the source (polled sources resume after it)
    client_id: int
    ref: str = ""  # the event's own identifier; default: str(id)
    target_id: int | None = None
    agent_id: int | None = None
    team_id: int | None = None
    touchpoint_id: int | None = None
    stage_id: int | None = None
    case_id: int | None = None
    pilot: bool | None = None

    @property
    def key(self) -> str:
        return self.ref or str(self.id)


@dataclass(frozen=True)
class TriggerSource:
    key: str
    label: Promise | str
    # What `target_id` means for this source ("Stage", "Touchpoint"); empty: no narrowing.
    target_label: Promise | str = ""
    poll: Callable[[int, int], Iterable[Event]] | None = None
    # A polled source's newest event id now: a new trigger starts after it (no history).
    latest: Callable[[], int] | None = None
    order: int = 100


trigger_sources: Registry[TriggerSource] = Registry("survey trigger sources")


def register_trigger_source(source: TriggerSource) -> TriggerSource:
    return trigger_sources.register(source)


def fire(source: str, event: Event) -> int:
    """Invite the event's client to every active survey triggered by `source` (and, where the
    trigger names one, by the event's target). Call inside the event's transaction; returns
    the number of invitations written (0 when none apply or they exist already)."""
    from kliento.surveys.services import inviting

    return inviting.invite_for_events(source, [event])
