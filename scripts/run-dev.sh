#!/usr/bin/env bash
# Runs the web server and a django-q2 cluster side by side; Ctrl-C stops both.
set -euo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$PY" manage.py qcluster &
cluster=$!
trap 'kill "$cluster" 2>/dev/null; wait "$cluster" 2>/dev/null' EXIT INT TERM

echo "Lectern is at http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/)"
"$PY" manage.py runserver "$HOST:$PORT"
