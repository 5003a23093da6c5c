#!/usr/bin/env python
"""Load test: fifty people using lianfang at once (GitHub issue #9, part 3).

A manual proof, not part of ``make test`` or CI. Run it from the checkout::

    .venv/bin/python scripts/loadtest/run.py                 # 50 users, 2 minutes
    .venv/bin/python scripts/loadtest/run.py --users 50 --minutes 2

It needs the dev dependencies (``pip install ".[dev]"``, which brings
locust), PostgreSQL and Redis on this machine (defaults:
``postgres://postgres@127.0.0.1:5432`` with trust authentication, and
``redis://127.0.0.1:6379``), and sends traffic to 127.0.0.1 only.

What it does, in order:

1. creates a fresh PostgreSQL database (``--db-name``, default
   ``lianfang_load``; one left over by an interrupted run is dropped first)
   and picks an empty Redis database (12, 11 … 8);
2. migrates it and seeds a realistic unit: the demo unit
   (``manage.py load_demo``) plus ten more sections of twenty staff each
   (``--staff``), each with a section head (in the leading group, like the
   demo's heads), supervising leaders and a catalogue of powers. Every new
   staff member has a personal filing in the find-risks stage with two risk
   points and their measures in three lines of defence; four per section are
   already submitted and wait in their head's review queue;
3. starts gunicorn on 127.0.0.1 and a free port (4 workers, ``gthread``, 4
   threads; ``DEBUG=0``, a random ``SECRET_KEY``, HTTPS redirects and secure
   cookies off, ``STATIC_MANIFEST=0``) and one Celery worker for the
   notification e-mails (to the console, i.e. its log file), then waits for
   ``/healthz``;
4. runs locust headless (``scripts/loadtest/locustfile.py``) with
   ``--users`` simulated people arriving at 2/s (``--spawn-rate``); once
   all have arrived and signed in, the figures are reset and ``--minutes``
   of steady load are measured (``--include-ramp`` judges the arrival too;
   the database checks always cover the whole run). Each
   signs in through the login page with its own account (real CSRF cookie
   and token, always the right password: django-axes stays on) and then
   mixes reading (home, dashboard, register, list of filings, section page,
   filing pages, catalogue, risk library, inbox), saving drafts (GET the
   filing form, POST it back with one field edited and the hidden version),
   adding risk points, submitting with the pledge, and, for section heads,
   taking their review queue and approving with an opinion. Some saves,
   submissions and approvals are double-clicked (two POSTs of the same form
   a few milliseconds apart): exactly one must take effect;
5. prints the figures: requests, failures and error rate, median / p95 /
   p99 latency per request type and overall, requests per second;
6. checks the database against what locust recorded (its ledger): every
   submission is in the database exactly once (one review round, one set of
   review steps and one "submitted" history line per accepted submit, none
   for a rejected second click), every approval exactly once, filing
   versions equal to the seed's plus the accepted saves, risk points and
   measures equal to the seed's plus those added (no duplicate from a
   double-click), no review with two open steps, no review grant left on a
   decided step;
7. stops locust, gunicorn and the worker (their whole process groups),
   drops the database and empties the Redis database it used, whatever
   happened (also on Ctrl-C).

Targets (the exit status is 1 when one is missed, 2 when the run could not
be set up): error rate 0; p95 of all requests ≤ 500 ms (``--p95-ms``), and
of every request type with at least 20 requests except the sign-in POST
(which hashes the password with PBKDF2 on purpose, ≈0.25 s of CPU; shown,
not judged); no error in the gunicorn log; every database check passes.

Think time: each person pauses 3–10 s between two actions (``--think``),
i.e. acts every 6.5 s on average, many times busier than real staff; fifty
of them send ≈12 requests/s. ``--think 1-5`` (≈24 requests/s) is a stress
setting: at the ≈65 ms of server CPU a request costs, it needs about 1.6 of
this machine's two cores, and the queue, not the code, sets the latency.

It also prints the CPU the run used: gunicorn, PostgreSQL (the backends of
this database), locust, the Celery worker, and everything else on the
machine; and from that the server CPU per request and the most requests/s
these cores can serve. Other work on the machine during the run (tests, a
browser) slows every request: read the figures together with that line.

Options: ``--users``, ``--minutes``, ``--think``, ``--spawn-rate``, ``--include-ramp``,
``--workers``, ``--threads``, ``--staff`` (per new section), ``--db-name``,
``--postgres``, ``--redis``, ``--p95-ms``, ``--keep-files`` (keep the
temporary directory with locust's CSV files, the ledger, the seed
snapshot and the server logs).
"""

import argparse
import contextlib
import csv
import io
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

SECTIONS = 10
PRESUBMITTED_PER_SECTION = 4
# Demo accounts who watch the whole campaign (office, leaders, discipline).
WATCHERS = ["bangongshi", "zhuren", "jijian", "fenguan", "fuzhuren2", "diaoyan", "jc102", "jc105"]
LOGIN_POST = "login (POST)"
# A request type's own p95 is judged from this many requests on (below, one
# slow request decides it).
JUDGED_FROM = 20


class SetupError(Exception):
    """The run could not be set up (exit status 2)."""


