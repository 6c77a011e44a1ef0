"""Playback endpoints under gunicorn + PostgreSQL + Redis, driven by wrk, side by side.

Creates a PostgreSQL database (`lectern_play_bench` unless DATABASE_URL names another
ending in _bench), migrates it, builds a Gold lesson whose video has a real 12-second
encrypted rendition and a synthetic 2-hour rendition (1,200 six-second segments), and
logs a Gold member in. Then it starts gunicorn on production settings (throwaway
secrets, plain HTTP on loopback) with its workers pinned to ONE core (taskset), so
wrk's req/s is a per-core rate; wrk runs pinned to the other core. It drives:

- the key endpoint (rate limit, token, session user, policy, playback session, key
  unwrap, KeyAccess row);
- the master playlist;
- the 2-hour media playlist (1,200 signed segment URLs + a key token per request);

in three set-ups side by side: the full middleware stack without the workers' lesson
cache (PLAYBACK_GATE_CACHE), the full stack with it, and as deployed (the cache plus the
key endpoint's short middleware stack, config/handlers.py). For each it reports queries,
Django's CPU per request in this process, and the CPU the gunicorn processes actually
spent per request while wrk ran (psutil), which gives requests per second per core of
app-server CPU whatever else shared the core. Then, in this process, it rewrites
that playlist cold (every URL signed) and warm (the window's signed segment list
memoised), p50/p99. Everything is dropped at the end.

    .venv/bin/python -m bench playback_endpoints

Targets: >= 500 key requests/s per core; a 1,200-segment rewrite <= 15 ms p50.
"""

import base64
import io
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench.setup import drop_postgres_database, recreate_postgres_database

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lectern_play_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/2"
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", 8))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", 16))
# Workers (deploy/gunicorn.conf.py's threads each) sharing the one pinned core: enough
# that one waiting on PostgreSQL or Redis leaves the core to another.
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
THREADS = int(os.environ.get("BENCH_THREADS", 2))
APP_CORE, WRK_CORE = "0", "1"
SEGMENTS = 1200
# (label, workers' lesson cache, short middleware stack on the key path)
SETUPS = (("full", False, False), ("full+cache", True, False), ("deployed", True, True))


def _env():
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    os.environ.setdefault("CACHE_KEY_PREFIX", "lectern-play-bench")
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="lectern-play-bench-private-"))
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="lectern-play-bench-media-"))
    os.environ["PLAYBACK_KEY_RATE"] = "100000000/m"  # the bench is one user hammering one key
    os.environ.setdefault("CONN_MAX_AGE", "600")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    # The server runs on production settings: throwaway secrets for this run only. The
    # test settings that build the data take the same master key from the environment.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["MEDIA_MASTER_KEYS"] = "bench:" + base64.b64encode(secrets.token_bytes(32)).decode()
    os.environ["MEDIA_MASTER_KEY_ID"] = "bench"
    os.environ["CERTIFICATE_SIGNING_KEY"] = base64.b64encode(secrets.token_bytes(32)).decode()
    os.environ["BACKUP_ENCRYPTION_KEY"] = base64.b64encode(secrets.token_bytes(32)).decode()
    os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
    os.environ["LOG_JSON"] = "false"


def _create_database() -> str:
    url = os.environ["DATABASE_URL"]
    if not recreate_postgres_database(url):
        raise SystemExit("this bench runs against PostgreSQL: set DATABASE_URL=postgres://…/<name>_bench")
    return url


