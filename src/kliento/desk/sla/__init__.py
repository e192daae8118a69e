"""The SLA clock (targets, pauses, warnings, breaches) and escalation of service desk cases.

- calendar.py: business-time arithmetic in a calendar's time zone (pure).
- clock.py: which policy applies and when each target falls due; the case hook.
- alerts.py: warnings and breach records (periodic job).
- escalation.py: the policy procedure's escalation list, exactly once per level.
- setup.py: calendars and policies (services with audit).
See docs/service-desk-sla.md.
"""
