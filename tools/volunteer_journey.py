"""Walk a new volunteer's journey through the admin in a real browser, and count what it costs.

Issue 13 asks for the page loads and form submissions a volunteer group editor needs to list an
activity, before and after the issue. This script drives Debian's chromium (Playwright, never a
downloaded browser) through the journey as a first-timer would take it, and prints the counts:

1. register: the volunteer lists their group on the public "List your group" form;
2. approve-group: a moderator approves the registration;
3. password: the volunteer opens the set-password link from the e-mail and sets a password;
4. add-activity: the volunteer signs in and adds an activity at a venue that is not in the
   directory yet, with a fortnightly, term-time-only session, and submits it for approval;
5. approve-activity: a moderator signs in, checks it and approves it;
6. public: (not counted) the activity is on the public site and in search.

Phases 1 to 3 need the e-mails, so the server must write them to files (`--mail-dir`, with the
server started with EMAIL_URL=filemail:////that/dir). With `--editor USER:PASSWORD` instead, the
journey starts at phase 4 with an existing editor account.

What counts:
- page loads: every page the browser shows (a document answered without a redirect, in a tab's
  main frame); a redirect that ends on a page counts once, as that page, and the redirect hops
  are counted apart;
- form submissions: every form the person sends (a document POST);
- in-page loads: what JavaScript fetches without leaving the page (chooser dialogs, menus);
- background saves: what the page sends by itself (Wagtail's autosave).
Each step is marked "needed" or "detour": a detour is what a first-timer is led into and a
volunteer who knew the way would skip (a form abandoned, a link that ends on "no permission").
The table gives the needed count and the count with the detours.

The flow is the admin as it is before issue 13 (`--flow before`). After the issue the screens
change, so that run needs its own flow function with the same phases, recorder and screenshots
(`FLOWS` below); the counting, the table and the screenshots are shared.

Run, with the server started as described above:

    .venv/bin/python tools/volunteer_journey.py --base-url http://127.0.0.1:8765 \\
        --moderator moderator:common-ground-moderator --mail-dir /tmp/before-run/mail \\
        --screenshots docs/screenshots/issue-13/before
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import email
import email.policy
import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM = "/usr/bin/chromium"
# The tallest full-page screenshot, in pixels: the whole activity form at phone width fits.
MAX_HEIGHT = 16000
# Messages the file e-mail backend writes are separated by a line of 79 dashes.
MAIL_SEPARATOR = re.compile(rb"\n-{79}\n")

PHASES = {
    "register": ("volunteer", "List the group (public form)"),
    "approve-group": ("moderator", "Approve the group"),
    "password": ("volunteer", "Set a password from the e-mail"),
    "add-activity": ("volunteer", "Sign in, add the activity with a new venue, submit"),
    "approve-activity": ("moderator", "Sign in, check and approve the activity"),
    "public": ("anyone", "Check the public page and search (not counted)"),
}


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    phase: str
    text: str
    needed: bool = True
    page_loads: int = 0
    submissions: int = 0
    redirects: int = 0
    in_page_loads: int = 0
    background_posts: int = 0
    background_refused: int = 0
    pages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Recorder:
    """Counts the requests of every browser context it is attached to, step by step."""

    def __init__(self, base_url: str):
        self.base = urlsplit(base_url)
        self.steps: list[Step] = []
        self.current: Step | None = None
        self.stray = Step(phase="-", text="between steps")

    def attach(self, context) -> None:
        context.on("request", self._on_request)
        context.on("response", self._on_response)

    @contextlib.contextmanager
    def step(self, phase: str, text: str, *, needed: bool = True, page=None):
        # The step stays current until the next one starts, so that what the page does by
        # itself afterwards (an autosave while a screenshot is taken) is counted where it began.
        self.current = Step(phase=phase, text=text, needed=needed)
        self.steps.append(self.current)
        yield self.current
        if page is not None:
            # Let what the step started (redirects, dialogs, autosave) land in this step.
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5000)

    def note(self, text: str) -> None:
        if self.current is not None:
            self.current.notes.append(text)

    def _ours(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.netloc == self.base.netloc and not parts.path.startswith(
            ("/static/", "/media/", "/admin/sprite/", "/favicon")
        )

    @staticmethod
    def _main_frame(request) -> bool:
        try:
            return request.frame.parent_frame is None
        except Exception:
            # A new tab's first navigation is issued before its frame exists.
            return request.is_navigation_request()

    def _target(self) -> Step:
        return self.current if self.current is not None else self.stray

    def _on_request(self, request) -> None:
        if not self._ours(request.url):
            return
        kind = request.resource_type
        if kind == "document" and self._main_frame(request):
            if request.method == "POST":
                self._target().submissions += 1
        elif kind in ("xhr", "fetch"):
            if request.method == "POST":
                self._target().background_posts += 1
            else:
                self._target().in_page_loads += 1

    def _on_response(self, response) -> None:
        request = response.request
        if not self._ours(request.url):
            return
        if request.resource_type in ("xhr", "fetch") and request.method == "POST":
            if response.status >= 400:
                self._target().background_refused += 1
            return
        if request.resource_type != "document":
            return
        if not self._main_frame(request):
            return
        step = self._target()
        if 300 <= response.status < 400:
            step.redirects += 1
        else:
            step.page_loads += 1
            path = urlsplit(request.url).path
            step.pages.append(f"{path} ({response.status})" if response.status >= 400 else path)

    # -- reports ------------------------------------------------------------------------------

    def totals(self, phase: str, *, needed_only: bool) -> dict[str, int]:
        keys = (
            "page_loads",
            "submissions",
            "redirects",
            "in_page_loads",
            "background_posts",
            "background_refused",
        )
        chosen = [s for s in self.steps if s.phase == phase and (s.needed or not needed_only)]
        return {k: sum(getattr(s, k) for s in chosen) for k in keys}

    def table(self) -> str:
        rows = [
            "| phase | who | page loads | form submissions | redirects | in-page loads "
            "| background saves |",
            "|---|---|---|---|---|---|---|",
        ]
        grand = {"volunteer": [0, 0, 0, 0], "moderator": [0, 0, 0, 0]}
        for phase, (who, label) in PHASES.items():
            if not any(s.phase == phase for s in self.steps):
                continue
            need = self.totals(phase, needed_only=True)
            every = self.totals(phase, needed_only=False)

            def pair(key, need=need, every=every):
                if need[key] == every[key]:
                    return str(every[key])
                return f"{need[key]} needed, {every[key]} with detours"

            rows.append(
                f"| {label} | {who} | {pair('page_loads')} | {pair('submissions')} | "
                f"{pair('redirects')} | {pair('in_page_loads')} | {pair('background_posts')}"
                + (
                    f" ({every['background_refused']} refused)"
                    if every["background_refused"]
                    else ""
                )
                + " |"
            )
            if who in grand:
                grand[who][0] += need["page_loads"]
                grand[who][1] += every["page_loads"]
                grand[who][2] += need["submissions"]
                grand[who][3] += every["submissions"]
        for who, (pn, pa, sn, sa) in grand.items():
            if pa or sa:
                rows.append(
                    f"| **all phases** | {who} | **{pn}** needed, {pa} with detours | "
                    f"**{sn}** needed, {sa} with detours | | | |"
                )
        if any(
            getattr(self.stray, k)
            for k in ("page_loads", "submissions", "in_page_loads", "background_posts")
        ):
            rows.append(f"\n(outside any step: {asdict(self.stray)})")
        return "\n".join(rows)

    def step_list(self) -> str:
        rows = [
            "| # | phase | step | needed? | page loads | submissions | in-page loads "
            "| background saves | pages shown | notes |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for number, s in enumerate(self.steps, 1):
            background = str(s.background_posts)
            if s.background_refused:
                background += f" ({s.background_refused} refused)"
            rows.append(
                f"| {number} | {s.phase} | {s.text} | {'needed' if s.needed else 'detour'} | "
                f"{s.page_loads} | {s.submissions} | {s.in_page_loads} | {background} | "
                f"{', '.join(f'`{p}`' for p in s.pages)} | {'; '.join(s.notes)} |"
            )
        return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# Screenshots
# ---------------------------------------------------------------------------------------------


class Shooter:
    """Screenshots at desktop and phone width, kept small (256-colour PNG)."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.taken: list[str] = []
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    def both(self, page, name: str, *, full_page: bool = True, element: str | None = None):
        """Take `name`-desktop.png and `name`-phone.png; leave the page at desktop width."""
        if self.directory is None:
            return
        for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.wait_for_timeout(400)  # the admin's layout reacts to the width
            self.shot(page, f"{name}-{width_name}", full_page=full_page, element=element)
        page.set_viewport_size(DESKTOP)
        page.wait_for_timeout(200)

    def shot(
        self,
        page,
        name: str,
        *,
        full_page: bool = True,
        element: str | None = None,
        as_is: bool = False,
    ):
        """One screenshot; `as_is` takes the window as it is (an open menu stays open)."""
        if self.directory is None:
            return
        path = self.directory / f"{name}.png"
        if as_is:
            page.screenshot(path=str(path))
            _shrink(path)
            self.taken.append(path.name)
            return
        # A person clicks away before looking: no open date or time picker over the form.
        page.evaluate(
            """() => {
                if (document.activeElement) document.activeElement.blur();
                document.querySelectorAll(".xdsoft_datetimepicker").forEach(
                    (picker) => { picker.style.display = "none"; });
            }"""
        )
        if not (element or full_page):
            page.screenshot(path=str(path))
        else:
            # Wagtail's admin scrolls inside <main>, not the document, so Playwright's full_page
            # sees one screen, and an element under the sticky header is half hidden: grow the
            # window to the content's height instead (up to a limit), then take the picture.
            size = page.viewport_size
            height = page.evaluate(
                """() => {
                    const main = document.querySelector("main");
                    const inner = main ? main.getBoundingClientRect().top + main.scrollHeight : 0;
                    return Math.max(inner, document.documentElement.scrollHeight);
                }"""
            )
            page.set_viewport_size({"width": size["width"], "height": min(height, MAX_HEIGHT)})
            page.wait_for_timeout(400)
            if element:
                page.locator(element).first.screenshot(path=str(path))
            else:
                page.screenshot(path=str(path), full_page=True)
            page.set_viewport_size(size)
            page.wait_for_timeout(200)
        _shrink(path)
        self.taken.append(path.name)