def _build():
    """A Gold lesson with a packaged video plus a 2-hour rendition; a logged-in Gold member."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.test import Client

    from bench.setup import fresh_catalog
    from media_pipeline.keys import new_content_key, rendition_key_entry
    from memberships import subscriptions
    from memberships.defaults import seed_default_tiers
    from memberships.models import Tier
    from tests.factories import UserFactory
    from tests.media_pipeline.playback_support import lesson_with_video

    seed_default_tiers(Tier)
    gold_tier = Tier.objects.get(slug="gold")
    lesson = lesson_with_video(fresh_catalog(), tier=gold_tier, heights=(360,))
    video = lesson.video
    long_playlist = (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n"
        '#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x0f1e2d3c4b5a69788796a5b4c3d2e1f0\n'
        + "".join(f"#EXTINF:6.000000,\nseg_{i:05d}.ts\n" for i in range(SEGMENTS))
        + "#EXT-X-ENDLIST\n"
    )
    storages["private"].save(video.storage_prefix + "1080p/index.m3u8", ContentFile(long_playlist.encode()))
    video.renditions = [
        *video.renditions,
        {
            "height": 1080,
            "width": 1920,
            "bandwidth": 5_000_000,
            "codecs": "avc1.640028,mp4a.40.2",
            "playlist": "1080p/index.m3u8",
            "key": rendition_key_entry(new_content_key()),  # its own key, as packaging gives each
        },
    ]
    video.save()
    member = UserFactory(email="gold-play-bench@example.test")
    subscriptions.grant(member, gold_tier, notify=False)
    client = Client()
    client.force_login(member)
    data = client.post(
        f"/video/play/{lesson.pk}/", {"device": "bench-device-0001"}, content_type="application/json"
    ).json()
    long_media = data["master_url"].replace("master.m3u8", "1080p.m3u8")
    text = client.get(long_media).content.decode()
    assert text.count("/video/f/") == SEGMENTS, text[:300]
    key_url = re.search(r'URI="([^"]+)"', text).group(1)
    return client, data["master_url"], long_media, key_url


def _queries(cookie, url, n=300):
    """Queries per request, and this process's CPU ms per request through Django's WSGI
    handler (PostgreSQL's and Redis's own CPU are not counted), median of 5 rounds."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from config.handlers import lean_paths_application

    app = lean_paths_application(WSGIHandler())

    def get():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": url,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status = []
        body = b"".join(app(environ, lambda s, h, *a: status.append(s)))
        assert status[0].startswith("200"), (url, status, body[:200])

    for _ in range(20):
        get()
    count = []

    def counting(execute, sql, params, many, context):
        count.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        get()
    rounds = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(n // 5):
            get()
        rounds.append((time.process_time() - started) * 1000 / (n // 5))
    return len(count), statistics.median(rounds)


def _rewrite_timings():
    """Rewriting the 2-hour playlist in this process: cold (sign all) and warm (memoised)."""
    from media_pipeline import playback, signing

    text = (
        "#EXTM3U\n#EXT-X-TARGETDURATION:6\n"
        '#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x0f1e2d3c4b5a69788796a5b4c3d2e1f0\n'
        + "".join(f"#EXTINF:6.000000,\nseg_{i:05d}.ts\n" for i in range(SEGMENTS))
        + "#EXT-X-ENDLIST\n"
    )
    parsed = playback.parse_media_playlist(text, "video/00000000-0000-0000-0000-000000000000/build/1080p/")
    cold, warm, parse = [], [], []
    for i in range(200):
        started = time.perf_counter()
        playback.parse_media_playlist(text, "video/x/build/1080p/")
        parse.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        playback.render_media_playlist(parsed, "/video/key/T/", 10_000_000 + i * 300)  # new window: no memo
        cold.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        playback.render_media_playlist(parsed, "/video/key/T/", 10_000_000 + i * 300)  # same window: memo
        warm.append((time.perf_counter() - started) * 1000)
    del signing
    return {"parse": parse, "cold": cold, "warm": warm}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(gate_cache: bool, lean: bool):
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        PLAYBACK_GATE_CACHE="true" if gate_cache else "false",
        LEAN_PATHS="/video/key/" if lean else "",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(WORKERS),
        GUNICORN_THREADS=str(THREADS),
    )
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [
            shutil.which("taskset") or "/usr/bin/taskset",
            "-c",
            APP_CORE,
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-c",
            os.environ.get(
                "BENCH_GUNICORN_CONF", "deploy/gunicorn.conf.py"
            ),  # as deployed: gthread workers, access log on
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - http on loopback
            break
        except OSError as exc:
            if getattr(exc, "code", None):  # an HTTP answer of any kind: it is up
                break
            time.sleep(0.1)
    return process, base


def _stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def _check(base, path, cookie):
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http on loopback
        assert response.status == 200, (path, response.status)
        return response.read()


def _app_cpu_seconds(process) -> float:
    """CPU the gunicorn master and its workers have used so far (workers that exited
    and were reaped are counted in the master's children times)."""
    import psutil

    master = psutil.Process(process.pid)
    total = sum(master.cpu_times()[:4])
    for worker in master.children(recursive=True):
        try:
            total += sum(worker.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def _wrk(base, path, cookie, seconds=None, process=None):
    cpu_before = _app_cpu_seconds(process) if process else 0.0
    out = subprocess.run(  # noqa: S603 - the Debian wrk on PATH, fixed arguments
        [
            shutil.which("taskset") or "/usr/bin/taskset",
            "-c",
            WRK_CORE,
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t1",
            f"-c{WRK_CONNECTIONS}",
            f"-d{seconds or WRK_SECONDS}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu_ms = (_app_cpu_seconds(process) - cpu_before) * 1000 / max(requests, 1) if process else 0.0
    return {
        "rate": rate,
        "p50": pct(50),
        "p99": pct(99),
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "app_cpu_ms": cpu_ms,
    }


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing (Debian package wrk)")
    _env()
    url = _create_database()
    private_root = os.environ["PRIVATE_MEDIA_ROOT"]
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()
        settings.DEBUG = False
        call_command("migrate", verbosity=0, interactive=False)
        cache.clear()
        client, master, long_media, key_url = _build()
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        endpoints = (("key", key_url), ("master", master), ("media 2h", long_media))
        queries, runs = {}, {}
        for mode, gate_cache, lean in SETUPS:
            settings.PLAYBACK_GATE_CACHE = gate_cache
            settings.LEAN_PATHS = ["/video/key/"] if lean else []
            for label, path in endpoints:
                queries[(mode, label)] = _queries(cookie, path)
        from django.db import connections

        connections.close_all()
        for mode, gate_cache, lean in SETUPS:
            process, base = _start_gunicorn(gate_cache, lean)
            try:
                for _label, path in endpoints:
                    _check(base, path, cookie)
                    _wrk(base, path, cookie, seconds=2)  # every worker warm before measuring
                for label, path in endpoints:
                    runs[(mode, label)] = _wrk(base, path, cookie, process=process)
            finally:
                _stop(process)
        rewrite = _rewrite_timings()
        _report(queries, runs, rewrite)
    finally:
        drop_postgres_database(url)
        shutil.rmtree(private_root, ignore_errors=True)


def _pct(values, p):
    values = sorted(values)
    return values[min(int(len(values) * p / 100), len(values) - 1)]


def _report(queries, runs, rewrite):
    cores = os.cpu_count() or 1
    print(
        f"Playback endpoints: gunicorn with deploy/gunicorn.conf.py on production settings, {WORKERS} workers "
        f"x {THREADS} threads pinned to core {APP_CORE} "
        f"(so req/s is per core), PostgreSQL + Redis (cached_db sessions), wrk -t1 -c{WRK_CONNECTIONS} "
        f"-d{WRK_SECONDS}s pinned to core {WRK_CORE}; machine has {cores} cores, PostgreSQL and Redis float "
        f"(load average now {os.getloadavg()[0]:.1f})."
    )
    print(
        f"{'endpoint':<10} {'set-up':<11} {'queries':>7} {'wrk req/s':>10} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'non-2xx':>8} {'Django CPU ms':>14} {'app CPU ms':>11} {'req/s per app core':>19}"
    )
    for (mode, label), r in sorted(runs.items(), key=lambda item: item[0][1]):
        count, cpu_ms = queries[(mode, label)]
        print(
            f"{label:<10} {mode:<11} {count:>7} {r['rate']:>10.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} "
            f"{r['errors']:>8} {cpu_ms:>14.2f} {r['app_cpu_ms']:>11.2f} {1000 / r['app_cpu_ms']:>19.0f}"
        )
    full, deployed = runs[("full", "key")], runs[("deployed", "key")]
    print(
        f"key endpoint as deployed: {deployed['rate']:.0f} req/s with the app pinned to one core "
        f"(the full stack without the lesson cache: {full['rate']:.0f}, {deployed['rate'] / full['rate']:.2f}x); "
        f"{1000 / deployed['app_cpu_ms']:.0f} req/s per core of app-server CPU "
        f"({deployed['app_cpu_ms']:.2f} ms each, gunicorn included); target >= 500"
    )
    busy = deployed["rate"] * deployed["app_cpu_ms"] / 1000
    print(
        f"the app's core was {busy:.0%} busy with the app during that run: below 100 % the limit "
        "was elsewhere (wrk, PostgreSQL and Redis on the other core, or floating onto this one)"
    )
    print(
        f"2-hour playlist ({SEGMENTS} segments) rewrite in-process, ms: "
        f"parse p50 {statistics.median(rewrite['parse']):.2f} | "
        f"cold (sign all) p50 {statistics.median(rewrite['cold']):.2f} p99 {_pct(rewrite['cold'], 99):.2f} | "
        f"warm (memoised window) p50 {statistics.median(rewrite['warm']):.3f} p99 {_pct(rewrite['warm'], 99):.3f} "
        f"| cold/warm {statistics.median(rewrite['cold']) / statistics.median(rewrite['warm']):.0f}x; target <= 15 ms p50"
    )


if __name__ == "__main__":
    main()
