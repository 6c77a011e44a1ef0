"""Wagtail's create and edit actions, logging what changed.

Wagtail's generic admin views (ModelViewSet, snippets, users, groups) save through the
action registered for the model (`wagtail.actions.action_registry`); its own actions log
`wagtail.create` / `wagtail.edit` with no detail. These log the same action codes with
the field-by-field change in `data["changes"]`. Registered for the audited models in
wagtail_hooks.py.
"""

from wagtail.actions import CreateAction, EditAction
from wagtail.log_actions import log

from .changes import diff, snapshot, stored_copy


class AuditedCreateAction(CreateAction):
    def _create(self, skip_permission_checks=False):
        action, self.log_action = self.log_action, None
        instance = super()._create(skip_permission_checks=skip_permission_checks)
        self.log_action = action
        if action:
            log(
                instance=instance,
                action=action,
                user=self.user,
                revision=self.revision,
                content_changed=True,
                data={"changes": diff({}, snapshot(instance))},
            )
        return instance


class AuditedEditAction(EditAction):
    def _edit(self, skip_permission_checks=False):
        before = snapshot(stored_copy(self.instance))
        action, self.log_action = self.log_action, None
        instance = super()._edit(skip_permission_checks=skip_permission_checks)
        self.log_action = action
        if action:
            log(
                instance=instance,
                action=action,
                user=self.user,
                revision=self.revision,
                content_changed=self.content_changed,
                data={"changes": diff(before, snapshot(instance))},
            )
        return instance
