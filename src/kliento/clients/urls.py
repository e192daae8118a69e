from django.urls import path

from kliento.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("merge/", views.client_merge, name="merge"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("columns/", views.list_columns, name="columns"),
    path("views/", views.saved_view_save, name="saved_view_save"),
    path("views/<int:view_id>/", views.saved_view_open, name="saved_view"),
    path("views/<int:view_id>/rename/", views.saved_view_rename, name="saved_view_rename"),
    path("views/<int:view_id>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/status/", views.client_left, name="status"),
    path("<int:pk>/key/", views.client_key_flag, name="key_flag"),
    path("<int:pk>/timeline/", views.client_timeline, name="timeline"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path(
        "<int:pk>/contacts/restore/<int:entry_id>/",
        views.contact_restore,
        name="contact_restore",
    ),
    path("<int:pk>/consent/", views.consent_set, name="consent_set"),
    path("<int:pk>/facts/", views.fact_add, name="fact_add"),
    path("<int:pk>/facts/<int:fact_id>/verify/", views.fact_verify, name="fact_verify"),
    path("<int:pk>/facts/<int:fact_id>/remove/", views.fact_remove, name="fact_remove"),
    path("<int:pk>/facts/restore/<int:entry_id>/", views.fact_restore, name="fact_restore"),
    path("<int:pk>/purchases/", views.purchase_add, name="purchase_add"),
    path(
        "<int:pk>/purchases/<int:purchase_id>/remove/",
        views.purchase_remove,
        name="purchase_remove",
    ),
]
