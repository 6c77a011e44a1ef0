"""An editor uploads a lecture in the Wagtail admin and watches it being packaged: the
status badge and percentage on the video's page move on their own (video-admin.js polls
the status JSON) until the video is Ready, without reloading the page."""

import os
import re
import tempfile

import pytest
from playwright.sync_api import expect

from media_pipeline import packaging, tasks
from media_pipeline.models import Video, VideoStatus

from ..media_pipeline.packaging_support import make_clip
from .test_video_playback import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.path.join(tempfile.gettempdir(), "shots")

# Every text the status line shows, in order, as the page renders it (server or poller).
_RECORD_STATUS = """() => {
    const status = document.querySelector('[data-video-status]');
    const seen = window.statusSeen = [];
    const note = () => seen.push({
        badge: status.querySelector('[data-video-status-badge]').textContent.trim(),
        detail: status.querySelector('[data-video-status-detail]').textContent.trim(),
        percent: Number(status.querySelector('[data-video-status-bar]').getAttribute('aria-valuenow')),
    });
    note();
    new MutationObserver(note).observe(status, {subtree: true, childList: true, characterData: true});
}"""


def test_editor_uploads_a_video_and_watches_packaging_progress_until_ready(
    live_server, page, editor, monkeypatch, tmp_path
):
    """Packaging takes minutes on real lectures, so the editor must see it moving. The
    upload only queues the job (as in production, where the videos cluster picks it up);
    the test then runs that job itself, holding it at the start of each stage until the
    open page has shown that stage's percentage."""
    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda video_id, **options: queued.append(video_id))
    clip = make_clip(tmp_path / "welcome-to-sql.mp4", seconds=4)
    base = live_server.url
    _log_in(page, base, editor)

    page.goto(base + "/admin/snippets/media_pipeline/video/add/")
    page.get_by_role("textbox", name="Title").fill("Welcome to SQL")
    page.locator("input[type=file][name=source]").set_input_files(clip)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("Welcome to SQL.*created"))).to_be_visible()

    video = Video.objects.get(title="Welcome to SQL")
    assert queued == [video.pk]
    page.goto(base + f"/admin/snippets/media_pipeline/video/edit/{video.pk}/")
    status = page.locator("[data-video-status]")
    badge, detail = status.locator("[data-video-status-badge]"), status.locator("[data-video-status-detail]")
    bar = page.get_by_role("progressbar", name="Packaging progress")
    expect(badge).to_have_text("Queued")
    expect(detail).to_have_text("0% · Waiting for a packaging worker")
    expect(bar).to_be_visible()
    page.evaluate(_RECORD_STATUS)

    os.makedirs(SHOTS, exist_ok=True)
    progress_shot = f"{SHOTS}/admin-upload-progress.png"
    shown = []

    def hold_until_shown(percent, stage):
        """At each new stage, wait until the open page shows what the job has saved."""
        if stage in shown:
            return
        shown.append(stage)
        saved = Video.objects.values("progress", "stage").get(pk=video.pk)
        expect(detail).to_have_text(f"{saved['progress']}% · {saved['stage']}", timeout=10_000)
        expect(badge).to_have_text("Processing")
        expect(bar).to_have_attribute("aria-valuenow", str(saved["progress"]))
        if saved["stage"].startswith("Encoding"):
            page.screenshot(path=progress_shot, full_page=True)

    assert packaging.package(video.pk, report=hold_until_shown).status == VideoStatus.READY

    expect(badge).to_have_text("Ready")
    expect(detail).to_have_text("180p")
    # Done: the bar gives way to the renditions, having reached 100 %.
    expect(bar).to_be_hidden()
    expect(status.locator("[data-video-status-bar]")).to_have_attribute("aria-valuenow", "100")
    page.screenshot(path=f"{SHOTS}/admin-upload.png", full_page=True)

    seen = page.evaluate("() => window.statusSeen")
    percents = [entry["percent"] for entry in seen]
    assert seen[0]["badge"] == "Queued" and seen[-1]["badge"] == "Ready", seen
    assert percents == sorted(percents), seen
    assert len({p for p in percents if 0 < p < 100}) >= 2, seen  # it moved, live
    # A 180p source is never scaled up: the stage names only the rung it gets.
    encoding = {entry["detail"].split(" · ")[-1] for entry in seen if "Encoding" in entry["detail"]}
    assert encoding == {"Encoding 180p"}, seen
