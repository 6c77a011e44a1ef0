"""One rule for the client's address: X-Forwarded-For counts only from a trusted proxy,
read from the right past our own hops, and every caller uses it."""

from django.test import Client
from django.urls import reverse

import pytest

from config.client_ip import UNKNOWN_ADDRESS, client_ip, client_network
from learning.models import EbookDownload
from media_pipeline import playback
from media_pipeline.models import KeyAccess

from ..documents.files import make_document
from ..factories import EbookPageFactory, VideoFactory

PROXY = ["127.0.0.1", "10.0.0.0/8"]


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "203.0.113.5", "", "203.0.113.5"),
        ([], "127.0.0.1", "198.51.100.7", "127.0.0.1"),  # no trusted proxies: header ignored
        (PROXY, "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # not from our proxy
        (PROXY, "127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # left of it: the client's word
        (PROXY, "127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3", "198.51.100.7"),  # past our own hops
        (PROXY, "127.0.0.1", "", "127.0.0.1"),
        (PROXY, "127.0.0.1", "not-an-ip", "127.0.0.1"),
        (PROXY, "", "198.51.100.7", None),  # a Unix socket is not trusted unless named
        ([*PROXY, "unix"], "", "198.51.100.7", "198.51.100.7"),
        ([], "::ffff:192.0.2.8", "", "192.0.2.8"),
        ([], "", "", None),
    ],
)
def test_client_ip(rf, settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_limits_count_ipv6_clients_per_64_and_unknown_ones_together(rf):
    assert client_network(rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::"
    assert client_network(rf.get("/", REMOTE_ADDR="192.0.2.8")) == "192.0.2.8"
    assert client_network(rf.get("/", REMOTE_ADDR="")) == UNKNOWN_ADDRESS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted", "expected"),
    [([], "127.0.0.1"), (["127.0.0.1"], "198.51.100.7")],
    ids=["untrusted", "trusted"],
)
def test_the_key_log_records_the_address_by_the_rule(settings, trusted, expected):
    settings.TRUSTED_PROXIES = trusted
    video = VideoFactory()
    token = playback.make_token("key", user_id=1, session_id=1, video_id=video.pk, lesson_id=1, ttl=60)
    response = Client().get(
        f"/video/key/{token}/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code in (401, 403)  # anonymous: refused, and logged
    assert KeyAccess.objects.get().ip_address == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted", "expected"),
    [([], "127.0.0.1"), (["127.0.0.1"], "198.51.100.7")],
    ids=["untrusted", "trusted"],
)
def test_the_download_log_records_the_address_by_the_rule(
    client, settings, silver, ebooks, tiers, trusted, expected
):
    settings.TRUSTED_PROXIES = trusted
    ebook = EbookPageFactory(parent=ebooks, required_tier=tiers["silver"], document=make_document("book.pdf"))
    client.force_login(silver)
    url = reverse("learning:ebook_download", args=[ebook.id])
    response = client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 200
    assert EbookDownload.objects.get().ip == expected
