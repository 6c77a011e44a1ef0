"""Permission policy for records the admin shows but never lets anyone edit by hand."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """For records nobody edits by hand in the admin (downloads, orders, subscriptions):
    viewing needs the model's `view_` permission; add, change and delete never apply.
    Other actions (confirm, …) fall through to the model's own permissions."""

    read_only_actions = {"add", "change", "delete"}

    def user_has_permission(self, user, action):
        if action in self.read_only_actions:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
