"""The clients of the load-and-fault bench: staff and the public, each a thread with its own
``requests`` session, sending a fixed mix of requests until told to stop; every answer (or
its absence) is kept with its time, so that the faults' windows can be read afterwards."""

from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import dataclass, field

import requests

TIMEOUT = 60


@dataclass(frozen=True)
class Hit:
    """One request: when it started and ended (seconds since the load's start), what it was,
    the HTTP status (0: no answer) and, without one, the kind of failure."""

    started: float
    ended: float
    who: str
    label: str
    status: int
    failure: str = ""

    @property
    def kind(self) -> str:
        if self.status == 0:
            return self.failure
        if self.status >= 500:
            return f"HTTP {self.status}"
        return "ok" if self.status < 400 else f"HTTP {self.status}"


@dataclass(frozen=True)
class Request:
    label: str
    method: str
    path: str
    expect: int = 200
    weight: int = 1


def staff_mix(ids: dict) -> list[Request]:
    """Center staff of Okayama: lists, details, the dashboards, an export, a registration."""
    corporation = ids["corporations"][0]
    event = ids["events"][0] if ids["events"] else ids["write_event"]
    return [
        Request("corporation list", "GET", "/members/corporations/", weight=4),
        Request("facility list", "GET", "/members/facilities/", weight=2),
        Request("event list", "GET", "/events/", weight=2),
        Request("corporation detail", "GET", f"/members/corporations/{corporation}/", weight=4),
        Request("event manage", "GET", f"/events/{event}/manage/", weight=2),
        Request("my page", "GET", "/dashboard/", weight=2),
        Request("plan dashboard", "GET", "/plan/center/", weight=1),
        Request("corporation export", "GET", "/members/io/corporations/export/", weight=1),
        Request(
            "registration (write)",
            "POST",
            f"/api/v1/events/{ids['write_event']}/registrations/",
            expect=201,
            weight=3,
        ),
    ]


def public_mix(ids: dict) -> list[Request]:
    """Anonymous visitors: the home page, the directory, events, the public plan."""
    return [
        Request("home", "GET", "/", weight=3),
        Request("directory", "GET", "/activities/", weight=3),
        Request("event list (public)", "GET", "/events/", weight=2),
        Request("event detail (public)", "GET", f"/events/{ids['write_event']}/", weight=2),
        Request("plan (public)", "GET", "/plan/", weight=2),
        Request("newsletters", "GET", "/newsletters/", weight=1),
    ]


def loopback_cookies(session: requests.Session) -> requests.Session:
    """Let the production profile's Secure cookies go back over the bench's plain HTTP on
    127.0.0.1, as a browser sends them over the TLS that nginx ends in production; called
    before each request (requests copies the jar, so a cookie policy would not hold)."""
    for cookie in session.cookies:
        cookie.secure = False
    return session


def log_in(base: str, username: str, password: str) -> requests.Session:
    """A staff session as a person gets one: the login form posted with its CSRF token."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or token is None:
        raise RuntimeError(f"the login page answered {page.status_code}")
    form = {"csrfmiddlewaretoken": token.group(1), "login": username, "password": password}
    answer = loopback_cookies(session).post(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False, timeout=TIMEOUT,
    )  # fmt: skip
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"logging in as {username} failed ({answer.status_code})")
    return session


def post_form(session: requests.Session, url: str) -> requests.Response:
    """A staff form's POST (a button), with the session's CSRF token; not followed."""
    loopback_cookies(session)
    token = session.cookies.get("csrftoken", "")
    return session.post(
        url, data={"csrfmiddlewaretoken": token}, headers={"Referer": url},
        allow_redirects=False, timeout=TIMEOUT,
    )  # fmt: skip


@dataclass
class Load:
    """``clients`` threads (every other one logged in as staff) until ``stop`` is set."""

    base: str
    clients: int
    ids: dict
    staff: tuple[str, str]
    hits: list[Hit] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)  # registrations answered 201
    stop: threading.Event = field(default_factory=threading.Event)
    started: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def sessions(self) -> list[tuple[str, requests.Session]]:
        made = []
        for n in range(self.clients):
            if n % 2 == 0:
                made.append(("staff", log_in(self.base, *self.staff)))
            else:
                made.append(("public", requests.Session()))
        return made

    def check(self, sessions) -> list[str]:
        """Each request of the mixes once: the ones that do not answer as expected."""
        wrong = []
        for who, session in sessions[:2]:
            for item in staff_mix(self.ids) if who == "staff" else public_mix(self.ids):
                status = self._send(session, item, 0)[0]
                if status != item.expect:
                    wrong.append(f"{who} {item.method} {item.path}: {status}")
        return wrong

    def start(self, sessions) -> None:
        self.started = time.monotonic()
        for n, (who, session) in enumerate(sessions):
            mix = staff_mix(self.ids) if who == "staff" else public_mix(self.ids)
            thread = threading.Thread(target=self._client, args=(n, who, session, mix))
            thread.daemon = True
            thread.start()
            self._threads.append(thread)

    def now(self) -> float:
        return time.monotonic() - self.started

    def finish(self) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(TIMEOUT + 5)

    def _client(self, n: int, who: str, session: requests.Session, mix: list[Request]) -> None:
        chooser = random.Random(n)  # noqa: S311 — a reproducible mix, not a secret
        weights = [item.weight for item in mix]
        counter = 0
        while not self.stop.is_set():
            item = chooser.choices(mix, weights)[0]
            counter += 1
            begun = self.now()
            try:
                status, created = self._send(session, item, n * 1_000_000 + counter)
                failure = ""
            except requests.RequestException as error:
                status, created, failure = 0, None, _failure(error)
            hit = Hit(begun, self.now(), who, item.label, status, failure)
            with self._lock:
                self.hits.append(hit)
                if created is not None:
                    self.acknowledged.append(created)

    def _send(self, session: requests.Session, item: Request, n: int) -> tuple[int, int | None]:
        url = f"{self.base}{item.path}"
        loopback_cookies(session)
        if item.method == "GET":
            answer = session.get(url, timeout=TIMEOUT, allow_redirects=False)
            answer.content  # noqa: B018 — read the whole body, as a browser does
            return answer.status_code, None
        body = {"name": f"負荷試験 参加者{n}", "email": f"w{n}@example.jp"}
        headers = {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": url}
        answer = session.post(url, json=body, headers=headers, timeout=TIMEOUT)
        created = None
        if answer.status_code == 201:
            created = json.loads(answer.content)["id"]
        return answer.status_code, created


def _failure(error: requests.RequestException) -> str:
    text = str(error).lower()
    if isinstance(error, requests.Timeout):
        return "timeout"
    if "refused" in text:
        return "connection refused"
    if "reset" in text or "aborted" in text or "remotedisconnected" in text:
        return "connection reset"
    return type(error).__name__
