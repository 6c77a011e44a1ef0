"""Money as Decimal with its currency. VND has no minor unit; USD and EUR have cents."""

from decimal import ROUND_HALF_UP, Decimal

ZERO_DECIMAL_CURRENCIES = {"VND", "JPY", "KRW"}


def minor_units(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def quantize(amount: Decimal, currency: str) -> Decimal:
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    """Amount in the currency's smallest unit (what Stripe's `unit_amount` wants)."""
    return int(quantize(amount, currency).scaleb(minor_units(currency)))


def format_money(amount: Decimal, currency: str) -> str:
    amount = quantize(amount, currency)
    if currency.upper() == "VND":
        return f"{amount:,.0f}".replace(",", ".") + " ₫"
    return f"{amount:,.{minor_units(currency)}f} {currency.upper()}"
