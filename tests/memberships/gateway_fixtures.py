"""Fixtures that start the VNPay and MoMo stand-ins and point the settings at them."""

import pytest

from memberships.payments import orders

from .gateways import MomoStandIn, VnpayStandIn


@pytest.fixture
def vnpay(settings):
    with VnpayStandIn() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def momo(settings):
    with MomoStandIn() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def vnpay_order(learner, tiers, vnpay):
    """A pending VNPay order for Silver (299.000 ₫)."""
    return orders.place_order(learner, tiers["silver"], "vnpay")


@pytest.fixture
def momo_order(learner, tiers, momo):
    """A pending MoMo order for Silver (299.000 ₫)."""
    return orders.place_order(learner, tiers["silver"], "momo")
