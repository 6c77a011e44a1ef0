"""Which tokens the API refuses: anonymous, expired, forged, revoked by logout, a rotated
refresh token replayed (its whole family dies), a password change on the site, a
deactivated or deleted account."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import jwt
import pytest
from django_q.models import Schedule
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import ApiTokenFamily, RevokeReason
from accounts.tasks import delete_ended_api_sign_ins
from api.authentication import AccessTokenAuthentication

from ...conftest import PASSWORD
from .conftest import bearer, error_code, refresh, tokens_for, url

pytestmark = pytest.mark.django_db


def _me(access: str):
    return bearer(access).get(url("me"))


def test_anonymous_is_refused_with_a_bearer_challenge(db):
    response = APIClient().get(url("me"))
    assert response.status_code == 401 and error_code(response) == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_access_token_is_refused(learner):
    token = AccessToken(tokens_for(learner)["access"])
    token["exp"] = int((timezone.now() - timedelta(seconds=1)).timestamp())
    response = _me(str(token))
    assert response.status_code == 401 and error_code(response) == "token_not_valid"


def test_forged_tokens_are_refused(learner, admin_user):
    access = tokens_for(learner)["access"]
    assert _me(access[:-4] + "AAAA").status_code == 401
    # Right shape, claims of the admin, signed with a key that is not ours.
    claims = jwt.decode(access, options={"verify_signature": False}) | {"user_id": str(admin_user.pk)}
    response = _me(jwt.encode(claims, "not-our-key-but-long-enough-for-hs256", algorithm="HS256"))
    assert response.status_code == 401 and error_code(response) == "token_not_valid"
    # A refresh token is not an access token, and the other way round.
    pair = tokens_for(learner)
    assert _me(pair["refresh"]).status_code == 401
    assert error_code(refresh(pair["access"])) == "token_not_valid"


def test_an_expired_refresh_token_is_refused(learner):
    token = RefreshToken(tokens_for(learner)["refresh"])
    token["exp"] = int((timezone.now() - timedelta(seconds=1)).timestamp())
    assert error_code(refresh(str(token))) == "token_not_valid"


def test_logout_ends_the_sign_in_at_once(learner):
    pair = tokens_for(learner)
    other = tokens_for(learner)  # another device
    response = bearer(pair["access"]).post(url("auth_logout"), {}, format="json")
    assert response.status_code == 204
    assert error_code(_me(pair["access"])) == "token_revoked"
    assert error_code(refresh(pair["refresh"])) == "token_revoked"
    # The other device's sign-in goes on.
    assert _me(other["access"]).status_code == 200
    assert refresh(other["refresh"]).status_code == 200


def test_logout_everywhere_ends_every_sign_in(learner):
    pairs = [tokens_for(learner) for _ in range(3)]
    assert (
        bearer(pairs[0]["access"]).post(url("auth_logout"), {"everywhere": True}, format="json").status_code
        == 204
    )
    for pair in pairs:
        assert _me(pair["access"]).status_code == 401
        assert refresh(pair["refresh"]).status_code == 401


def test_each_refresh_token_works_once_and_rotates(learner):
    first = tokens_for(learner)
    second = refresh(first["refresh"]).json()
    assert _me(second["access"]).status_code == 200
    third = refresh(second["refresh"]).json()
    assert len({first["refresh"], second["refresh"], third["refresh"]}) == 3


def test_a_replayed_rotated_refresh_token_kills_the_family_including_the_newest(learner):
    first = tokens_for(learner)
    second = refresh(first["refresh"]).json()
    newest = refresh(second["refresh"]).json()
    elsewhere = tokens_for(learner)  # a separate sign-in of the same account

    # The first token, two rotations old, comes back: someone else holds a copy.
    response = refresh(first["refresh"])
    assert response.status_code == 401 and error_code(response) == "refresh_token_reused"
    assert error_code(refresh(newest["refresh"])) == "token_revoked"
    assert error_code(_me(newest["access"])) == "token_revoked"
    assert error_code(_me(second["access"])) == "token_revoked"
    assert ApiTokenFamily.objects.get(
        current_jti=RefreshToken(newest["refresh"], verify=False)["jti"]
    ).revoked_reason == (RevokeReason.REUSE)
    # Another sign-in of the account is not that family.
    assert _me(elsewhere["access"]).status_code == 200


def test_the_token_just_rotated_is_refused_without_ending_the_sign_in_then_kills_it_later(learner):
    first = tokens_for(learner)
    second = refresh(first["refresh"]).json()

    # Straight after: the same client racing itself (two tabs). Refused, family alive.
    response = refresh(first["refresh"])
    assert response.status_code == 409 and error_code(response) == "refresh_token_just_used"
    assert _me(second["access"]).status_code == 200

    # Later, the same token again is a copy elsewhere: the family dies.
    ApiTokenFamily.objects.update(rotated_at=timezone.now() - timedelta(minutes=1))
    assert error_code(refresh(first["refresh"])) == "refresh_token_reused"
    assert error_code(refresh(second["refresh"])) == "token_revoked"


def test_a_password_change_on_the_site_ends_every_api_sign_in(client, learner):
    pair = tokens_for(learner)
    made_in_code = str(RefreshToken.for_user(learner).access_token)
    client.force_login(learner)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert refresh(pair["refresh"]).status_code == 401
    assert _me(pair["access"]).status_code == 401
    assert error_code(_me(made_in_code)) == "password_changed"


def test_a_deactivated_account_is_refused_and_stays_refused_when_reactivated(learner):
    pair = tokens_for(learner)
    learner.is_active = False
    learner.save()
    assert _me(pair["access"]).status_code == 401
    assert refresh(pair["refresh"]).status_code == 401
    assert (
        APIClient().post(url("auth_login"), {"email": learner.email, "password": PASSWORD}).status_code == 401
    )

    learner.is_active = True
    learner.save()
    assert refresh(pair["refresh"]).status_code == 401
    assert ApiTokenFamily.objects.get(user=learner).revoked_reason == RevokeReason.DEACTIVATED


def test_a_deleted_account_leaves_no_token_that_works(learner):
    pair = tokens_for(learner)
    learner.delete()
    assert _me(pair["access"]).status_code == 401
    assert refresh(pair["refresh"]).status_code == 401


def test_checking_an_access_token_costs_one_query(learner, django_assert_num_queries):
    access = tokens_for(learner)["access"]
    validated = AccessTokenAuthentication().get_validated_token(access.encode())
    with django_assert_num_queries(1):
        assert AccessTokenAuthentication().get_user(validated) == learner


def test_the_daily_job_deletes_only_sign_ins_whose_tokens_all_expired(learner):
    ended, live = tokens_for(learner), tokens_for(learner)
    ApiTokenFamily.objects.filter(current_jti=RefreshToken(ended["refresh"])["jti"]).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert delete_ended_api_sign_ins() == 1
    assert refresh(live["refresh"]).status_code == 200
    assert refresh(ended["refresh"]).status_code == 401
    assert Schedule.objects.filter(func="accounts.tasks.delete_ended_api_sign_ins").exists()
