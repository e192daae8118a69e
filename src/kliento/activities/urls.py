from django.urls import path

from kliento.activities import views

app_name = "activities"
urlpatterns = [
    path("clients/<int:client_id>/log/", views.log_activity, name="log"),
    path("clients/<int:client_id>/tasks/", views.client_tasks, name="client_tasks"),
    path("tasks/<int:task_id>/done/", views.task_complete, name="task_complete"),
    path("tasks/<int:task_id>/reopen/", views.task_reopen, name="task_reopen"),
    path("tasks/<int:task_id>/reassign/", views.task_reassign, name="task_reassign"),
]
