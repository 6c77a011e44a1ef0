#!/usr/bin/env bash
# Debian packages the test suite needs: chromium for the browser tests (driven by
# Playwright with executable_path=/usr/bin/chromium), ffmpeg for the video pipeline, and
# the tools below.
# Installs only what is missing; a second run is instant.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
# pg_dump/pg_restore for backups on PostgreSQL; pdftoppm to look at rendered PDFs.
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# wrk drives the endpoint benchmarks (make bench) from a second process on loopback.
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

# Another apt or dpkg (unattended-upgrades, a second terminal, cloud-init on first boot)
# may hold the package locks. Wait for them, bounded, instead of failing at once:
# apt-get waits for the dpkg lock itself (DPkg::Lock::Timeout, apt >= 1.9.11; Debian 12
# has 2.6) and says so; `apt-get update` may still fail at once on the package lists
# lock, so it is retried until the same deadline.
lock_wait="${APT_LOCK_WAIT_SECONDS:-300}"
retry_every="${APT_LOCK_RETRY_SECONDS:-5}"
apt_wait=(-o "DPkg::Lock::Timeout=${lock_wait}")

echo "Installing Debian packages: ${missing[*]}"
echo "(If another apt or dpkg process is running, this waits up to ${lock_wait} s for it to finish.)"
deadline=$(( $(date +%s) + lock_wait ))
until $sudo apt-get "${apt_wait[@]}" update -qq; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "apt-get update still fails after waiting ${lock_wait} s (another apt process, or the network). Try again later." >&2
    exit 1
  fi
  echo "apt-get update failed; another apt process may hold the package lists lock. Retrying in ${retry_every} s…" >&2
  sleep "$retry_every"
done
DEBIAN_FRONTEND=noninteractive $sudo apt-get "${apt_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
