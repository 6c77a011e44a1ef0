"""The admin never asks an outside host for avatars.

Gravatar used to be the default: broken images offline, and a hash of every staff
email sent to a third party on every admin page.
"""

import re

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db

OUTSIDE = re.compile(r"""(?:src|srcset)=["'](?:https?:)?//""")


@pytest.mark.parametrize(
    "url_name", ["wagtailadmin_home", "wagtailadmin_account", "wagtailusers_users:index"]
)
def test_admin_pages_load_avatars_from_our_own_static_files(client, admin_user, url_name):
    client.force_login(admin_user)

    html = client.get(reverse(url_name)).content.decode()

    assert "gravatar" not in html.lower()
    assert not OUTSIDE.findall(html)
    # The sidebar's account menu (JSON for its script) and avatar images on the page.
    avatars = re.findall(r'"avatarUrl": "([^"]+)"', html) + re.findall(
        r'class="avatar[^"]*"[^>]*>\s*<img src="([^"]+)"', html
    )
    assert avatars, "the page shows the signed-in user's avatar"
    assert all(src.startswith("/static/") or src.startswith("/media/") for src in avatars)
