"""Factories for payment models (the shared ones live in tests/factories.py)."""

from decimal import Decimal

import factory

from memberships.models import Coupon, CouponKind


class CouponFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"SAVE{n:03d}")
    kind = CouponKind.PERCENT
    value = Decimal("10")
    max_redemptions = None
    per_user_limit = 1

    class Meta:
        model = Coupon
        skip_postgeneration_save = True

    @factory.post_generation
    def tiers(self, create, extracted, **kwargs):
        if create and extracted:
            self.tiers.set(extracted)