def _shrink(path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:  # keep the full-colour PNG
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


# ---------------------------------------------------------------------------------------------
# Mail
# ---------------------------------------------------------------------------------------------


def read_mail(mail_dir: Path, *, to: str, since: float) -> list[email.message.EmailMessage]:
    """The messages the file e-mail backend wrote to `to` since `since` (a timestamp)."""
    found = []
    for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
        if path.stat().st_mtime < since:
            continue
        for chunk in MAIL_SEPARATOR.split(path.read_bytes()):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.strip() + b"\n", policy=email.policy.default)
            if to.lower() in str(message.get("To", "")).lower():
                found.append(message)
    return found


class FileMailbox:
    """The messages the server's file e-mail backend wrote to a folder."""

    def __init__(self, directory: Path):
        self.directory = directory

    def texts(self, *, to: str, since: float) -> list[tuple[str, str]]:
        """(subject, plain text) of each message to `to` since `since`."""
        return [
            (str(m["Subject"]), mail_text(m)) for m in read_mail(self.directory, to=to, since=since)
        ]


def mail_text(message) -> str:
    body = message.get_body(preferencelist=("plain",)) or message
    return body.get_content()


def wait_for_link(
    mailbox, *, to: str, since: float, pattern: str, subject_has: str = ""
) -> tuple[str, str]:
    """The first link matching `pattern` in a message to `to` (whose subject has
    `subject_has`), and that message's subject."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for subject, text in mailbox.texts(to=to, since=since):
            match = re.search(pattern, text) if subject_has in subject else None
            if match:
                return match.group(0), subject
        time.sleep(0.5)
    raise SystemExit(f"No e-mail to {to} with a link like {pattern!r}.")


# ---------------------------------------------------------------------------------------------
# The journey before issue 13
# ---------------------------------------------------------------------------------------------


@dataclass
class Journey:
    base: str
    rec: Recorder
    shots: Shooter
    browser: object
    args: argparse.Namespace
    # Where the journey reads the e-mails the server sent: the file backend's folder when run
    # by hand, Django's outbox when run as a test (anything with the FileMailbox methods).
    mailbox: object = None
    public_text: str = ""

    def url(self, path: str) -> str:
        return urljoin(self.base, path)

    def new_page(self):
        context = self.browser.new_context(viewport=DESKTOP, locale="en-GB")
        self.rec.attach(context)
        page = context.new_page()
        # A half-filled Wagtail form asks "Leave site?" on the way out; the volunteer says yes.
        page.on("dialog", lambda dialog: self._dialog(dialog))
        return page

    def _dialog(self, dialog) -> None:
        self.rec.note(f'browser asked "{dialog.type}" before leaving the half-filled form')
        dialog.accept()


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    page.wait_for_load_state("load")


def sidebar(page, menu: str, item: str) -> None:
    """Open a sidebar menu (no page load) and follow one of its items (a page load)."""
    page.locator("#wagtail-sidebar").get_by_role("button", name=menu).first.click()
    page.wait_for_timeout(500)
    with page.expect_navigation():
        page.locator("#wagtail-sidebar").get_by_role("link", name=item).first.click()
    page.wait_for_load_state("load")


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(urljoin(base, "/admin/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    click_and_wait(page, "form button[type=submit]")


def messages_text(page) -> str:
    node = page.query_selector(".messages")
    return " ".join(node.inner_text().split()) if node else ""


def next_weekday(weekday: int, *, after_days: int = 3) -> datetime.date:
    day = datetime.date.today() + datetime.timedelta(days=after_days)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def flow_before(j: Journey) -> None:
    a = j.args
    rec, shots = j.rec, j.shots
    group, venue_name, title = a.group_name, a.venue_name, a.activity_title

    # -- 1 to 3: a new group and its volunteer's account --------------------------------------
    if a.editor:
        username, password = a.editor.split(":", 1)
    else:
        username, password = _register_and_get_account(j)

    # -- 4: the volunteer lists an activity ---------------------------------------------------
    page = j.new_page()
    with rec.step("add-activity", "Sign in at /admin/ (login page, then the dashboard)", page=page):
        sign_in(page, j.base, username, password)
        if "/login/" in page.url:
            raise SystemExit(f"Could not sign in as {username}: {messages_text(page)}")
        heading = page.locator("main h1, main h2").first.inner_text().strip()
        rec.note(f'dashboard titled "{heading}"; {_dashboard_summary(page)}')
    shots.both(page, "dashboard")

    with rec.step(
        "add-activity",
        "Look for a way to add an activity: Pages menu, then the organisation's name",
        needed=False,
        page=page,
    ):
        page.locator("#wagtail-sidebar").get_by_role("button", name="Pages").first.click()
        page.wait_for_timeout(800)
        org_link = page.locator("#wagtail-sidebar a").filter(has_text=group).first
        if a.editor:
            org_link = page.locator("#wagtail-sidebar .c-page-explorer__header a").first
        with page.expect_navigation():
            org_link.click()
        page.wait_for_load_state("load")
        rec.note("the organisation's page list; adding is the unlabelled (+) icon beside the title")
    shots.both(page, "explorer", full_page=False)

    with rec.step(
        "add-activity",
        "First try: (+) 'Add child page' opens the activity form",
        needed=False,
        page=page,
    ):
        click_and_wait(page, "a[aria-label='Add child page']")
        add_url = page.url
        tabs = [t.inner_text().strip() for t in page.get_by_role("tab").all()]
        rec.note(f"tabs: {', '.join(tabs)}")
    for tab in tabs:
        page.get_by_role("tab", name=tab).first.click()
        page.wait_for_timeout(300)
        shots.both(page, f"activity-form-{tab.lower().replace(' ', '-')}-tab")
    if tabs:
        page.get_by_role("tab", name=tabs[0]).first.click()

    with rec.step(
        "add-activity",
        "Fill in What; reach Venue, open the chooser, search for the hall: not there, "
        "and no way to add it",
        needed=False,
        page=page,
    ):
        _fill_what(page, title)
        rec.note(f"half-filled, no mistake made: {_autosave_state(page)}")
        page.get_by_role("button", name="Choose venue").first.click()
        page.wait_for_selector(".modal input[name=q]")
        page.fill(".modal input[name=q]", venue_name.split()[0])
        page.wait_for_timeout(1500)
        modal = " ".join(page.inner_text(".modal").split())
        creatable = page.locator(".modal").get_by_text(re.compile(r"^(Add|Create|New)\b")).count()
        rec.note(
            "chooser: "
            + ("no venue found" if venue_name not in modal else "venue found")
            + ("" if creatable else ", no way to create one")
        )
    shots.both(page, "venue-chooser", full_page=False)

    with rec.step(
        "add-activity",
        "Close the chooser; give up on the half-filled form",
        needed=False,
        page=page,
    ):
        page.locator(".modal").get_by_role("button", name="Close").first.click()
        page.wait_for_timeout(300)

    with rec.step(
        "add-activity",
        "Directory menu, then Venues: the list of every venue (what was typed is lost)",
        page=page,
    ):
        sidebar(page, "Directory", "Venues")

    with rec.step("add-activity", "Add venue: the venue form", page=page):
        click_and_wait(page, "main a:has-text('Add venue'), header a:has-text('Add venue')")
    shots.both(page, "venue-form")

    with rec.step("add-activity", "Fill in the venue and save it", page=page):
        page.fill("#id_name", venue_name)
        page.fill("#id_address_1", a.venue_street)
        page.fill("#id_town", "London")
        page.fill("#id_postcode", a.venue_postcode)
        for feature in ("Step-free access", "Accessible toilet"):
            page.get_by_label(feature, exact=True).check()
        page.fill("#id_accessibility_notes", "Ramp at the side door on Fircroft Road.")
        click_and_wait(page, "footer button:has-text('Save'), form button:has-text('Save')")
        rec.note(f'"{messages_text(page)}"')
    shots.both(page, "venue-saved", full_page=False)

    with rec.step(
        "add-activity",
        "Follow the confirmation's 'Edit' link to check the venue: no permission",
        needed=False,
        page=page,
    ):
        edit = page.locator(".messages a:has-text('Edit')").first
        if edit.count():
            with page.expect_navigation():
                edit.click()
            page.wait_for_load_state("load")
            rec.note(f'"{messages_text(page) or page.title()}"')
        else:
            rec.note("no Edit link offered")
    shots.both(page, "venue-edit-denied", full_page=False)

    with rec.step(
        "add-activity", "Back to the organisation: Pages menu, the organisation", page=page
    ):
        page.locator("#wagtail-sidebar").get_by_role("button", name="Pages").first.click()
        page.wait_for_timeout(800)
        org_link = page.locator("#wagtail-sidebar a").filter(has_text=group).first
        if a.editor:
            org_link = page.locator("#wagtail-sidebar .c-page-explorer__header a").first
        with page.expect_navigation():
            org_link.click()
        page.wait_for_load_state("load")

    with rec.step("add-activity", "(+) 'Add child page': the activity form again", page=page):
        click_and_wait(page, "a[aria-label='Add child page']")
        assert page.url == add_url, page.url

    with rec.step(
        "add-activity",
        "Fill in the form again; choose the new venue in the chooser",
        page=page,
    ):
        _fill_what(page, title)
        rec.note(f"before the venue: {_autosave_state(page)}")
        page.get_by_role("button", name="Choose venue").first.click()
        page.wait_for_selector(".modal input[name=q]")
        page.fill(".modal input[name=q]", venue_name.split()[0])
        page.wait_for_timeout(1500)
        page.locator(".modal a").filter(has_text=venue_name).first.click()
        page.wait_for_timeout(800)
        _fill_rest(page)
        rec.note(f"venue chosen, rest filled in: {_autosave_state(page)}")

    with rec.step(
        "add-activity",
        "Add session time: every other Tuesday, 10:00 to 12:00, term time only",
        page=page,
    ):
        shown = _fill_fortnightly_session(page)
        rec.note(f"for 'Every other week' the form still shows: {', '.join(shown)}")
        rec.note(f"first session {next_weekday(1):%A %-d %B %Y}")
    shots.both(page, "session-form", element="#inline_child_schedules-0")
    rec.steps[-1].notes.append(f"form complete and valid: {_autosave_state(page)}")
    shots.both(page, "activity-form-filled")

    # Where the volunteer has to find "submit": behind the caret beside "Save draft".
    for width_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.wait_for_timeout(400)
        page.get_by_role("button", name="More actions").first.click()
        page.wait_for_timeout(400)
        shots.shot(page, f"submit-menu-{width_name}", as_is=True)
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)

    with rec.step(
        "add-activity",
        "Open the caret beside 'Save draft', choose 'Submit to Moderators approval'",
        page=page,
    ):
        if not page.locator("button[name=action-submit]").first.is_visible():
            page.get_by_role("button", name="More actions").first.click()
            page.wait_for_timeout(300)
        with page.expect_navigation():
            page.locator("button[name=action-submit]").first.click()
        page.wait_for_load_state("load")
        message = messages_text(page)
        if "submitted" not in message.lower():
            shots.shot(page, "submit-failed")
            raise SystemExit(f"The activity was not submitted: {message}")
        rec.note(f'"{message}"')
    shots.both(page, "after-submit")
    page.context.close()

    # -- 5: a moderator approves it -----------------------------------------------------------
    mod_user, mod_password = a.moderator.split(":", 1)
    page = j.new_page()
    with rec.step("approve-activity", "Sign in at /admin/ (login page, then dashboard)", page=page):
        sign_in(page, j.base, mod_user, mod_password)
        row = page.locator("main tr").filter(has_text=title).first
        rec.note(
            "the dashboard lists it under 'Awaiting your review'"
            if row.count()
            else "not on the dashboard"
        )
    shots.shot(page, "moderator-dashboard-desktop")

    with rec.step(
        "approve-activity",
        "Row's '...' menu, Preview (opens a new tab), read it, close the tab",
        page=page,
    ):
        row.get_by_role("button", name="Actions").first.click()
        page.wait_for_timeout(300)
        with page.context.expect_page() as new_tab:
            row.locator("a:has-text('Preview')").first.click()
        preview = new_tab.value
        preview.wait_for_load_state("load")
        body = " ".join(preview.inner_text("body").split())
        shows = [
            what
            for what, found in (
                ("the venue", j.args.venue_name in body),
                ("the schedule", "every other" in body.lower()),
                ("term time", "term time" in body.lower()),
            )
            if found
        ]
        rec.note(
            f"the preview shows {', '.join(shows) or 'neither venue nor schedule'}; "
            "nothing says the venue is new, and the venue was never put to a moderator"
        )
        preview.close()

    with rec.step("approve-activity", "Row's '...' menu, Approve", page=page):
        row.get_by_role("button", name="Actions").first.click()
        page.wait_for_timeout(300)
        with page.expect_navigation():
            row.locator("button:text-is('Approve')").first.click()
        page.wait_for_load_state("load")
        rec.note(f'"{messages_text(page)}"' if messages_text(page) else "no message shown")
    shots.shot(page, "moderator-after-approve-desktop")
    page.context.close()

    # -- 6: it is on the public site and in search (not counted) ------------------------------
    page = j.new_page()
    with rec.step("public", "Search for it and open its page", page=page):
        page.goto(j.url("/search/?q=" + title.replace(" ", "+")))
        found = page.get_by_role("link", name=title).first
        if not found.count():
            rec.note("NOT in search results")
        else:
            with page.expect_navigation():
                found.click()
            page.wait_for_load_state("load")
            text = " ".join(page.inner_text("main").split())
            match = re.search(r"[^.]{0,60}Tuesday[^.]{0,80}", text)
            said = match.group(0).strip() if match else "?"
            rec.note(f"public page {urlsplit(page.url).path}; it says: {said}")
    page.context.close()


def _autosave_state(page) -> str:
    """What Wagtail's autosave tells the person at this moment."""
    banner = page.get_by_text("There are validation errors").first
    if banner.count() and banner.is_visible():
        return 'autosave says "There are validation errors, click save to highlight them"'
    saved = page.get_by_text("Saved", exact=True).first
    if saved.count() and saved.is_visible():
        return 'autosave says "Saved" (a private draft: nothing has been sent to a moderator)'
    return "autosave says nothing"


