"""The dashboard's figures as flat rows for the CSV export (same scope as the panels)."""

from collections.abc import Iterator

from .figures import Dashboard


def dashboard_rows(dashboard: Dashboard) -> Iterator[list]:
    scope = dashboard.scope
    yield ["range", "days", "", dashboard.days]
    yield ["range", "first day", "", dashboard.first_day.isoformat()]
    yield ["range", "last day", "", dashboard.today.isoformat()]
    users = dashboard.users
    yield ["users", "total", "", users["total"]]
    yield ["users", users["new_label"], "", users["new"]]
    for row in users["by_tier"]:
        yield ["users", "by tier", row["tier"], row["count"]]
    active = dashboard.active_today
    yield ["active today", "users", "", active["users"]]
    yield ["active today", "visitors", "", active["visitors"]]
    for name, value in dashboard.course_counts.items():
        yield ["courses", name, "", value]
    for name, value in dashboard.videos.items():
        yield ["videos", {"storage": "storage bytes"}.get(name, name), "", value]
    if scope.show_revenue:
        revenue = dashboard.revenue
        yield ["revenue", "purchases", "", revenue["purchases"]]
        for total in revenue["totals"]:
            yield ["revenue", "total", total["currency"], total["amount"]]
        for row in revenue["by_tier"]:
            yield ["revenue", "by tier", f"{row['tier']} ({row['currency']})", row["amount"]]
        for day, amount in revenue["daily"]:
            yield ["revenue", f"daily ({revenue['currency']})", day.isoformat(), amount]
    for step in dashboard.funnel:
        yield ["funnel", step["label"], "", step["value"]]
    for course in dashboard.top_courses:
        for figure in ("enrollments", "active_learners", "completions"):
            yield ["top courses", figure, course["title"], course[figure]]
    for day, visitors in dashboard.daily_activity:
        yield ["visitors", "daily", day.isoformat(), visitors]
