"""How axes names the account a login attempt is for.

allauth authenticates with ``email=``, Wagtail's admin login with ``username=``; both
are the same email here, so lockout counts per lower-cased email whichever door is used.
"""


def username_from_attempt(request, credentials):
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "POST", {})
        value = data.get("login") or data.get("username") or data.get("email")
    return (value or "").strip().lower() or None