def _dashboard_summary(page) -> str:
    summary = page.locator("main").get_by_role("link").filter(has_text=re.compile(r"\d+ Page"))
    bits = [" ".join(summary.first.inner_text().split())] if summary.count() else []
    action = re.compile(r"^\s*(add|create|new)\b.*(activity|listing)", re.IGNORECASE)
    actions = page.locator("main").get_by_role("link", name=action).count()
    bits.append("an add action" if actions else "no action to take")
    return "; ".join(bits)


# A person takes a moment between fields; Wagtail's autosave (every 500 ms after a change)
# fires in those moments, as it does for them.
PAUSE_MS = 800


def _fill_what(page, title: str) -> None:
    page.fill("#id_title", title)
    page.wait_for_timeout(PAUSE_MS)
    page.fill(
        "#id_summary",
        "A friendly knitting and crochet circle: bring your own project or learn from scratch.",
    )
    page.wait_for_timeout(PAUSE_MS)
    # Before issue 13 each category was labelled with its path; after, under its heading.
    flat = page.get_by_label("Arts and crafts › Knitting and sewing", exact=True)
    (flat if flat.count() else page.get_by_label("Knitting and sewing", exact=True)).check()
    page.wait_for_timeout(PAUSE_MS)


def _fill_rest(page) -> None:
    page.get_by_label("Older people", exact=True).check()
    page.select_option("#id_booking", label="Just turn up")
    page.fill("#id_how_to_join", "Come to the side door; the first session is free.")
    page.wait_for_timeout(PAUSE_MS)
    page.fill("#id_contact_name", "Pat Volunteer")
    page.fill("#id_contact_email", "pat.volunteer@example.org")
    page.wait_for_timeout(PAUSE_MS)