# The runner ------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Load test of lianfang: gunicorn + PostgreSQL + locust, then database checks."
    )
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--minutes", type=float, default=2.0, help="run time (default 2)")
    parser.add_argument(
        "--spawn-rate", type=float, default=2.0, help="users arriving per second (default 2)"
    )
    parser.add_argument(
        "--include-ramp",
        action="store_true",
        help="judge the arrival (sign-in) phase too; by default the figures are reset once "
        "every user has arrived and --minutes of steady load are measured after it",
    )
    parser.add_argument(
        "--think", default="3-10", help="seconds between a person's actions, MIN-MAX (default 3-10)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--staff", type=int, default=20, help="staff per new section (default 20)")
    parser.add_argument("--db-name", default="lianfang_load", help="database to create and drop")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--p95-ms", type=float, default=500.0, help="p95 target (default 500)")
    parser.add_argument("--keep-files", action="store_true", help="keep CSVs, ledger and logs")
    args = parser.parse_args(argv)
    if args.users < 3:
        parser.error("--users must be at least 3 (a watcher, a section head and a filer)")
    if not 0 < args.minutes <= 60:
        parser.error("--minutes must be between 0 and 60")
    if not args.db_name.replace("_", "").isalnum():
        parser.error("--db-name may hold letters, digits and underscores only")
    try:
        low, high = (float(v) for v in args.think.split("-"))
    except ValueError:
        parser.error("--think is MIN-MAX in seconds, e.g. 1-5")
    if not 0 <= low <= high <= 120:
        parser.error("--think: 0 ≤ MIN ≤ MAX ≤ 120")
    for url in (args.postgres, args.redis):
        if urlsplit(url).hostname not in LOOPBACK:
            parser.error(f"{url}: the load test talks to this machine only (127.0.0.1)")
    return args


def user_mix(users):
    """(watchers, heads, filers) for this many simulated people."""
    watchers = min(len(WATCHERS), max(1, round(users * 0.08)))
    heads = min(SECTIONS, max(1, round(users * 0.2)))
    return watchers, heads, users - watchers - heads


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_path(url, path):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class Database:
    """The throw-away PostgreSQL database of one run."""

    def __init__(self, server_url, name):
        self.server_url, self.name = server_url, name
        self.created = False

    def _admin(self):
        import psycopg2

        connection = psycopg2.connect(with_path(self.server_url, "/postgres"), connect_timeout=10)
        connection.autocommit = True
        return connection

    @property
    def url(self):
        return with_path(self.server_url, f"/{self.name}")

    def create(self):
        with contextlib.closing(self._admin()) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            if cursor.fetchone():
                print(f"  dropping database {self.name} left over by an earlier run")
                cursor.execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self):
        if not self.created:
            return
        with contextlib.closing(self._admin()) as connection, connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False


class RedisDatabase:
    """An empty Redis database for the run's broker and cache, emptied afterwards."""

    CANDIDATES = (12, 11, 10, 9, 8)

    def __init__(self, server_url):
        self.server_url = server_url.rstrip("/")
        self.number = None

    MARK = "lianfang-loadtest"

    def choose(self):
        import redis

        for number in self.CANDIDATES:
            client = redis.Redis.from_url(f"{self.server_url}/{number}", socket_timeout=5)
            # Empty, or left over by an interrupted run of ours (marked).
            if client.dbsize() == 0 or client.exists(self.MARK):
                client.flushdb()
                client.set(self.MARK, "1")
                self.number = number
                return f"{self.server_url}/{number}"
        raise SetupError(f"no empty Redis database among {self.CANDIDATES}")

    def flush(self):
        if self.number is None:
            return
        import redis

        redis.Redis.from_url(f"{self.server_url}/{self.number}", socket_timeout=5).flushdb()
        self.number = None


