"""The redline page as HTML: structure, ids, placement of old-only clauses, findings, escaping."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta, timezone

import attrs
import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st
from test_html_data import sample_bundle, sample_comparison, sample_document_diff

import policydiff
from policydiff.errors import InputError
from policydiff.model import ClauseChange, Comparison, DocumentDiff, Evidence, Link, WordOp
from policydiff.render.html import anchor_id, render_html, safe_href, to_html
from policydiff.render.redline import marked as _marked
from policydiff.render.redline import segments as _segments


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def row_ids(soup: BeautifulSoup) -> list[str]:
    return [str(el["id"]) for el in soup.select(".row")]


def test_page_is_self_contained() -> None:
    html = to_html(sample_comparison())
    soup = soup_of(html)
    assert soup.find(attrs={"src": True}) is None
    assert not soup.select('link[rel="stylesheet"]')
    for el in soup.find_all(href=True):
        href = str(el["href"])
        assert href.startswith("#") or href == "data:," or safe_href(href) == href, href
    assert "@import" not in html and "url(" not in html
    assert len(soup.find_all("style")) == 1 and len(soup.find_all("script")) == 1


def test_csp_allows_exactly_the_inline_blocks() -> None:
    soup = soup_of(to_html(sample_comparison()))
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(meta, Tag)
    policy = str(meta["content"])
    assert "default-src 'none'" in policy
    for tag in ("script", "style"):
        body = soup.find(tag)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body.get_text().encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy


def test_header_names_sources_hashes_times_version_and_counts() -> None:
    comparison = sample_comparison()
    soup = soup_of(to_html(comparison))
    header = soup.select_one("header.top")
    assert header is not None
    text = " ".join(header.get_text(" ").split())
    assert "Example Service" in text
    assert "https://www.example.com/legal/privacy?v=1" in text and "new/privacy.md" in text
    assert "a" * 64 in text and "b" * 64 in text
    assert "2024-09-19 00:32:00 UTC" in text
    assert policydiff.__version__ in text
    assert f"{comparison.summary.material_changes} material changes" in text
    assert "2 high" in text and "1 medium" in text and "1 low" in text


def test_every_clause_has_its_id_and_ids_are_unique() -> None:
    comparison = sample_comparison()
    soup = soup_of(to_html(comparison))
    ids = [str(el["id"]) for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    new = comparison.documents[0].new
    assert new is not None
    for clause in new.clauses():
        assert soup.find(id=clause.id) is not None, clause.id
    for old_only in ("old-s1-p3", "old-s2-p2", "old-s1-p5", "old-s2-p3", "old-s2-p4", "old-s2-p5"):
        assert soup.find(id=old_only) is not None, old_only


def test_rows_follow_the_new_document_with_old_clauses_in_their_old_place() -> None:
    ids = row_ids(soup_of(to_html(sample_comparison())))
    # removed s1-p3 sat between old s1-p2 and s1-p4 (now s1-p3): it stays there
    assert ids.index("s1-p2") < ids.index("old-s1-p3") < ids.index("s1-p3")
    # the old place of a moved clause follows the match of its predecessor
    assert ids.index("s1-p3") < ids.index("old-s1-p5") < ids.index("s1-p4")
    assert ids.index("s2-p1") < ids.index("old-s2-p2") < ids.index("s2-p2")
    new_order = [i for i in ids if not i.startswith("old-")]
    assert new_order == [
        "s0-p1",
        "s1-p1",
        "s1-p2",
        "s1-p3",
        "s1-p4",
        "s2-p1",
        "s2-p2",
        "s2-p4",
        "s3-p1",
        "s3-p2",
        "s3-p3",
    ]


def test_change_kinds_are_marked_with_colour_and_non_colour_cues() -> None:
    soup = soup_of(to_html(sample_comparison()))
    row = soup.find(id="s2-p1")
    assert row is not None and "k-modified" in row["class"]
    ins = row.find("ins")
    assert (
        ins is not None
        and ins.select_one(".sr") is not None
        and "inserted" in ins.select_one(".sr").get_text()
    )
    inserted = "".join(i.get_text() for i in row.find_all("ins")).replace("[inserted: ", "").replace("]", "")
    assert inserted == " and to develop and train AI models"
    removed = soup.find(id="old-s1-p3")
    assert removed is not None and removed.find("del") is not None
    assert "deleted" in removed.get_text()
    css = soup.find("style").get_text()  # type: ignore[union-attr]
    assert re.search(r"ins \{[^}]*text-decoration: underline", css)
    assert re.search(r"del \{[^}]*text-decoration: line-through", css)


def test_moved_clauses_link_both_ways() -> None:
    soup = soup_of(to_html(sample_comparison()))
    for old, new in (("old-s1-p5", "s3-p3"), ("old-s2-p2", "s3-p1")):
        there = soup.find(id=new)
        back = soup.find(id=old)
        assert there is not None and back is not None
        assert there.find("a", href=f"#{old}") is not None
        assert back.find("a", href=f"#{new}") is not None
    note_there = soup.find(id="s3-p3").select_one("a.mv").get_text()  # type: ignore[union-attr]
    note_back = soup.find(id="old-s1-p5").select_one("a.mv").get_text()  # type: ignore[union-attr]
    assert note_there == "moved from: Information we collect, paragraph 5"
    assert note_back == "moved to: Your choices, paragraph 3"
    moved_modified = soup.find(id="s3-p1")
    assert moved_modified is not None and moved_modified.find("ins") is not None


def test_split_and_merged_keep_every_id_reachable() -> None:
    soup = soup_of(to_html(sample_comparison()))
    split = soup.find(id="s2-p2")
    assert split is not None and "k-split" in split["class"]
    assert split.find(id="s2-p3") is not None and split.find(id="old-s2-p3") is not None
    merged = soup.find(id="s2-p4")
    assert merged is not None and merged.find(id="old-s2-p5") is not None
    assert merged.find("del") is not None and merged.find("ins") is not None


def test_findings_come_first_sorted_by_severity_with_marks_and_links() -> None:
    soup = soup_of(to_html(sample_comparison()))
    panel = soup.find(id="findings")
    redline = soup.find(id="redline")
    assert panel is not None and redline is not None
    assert str(soup).index('id="findings"') < str(soup).index('id="redline"')
    items = panel.select(".fitem")
    assert [c["data-sev"] for c in items] == ["high", "high", "medium", "low"]
    assert [c["id"] for c in items] == ["finding-1", "finding-2", "finding-3", "finding-4"]
    first = panel.select(".finding")[0]
    mark = first.find("mark")
    assert mark is not None and mark.get_text() == "develop and train AI models"
    assert first.find("a", href="#s2-p1") is not None
    removed_card = panel.find(attrs={"data-cat": "retention.extended"}).find_parent(class_="finding")  # type: ignore[union-attr]
    assert removed_card is not None and removed_card.find("a", href="#old-s1-p3") is not None
    # the clause carries a flag back to the finding
    flag = soup.find(id="s2-p1").find("a", class_="flag")  # type: ignore[union-attr]
    assert flag is not None and flag["href"] == "#finding-1"


def test_bundle_ids_are_prefixed_and_contradictions_link_both_documents() -> None:
    comparison = sample_bundle()
    soup = soup_of(to_html(comparison))
    ids = [str(el["id"]) for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert soup.find(id="privacy-policy:s2-p1") is not None
    assert soup.find(id="privacy-policy:old-s1-p3") is not None
    assert soup.find(id="subscription-agreement:s3-p1") is not None
    card = soup.find(attrs={"data-cat": "bundle.contradiction"}).find_parent(class_="finding")  # type: ignore[union-attr]
    assert card is not None
    hrefs = {a["href"] for a in card.find_all("a")}
    assert {"#generative-ai-faq:s1-p1", "#subscription-agreement:s3-p1"} <= hrefs
    assert anchor_id("s2-p1", document="privacy-policy") == "privacy-policy:s2-p1"
    assert anchor_id("s2-p1", side="old") == "old-s2-p1"
    for doc in comparison.documents:
        assert soup.find(id=f"doc-{doc.name}") is not None


def test_document_added_and_removed_render_all_their_clauses() -> None:
    dd = sample_document_diff()
    added = Comparison(documents=(DocumentDiff("new-doc", None, dd.new),), bundle=True)
    removed = Comparison(documents=(DocumentDiff("old-doc", dd.old, None),), bundle=True)
    soup = soup_of(to_html(added))
    assert dd.new is not None and dd.old is not None
    assert len(soup.select(".row.k-added")) == len(list(dd.new.clauses()))
    soup = soup_of(to_html(removed))
    assert len(soup.select(".row.k-removed")) == len(list(dd.old.clauses()))
    assert soup.find(id="old-doc:old-s1-p3") is not None


def test_unchanged_comparison_says_so() -> None:
    dd = sample_document_diff()
    same = Comparison(documents=(DocumentDiff("p", dd.new, dd.new),))
    soup = soup_of(same.to_html())
    assert not soup.select(".row.chg")
    assert "No consent-relevant finding" in soup.get_text()
    assert "0 material changes" in " ".join(soup.get_text(" ").split())


def test_hostile_text_is_escaped_everywhere() -> None:
    payload = "<script>window.__pwned=1</script><img src=x onerror=alert(1)>{{7*7}}"
    dd = sample_document_diff(texts={"s1-p1": payload, "s2-p4": payload})
    comparison = attrs.evolve(sample_comparison(), documents=(dd,), title=payload)
    html = render_html(comparison, csp=False)
    soup = soup_of(html)
    assert len(soup.find_all("script")) == 1
    assert soup.find("img") is None
    row = soup.find(id="s1-p1")
    assert row is not None and payload in row.get_text()
    assert "{{7*7}}" in html and "49" not in soup.find(id="s1-p1").get_text()  # type: ignore[union-attr]
    assert payload in soup.title.get_text()  # type: ignore[union-attr]


def test_link_targets_only_become_links_when_safe() -> None:
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<b>",
        "vbscript:x",
        "/relative/path",
        "java\tscript:alert(1)",
        "http:/x",
        "file:///etc/passwd",
    ):
        assert safe_href(bad) is None, bad
    for good in ("https://example.com/a?b=c#d", "http://example.org", "mailto:dpo@example.com"):
        assert safe_href(good) == good
    text = "See the policy here."
    segs = _segments([WordOp("equal", text)], [Link("here", "javascript:alert(1)", 15, 19)])
    assert [s.href for s in segs] == [None, None, None]
    assert segs[1].title == "javascript:alert(1)" and segs[1].text == "here"
    html = to_html(sample_comparison())
    assert 'href="https://example.com/cookies"' in html


@settings(max_examples=80, deadline=None)
@given(
    text=st.text(min_size=0, max_size=60),
    spans=st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.text(max_size=5)), max_size=4),
)
def test_marking_evidence_never_loses_or_invents_text(text: str, spans: list[tuple[int, int, str]]) -> None:
    evidence = [Evidence("cue", words, "new", start, end) for start, end, words in spans]
    segs = _marked(text, evidence, "new")
    assert "".join(s.text for s in segs) == text
    for seg in segs:
        if seg.op == "mark":
            assert seg.text


@settings(max_examples=80, deadline=None)
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(["equal", "insert", "delete"]), st.text(min_size=1, max_size=12)),
        max_size=8,
    ),
    cuts=st.lists(st.tuples(st.integers(0, 80), st.integers(1, 20)), max_size=3),
    marks=st.lists(st.tuples(st.integers(0, 80), st.integers(1, 20)), max_size=3),
)
def test_segments_keep_both_texts(
    ops: list[tuple[str, str]], cuts: list[tuple[int, int]], marks: list[tuple[int, int]]
) -> None:
    word_ops = [WordOp(op, text) for op, text in ops]  # type: ignore[arg-type]
    links = [Link("x", "https://example.com", start, start + length) for start, length in cuts]
    cues = [(start, start + length, "cue") for start, length in marks]
    segs = _segments(word_ops, links, cues)
    assert "".join(s.text for s in segs if s.op != "del") == "".join(t for o, t in ops if o != "delete")
    assert "".join(s.text for s in segs if s.op != "ins") == "".join(t for o, t in ops if o != "insert")


def test_findings_about_one_place_share_a_card_and_many_flags_collapse() -> None:
    base = sample_comparison()
    first = base.findings[0]
    more = tuple(
        attrs.evolve(first, rule=f"extra.{i}", category="recipient.added", explanation=f"Extra finding {i}.")
        for i in range(4)
    )
    comparison = attrs.evolve(base, findings=(*base.findings, *more))
    soup = soup_of(to_html(comparison))
    cards = soup.select(".finding")
    assert len(cards) == 4  # the five findings on s2-p1 share one card
    shared = cards[0]
    assert len(shared.select(".fitem")) == 5
    assert len(shared.select(".sent")) == 2  # before and after, shown once for all five
    header = soup.select_one("#findings-h")
    assert header is not None and "8 in 4 places" in " ".join(header.get_text(" ").split())
    flags = soup.find(id="s2-p1").select(".flag")  # type: ignore[union-attr]
    assert len(flags) == 1 and flags[0].get_text() == "5 findings" and flags[0]["href"] == "#finding-1"


def test_a_removed_clause_at_the_top_of_its_section_stays_in_that_section() -> None:
    dd = sample_document_diff()
    assert dd.old is not None and dd.new is not None
    # remove the first clause of section s3 ("You can delete your account.") in the old version only
    old_s3 = dd.old.root.sections[2]
    extra = attrs.evolve(
        old_s3.clauses[0], id="s3-p0", text="We answer within 30 days.", canonical="we answer"
    )
    old_root = attrs.evolve(
        dd.old.root,
        sections=(*dd.old.root.sections[:2], attrs.evolve(old_s3, clauses=(extra, *old_s3.clauses))),
    )
    removed = ClauseChange("removed", True, "s3-p0", None, "Your choices", None, extra.text, None)
    dd = attrs.evolve(dd, old=attrs.evolve(dd.old, root=old_root), changes=(*dd.changes, removed))
    soup = soup_of(to_html(attrs.evolve(sample_comparison(), documents=(dd,))))
    row = soup.find(id="old-s3-p0")
    assert row is not None
    assert row.find_parent("section")["id"] == "sec-s3"  # type: ignore[index]
    assert row.select_one(".ctx") is None  # same section: no "was in" note
    assert row_ids(soup).index("old-s3-p0") < row_ids(soup).index("s3-p1")


def test_locations_name_the_paragraph_when_a_section_has_several() -> None:
    soup = soup_of(to_html(sample_comparison()))
    where = soup.select_one("#card-1 .go .where")
    assert where is not None and "How we use data, paragraph 1" in where.get_text()


def test_a_document_with_no_version_is_an_input_error() -> None:
    with pytest.raises(InputError, match="neither an old nor a new version"):
        to_html(Comparison(documents=(DocumentDiff("ghost", None, None),)))


def test_changes_naming_clauses_the_documents_lack_are_still_shown() -> None:
    dd = sample_document_diff()
    stray = ClauseChange(
        "added", True, None, "s9-p9", None, "Elsewhere", None, "A clause the diff knows about."
    )
    soup = soup_of(
        to_html(
            attrs.evolve(sample_comparison(), documents=(attrs.evolve(dd, changes=(*dd.changes, stray)),))
        )
    )
    row = soup.find(id="s9-p9")
    assert row is not None and "A clause the diff knows about." in row.get_text()


def test_fetch_times_are_shown_in_utc() -> None:
    bundle = sample_bundle()
    policy = bundle.documents[1]
    assert policy.new is not None
    local = datetime(2024, 9, 19, 2, 32, tzinfo=timezone(timedelta(hours=2)))
    policy = attrs.evolve(policy, new=attrs.evolve(policy.new, fetched_at=local))
    html = to_html(attrs.evolve(bundle, documents=(bundle.documents[0], policy, bundle.documents[2])))
    meta = soup_of(html).select_one("#doc-privacy-policy .docmeta")
    assert meta is not None and "fetched 2024-09-19 00:32:00 UTC" in meta.get_text()


def test_finding_cues_are_marked_in_the_redline_too() -> None:
    soup = soup_of(to_html(sample_comparison()))
    cue = soup.select_one("#s2-p1 mark.cue")
    assert cue is not None and cue.get_text() == "develop and train AI models"
    assert cue.find_parent("ins") is not None  # inside the insertion it belongs to
    assert [m.get_text() for m in soup.select("#s3-p1 mark.cue")] == ["going forward"]
    assert not soup.select("#s1-p1 mark.cue")
    # text stays whole around the marks
    assert soup.select_one("#s3-p1 .inl").get_text().count("going forward") == 1  # type: ignore[union-attr]