def _fill_fortnightly_session(page) -> list[str]:
    """Add one session, every other Tuesday from next week, 10:00 to 12:00, term time only;
    return which of the frequency-dependent fields the form showed for it."""
    page.get_by_role("button", name=re.compile("Add session time", re.I)).first.click()
    page.wait_for_timeout(300)
    page.select_option("#id_schedules-0-frequency", label="Every other week")
    page.wait_for_timeout(300)
    shown = [
        label
        for label, selector in (
            ("days", "#id_schedules-0-weekdays_0"),
            ("which week of the month", "#id_schedules-0-nth"),
            ("one-off date", "#id_schedules-0-on_date"),
            ("term time only", "#id_schedules-0-term_time_only"),
        )
        if page.locator(selector).is_visible()
    ]
    page.get_by_label("Tuesday", exact=True).first.check()
    _type_date_time(page, "#id_schedules-0-start_time", "10:00")
    _type_date_time(page, "#id_schedules-0-end_time", "12:00")
    _type_date_time(page, "#id_schedules-0-starts_on", next_weekday(1).isoformat())
    page.check("#id_schedules-0-term_time_only")
    return shown


def _type_date_time(page, selector: str, value: str) -> None:
    # Wagtail's date and time pickers open on focus; type, then close the picker.
    page.fill(selector, value)
    page.keyboard.press("Escape")
    page.wait_for_timeout(PAUSE_MS)


