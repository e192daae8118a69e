"""Activities: calls, meetings, notes and e-mails logged on a client card, and follow-up tasks."""
