from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.users.views.users import IndexView as WagtailUserIndexView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from allauth.mfa.models import Authenticator

from . import staff_mfa
from .admin_forms import WagtailUserCreationForm, WagtailUserEditForm


@login_required
def continue_after_mfa_setup(request):
    """Where a staff member goes once their authenticator and recovery codes are set up:
    the admin page they were heading for when the middleware stopped them."""
    return redirect(staff_mfa.pop_destination(request) or reverse("mfa_index"))


class ResetMFAView(WagtailAdminTemplateMixin, TemplateView):
    """A superuser removes a member's authenticators (a lost phone). Audited."""

    template_name = "accounts/admin/reset_mfa.html"
    page_title = gettext_lazy("Reset two-factor authentication")
    header_icon = "key"
    index_url_name = None
    edit_url_name = None

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        # One's own factors are changed on one's account pages, after confirming the
        # password again, never from here.
        if not request.user.is_superuser or self.member.pk == request.user.pk:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.member)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Users")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            member=self.member,
            authenticators=Authenticator.objects.filter(user_id=self.member.pk).order_by("type"),
            cancel_url=reverse(self.edit_url_name, args=[self.member.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        removed = staff_mfa.reset_mfa(self.member, by=request.user, request=request)
        if removed:
            messages.success(
                request,
                _(
                    "Two-factor authentication reset for %(user)s. They set up a new authenticator at their next sign-in."
                )
                % {"user": self.member},
            )
        else:
            messages.info(request, _("%(user)s had no authenticator to reset.") % {"user": self.member})
        return redirect(self.index_url_name)


class UserIndexView(WagtailUserIndexView):
    reset_mfa_url_name = None

    def get_list_more_buttons(self, instance):
        # In the row's "More" menu beside Edit and Delete: a rare action, not a headline.
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if user.is_superuser and instance.pk != user.pk and instance.pk in self._users_with_mfa:
            buttons.append(
                Button(
                    _("Reset two-factor authentication"),
                    url=reverse(self.reset_mfa_url_name, args=[instance.pk]),
                    icon_name="key",
                    priority=50,
                )
            )
        return buttons

    @property
    def _users_with_mfa(self) -> set:
        # One query for the whole listing, not one per row.
        if not hasattr(self, "_users_with_mfa_cache"):
            self._users_with_mfa_cache = set(
                Authenticator.objects.values_list("user_id", flat=True).distinct()
            )
        return self._users_with_mfa_cache


class UserViewSet(WagtailUserViewSet):
    index_view_class = UserIndexView

    def get_form_class(self, for_update=False):
        return WagtailUserEditForm if for_update else WagtailUserCreationForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(reset_mfa_url_name=self.get_url_name("reset_mfa"), **kwargs)

    @property
    def reset_mfa_view(self):
        return ResetMFAView.as_view(
            index_url_name=self.get_url_name("index"), edit_url_name=self.get_url_name("edit")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(f"reset-mfa/<{self.pk_path_converter}:pk>/", self.reset_mfa_view, name="reset_mfa"),
        ]
