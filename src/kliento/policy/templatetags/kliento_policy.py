"""Small filters for the policy pages: escalation levels and channels in the reader's words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kliento.core import channels
from kliento.core.roles import ROLE_LABELS
from kliento.policy import rules
from kliento.policy.models import EscalationLevel, NotifyBy

register = template.Library()


@register.filter
def channel_label(value: str) -> str:
    return channels.label(value)


@register.filter
def notify_label(value: str) -> str:
    try:
        return str(NotifyBy(value).label)
    except ValueError:
        return value


@register.filter
def minutes(value: int) -> str:
    """120 → "2 h", 90 → "1 h 30 min", 0 → "at once"."""
    if not value:
        return _("at once")
    hours, rest = divmod(int(value), 60)
    if not hours:
        return ngettext("%(n)s min", "%(n)s min", rest) % {"n": rest}
    text = ngettext("%(n)s h", "%(n)s h", hours) % {"n": hours}
    if not rest:
        return text
    return f"{text} {ngettext('%(n)s min', '%(n)s min', rest) % {'n': rest}}"


@register.filter
def level_who(level: EscalationLevel) -> str:
    if level.kind == EscalationLevel.Kind.ROLE:
        return _("Role: %(r)s") % {"r": ROLE_LABELS.get(level.role, level.role)}
    if level.kind == EscalationLevel.Kind.TEAM:
        return _("Team: %(t)s") % {"t": level.unit.name if level.unit else _("deleted")}
    user = level.user
    name = (user.get_full_name() or user.username) if user else _("removed")
    return _("Person: %(p)s") % {"p": name}


@register.filter
def level_problem(level: EscalationLevel) -> str:
    return rules.level_problem(level) or ""
