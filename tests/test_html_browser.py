"""The redline page in a real browser (headless Debian chromium via Playwright): jumping to findings,
keyboard navigation, views, moved-clause links both ways, deep links, print styles, no requests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_html_data import sample_bundle, sample_comparison

from policydiff.model import Comparison
from policydiff.render.html import to_html

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Opened:
    """A page opened from a file, with what it requested, printed and popped up."""

    def __init__(self, browser: Any, path: Path, fragment: str = "", viewport: tuple[int, int] = (1200, 640)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)
        self.url = path.as_uri()
        self.page.goto(self.url + fragment)
        self.page.wait_for_load_state("load")

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def in_view(self, element_id: str) -> bool:
        """The element's top is on screen, below the sticky toolbar."""
        return bool(
            self.js(
                """(id) => { const el = document.getElementById(id); if (!el) return false;
                const r = el.getBoundingClientRect();
                const bar = document.querySelector('.toolbar').getBoundingClientRect().bottom;
                return r.height > 0 && r.top >= bar - 2 && r.top < innerHeight - 20; }""",
                element_id,
            )
        )

    def visible(self, element_id: str) -> bool:
        return bool(self.js("(id) => document.getElementById(id).getClientRects().length > 0", element_id))

    def current(self) -> str | None:
        value = self.js("() => { const r = document.querySelector('.row.current'); return r && r.id; }")
        return str(value) if value else None

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def single_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(sample_comparison()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bundle_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "bundle.html"
    path.write_text(to_html(sample_bundle()), encoding="utf-8")
    return path


@pytest.fixture
def opened(browser: Any, single_file: Path) -> Iterator[Opened]:
    page = Opened(browser, single_file)
    yield page
    assert not page.errors, page.errors
    page.close()


def change_ids(comparison: Comparison) -> list[str]:
    """Material change rows in page order, as the server side rendered them."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(to_html(comparison), "lxml")
    return [str(r["id"]) for r in soup.select(".row.chg") if "minor" not in r["class"]]


def test_opening_the_page_makes_no_request_and_no_error(opened: Opened) -> None:
    opened.page.wait_for_timeout(200)
    assert opened.requests == [opened.url]
    assert not opened.dialogs
    # switching views and navigating must not fetch anything either
    for view in ("sbs", "changes", "inline"):
        opened.page.click(f'button[data-view="{view}"]')
    opened.page.keyboard.press("n")
    opened.page.keyboard.press("f")
    assert opened.requests == [opened.url]


def test_clicking_a_finding_scrolls_its_clause_into_view(opened: Opened) -> None:
    assert not opened.in_view("s2-p1")
    opened.page.click("#card-1 a.go")
    assert opened.in_view("s2-p1")
    assert opened.current() == "s2-p1"
    assert opened.js("() => location.hash") == "#s2-p1"
    # a finding about a removed clause lands on the clause where it used to be
    opened.page.click('.finding:has([data-cat="retention.extended"]) a.go')
    assert opened.in_view("old-s1-p3")
    # and the flag on the clause leads back to the finding
    opened.page.click("#old-s1-p3 a.flag")
    assert opened.in_view("finding-3") or opened.in_view("card-3")


def test_n_and_p_walk_the_changes_in_order(opened: Opened) -> None:
    expected = change_ids(sample_comparison())
    seen = []
    for _ in expected:
        opened.page.keyboard.press("n")
        seen.append(opened.current())
        assert opened.in_view(str(seen[-1]))
    assert seen == expected
    opened.page.keyboard.press("n")  # past the last: stays
    assert opened.current() == expected[-1]
    opened.page.keyboard.press("p")
    assert opened.current() == expected[-2]
    assert opened.in_view(expected[-2])
    opened.page.keyboard.press("p")
    assert opened.current() == expected[-3]


def test_f_jumps_to_the_clause_of_each_finding_in_turn(opened: Opened) -> None:
    opened.page.keyboard.press("f")
    assert opened.in_view("s2-p1")
    assert opened.js("() => document.getElementById('toast').hidden") is False
    toast = opened.js("() => document.querySelector('#toast .toast-text').textContent")
    assert "Adds a new purpose" in toast and "HIGH" in toast and toast.startswith("F1 ")
    opened.page.keyboard.press("f")
    assert opened.in_view("s3-p1")
    opened.page.keyboard.press("f")
    assert opened.in_view("old-s1-p3")


def test_views_side_by_side_and_changes_only(opened: Opened) -> None:
    assert opened.js("() => document.querySelectorAll('.sbs').length") == 0  # built lazily
    opened.page.click('button[data-view="sbs"]')
    assert opened.js("() => document.body.className") == "view-sbs"
    cells = opened.js(
        "() => Array.from(document.querySelectorAll('#s2-p1 .sbs .sc')).map(c => c.textContent)"
    )
    assert len(cells) == 2
    assert "develop and train" not in cells[0] and "provide the service." in cells[0]
    assert "develop and train AI models" in cells[1]
    assert not opened.visible("s2-p1") or not opened.js(
        "() => document.querySelector('#s2-p1 > .inl').getClientRects().length"
    )
    # removed clause: text in the old column only
    removed = opened.js(
        "() => Array.from(document.querySelectorAll('#old-s1-p3 .sc')).map(c => c.textContent)"
    )
    assert "90 days" in removed[0] and removed[1] == ""
    assert opened.js("() => document.querySelectorAll('.sbs [id]').length") == 0  # clones carry no ids

    opened.page.click('button[data-view="changes"]')
    assert not opened.visible("s1-p1")  # unchanged: folded
    assert opened.visible("s2-p1") and opened.visible("old-s1-p3")
    folds = opened.js(
        "() => Array.from(document.querySelectorAll('.fold')).filter(f => f.getClientRects().length).length"
    )
    assert folds > 0
    opened.page.click('.fold[data-first="s1-p1"]')
    assert opened.js("() => document.body.className") == "view-inline"
    assert opened.in_view("s1-p1")

    opened.page.keyboard.press("2")
    assert opened.js("() => document.body.className") == "view-sbs"
    opened.page.keyboard.press("1")
    assert opened.js("() => document.body.className") == "view-inline"


def test_moved_from_and_moved_to_links_jump_both_ways_and_back_works(opened: Opened) -> None:
    opened.js("() => policydiff.go('s3-p3')")
    opened.page.click('#s3-p3 a.mv[href="#old-s1-p5"]')
    assert opened.in_view("old-s1-p5")
    opened.page.click('#old-s1-p5 a.mv[href="#s3-p3"]')
    assert opened.in_view("s3-p3")
    opened.page.go_back()
    opened.page.wait_for_function("() => location.hash === '#old-s1-p5'")
    assert opened.in_view("old-s1-p5")
    # moved and edited: inner redline at the new place, link back to the old one
    opened.page.click('#s3-p1 a.mv[href="#old-s2-p2"]')
    assert opened.in_view("old-s2-p2")


def test_deep_links_open_the_right_view_and_scroll(
    browser: Any, single_file: Path, bundle_file: Path
) -> None:
    page = Opened(browser, single_file, "#s3-p2")
    try:
        assert page.in_view("s3-p2")
        # an unchanged clause asked for while "changes only" hides it: the view switches back
        page.page.click('button[data-view="changes"]')
        page.js("() => { location.hash = '#s1-p2'; }")
        page.page.wait_for_function("() => document.body.className === 'view-inline'")
        assert page.in_view("s1-p2")
        # an old clause id lands on its old place; a merged-away id on the merged clause
        page.js("() => { location.hash = '#s2-p5'; }")
        page.page.wait_for_function("() => document.querySelector('.row.current').id === 's2-p4'")
        assert page.in_view("s2-p4")
        assert not page.errors
    finally:
        page.close()
    page = Opened(browser, bundle_file, "#subscription-agreement:s3-p1")
    try:
        assert page.in_view("subscription-agreement:s3-p1")
        # a bare clause id in a bundle finds the first document that has it
        page.js("() => { location.hash = '#old-s1-p3'; }")
        page.page.wait_for_function(
            "() => (document.querySelector('.row.current') || {}).id === 'privacy-policy:old-s1-p3'"
        )
        # the contradiction card links both documents
        page.js("() => window.scrollTo(0, 0)")
        page.page.click('.finding:has([data-cat="bundle.contradiction"]) a.go.rel')
        assert page.in_view("subscription-agreement:s3-p1")
        page.page.click('.finding:has([data-cat="bundle.contradiction"]) a.go:not(.rel)')
        assert page.in_view("generative-ai-faq:s1-p1")
        assert page.requests == [page.url] and not page.errors
    finally:
        page.close()


def test_findings_filters(opened: Opened) -> None:
    opened.page.uncheck('input[name="sev"][value="high"]')
    hidden = opened.js("() => Array.from(document.querySelectorAll('.fitem')).map(i => i.hidden)")
    assert hidden == [True, True, False, False]
    assert opened.js("() => document.getElementById('card-1').hidden") is True
    assert "2 of 4" in opened.js("() => document.getElementById('f-shown').textContent")
    opened.page.check('input[name="sev"][value="high"]')
    opened.page.select_option("#f-cat", "optout.limited")
    shown = opened.js(
        "() => Array.from(document.querySelectorAll('.fitem')).filter(i => !i.hidden).map(i => i.id)"
    )
    assert shown == ["finding-2"]
    # keys are ignored while a form field has focus; f only visits what the filter shows
    opened.page.keyboard.press("f")
    assert opened.js("() => document.getElementById('toast').hidden") is True
    opened.js("() => document.activeElement.blur()")
    opened.page.keyboard.press("f")
    assert opened.in_view("s3-p1")


def test_help_opens_and_closes(opened: Opened) -> None:
    assert opened.js("() => document.getElementById('help').hidden") is True
    opened.page.keyboard.press("?")
    assert opened.js("() => document.getElementById('help').hidden") is False
    opened.page.keyboard.press("Escape")
    assert opened.js("() => document.getElementById('help').hidden") is True


def test_print_shows_findings_first_and_cues_in_black_and_white(opened: Opened) -> None:
    opened.page.click('button[data-view="changes"]')
    opened.page.emulate_media(media="print")
    assert opened.js("() => getComputedStyle(document.querySelector('.toolbar')).display") == "none"
    assert opened.js("() => getComputedStyle(document.querySelector('.outline')).display") == "none"
    assert opened.visible("s1-p1")  # the whole document prints, whatever the view
    style = opened.js(
        """() => { const s = getComputedStyle(document.querySelector('#s2-p1 ins'));
        const d = getComputedStyle(document.querySelector('#old-s1-p3 del'));
        return [s.textDecorationLine, s.backgroundColor, s.color, d.textDecorationLine, d.color]; }"""
    )
    assert style == ["underline", "rgba(0, 0, 0, 0)", "rgb(0, 0, 0)", "line-through", "rgb(0, 0, 0)"]
    tops = opened.js(
        "() => ['findings', 'redline'].map(id => document.getElementById(id).getBoundingClientRect().top)"
    )
    assert tops[0] < tops[1]
    pdf = opened.page.pdf()
    assert pdf[:4] == b"%PDF"


def large_comparison() -> Comparison:
    """~360 kB of clause text in 400 sections, one edited clause in every tenth section."""
    from test_html_data import clause, doc, ops, section

    from policydiff.model import ClauseChange, DocumentDiff

    filler = "We process information to provide, secure and improve the services we offer to members. " * 3
    old_sections, new_sections, changes = [], [], []
    for i in range(400):
        sid = f"s{i}"
        texts = [f"{filler}({i}.{k})" for k in range(3)]
        old_sections.append(
            section(sid, f"Section {i}", [clause(f"{sid}-p{k}", sid, t) for k, t in enumerate(texts)])
        )
        if i % 10 == 5:
            texts[1] = texts[1] + " We may also train AI models."
            changes.append(
                ClauseChange(
                    "modified",
                    True,
                    f"{sid}-p1",
                    f"{sid}-p1",
                    old_text=texts[1][:-29],
                    new_text=texts[1],
                    ops=ops(("equal", texts[1][:-29]), ("insert", " We may also train AI models.")),
                )
            )
        new_sections.append(
            section(sid, f"Section {i}", [clause(f"{sid}-p{k}", sid, t) for k, t in enumerate(texts)])
        )
    return Comparison(documents=(DocumentDiff("big", doc(old_sections), doc(new_sections), tuple(changes)),))


def test_a_large_page_lays_out_lazily_and_still_jumps_right(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "large.html"
    path.write_text(to_html(large_comparison()), encoding="utf-8")
    page = Opened(browser, path, "#s395-p1")
    try:
        assert page.js("() => document.body.classList.contains('large')")
        assert page.in_view("s395-p1")
        page.js("() => policydiff.go('s205-p1')")
        for expected in ("s215-p1", "s225-p1", "s235-p1"):
            page.page.keyboard.press("n")
            assert page.current() == expected and page.in_view(expected)
        page.page.click('button[data-view="changes"]')
        page.page.keyboard.press("p")
        assert page.current() == "s225-p1" and page.in_view("s225-p1")
        assert page.requests == [page.url] and not page.errors
    finally:
        page.close()


def test_without_script_the_page_is_the_plain_inline_redline(browser: Any, single_file: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 640})
    try:
        page = context.new_page()
        page.goto(single_file.as_uri() + "#s3-p2")
        assert page.locator(".views").is_hidden() and page.locator(".filters").is_hidden()
        assert page.locator("#s1-p1").is_visible() and page.locator("#old-s1-p3").is_visible()
        top = page.evaluate("() => document.getElementById('s3-p2').getBoundingClientRect().top")
        assert 0 <= top < 640  # plain fragment navigation still lands on the clause
    finally:
        context.close()
