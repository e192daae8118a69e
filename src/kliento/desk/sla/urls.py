"""The SLA setup pages, included by kliento.desk.urls under setup/."""

from django.urls import path

from kliento.desk.sla import views

urlpatterns = [
    path("", views.overview, name="sla_setup"),
    path("calendars/new/", views.calendar_create, name="sla_calendar_create"),
    path("calendars/<int:calendar_id>/", views.calendar_edit, name="sla_calendar_edit"),
    path("calendars/<int:calendar_id>/delete/", views.calendar_delete, name="sla_calendar_delete"),
    path("sla-policies/new/", views.policy_create, name="sla_policy_create"),
    path("sla-policies/<int:sla_policy_id>/", views.policy_edit, name="sla_policy_edit"),
    path(
        "sla-policies/<int:sla_policy_id>/delete/",
        views.policy_delete,
        name="sla_policy_delete",
    ),
]
