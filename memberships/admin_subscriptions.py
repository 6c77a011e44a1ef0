"""Wagtail admin for tiers and subscriptions (registered from wagtail_hooks.py).

Tiers are plain data an admin edits. Subscriptions are never edited as rows: staff
grant, extend or revoke through forms that call `memberships.subscriptions`, so each
change is audited (SubscriptionEvent with the acting user) and the learner is told.
"""

from datetime import timedelta

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from audit.changes import log_change, snapshot

from . import subscriptions
from .models import Subscription, SubscriptionStatus, Tier
from .money import format_money


class TierViewSet(ModelViewSet):
    model = Tier
    icon = "pick"
    menu_label = gettext_lazy("Tiers")
    add_to_admin_menu = False
    copy_view_enabled = False
    search_fields = ["name", "slug"]
    form_fields = [
        "name",
        "slug",
        "rank",
        "tagline",
        "price",
        "currency",
        "billing_period",
        "max_video_height",
        "includes_ebooks",
        "includes_live_sessions",
        "includes_certificates",
        "max_devices",
        "features",
        "is_active",
    ]

    @cached_property
    def list_display(self):
        return [
            "name",
            "rank",
            Column("price", label=_("Price"), accessor=lambda t: format_money(t.price, t.currency)),
            "billing_period",
            "max_video_height",
            "max_devices",
            StatusTagColumn(
                "is_active",
                label=_("On sale"),
                accessor=lambda t: _("On sale") if t.is_active else _("Retired"),
                primary=lambda t: t.is_active,
            ),
        ]


def _day(field):
    def value(subscription):
        moment = getattr(subscription, field)
        return date_format(localtime(moment), "DATE_FORMAT") if moment else "—"

    return value


# What an entry in Site history shows changing on a subscription.
AUDITED_FIELDS = ["user", "tier", "status", "provider", "starts_at", "ends_at"]


class GrantForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Learner's email"))
    tier = forms.ModelChoiceField(queryset=Tier.objects.order_by("rank"))
    days = forms.IntegerField(min_value=1, max_value=3660, initial=30, label=gettext_lazy("Length in days"))
    note = forms.CharField(
        max_length=255, required=False, label=gettext_lazy("Reason (kept in the audit log)")
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            self.user = get_user_model().objects.get(email=email)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(_("No learner has the email %(email)s.") % {"email": email}) from None
        return email


class ExtendForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=3660, initial=30, label=gettext_lazy("Add days"))
    note = forms.CharField(
        max_length=255, required=False, label=gettext_lazy("Reason (kept in the audit log)")
    )


class RevokeForm(forms.Form):
    note = forms.CharField(max_length=255, label=gettext_lazy("Reason (kept in the audit log)"))


class SubscriptionActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A small audited action on subscriptions: show a form, call the service, go back."""

    model = Subscription
    template_name = "memberships/admin/subscription_action.html"
    header_icon = "group"
    index_url_name = None
    subscription = None
    submit_label = gettext_lazy("Save")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if "pk" in kwargs:
            self.subscription = get_object_or_404(
                Subscription.objects.select_related("user", "tier"), pk=unquote(str(kwargs["pk"]))
            )

    def get_page_subtitle(self):
        return self.subscription.user.email if self.subscription else ""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.index_url_name),
                "label": Subscription._meta.verbose_name_plural.capitalize(),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subscription=self.subscription,
            submit_label=self.submit_label,
            cancel_url=reverse(self.index_url_name),
            **kwargs,
        )

    def form_valid(self, form):
        messages.success(self.request, self.act(form.cleaned_data, form))
        return redirect(self.index_url_name)

    def act(self, data, form) -> str:
        raise NotImplementedError


class GrantView(SubscriptionActionView):
    permission_required = "add"
    form_class = GrantForm
    page_title = gettext_lazy("Grant a subscription")
    submit_label = gettext_lazy("Grant")

    def act(self, data, form):
        subscription = subscriptions.grant(
            form.user,
            data["tier"],
            actor=self.request.user,
            length=timedelta(days=data["days"]),
            note=data["note"],
        )
        log_change(
            subscription,
            "memberships.subscription.grant",
            user=self.request.user,
            before={},
            fields=AUDITED_FIELDS,
            note=data["note"],
        )
        return _("%(email)s now has %(tier)s until %(end)s.") % {
            "email": form.user.email,
            "tier": subscription.tier.name,
            "end": subscription.ends_at.strftime("%Y-%m-%d"),
        }


class ExtendView(SubscriptionActionView):
    permission_required = "change"
    form_class = ExtendForm
    page_title = gettext_lazy("Extend a subscription")
    submit_label = gettext_lazy("Extend")

    def act(self, data, form):
        before = snapshot(self.subscription, AUDITED_FIELDS)
        subscription = subscriptions.extend(
            self.subscription, data["days"], actor=self.request.user, note=data["note"]
        )
        log_change(
            subscription,
            "memberships.subscription.extend",
            user=self.request.user,
            before=before,
            fields=AUDITED_FIELDS,
            note=data["note"],
        )
        return _("Extended to %(end)s.") % {"end": subscription.ends_at.strftime("%Y-%m-%d")}


class RevokeView(SubscriptionActionView):
    permission_required = "change"
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke a subscription")
    submit_label = gettext_lazy("Revoke now")

    def act(self, data, form):
        before = snapshot(self.subscription, AUDITED_FIELDS)
        subscription = subscriptions.revoke(self.subscription, actor=self.request.user, note=data["note"])
        log_change(
            subscription,
            "memberships.subscription.revoke",
            user=self.request.user,
            before=before,
            fields=AUDITED_FIELDS,
            note=data["note"],
        )
        return _("Revoked. %(email)s is back on their other plans or the free tier.") % {
            "email": self.subscription.user.email
        }


class SubscriptionIndexView(IndexView):
    action_url_names: dict = {}

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == SubscriptionStatus.REVOKED:
            return buttons
        for label, name, icon in ((_("Extend"), "extend", "plus"), (_("Revoke"), "revoke", "cross")):
            if self.user_has_permission_for_action("change"):
                buttons.append(
                    ListingButton(
                        label,
                        url=reverse(self.action_url_names[name], args=[quote(instance.pk)]),
                        icon_name=icon,
                        priority=10,
                    )
                )
        return buttons

    def user_has_permission_for_action(self, action):
        return self.permission_policy.user_has_permission(self.request.user, "view") and (
            self.request.user.has_perm(f"memberships.{action}_subscription")
        )

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.request.user.has_perm("memberships.add_subscription"):
            buttons.append(
                ListingButton(
                    _("Grant a subscription"), url=reverse(self.action_url_names["grant"]), icon_name="plus"
                )
            )
        return buttons


class SubscriptionViewSet(ModelViewSet):
    model = Subscription
    icon = "group"
    menu_label = gettext_lazy("Subscriptions")
    add_to_admin_menu = False
    index_view_class = SubscriptionIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_per_page = 50
    search_fields = ["user__email", "user__full_name", "provider_reference"]
    list_filter = ["status", "tier", "provider", "ends_at"]
    list_export = ["user", "tier", "status", "provider", "provider_reference", "starts_at", "ends_at"]
    inspect_view_fields = [
        "user",
        "tier",
        "status",
        "provider",
        "provider_reference",
        "starts_at",
        "ends_at",
        "reminder_sent_at",
        "expired_notice_sent_at",
        "created_at",
    ]

    @cached_property
    def list_display(self):
        return [
            Column("user", label=_("Learner"), accessor=lambda s: s.user.email),
            "tier",
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda s: s.is_current,
            ),
            "provider",
            # Absolute dates: a relative "in 4 weeks" hides the day a plan really ends.
            Column("starts_at", label=_("From"), accessor=_day("starts_at"), sort_key="starts_at"),
            Column("ends_at", label=_("Until"), accessor=_day("ends_at"), sort_key="ends_at"),
        ]

    def get_queryset(self, request):
        return Subscription.objects.select_related("user", "tier")

    def get_index_view_kwargs(self, **kwargs):
        names = {name: self.get_url_name(name) for name in ("grant", "extend", "revoke")}
        return super().get_index_view_kwargs(action_url_names=names, **kwargs)

    def _action(self, view_class):
        return view_class.as_view(
            permission_policy=ModelPermissionPolicy(Subscription),  # plain add/change perms
            index_url_name=self.get_url_name("index"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("grant/", self._action(GrantView), name="grant"),
            path("extend/<str:pk>/", self._action(ExtendView), name="extend"),
            path("revoke/<str:pk>/", self._action(RevokeView), name="revoke"),
        ]
