"""What an audit entry says changed: real changes only, readable, never a secret."""

from decimal import Decimal

import pytest

from audit.changes import diff, snapshot
from memberships.models import Tier

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_textarea_posted_with_crlf_line_breaks_is_not_a_change(tiers):
    tier = tiers["silver"]
    tier.features = "Premium courses\nEbooks"
    before = snapshot(tier)
    tier.features = "Premium courses\r\nEbooks"
    assert diff(before, snapshot(tier)) == {}


def test_a_price_typed_without_decimals_is_the_same_price(tiers):
    tier: Tier = tiers["silver"]
    tier.price = Decimal("299000.00")
    before = snapshot(tier)
    tier.price = Decimal("299000")
    assert diff(before, snapshot(tier)) == {}
    tier.price = Decimal("349000")
    assert diff(before, snapshot(tier)) == {"Price": ["299000.00", "349000.00"]}


def test_a_password_shows_only_as_changed():
    user = UserFactory()
    before = snapshot(user)
    user.set_password("another-long-passphrase")
    changes = diff(before, snapshot(user))
    assert changes == {"Password": ["••••••", "(changed)"]}
    assert user.password not in str(changes)
