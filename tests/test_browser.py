"""The chat in a real browser: Debian's Chromium driven by Playwright, against the real app.

Starts the app on a free port over an index of a copy of the corpus, then does
what a recruiter and the owner do: meets the person on the empty page (name,
headline, how answers are made, the starters), clicks a starter, opens a
citation, asks something the portfolio does not cover, and, while the app runs,
the owner adds a section and re-ingests, and the next question sees it; a new
chat after the owner renames the portfolio introduces the new name.
A pasted or attached job description gets a match report with a download.
Screenshots land in artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from assistant.timeline.picture import DPI, WIDTH_IN

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "artifacts"
ANSWER_TIMEOUT_MS = 60_000  # the first answer waits for the model to load
# The served corpus is a copy of corpus/: its summary is headed by this name and line.
NAME, HEADLINE = "Arunav Malhotra", "Backend Platform Engineer"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: `make test` installs Debian's chromium (needs root)",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ingest(corpus: Path, index: Path) -> None:
    env = {**os.environ, "PORTFOLIO_LOG_DIR": str(index.parent / "logs")}
    subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index",
                    str(index)], check=True, cwd=REPO_ROOT, capture_output=True, timeout=300,
                   env=env)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """The app on a free port, serving an index of a copy of the corpus."""
    work = tmp_path_factory.mktemp("e2e")
    corpus, index = work / "corpus", work / "index"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    _ingest(corpus, index)
    port = _free_port()
    env = {**os.environ, "PORTFOLIO_INDEX": str(index), "HF_HUB_OFFLINE": "1",
           "PORTFOLIO_LOG_DIR": str(work / "logs")}
    log = (work / "app.log").open("w")
    app = subprocess.Popen(
        [sys.executable, "-m", "chainlit", "run", "assistant/web/app.py", "--host", "127.0.0.1",
         "--port", str(port), "--headless"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if app.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((work / "app.log").read_text()) from None
                time.sleep(0.5)
        yield url, corpus, index
    finally:
        app.terminate()
        app.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def page(served):
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(served[0])
        yield tab
        browser.close()


def _ask(page, question: str) -> None:
    page.fill("#chat-input", question)
    page.click("#chat-submit")


def test_a_recruiter_session_and_a_live_reindex(page, served) -> None:
    expect = playwright_api.expect
    _, corpus, index = served

    # The empty chat shows the starters (no greeting hides them).
    starter = page.get_by_text("What scale has he handled?").first
    expect(starter).to_be_visible(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "e2e-1-starters.png")

    # A starter gets a cited answer with a figures table.
    starter.click()
    expect(page.get_by_text("From the portfolio:").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_text("What it measures").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "e2e-2-answer.png")

    # A citation opens its section in the side panel, the quote highlighted.
    page.locator("a", has_text="[1]").first.click()
    # Chainlit renders Markdown bold as a span with the font-bold class.
    highlighted = page.locator("strong, span.font-bold", has_text="Billions Entities Handled")
    expect(highlighted.first).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Headline Figures").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "e2e-3-citation.png")

    # Out of scope: a plain decline naming the missing thing, with suggestions.
    _ask(page, "Has he used Terraform?")
    decline = page.get_by_text("The portfolio does not say anything about “Terraform”.")
    expect(decline.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.screenshot(path=ARTIFACTS / "e2e-4-decline.png")

    # The owner adds a section and re-ingests while the app runs.
    with (corpus / "contact.md").open("a", encoding="utf-8") as handle:
        handle.write("\n## Open Source\n\nHe maintains an open-source Terraform provider for"
                     " feature flags.\n")
    _ingest(corpus, index)
    _ask(page, "Has he used Terraform?")
    new_fact = page.get_by_text("He maintains an open-source Terraform provider for feature flags.")
    expect(new_fact.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.screenshot(path=ARTIFACTS / "e2e-5-after-reindex.png")


def test_markup_in_a_question_is_shown_as_text(page) -> None:
    expect = playwright_api.expect
    _ask(page, "<b>bold?</b> <script>window.pwned=1</script>")
    expect(page.get_by_text("<b>bold?</b>").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert page.evaluate("window.pwned") is None
    page.screenshot(path=ARTIFACTS / "e2e-6-markup.png")


@pytest.fixture
def new_chat(page, served):
    """A tab of its own, so the report's markers start at [1] (as in the README's picture)."""
    tab = page.context.browser.new_page(viewport={"width": 1280, "height": 1000})
    tab.goto(served[0])
    yield tab
    tab.close()


def test_a_pasted_job_description_gets_a_match_report(new_chat, tmp_path) -> None:
    expect = playwright_api.expect
    page = new_chat
    job = (REPO_ROOT / "tests/fixtures/jobs/backend.md").read_text(encoding="utf-8")
    _ask(page, job)

    summary = page.get_by_text(re.compile(r"^Evidence for \d+ of \d+ requirements"))
    expect(summary.last).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    table = page.locator("table").filter(has_text="Solid understanding of Go fundamentals").last
    expect(table).to_be_visible()
    expect(table.get_by_text("Requirement", exact=True)).to_be_visible()

    # A marker in the table opens its section in the side panel, as an answer's does.
    citation = table.locator("a", has_text=re.compile(r"^\[\d+\]$")).first
    citation.click()
    expect(page.get_by_text(re.compile(r"^Source: ")).last).to_be_visible(timeout=10_000)

    # The report downloads as Markdown, under its name.
    link = page.locator("a[download='match-report.md']").last
    expect(link).to_be_visible()
    with page.expect_download() as caught:
        link.click()
    saved = tmp_path / "match-report.md"
    caught.value.save_as(saved)
    assert caught.value.suggested_filename == "match-report.md"
    assert "| Requirement | Status | Evidence |" in saved.read_text(encoding="utf-8")
    # The picture for the README: the summary and the first rows beside the open panel.
    summary.last.evaluate("node => node.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1500)  # the side panel slides in the first time it opens
    page.screenshot(path=ARTIFACTS / "e2e-match.png")  # docs/match.png is a copy of it


def test_an_attached_job_description_gets_a_match_report(page, tmp_path) -> None:
    expect = playwright_api.expect
    job = tmp_path / "frontend.md"
    shutil.copyfile(REPO_ROOT / "tests/fixtures/jobs/frontend.md", job)
    before = page.locator("a[download='match-report.md']").count()

    page.locator("input[type=file]").first.set_input_files(job)
    page.click("#chat-submit")

    expect(page.locator("a[download='match-report.md']")).to_have_count(
        before + 1, timeout=ANSWER_TIMEOUT_MS)
    page.screenshot(path=ARTIFACTS / "e2e-7-attached-job.png")


def _landing_shows(page, name: str, headline: str) -> None:
    """The empty page introduces `name` and `headline` above the starters, and the tab
    carries the name."""
    expect = playwright_api.expect
    screen = page.locator("#welcome-screen")
    landing = screen.locator("#portfolio-landing")
    expect(landing.locator("h1")).to_have_text(name, timeout=30_000)
    expect(landing.get_by_text(headline, exact=True)).to_be_visible()
    expect(landing.get_by_text("quotes the portfolio word for word")).to_be_visible()
    expect(screen.locator("#starters").get_by_text("What scale has he handled?")).to_be_visible()
    expect(page).to_have_title(re.compile(re.escape(name)))


def test_the_empty_page_introduces_the_person_above_the_starters(new_chat) -> None:
    page = new_chat
    page.set_viewport_size({"width": 1280, "height": 820})
    _landing_shows(page, NAME, HEADLINE)
    page.wait_for_timeout(500)  # the introduction fades in
    page.screenshot(path=ARTIFACTS / "e2e-landing.png")  # docs/landing.png is a copy of it


def test_a_new_chat_after_a_reingest_introduces_the_new_name(new_chat, served) -> None:
    _, corpus, index = served
    page = new_chat
    _landing_shows(page, NAME, HEADLINE)
    profile = corpus / "profile.md"
    before = profile.read_text(encoding="utf-8")
    try:
        profile.write_text(before.replace(f"# {NAME}", "# Jane Quinn Public", 1)
                           .replace(HEADLINE, "Staff Platform Engineer", 1), encoding="utf-8")
        _ingest(corpus, index)
        page.click("#new-chat-button")
        _landing_shows(page, "Jane Quinn Public", "Staff Platform Engineer")
    finally:
        profile.write_text(before, encoding="utf-8")
        _ingest(corpus, index)


def test_a_career_question_shows_the_timeline_picture(new_chat) -> None:
    expect = playwright_api.expect
    page = new_chat
    _ask(page, "Walk me through his career")
    expect(page.get_by_text("From the portfolio:").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    picture = page.locator("img[alt^='Career timeline: Lead Software Development Engineer']")
    expect(picture).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    alt = picture.get_attribute("alt")
    assert "Lead Software Development Engineer, Oct 2023 - Present (current)" in alt
    assert "Senior Software Development Engineer, Mar 2022 - Oct 2023" in alt
    assert "Software Development Engineer, Jan 2020 - Mar 2022" in alt
    picture.scroll_into_view_if_needed()
    # Loaded, not a broken image: the browser decoded the PNG at its own size.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle(),
        timeout=10_000)
    assert picture.evaluate("img => img.naturalWidth") == round(WIDTH_IN * DPI)
    shown = picture.bounding_box()
    assert shown is not None and shown["width"] >= 500  # legible in the chat's column
    page.screenshot(path=ARTIFACTS / "e2e-timeline.png")
    picture.screenshot(path=ARTIFACTS / "e2e-timeline-picture.png")
