"""gunicorn for Lectern behind nginx: 2 x cores + 1 workers of 2 threads each (gthread), so a
worker waiting on PostgreSQL or Redis leaves its core to another."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests, a guard against slow leaks. Booting
# one costs a couple of CPU-seconds; at a few hundred key requests a second, 2,000 meant
# a restart every few seconds per core, so the guard is set in tens of thousands.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
