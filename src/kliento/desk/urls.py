from django.urls import include, path

from kliento.desk import views
from kliento.desk.mail.urls import urlpatterns as mail_urlpatterns
from kliento.desk.public import urls as public_urls
from kliento.desk.webhooks import urls as webhooks_urls

app_name = "desk"
urlpatterns: list = [
    *webhooks_urls.urlpatterns,
    *public_urls.urlpatterns,
    path("setup/sla/", include("kliento.desk.sla.urls")),
    *mail_urlpatterns,
    # The agent workspace (kliento.desk.views).
    path("", views.queue, name="queue"),
    path("new/", views.new_case, name="new_case"),
    path("calls/new/", views.new_call_case, name="new_call_case"),
    path("clients/", views.client_search, name="client_search"),
    path("bulk/", views.bulk, name="bulk"),
    path("views/save/", views.view_save, name="view_save"),
    path("views/<int:desk_view_id>/", views.view_open, name="view_open"),
    path("views/<int:desk_view_id>/rename/", views.view_rename, name="view_rename"),
    path("views/<int:desk_view_id>/delete/", views.view_delete, name="view_delete"),
    path("macros/", views.macros, name="macros"),
    path("macros/<int:macro_id>/", views.macro_edit, name="macro_edit"),
    path("macros/<int:macro_id>/delete/", views.macro_delete, name="macro_delete"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/presence/", views.case_presence, name="presence"),
    path("cases/<int:case_id>/script/", views.case_script, name="script"),
    path("cases/<int:case_id>/reply/", views.reply, name="reply"),
    path("cases/<int:case_id>/status/", views.change_status, name="status"),
    path("cases/<int:case_id>/take/", views.take, name="take"),
    path("cases/<int:case_id>/assign/", views.assign, name="assign"),
    path("cases/<int:case_id>/edit/", views.edit, name="edit"),
    path("cases/<int:case_id>/merge/", views.merge, name="merge"),
    path("cases/<int:case_id>/call/", views.log_call, name="call"),
    path("cases/<int:case_id>/macro/", views.apply_macro, name="macro"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
