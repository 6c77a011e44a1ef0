"""API clients for tests: signed in with a fresh, an expired or a forged access token,
and the error-envelope assertion every refusal test uses."""

from datetime import timedelta

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken


def client_with(token: str | None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def client_for(user) -> APIClient:
    return client_with(str(AccessToken.for_user(user)))


def expired_client(user) -> APIClient:
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return client_with(str(token))


def forged_client(user) -> APIClient:
    """The user's own token with its signature's last characters changed."""
    token = str(AccessToken.for_user(user))
    return client_with(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    if code is not None:
        assert error["code"] == code, error
    return error


def assert_token_refusals(user, method: str, path: str, data=None) -> None:
    """Anonymous, expired and forged callers all get 401 and the envelope."""
    for client in (client_with(None), expired_client(user), forged_client(user)):
        response = (
            getattr(client, method)(path, data, format="json")
            if data is not None
            else getattr(client, method)(path)
        )
        assert_error(response, 401)
