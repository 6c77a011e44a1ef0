"""Wagtail admin for live sessions (registered from wagtail_hooks.py).

Instructors see, schedule and change sessions only for courses they teach: the
listing, the course chooser and every per-object view are scoped by
`LiveSessionPermissionPolicy`. Content staff and superusers see all. Saving goes
through `live.services`, which raises the iCalendar SEQUENCE, queues the provider
call and tells the learners.
"""

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from audit.changes import diff
from audit.changes import snapshot as audit_snapshot
from learning.models import CoursePage
from memberships.policy import is_content_staff

from . import services
from .models import LiveSession, Provider, ProviderStatus, time_zone_names
from .providers.google import configuration_problem as google_configuration_problem


def manageable_courses(user):
    courses = CoursePage.objects.order_by("title")
    return courses if is_content_staff(user) else courses.filter(instructors=user)


def manageable_sessions(user):
    sessions = LiveSession.objects.select_related("course")
    return sessions if is_content_staff(user) else sessions.for_instructor(user)


class LiveSessionPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, narrowed to the sessions of courses the user teaches."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return is_content_staff(user) or manageable_courses(user).filter(pk=instance.course_id).exists()

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return LiveSession.objects.none()
        return manageable_sessions(user)


class LiveSessionForm(WagtailAdminModelForm):
    """Start and end are wall-clock times in the chosen time zone, whatever zone the
    admin user's own profile uses, so "10:00 Asia/Ho_Chi_Minh" means what it says."""

    class Meta(WagtailAdminModelForm.Meta):
        model = LiveSession
        fields = [
            "course",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "capacity",
            "provider",
            "join_url",
            "status",
        ]
        # A plain list of the user's own courses (not Wagtail's page chooser, which would
        # show the whole tree) and typed clock times in the session's own zone.
        widgets = {"course": forms.Select, "starts_at": forms.DateTimeInput, "ends_at": forms.DateTimeInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["course"].queryset = manageable_courses(self.for_user)
        self.fields["course"].empty_label = _("Choose one of your courses")
        self.fields["time_zone"] = forms.TypedChoiceField(
            choices=[(name, name) for name in time_zone_names()],
            initial=timezone.get_current_timezone_name(),
            label=_("Time zone"),
            help_text=_("Start and end are clock times in this zone."),
            error_messages={
                "invalid_choice": _("“%(value)s” is not a known time zone. Choose one from the list.")
            },
        )
        self.fields["starts_at"].help_text = _("Clock time in the session's time zone.")
        if self.instance.pk:
            zone = self.instance.zone
            for name in ("starts_at", "ends_at"):
                self.initial[name] = getattr(self.instance, name).astimezone(zone).replace(tzinfo=None)
        else:
            self.fields.pop("status")

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                if data.get(name):
                    wall_clock = timezone.make_naive(data[name])
                    data[name] = timezone.make_aware(wall_clock, zone)
                    setattr(self.instance, name, data[name])
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        if starts and not self.instance.pk and starts < timezone.now():
            self.add_error("starts_at", _("A new session cannot start in the past."))
        provider = data.get("provider")
        if provider == Provider.GOOGLE and (problem := google_configuration_problem()):
            self.add_error("provider", problem)
        if provider == Provider.LINK and not data.get("join_url"):
            self.add_error("join_url", _("Paste the meeting link for a “Pasted link” session."))
        return data


class ProviderStatusPanel(Panel):
    """Read-only: what the provider said (link, status, last error) and the calendar identity."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "live/admin/provider_status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["session"] = self.instance
            return context


class ScopedObjectMixin:
    """Refuse (403) any per-object view for a session of a course the user does not teach."""

    object_permission = "change"

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.object_permission, instance
        ):
            raise PermissionDenied
        return instance


class LiveSessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return manageable_sessions(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Attendance"),
                url=reverse("live_sessions:attendance", args=[quote(instance.pk)]),
                icon_name="group",
                priority=20,
            )
        )
        return buttons


class LiveSessionCreateView(generic.CreateView):
    def save_instance(self):
        session = services.schedule_session(self.form.save(commit=False), actor=self.request.user)
        changes = diff({}, audit_snapshot(session))
        log(instance=session, action="wagtail.create", user=self.request.user, data={"changes": changes})
        return session


class LiveSessionEditView(ScopedObjectMixin, generic.EditView):
    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        self.before = services.snapshot(instance)
        self.audit_before = audit_snapshot(instance)
        return instance

    def save_instance(self):
        session = self.form.save(commit=False)
        changed = services.save_changes(session, self.before)
        if changed:
            changes = diff(self.audit_before, audit_snapshot(session))
            log(instance=session, action="wagtail.edit", user=self.request.user, data={"changes": changes})
        return session


class LiveSessionDeleteView(ScopedObjectMixin, generic.DeleteView):
    object_permission = "delete"


class LiveSessionHistoryView(ScopedObjectMixin, generic.HistoryView):
    object_permission = "view"


class AttendanceView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "live/admin/attendance.html"
    page_title = gettext_lazy("Attendance")
    header_icon = "group"

    def dispatch(self, request, pk):
        self.session = get_object_or_404(LiveSession.objects.select_related("course"), pk=unquote(str(pk)))
        policy = LiveSessionPermissionPolicy(LiveSession)
        if not policy.user_has_permission_for_instance(request.user, "view", self.session):
            raise PermissionDenied
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.session.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("live_sessions:index"), "label": _("Live sessions")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.session,
            attendances=self.session.attendances.select_related("user").order_by("joined_at"),
            csv_url=reverse("live_sessions:attendance_csv", args=[quote(self.session.pk)]),
            **kwargs,
        )


class AttendanceCsvView(AttendanceView):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(services.attendance_csv(self.session), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="attendance-session-{self.session.pk}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


def _starts(session):
    local = session.starts_at.astimezone(session.zone)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({session.time_zone})"


class LiveSessionViewSet(ModelViewSet):
    model = LiveSession
    icon = "date"
    menu_label = gettext_lazy("Live sessions")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = LiveSessionIndexView
    add_view_class = LiveSessionCreateView
    edit_view_class = LiveSessionEditView
    delete_view_class = LiveSessionDeleteView
    history_view_class = LiveSessionHistoryView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["title", "course__title"]
    list_filter = ["status", "provider", "provider_status"]
    list_per_page = 50

    @cached_property
    def list_display(self):
        return [
            "title",
            Column("course", label=_("Course"), accessor=lambda s: s.course.title),
            Column("starts_at", label=_("Starts"), accessor=_starts, sort_key="starts_at"),
            Column("provider", label=_("Provider"), accessor="get_provider_display"),
            StatusTagColumn(
                "provider_status",
                label=_("Meeting"),
                accessor="get_provider_status_display",
                primary=lambda s: s.provider_status == ProviderStatus.OK,
            ),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                primary=lambda s: not s.is_cancelled,
            ),
        ]

    @cached_property
    def edit_handler(self):
        return ObjectList(
            [
                FieldPanel("course"),
                FieldPanel("title"),
                FieldPanel("description"),
                MultiFieldPanel(
                    [
                        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                        FieldPanel("time_zone"),
                    ],
                    heading=gettext_lazy("When"),
                ),
                FieldPanel("capacity"),
                MultiFieldPanel(
                    [FieldPanel("provider"), FieldPanel("join_url"), ProviderStatusPanel()],
                    heading=gettext_lazy("Meeting"),
                ),
                FieldPanel(
                    "status",
                    help_text=gettext_lazy("Cancelling tells every invited learner and removes the meeting."),
                ),
            ],
            base_form_class=LiveSessionForm,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("attendance/<str:pk>/", AttendanceView.as_view(), name="attendance"),
            path("attendance/<str:pk>/csv/", AttendanceCsvView.as_view(), name="attendance_csv"),
        ]
