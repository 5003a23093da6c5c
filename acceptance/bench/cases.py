"""What ``bench`` measures, each signed in as the person who uses it.

Pages are requested through Django's test :class:`~django.test.Client` over
HTTPS (as production serves them), the whole response read. The approval and
the filing save are POSTs through their views and commit as in production,
each run on a fresh review step or with the filing's current version. The
roster import and the reminder sweep run in a transaction rolled back after
each run, so every run does the same work.

Targets (BRIEF §10 on this 2-core machine): the dashboard ≤ 300 ms and ≤ 25
queries; list pages ≤ 150 ms; an approval ≤ 100 ms; the register export
≤ 15 s (and ≤ 300 MB, as ``bench_export`` asks); the roster import ≤ 30 s;
the reminder sweep ≤ 60 s. Pages that are not lists (a filing, a printable
notice, the home page, report pages) and the filing form are held to the
dashboard's 300 ms.
"""

from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.imports import RosterImporter
from campaign.management.commands.bench_export import Command as ExportBench
from campaign.models import ReviewStep, StepRole, Subject
from earlywarnings import reminders
from publicity.models import Window
from risks import services as risk_services
from risks.models import Filing, RiskPoint

from .build import RISK_CONTENT, Builder
from .forms import form_data
from .measure import Target

DASHBOARD = Target(0.300, queries=25)
LIST = Target(0.150)
PAGE = Target(0.300)
APPROVAL = Target(0.100)
EXPORT = Target(15, megabytes=300)
IMPORT = Target(30)
SWEEP = Target(60)

WHO = {
    "office": "office head",
    "head": "section head",
    "staff": "staff",
    "discipline": "discipline",
    "reviewer": "section head",
}


class Case:
    warmup = 1

    def __init__(self, name, label, who, target):
        self.name, self.label, self.target = name, label, target
        self.who_key = who
        self.who = WHO.get(who, who)
        self.planned = 1  # runs to prepare for (set by measure())
        self.bench = None

    def bind(self, bench):
        self.bench = bench
        return self

    def prepare(self):
        pass

    def before(self):
        pass

    def run(self):
        raise NotImplementedError

    def after(self):
        pass


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return body


def check(response, body, expect):
    if response.status_code != expect:
        text = body[:300].decode(errors="replace") if body else ""
        raise AssertionError(f"HTTP {response.status_code} (expected {expect}) {text}")


class Page(Case):
    """GET a page; ``url(bench)`` gives its address."""

    def __init__(self, name, label, who, target, url, expect=200):
        super().__init__(name, label, who, target)
        self.url_of = url
        self.expect = expect

    def prepare(self):
        self.client = client_for(self.bench.people[self.who_key])
        self.url = self.url_of(self.bench)

    def run(self):
        response = self.client.get(self.url, secure=True)
        check(response, read(response), self.expect)


class Export(Page):
    warmup = 0

    def prepare(self):
        super().prepare()
        rows = RiskPoint.objects.filter(campaign=self.bench.campaign).count()
        self.label = f"{self.label}, {rows} rows"

    def run(self):
        response = self.client.get(self.url, secure=True)
        body = read(response)
        check(response, body, 200)
        if not body.startswith(b"PK"):
            raise AssertionError("the export is not an .xlsx file")


