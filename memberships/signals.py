"""What memberships tells the rest of the platform (analytics listens)."""

from django.dispatch import Signal

# order: an Order that has just become paid (sent once, inside confirm_order's transaction).
order_paid = Signal()
