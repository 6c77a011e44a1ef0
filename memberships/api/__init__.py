"""Memberships over the API: tiers, the caller's subscription, checkout, coupons, orders."""