class RolledBack(Case):
    """Each run inside a transaction that is rolled back afterwards."""

    warmup = 0

    def before(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def after(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def cleanup(self):
        # The rolled-back rows are dead tuples until a vacuum, as autovacuum
        # would soon clear them: clear them before the next case.
        Builder.analyse()


class RosterImport(RolledBack):
    def __init__(self, name, label, target, *, dry_run):
        super().__init__(name, label, "office", target)
        self.dry_run = dry_run

    def prepare(self):
        # The roster ``bench_export`` generates: people in 40 sections, a
        # tenth of them leaders.
        self.count = self.bench.counts.get("roster", 3000)
        self.data = ExportBench().roster_file(self.count)
        self.label = f"{self.label}, {self.count} people"

    def run(self):
        importer = RosterImporter(user=self.bench.office, unit=self.bench.unit)
        outcome = importer.run(self.data, dry_run=self.dry_run)
        if outcome.invalid or outcome.new != self.count:
            raise AssertionError(
                f"imported {outcome.new} of {self.count}, {outcome.invalid} invalid"
            )


class Sweep(RolledBack):
    def run(self):
        runs = reminders.run_sweep(timezone.localdate(), self.bench.unit.pk)
        failed = [f"{run.job}: {run.error_text}" for run in runs if run.error_count]
        if failed:
            raise AssertionError("; ".join(failed))
        self.sent = {run.job: run.sent_count for run in runs}


class Approval(Case):
    """A section head approves a submitted personal filing on its review page.

    Every run takes another filing waiting at the section-head step (made by
    the builder as the engine would; more are submitted through
    ``risks.services.submit_filing`` if the kept database ran out).
    """

    def prepare(self):
        steps = list(self._waiting()[: self.planned])
        if len(steps) < self.planned:
            self._submit_more(self.planned - len(steps))
            steps = list(self._waiting()[: self.planned])
        if len(steps) < self.planned:
            raise AssertionError(f"only {len(steps)} filings wait at a section head")
        self.steps = iter(steps)

    def _waiting(self):
        return (
            ReviewStep.objects.filter(
                status=ReviewStep.Status.OPEN,
                role=StepRole.SECTION_HEAD,
                review__campaign=self.bench.campaign,
                review__subject_kind=Subject.PERSONAL,
            )
            .select_related("review")
            .order_by("pk")
        )

    def _submit_more(self, count):
        drafts = (
            Filing.objects.filter(
                campaign=self.bench.campaign,
                kind=Filing.Kind.PERSONAL,
                status=Filing.Status.DRAFT,
                started_at__isnull=False,
                rank="general",
                section__head__isnull=False,
            )
            .exclude(owner=self.bench.staff)
            .select_related("owner")
        )
        for filing in drafts[:count]:
            risk_services.submit_filing(filing.pk, filing.owner)

    def before(self):
        step = next(self.steps)
        filing = Filing.objects.get(pk=step.review.subject_id)
        self.client = client_for(step.assignees.first())
        self.url = reverse("risks:review", args=[filing.pk])
        data = {"action": "approve", "opinion": "同意。"}
        for point in filing.risk_points.select_related(
            "self_grade", "reviewed_grade", "final_grade", "suggested_grade"
        ):
            level = point.grade or risk_services.baseline(point)
            data[f"grade_{point.pk}"] = str(level.pk) if level else ""
            data[f"reason_{point.pk}"] = ""
        self.data = data

    def run(self):
        response = self.client.post(self.url, self.data, secure=True)
        check(response, read(response), 302)


class ReviewPage(Page):
    """The page a section head opens to review a filing (the newest one
    waiting; the approval case takes the oldest)."""

    def __init__(self, name, label, who, target):
        super().__init__(name, label, who, target, url=None)

    def prepare(self):
        step = (
            ReviewStep.objects.filter(
                status=ReviewStep.Status.OPEN,
                role=StepRole.SECTION_HEAD,
                review__campaign=self.bench.campaign,
                review__subject_kind=Subject.PERSONAL,
            )
            .select_related("review")
            .order_by("-pk")
            .first()
        )
        if step is None:
            raise AssertionError("no filing waits at a section head")
        self.client = client_for(step.assignees.first())
        self.url = reverse("risks:review", args=[step.review.subject_id])


class FilingSave(Case):
    """The staff member saves their 10-point filing, every point's text changed."""

    def prepare(self):
        filing = self.bench.staff_filing
        self.client = client_for(self.bench.staff)
        self.url = reverse("risks:filing_edit", args=[filing.pk])
        response = self.client.get(self.url, secure=True)
        body = read(response)
        check(response, body, 200)
        self.data = form_data(body.decode(), "filing-form")
        self.points = int(self.data.get("points-TOTAL_FORMS", 0))
        self.label = f"POST save of a {self.points}-point filing"
        self.round = 0

    def before(self):
        self.round += 1
        filing = Filing.objects.only("version").get(pk=self.bench.staff_filing.pk)
        self.data["version"] = str(filing.version)
        for n in range(self.points):
            self.data[f"points-{n}-content"] = f"{RISK_CONTENT}（第{self.round}次修改）"

    def run(self):
        response = self.client.post(self.url, self.data, secure=True)
        check(response, read(response), 302)


def _register_window(bench):
    window = Window.objects.filter(campaign=bench.campaign, scope=Window.Scope.REGISTER).first()
    return reverse("publicity:notice", args=[window.pk])


def _c(name):
    return lambda bench: reverse(name, args=[bench.campaign.pk])


def _cs(name):
    return lambda bench: reverse(name, args=[bench.campaign.pk, bench.section.pk])


def _plain(name):
    return lambda bench: reverse(name)


def all_cases():
    """Every case, in the order the table lists them."""
    return [
        Page("dashboard", "campaign dashboard", "office", DASHBOARD, _c("campaign:dashboard")),
        Page("campaigns", "campaign list", "office", LIST, _plain("campaign:list")),
        Page("campaign", "campaign overview", "office", PAGE, _c("campaign:detail")),
        Page("history", "campaign history", "office", LIST, _c("campaign:history")),
        Page("reviews", "reviews queue (all apps)", "office", LIST, _plain("campaign:reviews")),
        Page("powers", "powers overview", "office", LIST, _c("powers:overview")),
        Page("catalogue", "a section's catalogue", "head", LIST, _cs("powers:catalogue")),
        Page("register", "risk register", "office", LIST, _c("risks:register")),
        Page("filings", "filings list", "office", LIST, _c("risks:filings")),
        Page("coverage", "coverage gaps", "office", LIST, _c("risks:coverage")),
        Page("section", "section page", "head", LIST, _cs("risks:section")),
        Page("review_queue", "filing review queue", "office", LIST, _plain("risks:reviews")),
        ReviewPage("review_page", "review page of a filing", "reviewer", PAGE),
        Page(
            "filing",
            "own filing page",
            "staff",
            PAGE,
            lambda b: reverse("risks:filing", args=[b.staff_filing.pk]),
        ),
        Page(
            "filing_form",
            "filing form (GET)",
            "staff",
            PAGE,
            lambda b: reverse("risks:filing_edit", args=[b.staff_filing.pk]),
        ),
        FilingSave("filing_save", "POST save of a filing", "staff", PAGE),
        Approval("approval", "approve a filing step (POST)", "reviewer", APPROVAL),
        Page("warnings", "warnings list", "office", LIST, _plain("earlywarnings:list")),
        Page("signals", "signals list", "discipline", LIST, _plain("earlywarnings:signals")),
        Page("files", "integrity files index", "office", LIST, _plain("earlywarnings:files")),
        Page("my_file", "own integrity file", "staff", LIST, _plain("earlywarnings:my_file")),
        Page("my_warnings", "own warnings", "staff", LIST, _plain("earlywarnings:mine")),
        Page("publicity", "publicity list", "staff", LIST, _plain("publicity:list")),
        Page("notice", "unit-wide register notice", "staff", PAGE, _register_window),
        Page(
            "rectifications", "rectifications list", "office", LIST, _c("acceptance:rectifications")
        ),
        Page("acceptance", "acceptance overview", "office", PAGE, _c("acceptance:overview")),
        Page("summary", "campaign summary", "office", PAGE, _c("acceptance:summary")),
        Page("export_centre", "export centre", "office", LIST, _c("exports:centre")),
        Page("inbox", "inbox", "staff", LIST, _plain("inbox")),
        Page("home", "home page", "staff", PAGE, _plain("home")),
        Page("home_office", "home page", "office", PAGE, _plain("home")),
        Export(
            "export",
            "register export (.xlsx)",
            "office",
            EXPORT,
            lambda b: reverse("exports:download", args=[b.campaign.pk, "register"]),
        ),
        RosterImport("import_preview", "roster import, preview", IMPORT, dry_run=True),
        RosterImport("import", "roster import", IMPORT, dry_run=False),
        Sweep("sweep", "reminder sweep", "office", SWEEP),
    ]


NAMES = [case.name for case in all_cases()]
