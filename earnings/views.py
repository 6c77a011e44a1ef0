"""The monthly statement in the Wagtail admin, and its CSV export.

Instructors see only their own statement; staff who may view orders (finance) choose
any instructor. The choice is checked here, on the server: an instructor who puts
another's id in the address still gets their own.
"""

import csv
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import CoursePage

from . import statements


def sees_everyone(user) -> bool:
    return user.is_superuser or user.has_perm("memberships.view_order")


def teaches_any(user) -> bool:
    return CoursePage.objects.filter(instructors=user).exists()


def can_see_earnings(user) -> bool:
    return user.is_authenticated and (sees_everyone(user) or teaches_any(user))


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        today = timezone.localdate()
        return date(today.year, today.month, 1)


def _instructors():
    return (
        get_user_model()
        .objects.filter(pk__in=CoursePage.instructors.through.objects.values("user_id"))
        .order_by("email")
    )


def statement_view(request):
    if not can_see_earnings(request.user):
        raise PermissionDenied
    month = _month(request.GET.get("month", ""))
    instructor = request.user
    choices = None
    if sees_everyone(request.user):
        choices = list(_instructors())
        chosen = request.GET.get("instructor")
        instructor = next(
            (u for u in choices if str(u.pk) == chosen), choices[0] if choices else request.user
        )
    result = statements.statement(instructor, month)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="earnings-{month:%Y-%m}-{instructor.pk}.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Vietnamese titles as UTF-8
        csv.writer(response).writerows(statements.csv_rows(result))
        return response
    return render(
        request,
        "earnings/statement.html",
        {
            "statement": result,
            "month_value": f"{month:%Y-%m}",
            "instructors": choices,
            "page_title": _("Earnings"),
            "header_title": _("Earnings"),
        },
    )
