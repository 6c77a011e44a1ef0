"""Payments: orders and the providers that pay for them.

`orders` holds every state change of an Order; `stripe_provider` and `manual_provider`
are the two ways to pay; `webhooks` turns Stripe's events into calls on `orders`; `views`
are the learner's checkout pages and the webhook endpoint.
"""
