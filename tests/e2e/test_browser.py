"""`verifier serve` in a real browser, on SQLite and PostgreSQL: Debian's Chromium driven by selenium (no browser is
downloaded at test time). Sign in on the server's page, open the queue, resolve a claim by
keyboard; then the command line shows the database changed and the audit names the signed-in
user (not the server's --analyst); a wrong password is refused and counted. A pasted link to a
claim opens it after signing in, the address follows the screen, and a reload keeps the
session and the screen.

Only a machine without chromium/chromedriver/selenium skips this, with a message; with
VERIFIER_REQUIRE_BROWSER=1 (as in .ci/run) that skip is a failure.

What the browser shows is read from the terminal stream it receives: the page's WebSocket
is wrapped (before the page's own script runs) to keep a decoded copy of every frame.
"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from tests.e2e.served import PASSWORD, serving
from tests.e2e.served import run_cli as _cli
from tests.e2e.served import wait_for as _wait

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

CAPTURE = """
window.__screen = [];
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Native(...args);
  const decoder = new TextDecoder();
  ws.addEventListener("message", (e) => {
    if (typeof e.data !== "string") window.__screen.push(decoder.decode(new Uint8Array(e.data), {stream: true}));
  });
  return ws;
};
window.WebSocket.prototype = Native.prototype;
"""


def _need_browser():
    missing = [name for name, found in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not found]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install '.[test]')")
    if not missing:
        return
    reason = "no browser for the end-to-end test: missing " + ", ".join(missing) + \
             " (apt-get install chromium chromium-driver)"
    if os.environ.get("VERIFIER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"VERIFIER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def server(tmp_path, db_url):
    """`verifier serve` on a free localhost port, over a SQLite file or a PostgreSQL schema."""
    _need_browser()
    with serving(db_url, tmp_path / "serve.log") as (_, url):
        yield db_url, url + "/"


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                 "--window-size=1400,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # to see what the page's CSP blocked
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CAPTURE})
    yield driver
    driver.quit()


class Screen:
    """What the browser's terminal received since the last mark, and the keyboard."""

    def __init__(self, driver):
        self.driver = driver
        self.seen = 0

    def text(self) -> str:
        chunks = self.driver.execute_script("return window.__screen || []")
        return "".join(chunks[self.seen:])

    def mark(self) -> None:
        self.seen = len(self.driver.execute_script("return window.__screen || []"))

    def shows(self, *words: str) -> str:
        return _wait(lambda: all(w in self.text() for w in words) and self.text(), " and ".join(map(repr, words)))

    def type(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        for k in keys:
            ActionChains(self.driver).send_keys(k).perform()
            time.sleep(0.1)  # one key at a time, as a person types (keys are not measured)


def _sign_in(browser, name: str, password: str) -> None:
    """Fill the server's sign-in page (a plain form: no app runs before it)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def fill():
        if browser.execute_script("return document.readyState") != "complete":
            return False
        try:
            field = browser.find_element(By.ID, "name")
            field.clear()
            field.send_keys(name)
            browser.find_element(By.ID, "password").send_keys(password)
        except StaleElementReferenceException:  # the page was being replaced: fill the new one
            return False
        return True

    _wait(lambda: browser.find_elements(By.ID, "name"), "the sign-in form")
    assert browser.title == "sign in · verifier"
    _wait(fill, "a sign-in form to fill")
    browser.find_element(By.ID, "submit").click()


def _text_of(browser, element_id: str) -> str:
    """The element's text, "" while the page it was found on is still being replaced (the form's
    POST answers with a new page: an element found just before it goes stale)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        return browser.find_element(By.ID, element_id).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def _focus_terminal(browser) -> None:
    # keys go to the terminal (a click could land on a field and move the focus)
    _wait(lambda: browser.execute_script("return !!document.querySelector('.xterm-helper-textarea')"),
          "the terminal")
    browser.execute_script("document.querySelector('.xterm-helper-textarea').focus()")


def test_sign_in_and_resolve_a_claim_in_a_real_browser(server, browser):
    from selenium.webdriver.common.keys import Keys

    db, url = server
    first = json.loads(_cli(db, "claims", "--unresolved", "--json").stdout)[0]["id"]
    browser.get(url)

    # a wrong password is refused, and counted against the user in the database
    _sign_in(browser, "ana", "wrong password")
    _wait(lambda: "wrong name or password" in _text_of(browser, "problem"), "the refusal")
    users = json.loads(_cli(db, "user", "list", "--json").stdout)
    assert users[0]["failures"] == 1 and users[0]["last_sign_in"] is None
    assert json.loads(_cli(db, "claim", "show", first, "--json").stdout)["status"] == "unresolved"

    # the right one opens the queue, as ana
    _sign_in(browser, "ana", PASSWORD)
    screen = Screen(browser)
    screen.shows("Unresolved claims", "analyst", "ana")
    _wait(lambda: browser.current_url == url + "queue" and browser.title == "queue · verifier",
          "the address and title of the queue")
    _focus_terminal(browser)

    # resolve the first claim by keyboard: r, 5 (false), a rationale, enter, enter
    screen.mark()
    screen.type("r")
    screen.shows("mostly-false")
    screen.type("5", *"refuted in the browser", Keys.ENTER, Keys.ENTER)
    _wait(lambda: json.loads(_cli(db, "claim", "show", first, "--json").stdout)["status"] == "false",
          f"{first} resolved")

    detail = json.loads(_cli(db, "claim", "show", first, "--json").stdout)
    assert [(r["verdict"], r["analyst"], r["rationale"]) for r in detail["resolutions"]] == \
        [("false", "ana", "refuted in the browser")]
    audit = json.loads(_cli(db, "audit", "--json").stdout)
    resolve = [e for e in audit if e["action"] == "resolve"]
    assert [(e["key"], e["analyst"]) for e in resolve] == [(first, "ana")]
    assert ("sign-in", "ana") in [(e["action"], e["analyst"]) for e in audit]
    assert all(e["analyst"] != "not-the-signed-in-user" for e in audit)
    assert json.loads(_cli(db, "user", "list", "--json").stdout)[0]["failures"] == 0


def test_a_pasted_link_opens_the_claim_and_a_reload_keeps_the_session_and_the_screen(server, browser):
    db, url = server
    browser.get(url + "claims/c1")  # pasted from a chat: sign in first, then that claim
    _sign_in(browser, "ana", PASSWORD)
    screen = Screen(browser)
    screen.shows("Claim c1", "more than 6250 militants")
    _wait(lambda: browser.current_url == url + "claims/c1" and browser.title == "claim c1 · verifier",
          "the claim's address and title")

    # the address follows the screen: 2 opens the sources
    _focus_terminal(browser)
    screen.type("2")
    _wait(lambda: browser.current_url == url + "sources" and browser.title == "sources · verifier",
          "the address and title of the sources")

    # a reload keeps the session (no sign-in page) and comes back to the same screen
    browser.refresh()
    screen = Screen(browser)
    screen.shows("Syrian Center for Human Rights")
    _wait(lambda: browser.current_url == url + "sources" and browser.title == "sources · verifier",
          "the same address and title after the reload")
    audit = json.loads(_cli(db, "audit", "--entity", "user", "--json").stdout)
    assert [e["action"] for e in audit if e["analyst"] == "ana"].count("sign-in") == 1
    blocked = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert blocked == [], "the page needs something its CSP forbids"
