#!/usr/bin/env bash
# Runs the web server and a django-q2 cluster side by side; Ctrl-C stops both.
#
# Each runs in its own session (setsid) so that stopping is this script's job alone:
# on Ctrl-C or TERM it stops the web server's process group (the autoreloader's child
# included) and asks the cluster's main process to shut down its workers itself; if
# either dies on its own the other is stopped too. Anything still up after 15 s is killed.
set -uo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

setsid "$PY" manage.py qcluster &
cluster=$!
setsid "$PY" manage.py runserver "$HOST:$PORT" &
web=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM -- "-$web" 2>/dev/null
  kill -TERM "$cluster" 2>/dev/null
  for _ in $(seq 15); do
    kill -0 "$cluster" 2>/dev/null || kill -0 "$web" 2>/dev/null || break
    sleep 1
  done
  kill -KILL -- "-$web" "-$cluster" 2>/dev/null
  wait 2>/dev/null
  echo "Lectern stopped."
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

echo "Lectern is at http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/)  Ctrl-C stops it."
wait -n "$web" "$cluster"
