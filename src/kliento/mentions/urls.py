from django.urls import path

from kliento.mentions import views, views_manage

app_name = "mentions"

urlpatterns = [
    path("mentions/", views.inbox, name="inbox"),
    path("mentions/<int:mention_id>/", views.detail, name="detail"),
    path("mentions/<int:mention_id>/answer/", views.answer, name="answer"),
    path("mentions/<int:mention_id>/dismiss/", views.dismiss, name="dismiss"),
    path("mentions/<int:mention_id>/case/", views.open_case, name="open_case"),
    path("mentions/report/", views.report, name="report"),
    path("mentions/situations/", views_manage.situations, name="situations"),
    path("mentions/situations/new/", views_manage.situation_edit, name="situation_new"),
    path(
        "mentions/situations/<int:situation_id>/",
        views_manage.situation_edit,
        name="situation_edit",
    ),
    path(
        "mentions/situations/<int:situation_id>/rules/new/",
        views_manage.rule_new,
        name="rule_new",
    ),
    path("mentions/feeds/", views_manage.feeds, name="feeds"),
    path("mentions/feeds/new/", views_manage.feed_edit, name="feed_new"),
    path("mentions/feeds/<int:feed_id>/", views_manage.feed_edit, name="feed_edit"),
]