def _register_and_get_account(j: Journey, *, via_queue: bool = False) -> tuple[str, str]:
    a, rec = j.args, j.rec
    if j.mailbox is None:
        raise SystemExit("--mail-dir is needed to register a new group (or give --editor).")
    started = time.time() - 1

    page = j.new_page()
    with rec.step("register", "Home page, then 'List your group'", page=page):
        page.goto(j.url("/"))
        with page.expect_navigation():
            page.get_by_role("link", name="List your group").first.click()
        page.wait_for_load_state("load")
    with rec.step("register", "Fill in the form and send it", page=page):
        page.fill("#id_organisation_name", a.group_name)
        page.select_option("#id_kind", label="Community group")
        page.fill("#id_description", "A knitting and crochet circle for anyone in Tooting.")
        page.fill("#id_postcode", a.venue_postcode)
        page.fill("#id_contact_name", "Pat Volunteer")
        page.fill("#id_contact_email", a.volunteer_email)
        page.check("#id_agree")
        with page.expect_navigation():
            page.locator("#id_organisation_name").locator("xpath=ancestor::form").locator(
                "button[type=submit]"
            ).first.click()
        page.wait_for_load_state("load")
    carry_on = page.get_by_role("button", name="Not us, carry on")
    if "thank-you" not in page.url and carry_on.count():
        with rec.step("register", "'Is this already listed?': 'Not us, carry on'", page=page):
            rec.note(" ".join(page.inner_text("main").split())[:200])
            with page.expect_navigation():
                carry_on.first.click()
            page.wait_for_load_state("load")
    if "thank-you" not in page.url:
        errors = " ".join(page.inner_text("main").split())[:300]
        raise SystemExit(f"Registration was refused: {errors}")
    page.context.close()

    mod_user, mod_password = a.moderator.split(":", 1)
    page = j.new_page()
    with rec.step("approve-group", "Sign in at /admin/", page=page):
        sign_in(page, j.base, mod_user, mod_password)
    if via_queue:
        _approve_in_queue(j, page, "approve-group", a.group_name)
        page.context.close()
    else:
        _approve_group_before(j, page)
        page.context.close()

    link, subject = wait_for_link(
        j.mailbox, to=a.volunteer_email, since=started, pattern=r"https?://\S+/password_reset/\S+"
    )
    page = j.new_page()
    with rec.step("password", f"Open the link in the e-mail '{subject}'", page=page):
        page.goto(link)
        page.wait_for_load_state("load")
    username = a.volunteer_email.split("@")[0]
    for _subject, text in j.mailbox.texts(to=a.volunteer_email, since=started):
        found = re.search(r"username is: (\S+)", text)
        if found:
            username = found.group(1)
    with rec.step("password", "Type the new password twice and send it", page=page):
        page.fill("#id_new_password1", a.volunteer_password)
        page.fill("#id_new_password2", a.volunteer_password)
        click_and_wait(page, "main form button[type=submit], form button[type=submit]")
        rec.note(" ".join(page.inner_text("main").split())[:160])
    page.context.close()
    return username, a.volunteer_password


