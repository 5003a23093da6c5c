"""The people of the load test (started by scripts/loadtest/run.py, which
documents it; not meant to be run on its own).

Three kinds of people, each with its own account from the file named by
``LOADTEST_ACCOUNTS`` (written by the runner's seeding):

* ``Filer`` — staff filling in their personal filing: reads pages, saves
  drafts (GET the form, POST it back with one field edited and the hidden
  version), adds risk points, and after a few saves submits with the pledge;
* ``SectionHead`` — takes the review queue and approves with an opinion,
  reads the section page, dashboard and register;
* ``Watcher`` — the office and the leaders: dashboard, register, lists.

Everyone signs in through the login page (CSRF cookie and token from the
form, the right password). Redirects are followed by hand, so every request
is named by what it is. Some saves, submissions and approvals are
double-clicked: the same form POSTed twice a few milliseconds apart. Exactly
one must succeed; the other must be refused (a stale copy, "already
submitted", "already decided").

What each person did is written to ``LOADTEST_LEDGER`` when the run stops:
per filing the saves, added points and submissions the server accepted (and
those whose outcome is unknown because the run stopped mid-request), per
filing the approvals; the runner checks the database against it.
"""

import json
import os
import random
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
import lxml.html
from locust import FastHttpUser, between, events, task

_accounts_path = os.environ.get("LOADTEST_ACCOUNTS")
if not _accounts_path:
    raise SystemExit("LOADTEST_ACCOUNTS is not set: run scripts/loadtest/run.py instead")
ACCOUNTS = json.loads(Path(_accounts_path).read_text(encoding="utf-8"))
PASSWORD = ACCOUNTS["password"]
CAMPAIGN = ACCOUNTS["campaign"]
POOLS = {role: list(ACCOUNTS[role]) for role in ("watchers", "heads", "filers")}

# Seconds a person pauses between two actions (run.py --think).
THINK = tuple(float(v) for v in os.environ.get("LOADTEST_THINK", "3-10").split("-"))
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}
STALE_MARK = "data-stale"
EDIT_MARK = re.compile(r"（压力测试第\d+次修改）$")


