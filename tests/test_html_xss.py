"""Hostile text in every place a document can put it: the page, loaded in chromium, runs none of it,
requests nothing, and shows every payload as text. Checked with and without the CSP safety net, so
escaping alone is proven to hold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from test_html_data import clause, doc, ops, section

from policydiff.model import (
    Announcement,
    ClauseChange,
    Comparison,
    DocumentDiff,
    Evidence,
    Finding,
    Link,
    SideInfo,
)
from policydiff.render.html import anchor_id, render_html

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "<script>alert(1)</script>",
    "</script><script>window.__pwned=2</script>",
    "</style><script>window.__pwned=3</script>",
    "</textarea><script>window.__pwned=4</script>",
    "</title><script>window.__pwned=5</script>",
    "<img src=x onerror=window.__pwned=6>",
    '<img src=x onerror="alert(7)">',
    "<svg onload=window.__pwned=8>",
    "<svg><script>window.__pwned=9</script></svg>",
    "<svg><animate onbegin=window.__pwned=10 attributeName=x dur=1s>",
    '<iframe src="javascript:parent.__pwned=11"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=12</script>"></iframe>',
    "<body onload=window.__pwned=13>",
    "<details open ontoggle=window.__pwned=14>",
    "<video><source onerror=window.__pwned=15></video>",
    "<audio src=x onerror=window.__pwned=16>",
    "<input autofocus onfocus=window.__pwned=17>",
    "<marquee onstart=window.__pwned=18>x</marquee>",
    '<object data="javascript:window.__pwned=19">',
    '<embed src="javascript:window.__pwned=20">',
    '<a href="javascript:window.__pwned=21">click</a>',
    "javascript:window.__pwned=22",
    "JaVaScRiPt:window.__pwned=23",
    "data:text/html,<script>window.__pwned=24</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '" onmouseover="window.__pwned=26" x="',
    "' onfocus='window.__pwned=27' autofocus '",
    '"><script>window.__pwned=28</script>',
    "'><img src=x onerror=window.__pwned=29>",
    "{{7*7}}",
    "{% if true %}{{ 7*7 }}{% endif %}{# comment #}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('window.__pwned=36')()}}",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=37>",
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=38>">',
    "<style>@import 'http://127.0.0.1:9/x.css';</style>",
    "<link rel=stylesheet href=http://127.0.0.1:9/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=41">',
    '<base href="http://127.0.0.1:9/">',
    '<form action="javascript:window.__pwned=43"><button autofocus>go</button></form>',
    "&lt;script&gt;window.__pwned=44&lt;/script&gt;",
    "&#60;script&#62;window.__pwned=45&#60;/script&#62;",
    "\u2028\u2029<script>window.__pwned=46</script>",
    "<!--<script>window.__pwned=47</script>-->",
    "<![CDATA[<script>window.__pwned=48</script>]]>",
    "<template><script>window.__pwned=49</script></template>",
    "<scr<script>ipt>window.__pwned=50</scr</script>ipt>",
    '"--></script><script>window.__pwned=51</script>',
    '<div style="background:url(javascript:window.__pwned=52)">',
    '<a href="data:text/html,<script>alert(53)</script>">x</a>',
    '<img src="http://127.0.0.1:9/beacon.png">',
    '<svg><a xlink:href="javascript:window.__pwned=55"><text y="20">x</text></a></svg>',
    "<script>document.title='pwned';window.__pwned=56</script>",
]
assert len(PAYLOADS) >= 40

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


def hostile_bundle() -> Comparison:
    """Two documents named by payloads, each payload as a heading, clause text (unchanged, added,
    removed, edited), link text and link target, plus payloads in sources, titles and findings."""
    old_sections, new_sections, changes = [], [], []
    for i, p in enumerate(PAYLOADS):
        sid = f"s{i}"
        unchanged = clause(f"{sid}-p1", sid, p)
        linked = clause(f"{sid}-p2", sid, f"see {p}", links=(Link(p, p, 4, 4 + len(p)),))
        target_link = clause(
            f"{sid}-p5",
            sid,
            "the policy",
            links=(Link("the policy", f"https://example.com/?q={p}", 4, 10),),
        )
        old_edit = clause(f"{sid}-p3", sid, "We keep data.")
        new_edit = clause(f"{sid}-p3", sid, f"We keep data {p}.")
        removed = clause(f"{sid}-p4", sid, p)
        old_sections.append(section(sid, p, [unchanged, linked, old_edit, removed, target_link]))
        new_sections.append(section(sid, p, [unchanged, linked, new_edit, target_link]))
        changes.append(
            ClauseChange(
                "modified",
                True,
                f"{sid}-p3",
                f"{sid}-p3",
                p,
                p,
                "We keep data.",
                f"We keep data {p}.",
                ops(("equal", "We keep data"), ("insert", f" {p}"), ("equal", ".")),
            )
        )
        changes.append(ClauseChange("removed", True, f"{sid}-p4", None, p, None, p, None))
    name_a, name_b = PAYLOADS[0], PAYLOADS[26]
    old = doc(old_sections, source=PAYLOADS[28], sha256=PAYLOADS[1])
    new = doc(
        new_sections,
        source=PAYLOADS[6],
        announcements=(Announcement(PAYLOADS[7], PAYLOADS[8]),),
    )
    added = doc([section("x", PAYLOADS[9], [clause("x-p1", "x", PAYLOADS[10])])], source=PAYLOADS[11])
    findings = tuple(
        Finding(
            rule=p,
            category=p,
            severity=("high", "medium", "low")[i % 3],  # type: ignore[arg-type]
            direction="weakens",
            explanation=p,
            document=name_a,
            old_clause=f"s{i}-p3",
            new_clause=f"s{i}-p3",
            old_text="We keep data.",
            new_text=f"We keep data {p}.",
            evidence=(Evidence(p, p, "new", 13, 13 + len(p)),),
            related_document=name_b,
            related_clause="x-p1",
            related_text=p,
            announced=True,
            date=p,
        )
        for i, p in enumerate(PAYLOADS)
    )
    return Comparison(
        documents=(
            DocumentDiff(name_a, old, new, tuple(changes)),
            DocumentDiff(
                name_b,
                None,
                added,
                (ClauseChange("added", True, None, "x-p1", None, None, None, PAYLOADS[10]),),
            ),
        ),
        findings=findings,
        old=SideInfo(PAYLOADS[22], PAYLOADS[2], PAYLOADS[3]),
        new=SideInfo("https://example.com/" + PAYLOADS[29], "html", "0" * 64),
        bundle=True,
        title=PAYLOADS[5],
    )


def test_static_page_has_no_active_content_from_the_payloads() -> None:
    """Without a browser: one script, one style, no event handler attribute, only safe link schemes."""
    soup = BeautifulSoup(render_html(hostile_bundle(), csp=False), "lxml")
    assert len(soup.find_all("script")) == 1 and len(soup.find_all("style")) == 1
    for tag in (
        "img",
        "svg",
        "iframe",
        "object",
        "embed",
        "form",
        "base",
        "video",
        "audio",
        "math",
        "details",
    ):
        assert soup.find(tag) is None, tag
    assert all(el.get("name") == "sev" for el in soup.find_all("input"))  # only the page's own filters
    for el in soup.find_all(True):
        for attr in el.attrs:
            assert not attr.lower().startswith("on"), (el.name, attr)
        href = el.get("href")
        if href is not None:
            assert str(href).startswith(("#", "https://", "http://", "mailto:", "data:,")), href
            if str(href).startswith("data:"):
                assert el.name == "link" and href == "data:,"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("csp", [False, True], ids=["escaping-only", "with-csp"])
def test_no_payload_runs_and_each_shows_as_text(browser: Any, tmp_path: Path, csp: bool) -> None:
    comparison = hostile_bundle()
    path = tmp_path / "hostile.html"
    path.write_text(render_html(comparison, csp=csp), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        # exercise the page: lazy side by side clones, folding, keys, a finding jump
        for key in ("2", "3", "1", "n", "n", "f", "f", "p"):
            page.keyboard.press(key)
        page.click("#card-1 a.go")
        page.mouse.move(300, 300)
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.evaluate("() => window.__pwned") is None
        assert page.title() != "pwned"  # what payload 56 would set
        assert requests == [path.as_uri()]

        name_a, name_b = comparison.documents[0].name, comparison.documents[1].name
        checks: list[tuple[str, str, str]] = []  # element id, text it must contain, label
        for i, p in enumerate(PAYLOADS):
            checks += [
                (anchor_id(f"s{i}-p1", document=name_a), p, "clause text"),
                (anchor_id(f"s{i}-p2", document=name_a), p, "link text"),
                (anchor_id(f"s{i}-p3", document=name_a), p, "inserted words"),
                (anchor_id(f"s{i}-p4", side="old", document=name_a), p, "removed clause"),
            ]
        checks.append(
            (anchor_id("x-p1", document=name_b), PAYLOADS[10], "clause of a document named by a payload")
        )
        texts = page.evaluate(
            "(ids) => ids.map(i => { const el = document.getElementById(i); return el && el.textContent; })",
            [c[0] for c in checks],
        )
        for (element_id, expected, label), text in zip(checks, texts, strict=True):
            assert text is not None, f"{label}: no element {element_id!r}"
            assert expected in text, f"{label} {element_id!r}: {expected!r} not shown in {text!r}"
        explanations = page.evaluate(
            "() => Array.from(document.querySelectorAll('.fitem .expl')).map(e => e.textContent)"
        )
        assert sorted(explanations) == sorted(PAYLOADS)
        marks = page.evaluate(
            "() => Array.from(document.querySelectorAll('.finding mark')).map(e => e.textContent)"
        )
        assert set(marks) == set(PAYLOADS)
        headings = page.evaluate(
            "() => Array.from(document.querySelectorAll('.sec .h')).map(h => h.textContent)"
        )
        for p in PAYLOADS:
            assert any(p in h for h in headings), f"heading {p!r}"
        header = page.evaluate("() => document.querySelector('header.top').textContent")
        for p in (PAYLOADS[5], PAYLOADS[22], PAYLOADS[29], PAYLOADS[0], PAYLOADS[26]):
            assert p in header, f"header {p!r}"
        body = page.evaluate("() => document.body.textContent")
        for p in (PAYLOADS[6], PAYLOADS[7], PAYLOADS[8], PAYLOADS[9], PAYLOADS[10], PAYLOADS[28]):
            assert p in body
        # link targets: hostile ones never became links; the escaped safe one kept its payload
        hrefs = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
        )
        assert all(h.startswith(("#", "https://", "http://", "mailto:")) for h in hrefs), hrefs
        titles = page.evaluate("() => Array.from(document.querySelectorAll('.lnk')).map(a => a.title)")
        assert any(PAYLOADS[22] in t for t in titles)
        assert page.evaluate("() => document.title").startswith(PAYLOADS[5])
    finally:
        context.close()