def _approve_group_before(j: Journey, page) -> None:
    """Before issue 13: the 'Groups to approve' list, then the group's decision page."""
    a, rec = j.args, j.rec
    with rec.step("approve-group", "Groups to approve (menu)", page=page):
        with page.expect_navigation():
            page.locator("#wagtail-sidebar").get_by_role("link", name="Groups to approve").click()
        page.wait_for_load_state("load")
    with rec.step("approve-group", "'Approve or reject' on the group's row", page=page):
        row = page.locator("main tr").filter(has_text=a.group_name).first
        with page.expect_navigation():
            row.get_by_role("link", name="Approve or reject").click()
        page.wait_for_load_state("load")
    with rec.step("approve-group", "Choose 'Approve and publish', save the decision", page=page):
        page.get_by_label("Approve and publish").check()
        click_and_wait(page, "main form button[type=submit]")
        rec.note(f'"{messages_text(page)}"')


# ---------------------------------------------------------------------------------------------
# The journey after issue 13
# ---------------------------------------------------------------------------------------------


def flow_after(j: Journey) -> None:
    a = j.args
    rec, shots = j.rec, j.shots
    title = a.activity_title

    if a.editor:
        username, password = a.editor.split(":", 1)
    else:
        username, password = _register_and_get_account(j, via_queue=True)

    # -- 4: the volunteer lists an activity ---------------------------------------------------
    page = j.new_page()
    with rec.step("add-activity", "Sign in at /admin/ (login page, then the dashboard)", page=page):
        sign_in(page, j.base, username, password)
        if "/login/" in page.url:
            raise SystemExit(f"Could not sign in as {username}: {messages_text(page)}")
        heading = page.locator("main h1, main h2").first.inner_text().strip()
        rec.note(f'dashboard titled "{heading}"; {_dashboard_summary(page)}')
    shots.both(page, "dashboard")

    with rec.step("add-activity", "'Add an activity' on the dashboard: the form", page=page):
        with page.expect_navigation():
            page.locator("main").get_by_role("link", name="Add an activity").first.click()
        page.wait_for_load_state("load")
        tabs = [t.inner_text().strip() for t in page.get_by_role("tab").all()]
        rec.note(f"tabs: {', '.join(tabs)}")
    for tab in tabs:
        page.get_by_role("tab", name=tab).first.click()
        page.wait_for_timeout(300)
        shots.both(page, f"activity-form-{_slug(tab)}-tab")
    page.get_by_role("tab", name=tabs[0]).first.click()

    with rec.step("add-activity", "Fill in What", page=page):
        _fill_what(page, title)

    with rec.step(
        "add-activity",
        "When: add a session, 'Every other week', Tuesday 10:00 to 12:00, term time only",
        page=page,
    ):
        page.get_by_role("tab", name="When").first.click()
        shown = _fill_fortnightly_session(page)
        rec.note(f"for 'Every other week' the form shows: {', '.join(shown)}")
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        preview = page.locator("#inline_child_schedules-0 [aria-live]").first
        with contextlib.suppress(PlaywrightTimeout):
            preview.wait_for(state="visible", timeout=5000)
            page.wait_for_timeout(1000)
        if preview.count():
            rec.note(f'preview: "{" ".join(preview.inner_text().split())}"')
    shots.both(page, "session-form", element="#inline_child_schedules-0")

    with rec.step(
        "add-activity",
        "Where: 'Choose a venue', not found, 'Add a new venue' in the same dialog, add it",
        page=page,
    ):
        page.get_by_role("tab", name="Where").first.click()
        page.get_by_role("button", name=re.compile("Choose (a )?venue", re.I)).first.click()
        modal = page.locator(".modal-dialog")
        modal.locator("input[name=q]").wait_for()
        modal.locator("input[name=q]").fill(a.venue_name.split()[0])
        page.wait_for_timeout(1500)
        found = a.venue_name in " ".join(modal.inner_text().split())
        modal.get_by_role("tab", name="Add a new venue").click()
        modal.locator("#venue-map.leaflet-container").wait_for()
        shots.both(page, "venue-chooser-add", full_page=False)
        modal.locator("input[name=name]").fill(a.venue_name)
        modal.locator("input[name=address_1]").fill(a.venue_street)
        modal.locator("input[name=town]").fill("London")
        modal.locator("input[name=postcode]").fill(a.venue_postcode)
        for feature in ("Step-free access", "Accessible toilet"):
            modal.get_by_label(feature, exact=True).check()
        modal.get_by_role("button", name="Add this venue").click()
        modal.wait_for(state="hidden")
        rec.note(
            ("the search found it; " if found else "the search did not find it; ")
            + "added from the chooser, and chosen in the form"
        )
    shots.both(page, "venue-chosen", full_page=False)

    with rec.step("add-activity", "Who it's for, How to join and Contact", page=page):
        page.get_by_role("tab", name="Who it's for").first.click()
        page.get_by_label("Older people", exact=True).check()
        page.get_by_role("tab", name="How to join").first.click()
        page.select_option("#id_booking", label="Just turn up")
        page.fill("#id_how_to_join", "Come to the side door; the first session is free.")
        page.get_by_role("tab", name="Contact").first.click()
        page.fill("#id_contact_name", "Pat Volunteer")
        page.fill("#id_contact_email", "pat.volunteer@example.org")
        rec.note(f"form complete and valid: {_autosave_state(page)}")
    shots.both(page, "activity-form-filled")

    submitted = time.time() - 1
    with rec.step("add-activity", "'Submit for approval' (the main button)", page=page):
        with page.expect_navigation():
            page.get_by_role("button", name="Submit for approval").first.click()
        page.wait_for_load_state("load")
        message = messages_text(page)
        if "sent for approval" not in message:
            shots.shot(page, "submit-failed")
            raise SystemExit(f"The activity was not submitted: {message}")
        rec.note(f'"{message}"')
    shots.both(page, "after-submit")
    page.context.close()

    # -- 5: a moderator approves it from the review queue -------------------------------------
    # Moderators are e-mailed "To check: ..." with a link to the queue; it asks them to sign in
    # and then shows the queue (before this issue the moderator started at the dashboard).
    mod_user, mod_password = a.moderator.split(":", 1)
    page = j.new_page()
    if j.mailbox is not None:
        link, subject = wait_for_link(
            j.mailbox,
            to="",
            since=submitted,
            pattern=r"https?://\S+/admin/review/",
            subject_has=title,
        )
        with rec.step(
            "approve-activity",
            f"Open the queue link in the e-mail '{subject}', sign in: the queue",
            page=page,
        ):
            page.goto(link)
            page.fill("#id_username", mod_user)
            page.fill("#id_password", mod_password)
            click_and_wait(page, "form button[type=submit]")
        _approve_in_queue(j, page, "approve-activity", title, opened=True)
    else:
        with rec.step(
            "approve-activity", "Sign in at /admin/ (login page, then dashboard)", page=page
        ):
            sign_in(page, j.base, mod_user, mod_password)
        _approve_in_queue(j, page, "approve-activity", title)
    page.context.close()

    _check_public(j, title)


