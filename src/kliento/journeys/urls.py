from django.urls import path

from kliento.journeys import views, views_setup

app_name = "journeys"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_stage, name="my_stage"),
    path("<int:pk>/", views.board, name="board"),
    path("stages/<int:stage_id>/clients/", views.column, name="column"),
    path("clients/<int:client_id>/move/", views.move, name="move"),
    path("<int:pk>/baselines/", views.baselines, name="baselines"),
    path("new/", views_setup.create_journey, name="create"),
    path("<int:pk>/setup/", views_setup.setup, name="setup"),
    path("<int:pk>/stages/new/", views_setup.stage_add, name="stage_add"),
    path("stages/<int:stage_id>/", views_setup.stage_edit, name="stage_edit"),
    path("<int:pk>/rules/new/", views_setup.rule_add, name="rule_add"),
    path("rules/<int:rule_id>/", views_setup.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/delete/", views_setup.rule_delete, name="rule_delete"),
]
