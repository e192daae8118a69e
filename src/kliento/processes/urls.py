from django.urls import path

from kliento.processes import run_views, views

app_name = "processes"
urlpatterns = [
    path("", views.definition_list, name="list"),
    path("new/", views.definition_create, name="create"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:pk>/", views.definition_detail, name="detail"),
    path("<int:pk>/edit/", views.definition_edit, name="edit"),
    path("clients/<int:client_id>/start/", run_views.start, name="start"),
    path("runs/<int:run_id>/", run_views.run_detail, name="run"),
    path("runs/<int:run_id>/steps/<int:step_id>/complete/", run_views.complete, name="complete"),
    path("runs/<int:run_id>/steps/<int:step_id>/sign-off/", run_views.sign_off, name="sign_off"),
    path(
        "runs/<int:run_id>/steps/<int:step_id>/attachment/",
        run_views.attachment,
        name="attachment",
    ),
]