def _approve_in_queue(j: Journey, page, phase: str, name: str, *, opened: bool = False) -> None:
    """Review queue (sidebar, unless `opened` already), read what changed, Approve the item."""
    rec, shots = j.rec, j.shots
    with rec.step(phase, "Review queue: each change in words", page=page):
        if not opened:
            with page.expect_navigation():
                page.locator("#wagtail-sidebar").get_by_role(
                    "link", name=re.compile("Review queue")
                ).first.click()
            page.wait_for_load_state("load")
        item = page.locator("main article, main section li, main tr").filter(has_text=name).first
        if not item.count():
            shots.shot(page, f"{phase}-queue-missing")
            raise SystemExit(f"{name!r} is not in the review queue.")
        rec.note(" ".join(item.inner_text().split())[:200])
    shots.both(page, f"{phase}-queue")
    with rec.step(phase, "Approve", page=page):
        with page.expect_navigation():
            item.get_by_role("button", name=re.compile("^Approve")).first.click()
        page.wait_for_load_state("load")
        rec.note(f'"{messages_text(page)}"' if messages_text(page) else "no message shown")
    shots.shot(page, f"{phase}-approved-desktop")


def _check_public(j: Journey, title: str) -> None:
    rec = j.rec
    page = j.new_page()
    with rec.step("public", "Search for it and open its page", page=page):
        page.goto(j.url("/search/?q=" + title.replace(" ", "+")))
        found = page.get_by_role("link", name=title).first
        if not found.count():
            rec.note("NOT in search results")
            raise SystemExit(f"{title!r} is not in search results.")
        with page.expect_navigation():
            found.click()
        page.wait_for_load_state("load")
        text = " ".join(page.inner_text("main").split())
        match = re.search(r"[^.]{0,60}Tuesday[^.]{0,80}", text)
        said = match.group(0).strip() if match else "?"
        rec.note(f"public page {urlsplit(page.url).path}; it says: {said}")
        j.public_text = text
    page.context.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


