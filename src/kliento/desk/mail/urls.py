from django.urls import path

from kliento.desk.mail import views

urlpatterns = [
    path("setup/mailboxes/", views.mailbox_list, name="mailboxes"),
    path("setup/mailboxes/new/", views.mailbox_create, name="mailbox_create"),
    path("setup/mailboxes/<int:mailbox_id>/", views.mailbox_edit, name="mailbox_edit"),
    path("setup/mailboxes/<int:mailbox_id>/test/", views.mailbox_test, name="mailbox_test"),
    path("setup/mailboxes/<int:mailbox_id>/delete/", views.mailbox_delete, name="mailbox_delete"),
    path("mail/raw/<int:raw_id>/", views.raw_download, name="mail_raw"),
    path("mail/raw/<int:raw_id>/reprocess/", views.raw_reprocess, name="mail_reprocess"),
]
