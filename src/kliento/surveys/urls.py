from django.urls import path

from kliento.surveys import praise_views, public_views, views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_create, name="create"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="detail"),
    path("surveys/<int:survey_id>/edit/", views.survey_edit, name="edit"),
    path("surveys/<int:survey_id>/triggers/", views.trigger_add, name="trigger_add"),
    path("surveys/triggers/<int:trigger_id>/remove/", views.trigger_remove, name="trigger_remove"),
    path("surveys/<int:survey_id>/send/", views.send_segment, name="send_segment"),
    path("surveys/<int:survey_id>/send-staff/", views.send_staff, name="send_staff"),
    path("surveys/<int:survey_id>/answer/", views.take, name="take"),
    path("surveys/follow-ups/", views.follow_up_list, name="follow_ups"),
    path("surveys/follow-ups/<int:followup_id>/", views.follow_up_detail, name="follow_up"),
    path("surveys/praise/", praise_views.praise_feed, name="praise"),
    path(
        "surveys/answers/<int:response_id>/praise/", praise_views.praise_share, name="praise_share"
    ),
    path(
        "surveys/impressions/<int:impression_id>/praise/",
        praise_views.praise_share_impression,
        name="praise_share_impression",
    ),
    path("surveys/clients/<int:client_id>/record/", views.record, name="record"),
    # Public, no login: the personal link and the short link.
    path("s/t/<str:token>/", public_views.answer, name="answer"),
    path("s/<slug:code>/", public_views.short_link, name="short"),
]
