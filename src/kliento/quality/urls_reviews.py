from django.urls import path

from kliento.quality.views import calibration, reviews

app_name = "qareviews"
urlpatterns = [
    path("", reviews.queue, name="queue"),
    path("mine/", reviews.mine, name="mine"),
    path("case/<int:case_id>/queue/", reviews.queue_case, name="queue_case"),
    path("score/<int:review_assignment_id>/", reviews.score, name="score"),
    path("<int:review_id>/", reviews.review, name="review"),
    path("<int:review_id>/dispute/", reviews.dispute, name="open_dispute"),
    path("<int:review_id>/exemplary/", reviews.exemplary, name="exemplary"),
    path("disputes/", reviews.disputes, name="disputes"),
    path("disputes/<int:dispute_id>/", reviews.dispute_detail, name="dispute"),
    path("calibration/", calibration.sessions, name="sessions"),
    path("calibration/<int:session_id>/", calibration.session, name="session"),
    path("calibration/<int:session_id>/close/", calibration.close, name="close"),
    path("calibration/<int:session_id>/reference/", calibration.reference, name="reference"),
]
