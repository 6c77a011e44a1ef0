"""The custom user: email is the login, one full-name field (names do not split well).

Also the API's refresh-token families (`ApiTokenFamily`): the user's own `save` revokes
them when the password changes or the account is deactivated, whichever door did it
(the site, the API, the Wagtail admin, a management command)."""

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken


class LecternUserManager(UserManager):
    """Creates users keyed by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = LecternUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def save(self, *args, **kwargs):
        # `set_password` leaves the new password in `_password` until the save; Django
        # clears it in `super().save()`. A new account has no tokens to revoke.
        password_changed = self._password is not None and not self._state.adding
        deactivated = not self.is_active and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed or deactivated:
            reason = RevokeReason.PASSWORD_CHANGED if password_changed else RevokeReason.DEACTIVATED
            ApiTokenFamily.objects.revoke_all(self, reason)


class RevokeReason(models.TextChoices):
    LOGOUT = "logout", _("Signed out")
    REUSE = "reuse", _("A rotated refresh token was used again")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    DEACTIVATED = "deactivated", _("Account deactivated")
    DELETED = "deleted", _("Account deleted")
    INVALID = "invalid", _("Token no longer matches the account")


class ApiTokenFamilyQuerySet(models.QuerySet):
    def revoke(self, reason: str) -> int:
        """Revoke these families and blacklist the refresh token each still has out
        (the earlier ones were blacklisted as they were rotated). Returns how many."""
        live = self.filter(revoked_at__isnull=True)
        jtis = list(live.values_list("current_jti", flat=True))
        count = live.update(revoked_at=timezone.now(), revoked_reason=reason)
        _blacklist(OutstandingToken.objects.filter(jti__in=jtis))
        return count

    def revoke_all(self, user, reason: str) -> int:
        """Every family of `user`, and any other refresh token issued to the account."""
        count = self.filter(user_id=user.pk).revoke(reason)
        _blacklist(OutstandingToken.objects.filter(user_id=user.pk))
        return count


def _blacklist(outstanding) -> None:
    tokens = outstanding.filter(blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True
    )


class ApiTokenFamily(models.Model):
    """One API sign-in's chain of refresh tokens (RFC 9700 §4.14).

    Every refresh token carries its family's id (claim `fid`) and each use rotates it:
    `current_jti` is the one token of the chain that may still be used. Presenting an
    older one means a copy exists somewhere else, so the whole family is revoked, the
    newest token included. Access tokens carry the same id and die with the family.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_token_families")
    current_jti = models.CharField(max_length=255, blank=True)
    previous_jti = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, choices=RevokeReason.choices, blank=True)

    objects = ApiTokenFamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API sign-in")
        verbose_name_plural = _("API sign-ins")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


@receiver(pre_delete, sender=User, dispatch_uid="accounts.revoke_tokens_of_deleted_user")
def _revoke_tokens_of_deleted_user(sender, instance, **kwargs):
    # Families go with the user (CASCADE); simplejwt keeps its outstanding tokens with
    # the user set to NULL, so blacklist them first.
    ApiTokenFamily.objects.revoke_all(instance, RevokeReason.DELETED)
