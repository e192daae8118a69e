from django.contrib.auth import views as auth_views
from django.urls import path

from kliento.core import account_views, notification_views, search_views, token_views, views
from kliento.core.permissions import login_only, public

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # Browsers ask for /favicon.ico whatever the page says; the icon is an SVG.
    path("favicon.ico", views.favicon, name="favicon"),
    path("organisation/", views.organisation, name="organisation"),
    path("account/tokens/", token_views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", token_views.api_token_revoke, name="api_token_revoke"),
    path(
        "account/notifications/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path("search/", search_views.search_page, name="search"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/bell/", notification_views.bell, name="notification_bell"),
    path(
        "notifications/read/", notification_views.notifications_read_all, name="notifications_read"
    ),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification_open"),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path("login/", public(auth_views.LoginView.as_view()), name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/",
        login_only(account_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/done/",
        login_only(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="core/password_change_done.html"
            )
        ),
        name="password_change_done",
    ),
    path("account/two-factor/", account_views.two_factor_overview, name="two_factor"),
    path("account/two-factor/setup/", account_views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", account_views.two_factor_verify, name="two_factor_verify"),
    path(
        "account/two-factor/backup-codes/",
        account_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path(
        "account/two-factor/disable/",
        account_views.two_factor_disable,
        name="two_factor_disable",
    ),
    path(
        "password/reset/",
        public(account_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        public(
            auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html")
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(account_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        public(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="core/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
]
