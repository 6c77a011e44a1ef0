"""`scripts/install-system-deps.sh` waits (bounded) for another apt or dpkg to finish
instead of failing at once.

The script runs with a PATH that holds only stubs: `apt-get` records its arguments and
plays a lock held by another process, so nothing is ever installed. `id` says root, and
every tool the script probes for is missing, so it always reaches apt-get.
"""

import fcntl
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "install-system-deps.sh"

APT_GET = """#!/bin/bash
echo "$*" >> "$STUB_LOG"
if [[ " $* " == *" update "* ]]; then
  count=$(grep -c " update" "$STUB_LOG")
  if [ "$count" -le "${STUB_UPDATE_FAILURES:-0}" ]; then
    echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
    exit 100
  fi
fi
exit 0
"""


def _stub(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def stubs(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    _stub(folder, "apt-get", APT_GET)
    _stub(folder, "id", "#!/bin/sh\necho 0\n")
    for tool in ("grep", "date", "sleep"):
        (folder / tool).symlink_to(shutil.which(tool))
    return folder


def _run(stubs, tmp_path, **env) -> tuple[subprocess.CompletedProcess, list[str]]:
    log = tmp_path / "apt-get.log"
    log.touch()
    result = subprocess.run(
        ["/bin/bash", str(SCRIPT)],
        env={"PATH": str(stubs), "STUB_LOG": str(log), "APT_LOCK_RETRY_SECONDS": "0", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, log.read_text().splitlines()


def test_apt_get_is_told_to_wait_up_to_five_minutes_for_the_dpkg_lock(stubs, tmp_path):
    result, calls = _run(stubs, tmp_path)
    assert result.returncode == 0, result.stderr
    update, install = calls
    assert "-o DPkg::Lock::Timeout=300 update" in update
    assert "-o DPkg::Lock::Timeout=300 install" in install and "ffmpeg" in install
    assert "waits up to 300 s" in result.stdout


def test_a_held_package_lists_lock_is_waited_for_not_a_failure(stubs, tmp_path):
    result, calls = _run(stubs, tmp_path, STUB_UPDATE_FAILURES="2")
    assert result.returncode == 0, result.stderr
    assert [" update " in f" {call} " for call in calls] == [True, True, True, False]
    assert "install" in calls[3]
    assert "Retrying" in result.stderr


def test_the_wait_is_bounded(stubs, tmp_path):
    result, calls = _run(stubs, tmp_path, STUB_UPDATE_FAILURES="1000", APT_LOCK_WAIT_SECONDS="0")
    assert result.returncode == 1
    assert "still fails after waiting 0 s" in result.stderr
    assert not any("install" in call for call in calls)


def _take_dpkg_lock(fd: int, seconds: int = 300) -> None:
    """Take the dpkg front-end lock, waiting (bounded) for an apt run elsewhere to finish."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            assert time.monotonic() < deadline, f"another apt or dpkg held the lock for {seconds} s"
            time.sleep(1)


def test_debian_apt_get_waits_for_a_held_dpkg_lock_with_the_scripts_option():
    """The option the script passes does make this machine's apt-get wait for the lock
    (`apt-get check` takes it and installs nothing). `make test` installs the system
    packages with apt as root, so both are there whenever the suite runs."""
    assert shutil.which("apt-get"), "make test needs Debian's apt-get (scripts/install-system-deps.sh)"
    assert os.geteuid() == 0, "holding the real dpkg lock needs root, as scripts/install-system-deps.sh does"
    fd = os.open("/var/lib/dpkg/lock-frontend", os.O_RDWR)
    try:
        _take_dpkg_lock(fd)
        waiting = subprocess.Popen(
            [shutil.which("apt-get"), "-o", "DPkg::Lock::Timeout=300", "check"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(2)
        assert waiting.poll() is None  # still waiting, not failed
    finally:
        os.close(fd)
    assert waiting.wait(timeout=60) == 0
