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
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