class Ledger:
    """What the server accepted, per filing; written to LOADTEST_LEDGER at the end."""

    def __init__(self):
        self.filings = defaultdict(lambda: defaultdict(int))
        self.approvals = defaultdict(lambda: defaultdict(int))
        self.double_clicks = 0
        self.anomalies = []

    def write(self):
        path = os.environ.get("LOADTEST_LEDGER")
        if not path:
            return
        data = {
            "filings": {str(k): dict(v) for k, v in self.filings.items()},
            "approvals": {str(k): dict(v) for k, v in self.approvals.items()},
            "double_clicks": self.double_clicks,
            "anomalies": self.anomalies,
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


LEDGER = Ledger()


@events.test_stop.add_listener
def _write_ledger(**_kwargs):
    LEDGER.write()


@events.quitting.add_listener
def _write_ledger_on_quit(**_kwargs):
    LEDGER.write()


# Pages and forms -----------------------------------------------------------------


def form_values(html, xpath):
    """The name/value pairs a browser would send for the form (no button)."""
    document = lxml.html.fromstring(html)
    forms = document.xpath(xpath)
    if not forms:
        return None
    return [(name, value if value is not None else "") for name, value in forms[0].form_values()]


def path_of(location):
    return urlsplit(location).path or "/"


class Person(FastHttpUser):
    abstract = True
    pool = ""
    wait_time = between(*THINK)
    network_timeout = 60.0
    connection_timeout = 15.0

    def on_start(self):
        # Redirects are never followed automatically. (Passing
        # allow_redirects=False per request instead is not safe for two
        # requests in flight at once: FastHttpSession switches it on the
        # shared client and back.)
        self.client.client.redirect_response_codes = frozenset()
        self.account = POOLS[self.pool].pop(0)
        # People arrive over a few seconds rather than all in the same instant.
        gevent.sleep(random.uniform(0, THINK[1]))
        self.login()

    # Requests: redirects are followed by hand so each request has its type's name.

    def page(self, path, name, *, expect=(200,)):
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code not in expect:
                r.failure(f"HTTP {r.status_code} for {path}")
                return None
            return r.text if r.status_code == 200 else r.headers.get("Location", "")

    def post(self, path, values, name):
        """POST a form; returns (status, text, location) and reports nothing itself."""
        response = self.client.request(
            "POST",
            path,
            name=name,
            data=urlencode(values),
            headers=FORM_TYPE,
            catch_response=True,
        )
        with response as r:
            outcome = (r.status_code, r.text or "", r.headers.get("Location", ""))
            self._judge(r, outcome)
            return outcome

    def _judge(self, response, outcome):
        """Decide success in the caller's terms: set by the caller via ``self.accept``."""
        status, text, _location = outcome
        if self.accept(status, text):
            response.success()
        else:
            response.failure(f"HTTP {status}: {self.refusal(text)}")

    accept = staticmethod(lambda status, text: status == 302)

    @staticmethod
    def refusal(text):
        found = re.search(r'role="alert"[^>]*>\s*(.*?)\s*</', text or "", re.S)
        return found.group(1)[:200] if found else (text or "")[:120]

    def clicks(self, path, values, name, *, double):
        """One or two POSTs of the same form (a double-click sends the second
        20–150 ms after the first, before the first has its answer)."""
        if not double:
            return [self.post(path, values, name)]
        LEDGER.double_clicks += 1
        first = gevent.spawn(self.post, path, values, name)
        second = gevent.spawn_later(random.uniform(0.02, 0.15), self.post, path, values, name)
        gevent.joinall([first, second])
        return [g.value if g.successful() else None for g in (first, second)]

    def login(self):
        html = self.page("/accounts/login/", "login (GET)")
        if html is None:
            raise RuntimeError("no login page")
        values = form_values(html, "//form[.//input[@name='username']]")
        values = [(k, v) for k, v in values if k not in ("username", "password")]
        values += [("username", self.account["username"]), ("password", PASSWORD)]
        self.accept = lambda status, text: status == 302
        status, _text, location = self.post("/accounts/login/", values, "login (POST)")
        if status != 302:
            raise RuntimeError(f"{self.account['username']} could not sign in")
        self.page(path_of(location), "home")

    # Reading, shared by everybody ---------------------------------------------------

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(1)
    def inbox(self):
        self.page("/inbox/", "inbox")

    def filing_page(self, pk):
        self.page(f"/risks/filings/{pk}/", "filing page")


class Filer(Person):
    """Staff filling in their own personal filing."""

    pool = "filers"
    fixed_count = len(POOLS["filers"])

    def on_start(self):
        super().on_start()
        self.filing = self.account["filing"]
        self.edits = 0
        self.added = 0
        self.saves_before_submit = random.randint(2, 5)
        self.submitted = False
        self.ledger = LEDGER.filings[self.filing]
        self.ledger["user"] = self.account["username"]

    @task(3)
    def my_filing(self):
        self.filing_page(self.filing)

    @task(1)
    def mine(self):
        location = self.page("/risks/mine/", "my filing (redirect)", expect=(302,))
        if location:
            self.page(path_of(location), "filing page")

    @task(1)
    def catalogue(self):
        self.page(f"/powers/{CAMPAIGN}/sections/{self.account['section']}/", "catalogue (section)")

    @task(1)
    def library(self):
        query = random.choice(["", "?q=招商", "?q=资金", "?q=采购"])
        self.page(f"/risks/library/{query}", "risk library")

    @task(6)
    def work_on_filing(self):
        if self.submitted:
            self.filing_page(self.filing)
        elif self.ledger["saves_ok"] >= self.saves_before_submit:
            self.submit()
        elif random.random() < 0.25:
            self.save(add_point=True)
        else:
            self.save(add_point=False)

    def save(self, *, add_point):
        edit = f"/risks/filings/{self.filing}/edit/"
        html = self.page(edit, "filing form (GET)")
        if html is None:
            return
        values = form_values(html, "//form[@id='filing-form']")
        if values is None:
            return
        if add_point:
            values = self._with_new_point(values)
            name = "filing form (POST add point)"
        else:
            values = self._edited(values)
            name = "filing form (POST save)"
        values.append(("action", "save"))
        double = random.random() < (0.3 if add_point else 0.15)
        counted = "adds_unknown" if add_point else None
        self.ledger["saves_unknown"] += 2 if double else 1
        if counted:
            self.ledger[counted] += 2 if double else 1
        self.accept = lambda status, text: (
            status == 302 or (double and status == 200 and STALE_MARK in text)
        )
        outcomes = self.clicks(edit, values, name, double=double)
        accepted = [o for o in outcomes if o is not None and o[0] == 302]
        known = [o for o in outcomes if o is not None]
        self.ledger["saves_unknown"] -= len(known)
        if counted:
            self.ledger[counted] -= len(known)
        self.ledger["saves_ok"] += len(accepted)
        self.ledger["saves_stale"] += sum(1 for o in known if o[0] == 200 and STALE_MARK in o[1])
        if add_point:
            self.ledger["points_added_ok"] += len(accepted)
            self.ledger["measures_added_ok"] += 3 * len(accepted)
        if double and len(accepted) > 1:
            LEDGER.anomalies.append(
                f"filing {self.filing}: a double-clicked save was accepted twice"
            )
        if accepted:
            self.page(path_of(accepted[0][2]), "filing form (GET)")

    def _edited(self, values):
        self.edits += 1
        result, done = [], False
        for key, value in values:
            if not done and re.fullmatch(r"points-\d+-content", key):
                value = EDIT_MARK.sub("", value.strip()) + f"（压力测试第{self.edits}次修改）"
                done = True
            result.append((key, value))
        return result

    def _with_new_point(self, values):
        """Add one risk point with a measure in each line, as the page's script does."""
        data = dict(values)
        index = int(data["points-TOTAL_FORMS"])
        self.added += 1
        prefix = f"points-{index}"
        owner = next((v for k, v in values if k.endswith("-owner") and v), "")
        title = f"压力测试新增风险点 {self.account['username']}-{self.added}"
        result = [(k, str(index + 1) if k == "points-TOTAL_FORMS" else v) for k, v in values]
        result += [
            (f"{prefix}-id", ""),
            (f"{prefix}-position", str(index + 1)),
            (f"{prefix}-category", data.get("points-0-category", "")),
            (f"{prefix}-title", title),
            (f"{prefix}-content", "压力测试：在项目对接中接受服务对象宴请、礼品。"),
            (f"{prefix}-power", ""),
            (f"{prefix}-power_step", ""),
            (f"{prefix}-found_by", "self"),
            (f"{prefix}-self_grade", data.get("points-0-self_grade", "")),
            (f"{prefix}-library_entry", ""),
            (f"{prefix}-measures-TOTAL_FORMS", "3"),
            (f"{prefix}-measures-INITIAL_FORMS", "0"),
            (f"{prefix}-measures-MIN_NUM_FORMS", "0"),
            (f"{prefix}-measures-MAX_NUM_FORMS", "1000"),
        ]
        for number, (line, text) in enumerate(
            [
                ("prevention", "严格执行公务接待规定，拒收礼品礼金。"),
                ("monitoring", "科室负责人每月抽查接待记录。"),
                ("handling", "发现违规及时报告纪检组，依规处理。"),
            ]
        ):
            measure = f"{prefix}-measures-{number}"
            result += [
                (f"{measure}-id", ""),
                (f"{measure}-line", line),
                (f"{measure}-position", "1"),
                (f"{measure}-text", text),
                (f"{measure}-owner", owner),
                (f"{measure}-due_on", ""),
                (f"{measure}-status", "planned"),
                (f"{measure}-indicator", ""),
            ]
        return result

    def submit(self):
        url = f"/risks/filings/{self.filing}/submit/"
        html = self.page(url, "filing submit (GET)")
        if html is None:
            return
        values = form_values(html, "//form[.//input[@name='agree']]")
        if values is None:
            return
        values = [(k, v) for k, v in values if k != "agree"] + [("agree", "on")]
        double = random.random() < 0.3
        self.ledger["submits_unknown"] += 2 if double else 1
        self.ledger["submit_clicks"] += 2 if double else 1
        # The second click is told the filing is already submitted: on the
        # submit page (200) if it overtook the first, or the locked page (403).
        self.accept = lambda status, text: (
            status == 302 or (double and status in (200, 403) and "不能" in text)
        )
        outcomes = self.clicks(url, values, "filing submit (POST)", double=double)
        known = [o for o in outcomes if o is not None]
        accepted = [o for o in known if o[0] == 302]
        self.ledger["submits_unknown"] -= len(known)
        self.ledger["submits_ok"] += len(accepted)
        self.ledger["submit_rejected"] += len(known) - len(accepted)
        if len(accepted) > 1:
            LEDGER.anomalies.append(f"filing {self.filing}: submitted {len(accepted)} times")
        if accepted:
            self.submitted = True
            self.page(path_of(accepted[0][2]), "filing page")
        elif known and all(o[0] == 403 for o in known):
            self.submitted = True  # submitted already (an earlier unknown outcome)


class SectionHead(Person):
    """A section head: the review queue, approving with an opinion, reading."""

    pool = "heads"
    fixed_count = len(POOLS["heads"])

    @task(5)
    def review_queue(self):
        html = self.page("/risks/reviews/", "review queue")
        if not html:
            return
        waiting = re.findall(r'href="/risks/filings/(\d+)/review/"', html)
        if waiting:
            self.approve(int(random.choice(waiting[:3])))

    def approve(self, filing):
        url = f"/risks/filings/{filing}/review/"
        html = self.page(url, "review (GET)")
        if html is None:
            return
        values = form_values(html, "//form[@id='review-form']")
        if values is None:
            return
        values = [(k, v) for k, v in values if k != "opinion"]
        values += [("opinion", "同意。风险点查找准确，防控措施可行。"), ("action", "approve")]
        double = random.random() < 0.2
        row = LEDGER.approvals[filing]
        row["head"] = self.account["username"]
        row["unknown"] += 2 if double else 1
        row["clicks"] += 2 if double else 1
        # A second click is told the step was decided: on the review page
        # (200) if it waited for the first one's lock, or on the filing page
        # (302 there) if it came after.
        queue, decided = "/risks/reviews/", f"/risks/filings/{filing}/"
        self.accept = lambda status, text: (
            status == 302 or (double and status == 200 and "已由" in text)
        )
        outcomes = self.clicks(url, values, "review (POST approve)", double=double)
        known = [o for o in outcomes if o is not None]
        accepted = [o for o in known if o[0] == 302 and path_of(o[2]) == queue]
        row["unknown"] -= len(known)
        row["ok"] += len(accepted)
        row["rejected"] += len(known) - len(accepted)
        if len(accepted) > 1:
            LEDGER.anomalies.append(f"filing {filing}: approved {len(accepted)} times")
        for status, _text, location in known:
            if status == 302 and path_of(location) not in (queue, decided):
                LEDGER.anomalies.append(f"filing {filing}: approve answered 302 to {location}")
            if status == 302 and path_of(location) == decided and not double:
                LEDGER.anomalies.append(f"filing {filing}: a single approve was told 'decided'")
        if accepted:
            self.page(path_of(accepted[0][2]), "review queue")

    @task(2)
    def section(self):
        self.page(
            f"/risks/campaigns/{CAMPAIGN}/sections/{self.account['section']}/", "section page"
        )

    @task(1)
    def dashboard(self):
        self.page(f"/campaigns/{CAMPAIGN}/dashboard/", "dashboard")

    @task(1)
    def register(self):
        self.page(
            f"/risks/campaigns/{CAMPAIGN}/register/?section={self.account['section']}",
            "register",
        )

    @task(1)
    def someone_in_section(self):
        self.filing_page(random.choice(ACCOUNTS["section_filings"][str(self.account["section"])]))


class Watcher(Person):
    """The office and the leaders, watching the campaign."""

    pool = "watchers"
    fixed_count = len(POOLS["watchers"])

    @task(3)
    def dashboard(self):
        self.page(f"/campaigns/{CAMPAIGN}/dashboard/", "dashboard")

    @task(3)
    def register(self):
        query = random.choice(
            ["", "?page=2", f"?section={random.choice(ACCOUNTS['sections'])}", "?status=submitted"]
        )
        self.page(f"/risks/campaigns/{CAMPAIGN}/register/{query}", "register")

    @task(2)
    def filings(self):
        query = random.choice(
            ["", "?state=behind", f"?section={random.choice(ACCOUNTS['sections'])}"]
        )
        self.page(f"/risks/campaigns/{CAMPAIGN}/filings/{query}", "filings list")

    @task(1)
    def coverage(self):
        self.page(f"/risks/campaigns/{CAMPAIGN}/coverage/", "coverage")

    @task(1)
    def catalogue(self):
        self.page(f"/powers/{CAMPAIGN}/", "catalogue (overview)")

    @task(1)
    def review_queue(self):
        self.page("/risks/reviews/", "review queue")

    @task(2)
    def any_filing(self):
        self.filing_page(random.choice(ACCOUNTS["filing_ids"]))
