"""The web chat in a real browser: Debian's chromium, driven by playwright, against a real
``advisor serve`` subprocess. Screenshots land in test-artifacts/ (desktop and phone width).

Without chromium the test is skipped, unless ADVISOR_REQUIRE_BROWSER=1 (CI) makes it fail.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.config import Settings

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST = "We answer support questions from a wiki that changes weekly and must cite sources"
# checked with the CLI first: this follow-up moves the recommendation from rag to hybrid
FOLLOW_UP = ("We also need the answers in our brand voice, and we have 5,000 labeled examples "
             "of on-brand replies")
BOX = "#adv-box textarea"
UNNAMED_CONTROLS = """() => [...document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), textarea, select, summary')]
  .filter(e => e.offsetParent !== null)
  .filter(e => !(e.getAttribute('aria-label') || e.getAttribute('title') || e.innerText.trim()
                 || (e.labels && [...e.labels].some(l => l.innerText.trim()))))
  .map(e => e.outerHTML.slice(0, 120))"""


def _unavailable(reason: str) -> None:
    if os.environ.get("ADVISOR_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ADVISOR_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if os.access("/usr/bin/chromium", os.X_OK) else None)
    if path is None:
        _unavailable("Debian's chromium is not installed (apt-get install -y chromium); "
                     "the browser test drives it with playwright")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    return str(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    """A real `advisor serve` on a free port with a fresh data dir (the fitted embedder copied)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update({
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "ADVISOR_DATA_DIR": str(settings.data_dir), "ADVISOR_ALLOW_MODEL_REQUESTS": "0",
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
    })
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "serve", "--host", "127.0.0.1", "--port",
             str(port)], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"advisor serve exited with {proc.returncode}:\n"
                                f"{log_path.read_text(errors='replace')[-3000:]}")
                try:
                    with urllib.request.urlopen(url + "/", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("advisor serve did not serve the page within 120 s:\n"
                                f"{log_path.read_text(errors='replace')[-3000:]}")
                time.sleep(0.25)
            yield url, settings
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(10)


def _rows(db: Path) -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute(
                "SELECT rating, comment, conversation, approach FROM feedback ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:  # the table is being created
            return []


def _eventually(check: Callable[[], Any], what: str, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def _open(browser: Any, url: str, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(60_000)
    page.goto(url + "/", wait_until="domcontentloaded")  # never networkidle: the page streams
    page.locator(BOX).wait_for(state="visible")
    return page


def _ask(page: Any, text: str, replies_before: int) -> Any:
    """Type a message, submit it with Enter and wait for its recommendation card."""
    box = page.locator(BOX)
    box.fill(text)
    box.press("Enter")
    card = page.locator("#adv-chat .adv-card").nth(replies_before)
    card.wait_for(state="visible")
    return card


def test_chat_page_end_to_end(chromium: str, served: tuple[str, Settings]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, settings = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, url, viewport={"width": 1280, "height": 960},
                         accept_downloads=True)

            # first visit: labelled controls and example prompts
            expect(page.get_by_label("Describe your situation or ask a follow-up")).to_be_visible()
            expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()
            expect(page.get_by_role("button", name="New conversation")).to_be_visible()
            expect(page.locator("#adv-chat .example").first).to_be_visible()
            expect(page.locator("#adv-chat")).to_contain_text("We answer support questions")

            # a situation, sent with Enter: a cited answer and a RAG card
            card = _ask(page, FIRST, 0)
            expect(card.locator(".adv-approach")).to_have_text("RAG")
            confidence = card.locator('[role="meter"]').get_attribute("aria-valuenow")
            assert confidence is not None and 0 < int(confidence) <= 100
            expect(card).to_contain_text("Why")
            expect(card.locator(".adv-followup").first).to_be_visible()
            marker = page.locator("#adv-t1 .adv-answer a.adv-cite").first
            expect(marker).to_be_visible()
            target = marker.get_attribute("href")
            assert target and target.startswith("#adv-t1-src-")
            passage = page.locator(f"{target} .adv-passage")
            marker.click()  # opens and scrolls to the cited passage
            expect(passage).to_be_visible()
            assert len(passage.inner_text().strip()) > 40
            expect(page.locator(f"{target} .adv-src-title")).not_to_be_empty()
            page.screenshot(path=str(ARTIFACTS / "browser-desktop-first-reply.png"))

            # every visible control has an accessible name
            unnamed = page.evaluate(UNNAMED_CONTROLS)
            assert unnamed == [], f"controls without a label: {unnamed}"

            # a follow-up question button puts the question into the box
            question = card.locator(".adv-followup").first
            question.click()
            expect(page.locator(BOX)).to_have_value(question.get_attribute("data-question") + " ")

            # a follow-up that changes the recommendation: the new card says what changed
            card2 = _ask(page, FOLLOW_UP, 1)
            expect(card2.locator(".adv-approach")).to_have_text("Hybrid")
            expect(card2.locator(".adv-changes")).to_contain_text("RAG")
            expect(card2.locator(".adv-change-rec")).to_contain_text("Hybrid")
            expect(page.locator("#adv-t1-sources")).not_to_have_attribute("open", "")

            # the recommendation downloads as JSON
            with page.expect_download() as download:
                page.get_by_role("button", name="Download recommendation").click()
            data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
            assert data["recommendation"]["approach"] == "hybrid"
            assert [m["role"] for m in data["conversation"]] == ["user", "assistant"] * 2

            # thumbs up on the latest reply lands in SQLite with the conversation and reply
            db = settings.feedback_path
            page.locator("#adv-chat").get_by_role("button", name="Like").last.click()
            expect(page.get_by_text("your rating of reply 2 is saved")).to_be_visible()
            rows = _eventually(lambda: _rows(db), "the rating in SQLite")
            assert len(rows) == 1
            rating, comment, conversation, approach = rows[0]
            assert (rating, comment, approach) == ("up", None, "hybrid")
            assert [m["content"] for m in json.loads(conversation)][-1] == FOLLOW_UP
            comment_box = page.get_by_label("Comment on this reply (optional)")
            comment_box.fill("Clear, and the sources helped.")
            comment_box.press("Enter")
            _eventually(lambda: _rows(db) and _rows(db)[0][1] == "Clear, and the sources helped.",
                        "the comment in SQLite")

            # the screenshot: a taller window, scrolled to the follow-up and its card
            page.set_viewport_size({"width": 1280, "height": 1500})
            page.locator("#adv-chat .adv-user").last.evaluate(
                "el => { const box = el.closest('.bubble-wrap, .panel-wrap') || el.parentElement;"
                " el = el.closest('.message-row') || el;"
                " box.scrollTop += el.getBoundingClientRect().top"
                " - box.getBoundingClientRect().top - 8; }")
            page.wait_for_timeout(400)
            page.screenshot(path=str(ARTIFACTS / "browser-desktop.png"))
            page.set_viewport_size({"width": 1280, "height": 960})

            # a new conversation starts over
            page.get_by_role("button", name="New conversation").click()
            expect(page.locator("#adv-chat .adv-reply")).to_have_count(0)
            expect(page.locator("#adv-chat .example").first).to_be_visible()

            # a phone's width: one turn, nothing wider than the screen
            phone = _open(browser, url, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True)
            phone.screenshot(path=str(ARTIFACTS / "browser-phone-welcome.png"))
            phone.locator("#adv-chat .example").first.click()  # an example prompt is sent
            phone_card = phone.locator("#adv-chat .adv-card").first
            phone_card.wait_for(state="visible")
            expect(phone_card.locator(".adv-approach")).to_have_text("RAG")
            expect(phone.get_by_role("button", name="Send", exact=True)).to_be_in_viewport()
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            box = phone_card.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
            phone.screenshot(path=str(ARTIFACTS / "browser-phone-answer.png"))
            phone_card.evaluate(
                "card => { const box = card.closest('.bubble-wrap, .panel-wrap');"
                " box.scrollTop += card.getBoundingClientRect().top"
                " - box.getBoundingClientRect().top - 8; }")
            phone.wait_for_timeout(400)
            phone.screenshot(path=str(ARTIFACTS / "browser-phone.png"))
        finally:
            browser.close()