FLOWS = {"before": flow_before, "after": flow_after}


def _mails_since(args, started: float) -> list[dict]:
    """Every message the server wrote during the run: to, subject and its first lines."""
    if not args.mail_dir:
        return []
    mails = []
    for message in read_mail(Path(args.mail_dir), to="", since=started):
        lines = [line.strip() for line in mail_text(message).splitlines() if line.strip()]
        mails.append(
            {"to": str(message["To"]), "subject": str(message["Subject"]), "lines": lines[:6]}
        )
    return mails


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--moderator", required=True, help="USER:PASSWORD of a moderator")
    parser.add_argument("--editor", help="USER:PASSWORD of an existing group editor (skips 1-3)")
    parser.add_argument("--mail-dir", help="where the server's file e-mail backend writes")
    parser.add_argument("--flow", choices=sorted(FLOWS), default="before")
    parser.add_argument("--group-name", default="Tooting Knit and Natter")
    parser.add_argument("--volunteer-email", default="pat.volunteer@example.org")
    parser.add_argument("--volunteer-password", default="Wool-and-tea-on-Tuesdays-7")
    parser.add_argument("--activity-title", default="Fircroft knit and natter")
    parser.add_argument("--venue-name", default="Fircroft Community Room")
    parser.add_argument("--venue-street", default="12 Fircroft Road")
    parser.add_argument("--venue-postcode", default="SW17 7PP")
    parser.add_argument("--screenshots", type=Path, help="directory for the screenshots")
    parser.add_argument("--json", type=Path, help="write the steps and counts here as JSON")
    parser.add_argument("--headed", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    from playwright.sync_api import sync_playwright

    rec = Recorder(args.base_url)
    shots = Shooter(args.screenshots)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=not args.headed)
        mailbox = FileMailbox(Path(args.mail_dir)) if args.mail_dir else None
        journey = Journey(args.base_url, rec, shots, browser, args, mailbox)
        started = time.time() - 1
        try:
            FLOWS[args.flow](journey)
        finally:
            browser.close()
            mails = _mails_since(args, started)
            print("\nSteps\n")
            print(rec.step_list())
            print("\nCounts\n")
            print(rec.table())
            if mails:
                print("\nE-mails sent during the journey\n")
                for mail in mails:
                    print(f'- to {mail["to"]}: "{mail["subject"]}"')
                    for line in mail["lines"]:
                        print(f"    > {line}")
            if shots.taken:
                print(f"\nScreenshots in {args.screenshots}: {', '.join(shots.taken)}")
            if args.json:
                args.json.write_text(
                    json.dumps(
                        {
                            "steps": [asdict(s) for s in rec.steps],
                            "mails": mails,
                            "totals": {
                                phase: {
                                    "needed": rec.totals(phase, needed_only=True),
                                    "with_detours": rec.totals(phase, needed_only=False),
                                }
                                for phase in PHASES
                            },
                        },
                        indent=2,
                    )
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
