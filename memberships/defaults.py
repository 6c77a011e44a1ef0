"""The tiers a new installation starts with (the source defaults, SPEC §2).

Admins edit them afterwards; the data migration and the test fixtures both seed from here.
"""

from decimal import Decimal

DEFAULT_TIERS = [
    {
        "rank": 10,
        "slug": "bronze",
        "name": "Bronze",
        "tagline": "Start learning for free",
        "price": Decimal("0"),
        "billing_period": "free",
        "max_video_height": 720,
        "includes_ebooks": False,
        "includes_live_sessions": False,
        "includes_certificates": False,
        "max_devices": 1,
        "features": "All free courses\nVideo up to 720p\n1 device at a time",
    },
    {
        "rank": 20,
        "slug": "silver",
        "name": "Silver",
        "tagline": "Premium courses and ebooks",
        "price": Decimal("299000"),
        "billing_period": "month",
        "max_video_height": 1080,
        "includes_ebooks": True,
        "includes_live_sessions": False,
        "includes_certificates": False,
        "max_devices": 2,
        "features": "Free and premium courses\nVideo up to 1080p\nEbook library\n2 devices at a time",
    },
    {
        "rank": 30,
        "slug": "gold",
        "name": "Gold",
        "tagline": "Everything, live",
        "price": Decimal("499000"),
        "billing_period": "month",
        "max_video_height": 1080,
        "includes_ebooks": True,
        "includes_live_sessions": True,
        "includes_certificates": True,
        "max_devices": 3,
        "features": "Every course\nVideo up to 1080p\nEvery ebook\nLive sessions\nCertificates\n3 devices at a time",
    },
]


def seed_default_tiers(tier_model) -> None:
    """Create or refresh the default tiers; safe to run any number of times."""
    for values in DEFAULT_TIERS:
        tier_model.objects.update_or_create(slug=values["slug"], defaults=values)
