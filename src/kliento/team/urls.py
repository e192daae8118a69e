from django.urls import path

from kliento.team import onboarding_views, profile_views, refresher_views, training_views

app_name = "team"
urlpatterns = [
    path("profiles/", profile_views.profile_list, name="profiles"),
    path("profiles/<int:profile_id>/", profile_views.profile_detail, name="profile"),
    path("candidates/", profile_views.candidate_list, name="candidates"),
    path("candidates/<int:candidate_id>/", profile_views.candidate_detail, name="candidate"),
    path(
        "candidates/<int:candidate_id>/move/", profile_views.candidate_move, name="candidate_move"
    ),
    path(
        "candidates/<int:candidate_id>/score/",
        profile_views.candidate_score,
        name="candidate_score",
    ),
    path("onboarding/", onboarding_views.onboarding_list, name="onboardings"),
    path("onboarding/<int:onboarding_id>/", onboarding_views.onboarding_detail, name="onboarding"),
    path("checkpoints/<int:checkpoint_id>/sign/", onboarding_views.sign_off, name="sign_off"),
    path("plans/", onboarding_views.plan_list, name="plans"),
    path("plans/<int:onboarding_plan_id>/", onboarding_views.plan_detail, name="plan"),
    path("courses/", training_views.course_list, name="courses"),
    path("courses/<int:course_id>/", training_views.course_detail, name="course"),
    path("sessions/<int:training_session_id>/", training_views.session_detail, name="session"),
    path("my-training/", training_views.my_record, name="record"),
    path("skills/", training_views.skills_matrix, name="matrix"),
    path("climate/", training_views.climate, name="climate"),
    path("refreshers/", refresher_views.proposal_list, name="proposals"),
    path("refreshers/<int:refresher_id>/", refresher_views.proposal_detail, name="proposal"),
    path(
        "refreshers/<int:refresher_id>/decide/",
        refresher_views.proposal_decide,
        name="proposal_decide",
    ),
]
