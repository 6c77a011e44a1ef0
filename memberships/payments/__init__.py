"""Payments: orders and the providers that pay for them.

`orders` holds every state change of an Order; `stripe_provider`, `vnpay_provider`,
`momo_provider` and `manual_provider` are the ways to pay (one client per outside
service, `transport` their shared JSON call); `webhooks` turns Stripe's events and
`gateway_ipn` VNPay's and MoMo's IPNs into calls on `orders`; `reconciliation` compares
our confirmed orders with each provider's records daily; `views` are the learner's
checkout pages and the webhook and IPN endpoints.
"""
