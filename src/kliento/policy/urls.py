from django.urls import path

from kliento.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.create, name="create"),
    path("acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("attention/", views.attention, name="attention"),
    path("versions/<int:policy_version_id>/remind/", views.remind, name="remind"),
    path("pilots/<int:pilot_id>/join/", views.pilot_join, name="pilot_join"),
    path("<int:policy_id>/", views.detail, name="detail"),
    path("<int:policy_id>/edit/", views.edit, name="edit"),
    path("<int:policy_id>/revise/", views.revise, name="revise"),
    path("<int:policy_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:policy_id>/reviewed/", views.reviewed, name="reviewed"),
    path("<int:policy_id>/feedback/", views.feedback, name="feedback"),
    path("<int:policy_id>/v/<int:policy_version_id>/", views.version_detail, name="version"),
    path("<int:policy_id>/v/<int:policy_version_id>/edit/", views.edit_draft, name="edit_draft"),
    path("<int:policy_id>/v/<int:policy_version_id>/publish/", views.publish, name="publish"),
    path("<int:policy_id>/v/<int:policy_version_id>/goals/", views.goal_create, name="goal_create"),
    path(
        "<int:policy_id>/v/<int:policy_version_id>/pilot/", views.pilot_create, name="pilot_create"
    ),
    path("<int:policy_id>/goals/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("<int:policy_id>/goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path(
        "<int:policy_id>/goals/<int:goal_id>/procedures/",
        views.procedure_create,
        name="procedure_create",
    ),
    path(
        "<int:policy_id>/procedures/<int:procedure_id>/",
        views.procedure_edit,
        name="procedure_edit",
    ),
    path(
        "<int:policy_id>/procedures/<int:procedure_id>/delete/",
        views.procedure_delete,
        name="procedure_delete",
    ),
    path("<int:policy_id>/pilots/<int:pilot_id>/start/", views.pilot_start, name="pilot_start"),
    path("<int:policy_id>/pilots/<int:pilot_id>/finish/", views.pilot_finish, name="pilot_finish"),
]