def _stop_with_parent():
    """In the child: get SIGTERM if the runner dies without cleaning up (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Processes:
    """Child processes, each in its own process group, stopped together."""

    def __init__(self):
        self.running = []

    def start(self, name, command, *, env, log_path):
        log = open(log_path, "wb")  # noqa: SIM115 — closed in stop()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_stop_with_parent,
        )
        self.running.append((name, process, log))
        return process

    @staticmethod
    def _signal(process, sig):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)

    def stop(self, process=None, timeout=20):
        chosen = [row for row in self.running if process is None or row[1] is process]
        for _name, proc, _log in chosen:
            if proc.poll() is None:
                self._signal(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _name, proc, log in chosen:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._signal(proc, signal.SIGKILL)
                proc.wait(timeout=10)
            # Whatever the group still holds (e.g. a worker's children).
            self._signal(proc, signal.SIGKILL)
            log.close()
        self.running = [row for row in self.running if row not in chosen]


def gunicorn_has_control_socket():
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--help"], capture_output=True, text=True, timeout=60
    )
    return "--no-control-socket" in result.stdout


def wait_for_health(url, process, timeout=90):
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SetupError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return json.loads(response.read())
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.5)
    raise SetupError(f"{url} did not answer 200 within {timeout} s ({last})")


def run_step(title, command, *, env, timeout, log_path=None):
    """Run a command to completion; its output goes to the terminal (or a log)."""
    print(f"• {title}", flush=True)
    started = time.monotonic()
    output = open(log_path, "wb") if log_path else None  # noqa: SIM115
    try:
        result = subprocess.run(
            command, cwd=ROOT, env=env, timeout=timeout, stdout=output, stderr=output
        )
    except subprocess.TimeoutExpired as exc:
        raise SetupError(f"{title}: no result after {timeout} s") from exc
    finally:
        if output:
            output.close()
    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
    return result.returncode


# CPU: who used the machine during the run ----------------------------------------


class CpuMeter:
    """CPU time of our processes (by process group), of the PostgreSQL
    backends serving our database, and of the whole machine, from /proc."""

    def __init__(self, groups, db_name):
        self.groups = groups  # process group id -> name
        self.db_name = db_name.encode()
        self.first = self.last = None

    def _sample(self):
        totals = dict.fromkeys(["gunicorn", "postgres", "locust", "celery"], 0)
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
                rest = stat[stat.rindex(")") + 2 :].split()
                name = self.groups.get(int(rest[2]))
                if (
                    name is None
                    and stat[stat.index("(") + 1 :].startswith("postgres")
                    and self.db_name in Path(entry.path, "cmdline").read_bytes()
                ):
                    name = "postgres"
            except (OSError, ValueError, IndexError):
                continue  # the process ended meanwhile
            if name is not None:
                totals[name] += int(rest[11]) + int(rest[12])
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
        totals["_busy"] = sum(fields) - fields[3] - fields[4]
        totals["_all"] = sum(fields)
        return time.monotonic(), totals

    def sample(self):
        taken = self._sample()
        self.first = self.first or taken
        self.last = taken

    def report(self, requests=0):
        if not self.first or self.last is self.first:
            return "CPU: not measured"
        seconds = self.last[0] - self.first[0]
        ticks = os.sysconf("SC_CLK_TCK")
        used = {k: self.last[1][k] - self.first[1][k] for k in self.last[1]}
        cores = os.cpu_count() or 1
        share = {k: 100 * v / ticks / seconds for k, v in used.items() if not k.startswith("_")}
        busy = 100 * cores * used["_busy"] / max(1, used["_all"])
        others = max(0.0, busy - sum(share.values()))
        parts = ", ".join(f"{k} {v:.0f} %" for k, v in share.items())
        text = (
            f"CPU over {seconds:.0f} s of load ({cores} cores = {100 * cores} %): {parts}, "
            f"other processes on the machine {others:.0f} %, idle {100 * cores - busy:.0f} %"
        )
        if requests:
            # What one request costs the server side, and what that allows.
            cost = 10 * (share["gunicorn"] + share["postgres"] + share["celery"]) * seconds
            cost /= requests
            text += (
                f"\nserver CPU per request (gunicorn + postgres + celery): {cost:.0f} ms, "
                f"so these {cores} cores serve at most ≈{1000 * cores / cost:.0f} requests/s"
            )
        return text


# Figures ----------------------------------------------------------------------


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(prefix):
    rows = []
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "type": row["Type"],
                    "name": row["Name"],
                    "requests": int(_number(row["Request Count"])),
                    "failures": int(_number(row["Failure Count"])),
                    "median": _number(row["50%"]),
                    "p95": _number(row["95%"]),
                    "p99": _number(row["99%"]),
                    "max": _number(row["Max Response Time"]),
                    "rps": _number(row["Requests/s"]),
                }
            )
    return rows


def print_figures(rows, p95_target):
    """The table of figures; returns the list of missed latency and error targets."""
    missed = []
    total = next((row for row in rows if row["name"] == "Aggregated"), None)
    per_type = sorted((row for row in rows if row["name"] != "Aggregated"), key=lambda r: r["name"])
    header = f"{'request type':<34}{'reqs':>7}{'fail':>6}{'median':>8}{'p95':>7}{'p99':>7}{'max':>7}{'req/s':>7}"
    print(header)
    print("-" * len(header))
    for row in [*per_type, *([total] if total else [])]:
        name = "ALL REQUESTS" if row is total else f"{row['type']} {row['name']}"
        note = ""
        if row is not total and row["p95"] > p95_target:
            if row["name"] == LOGIN_POST:
                note = "  (password hashing; not judged)"
            elif row["requests"] < JUDGED_FROM:
                note = f"  (over target; fewer than {JUDGED_FROM} requests, not judged)"
            else:
                note = "  ← p95 over target"
                missed.append(f"p95 of {name} is {row['p95']:.0f} ms (target {p95_target:.0f})")
        if row is total:
            print("-" * len(header))
        print(
            f"{name[:33]:<34}{row['requests']:>7}{row['failures']:>6}{row['median']:>8.0f}"
            f"{row['p95']:>7.0f}{row['p99']:>7.0f}{row['max']:>7.0f}{row['rps']:>7.1f}{note}"
        )
    if total is None or total["requests"] == 0:
        return ["locust recorded no requests"]
    rate = total["failures"] / total["requests"]
    print(
        f"\nrequests {total['requests']}, failures {total['failures']}, error rate {rate:.2%}; "
        f"overall median {total['median']:.0f} ms, p95 {total['p95']:.0f} ms, "
        f"p99 {total['p99']:.0f} ms; {total['rps']:.1f} requests/s"
    )
    if total["failures"]:
        missed.append(f"error rate {rate:.2%} (target 0)")
    if total["p95"] > p95_target:
        missed.append(f"overall p95 {total['p95']:.0f} ms (target {p95_target:.0f})")
    return missed


def print_failures(prefix, limit=15):
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return
    with open(path, newline="", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    if failures:
        print("\nfailures (locust):")
        for row in failures[:limit]:
            print(
                f"  {row['Occurrences']:>4} × {row['Method']} {row['Name']}: {row['Error'][:160]}"
            )


def print_ledger_summary(ledger):
    filings = ledger.get("filings", {}).values()
    approvals = ledger.get("approvals", {}).values()

    def total(rows, key):
        return sum(row.get(key, 0) for row in rows)

    print(
        "\nwhat locust did (ledger): "
        f"{total(filings, 'saves_ok')} drafts saved ({total(filings, 'saves_stale')} second clicks "
        f"refused as stale), {total(filings, 'points_added_ok')} risk points added, "
        f"{total(filings, 'submits_ok')} filings submitted ({total(filings, 'submit_clicks')} submit "
        f"POSTs), {total(approvals, 'ok')} approvals ({total(approvals, 'clicks')} approve POSTs); "
        f"double-clicks: {ledger.get('double_clicks', 0)}"
    )
    for line in ledger.get("anomalies", [])[:20]:
        print(f"  ANOMALY: {line}")


def server_errors(log_path):
    """Errors the web processes logged: 500s, and gunicorn's errors (a worker
    timeout is CRITICAL). Refusals (403, 404) are logged as warnings."""
    try:
        lines = Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 0
    marks = ("Internal Server Error", "[ERROR]", "[CRITICAL]", " ERROR ", " CRITICAL ")
    return sum(1 for line in lines if any(mark in line for mark in marks))


# The run -----------------------------------------------------------------------


def main(argv):
    args = parse_args(argv)
    watchers, heads, filers = user_mix(args.users)
    staff = max(args.staff, -(-filers // SECTIONS) + PRESUBMITTED_PER_SECTION)
    workdir = Path(tempfile.mkdtemp(prefix="lianfang-load-"))
    database = Database(args.postgres, args.db_name)
    redis_db = RedisDatabase(args.redis)
    processes = Processes()
    missed, status = [], 0

    def terminate(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        print(
            f"Load test: {args.users} users ({watchers} office/leaders, {heads} section heads, "
            f"{filers} staff filing) for {args.minutes:g} min, {args.think} s between actions; "
            f"files in {workdir}",
            flush=True,
        )
        redis_url = redis_db.choose()
        database.create()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database.url,
            "REDIS_URL": redis_url,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_MANIFEST": "0",
            "EMAIL_URL": "console://",
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        accounts_path, seed_path = workdir / "accounts.json", workdir / "seed.json"
        code = run_step(
            f"migrate and seed {args.db_name} (demo unit + {SECTIONS} sections × {staff} staff)",
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "_seed",
                str(accounts_path),
                str(seed_path),
                str(watchers),
                str(heads),
                str(filers),
                str(staff),
            ],
            env={**env, "CELERY_TASK_ALWAYS_EAGER": "1"},
            timeout=900,
        )
        if code:
            raise SetupError(f"seeding failed (status {code})")

        processes.start(
            "celery",
            [str(BIN / "celery"), "-A", "config", "worker", "--pool", "solo", "-l", "WARNING"],
            env=env,
            log_path=workdir / "celery.log",
        )
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        gunicorn = processes.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                # gunicorn ≥ 25 opens a control socket at a fixed path by default.
                *(["--no-control-socket"] if gunicorn_has_control_socket() else []),
            ],
            env=env,
            log_path=workdir / "gunicorn.log",
        )
        print(f"• gunicorn on {host} ({args.workers} workers × {args.threads} threads)")
        health = wait_for_health(f"{host}/healthz", gunicorn)
        print(f"  /healthz: {json.dumps(health, ensure_ascii=False)}", flush=True)

        prefix = workdir / "locust"
        ledger_path = workdir / "ledger.json"
        # People arrive over users/spawn-rate seconds, each signing in (PBKDF2,
        # ≈0.25 s of CPU on purpose). Unless --include-ramp, locust resets its
        # figures when the last one has arrived and --minutes of steady load
        # follow; the ledger and the database checks cover the whole run.
        ramp = 0 if args.include_ramp else math.ceil(args.users / args.spawn_rate)
        run_time = f"{round(args.minutes * 60) + ramp}s"
        locust = processes.start(
            "locust",
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                run_time,
                "--stop-timeout",
                "30",
                "--host",
                host,
                *([] if args.include_ramp else ["--reset-stats"]),
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "LOADTEST_ACCOUNTS": str(accounts_path),
                "LOADTEST_LEDGER": str(ledger_path),
                "LOADTEST_THINK": args.think,
            },
            log_path=workdir / "locust.log",
        )
        print(
            f"• locust: {args.users} users, spawn rate {args.spawn_rate:g}/s, {run_time}"
            + ("" if args.include_ramp else f" (figures from {ramp} s on, once all have arrived)"),
            flush=True,
        )
        started = time.monotonic()
        meter = CpuMeter({p.pid: name for name, p, _log in processes.running}, database.name)
        deadline = started + args.minutes * 60 + ramp + 150
        while locust.poll() is None:
            if time.monotonic() > deadline:
                raise SetupError("locust did not stop by itself")
            meter.sample()
            time.sleep(2)
        print(f"  (locust ran {time.monotonic() - started:.0f} s, status {locust.returncode})")
        processes.stop(locust)
        if not Path(f"{prefix}_stats.csv").exists() or not ledger_path.exists():
            tail = (workdir / "locust.log").read_text(errors="replace")[-3000:]
            raise SetupError(f"locust wrote no statistics or ledger:\n{tail}")

        print("\n=== Figures ===")
        stats = read_stats(prefix)
        total = sum(row["requests"] for row in stats if row["name"] != "Aggregated")
        print(meter.report(total) + "\n")
        missed += print_figures(stats, args.p95_ms)
        print_failures(prefix)
        ledger = json.loads(ledger_path.read_text(encoding="utf-8"))
        print_ledger_summary(ledger)
        if ledger.get("anomalies"):
            missed.append(f"{len(ledger['anomalies'])} anomalies seen by locust")

        processes.stop(gunicorn)
        errors = server_errors(workdir / "gunicorn.log")
        print(f"errors in the gunicorn log: {errors}")
        if errors:
            missed.append(f"{errors} server errors logged")

        print("\n=== Database checks ===", flush=True)
        code = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "_check",
                str(seed_path),
                str(ledger_path),
            ],
            cwd=ROOT,
            env=env,
            timeout=300,
        ).returncode
        if code:
            missed.append("database checks failed")
    except SetupError as exc:
        print(f"\nSET-UP FAILED: {exc}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        status = 2
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        processes.stop()
        for cleanup in (database.drop, redis_db.flush):
            try:
                cleanup()
            except Exception as exc:  # keep cleaning up; say what is left
                print(f"cleanup: {cleanup.__qualname__} failed: {exc}", file=sys.stderr)
        if args.keep_files:
            print(f"\nfiles kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"stopped the servers, dropped {args.db_name}.")
        signal.signal(signal.SIGTERM, previous)
    if status:
        return status
    print("\n=== Result ===")
    if missed:
        for line in missed:
            print(f"MISSED: {line}")
        return 1
    print("all targets met: error rate 0, p95 within target, every submission recorded once.")
    return 0


# Django side: seeding ---------------------------------------------------------------

SECTION_NAMES = [
    "产业招商三科",
    "产业招商四科",
    "驻沪招商联络处",
    "驻深招商联络处",
    "项目评审科",
    "企业服务一科",
    "企业服务二科",
    "政策研究科",
    "督查考核科",
    "会展服务科",
]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张曹严华魏陶姜谢邹喻柏水窦章苏潘葛范彭郎鲁韦马方任袁柳唐罗薛雷贺倪汤滕殷毕郝安常乐于时傅齐康伍余顾孟黄"
GIVEN = [
    "志强", "丽娟", "建国", "海燕", "晓东", "雅婷", "振华", "春梅", "立新", "文静",
    "国庆", "秀英", "宏伟", "玉兰", "子涵", "思远", "欣怡", "浩然", "梦瑶", "嘉豪",
    "雨桐", "俊杰", "佳慧", "明轩", "诗涵", "泽宇", "若曦", "天佑", "可馨", "一鸣",
]  # fmt: skip


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def seed_main(argv):
    accounts_path, seed_path = Path(argv[0]), Path(argv[1])
    watchers, heads, filers, staff = (int(v) for v in argv[2:6])
    _django()
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        accounts = _seed_unit(watchers, heads, filers, staff)
    accounts_path.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    seed_path.write_text(json.dumps(_snapshot(accounts["campaign"])), encoding="utf-8")
    from risks.models import Filing, RiskPoint

    print(
        f"  seeded: {Filing.objects.count()} filings, {RiskPoint.objects.count()} risk points; "
        f"accounts for {watchers} watchers, {heads} heads, {filers} filers"
    )
    return 0


def _seed_unit(watchers, heads, filers, staff):
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.demo import DEMO_PASSWORD, UNIT
    from accounts.models import Post, Section, Unit, User
    from accounts.roles import GROUP_NAMES, Role
    from campaign.demo import TITLE
    from campaign.models import Campaign
    from powers.models import Catalogue, Power, PowerStep
    from risks import services
    from risks.models import Filing

    unit = Unit.objects.get(name=UNIT["name"])
    campaign = Campaign.objects.get(unit=unit, title=TITLE)
    password = make_password(DEMO_PASSWORD)  # hashed once for every new account
    leaders = list(User.objects.filter(username__in=["fenguan", "fuzhuren2", "diaoyan"]))
    leading_group = Group.objects.get(name=GROUP_NAMES[Role.LEADING_GROUP])
    templates = [
        list(
            Power.objects.filter(campaign=campaign, section__code=code)
            .prefetch_related("steps")
            .order_by("sequence")[:6]
        )
        for code in ("ZS1", "ZS2", "XMFW", "JHCW", "FWZX")
    ]
    names = (f"{s}{g}" for g in GIVEN for s in SURNAMES)
    sections, people = [], []
    for number, name in enumerate(SECTION_NAMES[:SECTIONS], start=1):
        code = f"LT{number:02d}"
        section = Section.objects.create(
            unit=unit, code=code, name=name, kind=Section.Kind.INTERNAL, display_order=100 + number
        )
        posts = Post.objects.bulk_create(
            [
                Post(section=section, name="科长", key_type=Post.KeyType.APPROVAL, display_order=1),
                Post(
                    section=section, name="项目经办", key_type=Post.KeyType.MONEY, display_order=2
                ),
                Post(section=section, name="综合服务", key_type=Post.KeyType.NONE, display_order=3),
            ]
        )
        for index in range(staff + 1):
            head = index == 0
            people.append(
                User(
                    username=f"lt{number:02d}{index:02d}",
                    employee_no=f"LT{number:02d}{index:02d}",
                    full_name=next(names),
                    rank=User.Rank.MIDDLE if head else User.Rank.GENERAL,
                    unit=unit,
                    section=section,
                    post=posts[0] if head else posts[1 + index % 2],
                    title="科长" if head else "科员",
                    email=f"lt{number:02d}{index:02d}@demo.lianfang.local",
                    password=password,
                )
            )
        sections.append(section)
        catalogue = Catalogue.objects.create(
            campaign=campaign,
            section=section,
            status=Catalogue.Status.APPROVED,
            approved_at=timezone.now() - timedelta(days=20),
        )
        for sequence, template in enumerate(templates[(number - 1) % len(templates)], start=1):
            power = Power.objects.create(
                campaign=campaign,
                catalogue=catalogue,
                section=section,
                code=f"{code}-{sequence:03d}",
                sequence=sequence,
                name=template.name,
                category_id=template.category_id,
                content=template.content,
                legal_basis=template.legal_basis,
                procedure=template.procedure,
                time_limit=template.time_limit,
                responsibility=template.responsibility,
                publicity=template.publicity,
                unpublished_reason=template.unpublished_reason,
                direction=template.direction,
            )
            power.posts.set(posts[1:])
            PowerStep.objects.bulk_create(
                [
                    PowerStep(
                        power=power,
                        position=step.position,
                        name=step.name,
                        responsible=step.responsible,
                        time_limit=step.time_limit,
                        checks=step.checks,
                        is_risk=step.is_risk,
                    )
                    for step in template.steps.all()
                ]
            )
    User.objects.bulk_create(people)
    by_section = {}
    for person in people:
        by_section.setdefault(person.section_id, []).append(person)
    for number, section in enumerate(sections):
        section.head = by_section[section.pk][0]
        section.save(update_fields=["head"])
        section.supervising_leaders.set([leaders[number % len(leaders)]])
        section.head.groups.add(leading_group)

    services.ensure_filings(campaign)
    filing_of = {
        f.owner_id: f
        for f in Filing.objects.filter(
            campaign=campaign, kind=Filing.Kind.PERSONAL, owner__in=people
        ).select_related("campaign", "post")
    }
    writer = _PointWriter(campaign)
    for person in people:
        if person.rank == User.Rank.GENERAL:
            filing = filing_of[person.pk]
            services.save_draft(
                filing.pk, person, expected_version=filing.version, write=writer.for_(person)
            )
    # The last few of each section have submitted already: work waiting for heads.
    for section in sections:
        for person in by_section[section.pk][-PRESUBMITTED_PER_SECTION:]:
            services.submit_filing(filing_of[person.pk].pk, person, ip="10.20.1.15")

    watcher_names = WATCHERS[:watchers]
    watcher_users = {u.username: u for u in User.objects.filter(username__in=watcher_names)}
    filer_rows, queue = [], [by_section[s.pk][1:-PRESUBMITTED_PER_SECTION] for s in sections]
    while len(filer_rows) < filers:
        for rows in queue:
            if rows and len(filer_rows) < filers:
                person = rows.pop(0)
                filer_rows.append(person)
    filing_ids = list(
        Filing.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True)
    )
    return {
        "password": DEMO_PASSWORD,
        "campaign": campaign.pk,
        "sections": [s.pk for s in sections],
        "filing_ids": filing_ids,
        "section_filings": {
            str(s.pk): [filing_of[p.pk].pk for p in by_section[s.pk]] for s in sections
        },
        "watchers": [{"username": name, "id": watcher_users[name].pk} for name in watcher_names],
        "heads": [
            {"username": s.head.username, "id": s.head_id, "section": s.pk}
            for s in sections[:heads]
        ],
        "filers": [
            {
                "username": p.username,
                "id": p.pk,
                "section": p.section_id,
                "filing": filing_of[p.pk].pk,
            }
            for p in filer_rows
        ],
    }


class _PointWriter:
    """Two risk points with a measure in each line of defence, from the library."""

    def __init__(self, campaign):
        from risks import scoring
        from risks.models import LibraryEntry

        self.campaign = campaign
        self.entries = list(LibraryEntry.objects.filter(is_active=True).order_by("code"))
        self.levels = {level.rank: level for level in campaign.grade_levels.all()}
        self.categories = {c.name: c for c in campaign.risk_categories.all()}
        self.fallback = next(iter(self.categories.values()))
        self.settings = scoring.Settings.for_campaign(campaign)
        self.counter = 0

    def for_(self, person):
        from datetime import timedelta

        from risks import scoring
        from risks.models import Measure, RiskPoint

        def write(filing):
            due = self.campaign.starts_on + timedelta(days=120)
            for position in (1, 2):
                entry = self.entries[self.counter % len(self.entries)]
                self.counter += 1
                ratings = {
                    "likelihood": 1 + self.counter % 3,
                    "harm": 1 + (self.counter // 3) % 3,
                    "discretion": 2,
                    "accountability": 1 + (self.counter // 2) % 3,
                }
                labels = {rank: level.label for rank, level in self.levels.items()}
                suggestion = scoring.suggest(ratings, self.settings, labels)
                # The filer grades no lower than the suggestion (就高不就低).
                rank = min(2, suggestion.rank) if suggestion else 2
                point = RiskPoint.objects.create(
                    filing=filing,
                    position=position,
                    category=self.categories.get(entry.category_name, self.fallback),
                    title=entry.title,
                    content=entry.content,
                    found_by=[RiskPoint.FoundBy.SELF],
                    self_grade=self.levels[rank],
                    library_entry=entry,
                    **ratings,
                )
                Measure.objects.bulk_create(
                    [
                        Measure(
                            risk_point=point,
                            line=line,
                            position=1,
                            text=text,
                            owner=person,
                            due_on=due,
                        )
                        for line, text in zip(
                            Measure.Line.values,
                            (entry.prevention, entry.monitoring, entry.handling),
                            strict=True,
                        )
                    ]
                )

        return write


def _snapshot(campaign_id):
    """What each filing holds before the load: the checks compare against it."""
    from django.db.models import Count, Q

    from campaign.models import ReviewStep
    from risks.models import Filing
    from risks.services import review_for

    filings = {}
    for filing in Filing.objects.filter(campaign_id=campaign_id).annotate(
        points=Count("risk_points", distinct=True),
        measures=Count("risk_points__measures", distinct=True),
    ):
        review = review_for(filing)
        filings[filing.pk] = {
            "version": filing.version,
            "points": filing.points,
            "measures": filing.measures,
            "rounds": review.round if review else 0,
            "status": filing.status,
        }
    approved = ReviewStep.objects.filter(
        Q(review__campaign_id=campaign_id), status=ReviewStep.Status.APPROVED
    ).count()
    return {"campaign": campaign_id, "filings": filings, "approved_steps": approved}


# Django side: checking the database -------------------------------------------------


def check_main(argv):
    seed = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    ledger = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    _django()
    problems = _check(seed, ledger)
    if problems:
        for line in problems[:50]:
            print(f"  FAIL: {line}")
        if len(problems) > 50:
            print(f"  … and {len(problems) - 50} more")
        return 1
    return 0


def _check(seed, ledger):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from guardian.models import UserObjectPermission

    from campaign.models import AuditEntry, Review, ReviewStep, StepRole
    from risks.models import Filing, Measure, RiskPoint

    problems, passed = [], []
    campaign_id = seed["campaign"]
    before = {int(pk): row for pk, row in seed["filings"].items()}
    done = {int(pk): row for pk, row in ledger.get("filings", {}).items()}
    approvals = {int(pk): row for pk, row in ledger.get("approvals", {}).items()}
    filing_type = ContentType.objects.get_for_model(Filing)
    filings = {f.pk: f for f in Filing.objects.filter(campaign_id=campaign_id)}
    reviews = {
        r.subject_id: r
        for r in Review.objects.filter(campaign_id=campaign_id, subject_type=filing_type)
    }
    points = dict(
        RiskPoint.objects.filter(filing__campaign_id=campaign_id)
        .values_list("filing_id")
        .annotate(n=Count("pk"))
    )
    measures = dict(
        Measure.objects.filter(risk_point__filing__campaign_id=campaign_id)
        .values_list("risk_point__filing_id")
        .annotate(n=Count("pk"))
    )
    submitted_lines = dict(
        AuditEntry.objects.filter(
            target_type=filing_type, action="review.submitted", target_id__in=list(filings)
        )
        .values_list("target_id")
        .annotate(n=Count("pk"))
    )

    def within(value, low, unknown):
        return low <= value <= low + unknown

    # 1. Submissions: one review round and one history line per accepted submit.
    submits = 0
    for pk, filing in filings.items():
        was, did = before.get(pk), done.get(pk, {})
        if was is None:
            problems.append(f"filing {pk} appeared during the load test")
            continue
        review = reviews.get(pk)
        rounds = review.round if review else 0
        accepted, unknown = did.get("submits_ok", 0), did.get("submits_unknown", 0)
        submits += accepted
        if not within(rounds, was["rounds"] + accepted, unknown):
            problems.append(
                f"filing {pk}: {rounds} review rounds, expected {was['rounds']} + {accepted} "
                f"accepted submits (+{unknown} unknown)"
            )
        if submitted_lines.get(pk, 0) != rounds:
            problems.append(
                f"filing {pk}: {submitted_lines.get(pk, 0)} 'submitted' history lines for "
                f"{rounds} rounds"
            )
        if did.get("submits_ok") and filing.status not in (
            Filing.Status.SUBMITTED,
            Filing.Status.IN_REVIEW,
        ):
            problems.append(f"filing {pk} was submitted but is {filing.status}")
        # 3. Versions and contents: the seed's plus what locust saved.
        if not within(
            filing.version, was["version"] + did.get("saves_ok", 0), did.get("saves_unknown", 0)
        ):
            problems.append(
                f"filing {pk}: version {filing.version}, expected {was['version']} + "
                f"{did.get('saves_ok', 0)} saves (+{did.get('saves_unknown', 0)} unknown)"
            )
        unknown_adds = did.get("adds_unknown", 0)
        if not within(
            points.get(pk, 0), was["points"] + did.get("points_added_ok", 0), unknown_adds
        ):
            problems.append(
                f"filing {pk}: {points.get(pk, 0)} risk points, expected {was['points']} + "
                f"{did.get('points_added_ok', 0)} added"
            )
        if not within(
            measures.get(pk, 0), was["measures"] + did.get("measures_added_ok", 0), 3 * unknown_adds
        ):
            problems.append(
                f"filing {pk}: {measures.get(pk, 0)} measures, expected {was['measures']} + "
                f"{did.get('measures_added_ok', 0)} added"
            )
    passed.append(
        f"{submits} submissions by locust: each is one review round and one history line "
        f"({sum(1 for r in reviews.values())} reviews of filings in all)"
    )

    # 2. Review steps: one full set per round, never two for the same place.
    duplicate_steps = (
        ReviewStep.objects.filter(review__campaign_id=campaign_id)
        .values("review_id", "round", "position")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in duplicate_steps:
        problems.append(
            f"review {row['review_id']} round {row['round']}: step {row['position']} × {row['n']}"
        )
    per_round = (
        ReviewStep.objects.filter(review__campaign_id=campaign_id)
        .values("review_id", "round")
        .annotate(n=Count("pk"))
    )
    lengths = {
        r.pk: r.template.steps.count()
        for r in Review.objects.filter(campaign_id=campaign_id).select_related("template")
    }
    for row in per_round:
        if row["n"] != lengths.get(row["review_id"]):
            problems.append(
                f"review {row['review_id']} round {row['round']}: {row['n']} steps, chain has "
                f"{lengths.get(row['review_id'])}"
            )
    for review in Review.objects.filter(campaign_id=campaign_id):
        rounds = set(review.steps.values_list("round", flat=True))
        if rounds != set(range(1, review.round + 1)):
            problems.append(
                f"review {review.pk}: rounds {sorted(rounds)} for round count {review.round}"
            )
    open_twice = (
        ReviewStep.objects.filter(review__campaign_id=campaign_id, status=ReviewStep.Status.OPEN)
        .values("review_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in open_twice:
        problems.append(f"review {row['review_id']} has {row['n']} open steps")
    passed.append("every round has exactly its chain's steps; no review has two open steps")

    # 4. Approvals: each accepted approve is one approved step, by that head.
    heads_steps = {
        step.review.subject_id: step
        for step in ReviewStep.objects.filter(
            review__campaign_id=campaign_id,
            review__subject_type=filing_type,
            role=StepRole.SECTION_HEAD,
            round=1,
        ).select_related("review", "decided_by")
    }
    accepted_approvals = 0
    for pk, row in approvals.items():
        step = heads_steps.get(pk)
        ok, unknown = row.get("ok", 0), row.get("unknown", 0)
        accepted_approvals += ok
        if ok > 1:
            problems.append(f"filing {pk}: the section head's step was approved {ok} times")
        if ok and (step is None or step.status != ReviewStep.Status.APPROVED):
            problems.append(f"filing {pk}: approved by locust but the step is not approved")
        elif ok and step.decided_by.username != row.get("head"):
            problems.append(f"filing {pk}: approved by {step.decided_by}, not {row.get('head')}")
        elif (
            not ok
            and not unknown
            and step is not None
            and step.status == ReviewStep.Status.APPROVED
        ):
            problems.append(f"filing {pk}: step approved though locust saw no approval")
    approved_now = ReviewStep.objects.filter(
        review__campaign_id=campaign_id, status=ReviewStep.Status.APPROVED
    ).count()
    unknown_approvals = sum(row.get("unknown", 0) for row in approvals.values())
    if not within(approved_now, seed["approved_steps"] + accepted_approvals, unknown_approvals):
        problems.append(
            f"{approved_now} approved steps, expected {seed['approved_steps']} + "
            f"{accepted_approvals} approvals"
        )
    passed.append(f"{accepted_approvals} approvals by locust: each is one approved step")

    # 5. Grants: nobody may still act on a step that is no longer open.
    step_type = ContentType.objects.get_for_model(ReviewStep)
    open_ids = {
        str(pk)
        for pk in ReviewStep.objects.filter(status=ReviewStep.Status.OPEN).values_list(
            "pk", flat=True
        )
    }
    stale = (
        UserObjectPermission.objects.filter(content_type=step_type)
        .exclude(object_pk__in=open_ids)
        .count()
    )
    if stale:
        problems.append(f"{stale} review grants left on steps that are no longer open")
    passed.append("no review grant left on a decided step")

    # 6. No duplicate risk point (same title twice in a filing) from a double-click.
    twice = (
        RiskPoint.objects.filter(filing__campaign_id=campaign_id, title__startswith="压力测试")
        .values("filing_id", "title")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in twice:
        problems.append(f"filing {row['filing_id']}: risk point “{row['title']}” × {row['n']}")
    passed.append("versions, risk points and measures match the accepted saves; no duplicates")

    if not problems:
        for line in passed:
            print(f"  ok: {line}")
    return problems


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments and arguments[0] == "_seed":
        sys.exit(seed_main(arguments[1:]))
    if arguments and arguments[0] == "_check":
        sys.exit(check_main(arguments[1:]))
    sys.exit(main(arguments))
