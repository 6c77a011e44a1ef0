"""`/api/v1/auth/`: sign-up, sign-in, tokens and passwords."""

from django.urls import path

from . import views

urlpatterns = [
    path("bot-check/", views.BotCheckView.as_view(), name="auth_bot_check"),
    path("register/", views.RegisterView.as_view(), name="auth_register"),
    path("login/", views.LoginView.as_view(), name="auth_login"),
    path("login/mfa/", views.SecondFactorView.as_view(), name="auth_login_mfa"),
    path("refresh/", views.RefreshView.as_view(), name="auth_refresh"),
    path("logout/", views.LogoutView.as_view(), name="auth_logout"),
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="auth_password_reset"),
    path(
        "password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="auth_password_reset_confirm",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="auth_password_change"),
]
