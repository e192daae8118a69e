from django.urls import path

from kliento.touchpoints import views

app_name = "touchpoints"
urlpatterns = [
    path("", views.touchpoint_list, name="list"),
    path("mine/", views.my_touchpoints, name="mine"),
    path("new/", views.touchpoint_create, name="create"),
    path("<int:pk>/", views.touchpoint_detail, name="detail"),
    path("<int:pk>/edit/", views.touchpoint_edit, name="edit"),
    path("<int:pk>/regulation/", views.regulation_edit, name="regulation"),
    path("<int:pk>/parameters/new/", views.parameter_add, name="parameter_add"),
    path("parameters/<int:parameter_id>/edit/", views.parameter_edit, name="parameter_edit"),
    path("parameters/<int:parameter_id>/delete/", views.parameter_delete, name="parameter_delete"),
    path("clients/<int:client_id>/impressions/", views.record_impression, name="record"),
]
