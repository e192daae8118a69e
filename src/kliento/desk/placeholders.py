"""Reply templates: a script's or a macro's text with {placeholders} filled from the client,
the case and the agent. Done on the server in one place, so the reply box, macros and any later
channel fill the same names the same way."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from kliento.desk.models import Case

# The placeholders a script may use, with what each means (shown beside the reply box).
PLACEHOLDERS = {
    "client_name": _("the client's name"),
    "client_first_name": _("the client's first name"),
    "case_number": _("the case number"),
    "case_subject": _("the case subject"),
    "agent_name": _("your name"),
    "agent_first_name": _("your first name"),
    "team_name": _("the case's team"),
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _first_word(text: str) -> str:
    return text.split()[0] if text.split() else ""


def values_for(*, case: Case, agent: Any) -> dict[str, str]:
    client_name = str(getattr(case.client, "name", "") or "")
    agent_name = ""
    if agent is not None:
        agent_name = agent.get_full_name() or agent.get_username()
    return {
        "client_name": client_name,
        "client_first_name": _first_word(client_name),
        "case_number": case.number or "",
        "case_subject": case.subject,
        "agent_name": agent_name,
        "agent_first_name": (getattr(agent, "first_name", "") or _first_word(agent_name)),
        "team_name": case.team.name if case.team else "",
    }


def fill(text: str, *, case: Case, agent: Any) -> str:
    """`text` with every known {placeholder} replaced; an unknown one ({order_id}) is left as
    written, so the agent sees what still needs filling in by hand."""
    values = values_for(case=case, agent=agent)

    def replace(match: re.Match[str]) -> str:
        return values.get(match[1], match[0])

    return _PLACEHOLDER.sub(replace, text)
