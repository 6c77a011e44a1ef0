"""README.md's "Using the API" walk-through works exactly as written: its shell block is
taken from the README and run with bash and curl against the real app (gunicorn on this
run's database), as a learner with a free course whose lesson has a packaged video."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from learning.models import CoursePage

from ..conftest import _verified
from ..factories import UserFactory
from ..media_pipeline.playback_support import lesson_with_video
from .live_app import running_app

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "a-walk-through-password"


def walkthrough() -> str:
    section = README.read_text().split("## Using the API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the section has one shell block: the walk-through"
    return blocks[0]


def test_the_readmes_api_walkthrough_runs_as_written(tiers, catalog, tmp_path):
    lesson = lesson_with_video(catalog, title="Reading a query plan")
    course = CoursePage.objects.get(pk=lesson.get_parent().get_parent().pk)
    _verified(UserFactory(email="walker@example.test", password=PASSWORD))

    with running_app(tmp_path) as (base, log):
        run = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", walkthrough()],  # noqa: S607 - Debian's bash on PATH
            env={**os.environ, "LECTERN": base, "EMAIL": "walker@example.test", "PASSWORD": PASSWORD},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}\nserver log:\n{log.read_text()[-4000:]}"
    enrolment, beat, progress = run.stdout.strip().splitlines()
    assert f'"id":{course.pk}' in enrolment.replace(" ", "") and '"created":true' in enrolment.replace(
        " ", ""
    )
    # The server counted the five seconds played, and says where to continue (the clip is
    # 12 seconds long: second 5 is not near its end, so the learner resumes there).
    assert '"position":5.0' in beat.replace(" ", "") and '"percent":0' not in beat.replace(" ", "")
    assert progress.startswith("[") and course.title in progress
    assert f"'id': {lesson.pk}" in progress and "'seconds': 5" in progress
