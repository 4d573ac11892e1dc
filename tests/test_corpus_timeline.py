"""The timeline page, its chart and the stance table, from real corpus runs and from findings rows."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_corpus_support import make_repo, series_files

from policydiff.cli import main
from policydiff.corpus.chart import BOTTOM, HEIGHT, TOP, build_chart
from policydiff.corpus.run import run_corpus
from policydiff.corpus.stance import stance_csv, stance_table
from policydiff.corpus.timeline import write_timeline

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def corpus_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("run")
    out = root / "out"
    run_corpus(make_repo(root), out, workers=1)
    return out


def test_the_page_is_self_contained_and_links_redlines_it_made(corpus_run: Path) -> None:
    page, csv_path = write_timeline(corpus_run)
    html = page.read_text()
    soup = BeautifulSoup(html, "lxml")
    assert not soup.find_all(["script", "img", "iframe", "link", "object"], src=True)
    assert not soup.find_all("link", rel="stylesheet") and not soup.find_all("script")
    css = soup.style.string
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert (
        f"style-src 'sha256-{digest}'"
        in soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    )
    assert soup.find("svg").find_all("rect")  # the chart, drawn inline
    links = [a["href"] for a in soup.find_all("a") if "redlines/" in a["href"]]
    assert links and all((page.parent / href).is_file() for href in links)
    redline = (page.parent / links[0]).read_text()
    assert "<ins" in redline or "<del" in redline
    headings = [h.get_text(" ", strip=True) for h in soup.find_all("h3")]
    assert any(h.startswith("X — Privacy Policy") for h in headings)
    rows = list(csv.DictReader(csv_path.open()))
    assert {row["service"] for row in rows} <= {"X", "Zoom"}


def test_first_appearance_is_the_earliest_pair_with_that_category(corpus_run: Path) -> None:
    from policydiff.corpus.partitions import read_table

    page, _ = write_timeline(corpus_run, redlines=False)
    soup = BeautifulSoup(page.read_text(), "lxml")
    findings = [f for f in read_table(corpus_run, "findings").to_pylist() if not f["announced"]]
    x = [f for f in findings if f["service"] == "X" and not f["baseline"]]
    from_start = sorted({f["category"] for f in findings if f["service"] == "X" and f["baseline"]})
    first = min(x, key=lambda f: f["new_date"])
    heading = next(h for h in soup.find_all("h3") if h.get_text().startswith("X"))
    table = heading.find_next("table")
    cells = [row.find_all("td") for row in table.find_all("tr")[1:]]
    shown = {c[1].get_text(" ", strip=True).split()[0]: c[0].get_text(" ", strip=True)[:10] for c in cells}
    assert shown[first["category"]] == first["new_date"].date().isoformat()
    assert set(shown) == {f["category"] for f in x}
    assert (
        from_start
        and f"Already in the first version: {', '.join(from_start)}." in table.find_next("p").get_text()
    )


def test_every_document_text_is_escaped(corpus: Path, tmp_path: Path) -> None:
    base = series_files("zoom/terms-of-service", 1)[0].read_text()
    folder = tmp_path / "folder" / HOSTILE.replace("/", "") / "terms"
    folder.mkdir(parents=True)
    (folder / "2024-01-01.md").write_text(base)
    added = f"\n\nWe may use your content to train artificial intelligence models. {HOSTILE}\n"
    (folder / "2024-02-01.md").write_text(base + added)
    out = tmp_path / "out"
    assert run_corpus(tmp_path / "folder", out, workers=1).errors == 0
    page, _ = write_timeline(out)
    soup = BeautifulSoup(page.read_text(), "lxml")
    assert not soup.find_all("script") and not soup.find_all("img")
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert HOSTILE.replace("/", "") in soup.get_text()
    assert "alert(2)>" in soup.get_text()


def _finding(day: int, text: str, rule: str = "purpose.ai_training.added", **extra: Any) -> dict[str, Any]:
    return {
        "service": "Acme", "document": "Privacy", "new_date": datetime(2024, 1, day, tzinfo=UTC),
        "new_version": f"v{day}", "pair_id": f"p{day}", "ordinal": 0, "rule": rule,
        "category": extra.pop("category", "purpose.added"),
        "direction": extra.pop("direction", "weakens"), "new_text": text, "old_text": None,
        "evidence": [], "announced": False, **extra,
    }  # fmt: skip


def test_stance_follows_the_latest_statement_about_training() -> None:
    permit = _finding(1, "We may use your posts to train our artificial intelligence models.")
    (stance,) = stance_table([permit])
    assert (stance.ai_training, stance.opt_out, stance.since_version) == ("permitted", "not stated", "v1")
    opt = _finding(
        2, "If you do not opt out, we may use your posts to train our artificial intelligence models."
    )
    (stance,) = stance_table([opt, permit])
    assert (stance.ai_training, stance.opt_out, stance.since_version) == ("permitted", "yes", "v1")
    carve = _finding(3, "We do not train our AI models on data of members in the EU, EEA and Switzerland.")
    (stance,) = stance_table([carve, opt, permit])
    assert stance.ai_training == "permitted" and stance.regional_carve_outs == ("EU", "EEA", "Switzerland")
    consent = _finding(
        4, "We will not use your messages to train AI models without your consent.",
        rule="promise.added", category="promise.added", direction="strengthens",
    )  # fmt: skip
    (stance,) = stance_table([consent, carve, opt, permit])
    assert (stance.ai_training, stance.since_version, stance.opt_out) == ("only with consent", "v4", "")
    other = _finding(5, "We may share your email address with advertisers.", rule="recipient.added")
    assert stance_table([other, consent, carve, opt, permit]) == [stance]
    announced = _finding(6, "We may use your posts to train AI models.", announced=True)
    assert stance_table([announced, consent, carve, opt, permit]) == [stance]


def test_stance_csv_round_trips() -> None:
    stances = stance_table(
        [_finding(1, 'We may use "your, posts" to train our artificial intelligence models.')]
    )
    rows = list(csv.DictReader(io.StringIO(stance_csv(stances))))
    assert rows == [stance.row() for stance in stances]
    assert rows[0]["sentence"].startswith('We may use "your, posts"')


QUARTERS = st.sampled_from(["2023 Q4", "2024 Q1", "2024 Q3"])


@given(st.dictionaries(st.tuples(QUARTERS, st.sampled_from("abcde")), st.integers(1, 50), min_size=1))
def test_chart_bars_are_proportional_to_counts(counts: dict[tuple[str, str], int]) -> None:
    chart = build_chart(counts)
    assert len(chart.bars) == len(counts)
    plot = HEIGHT - TOP - BOTTOM
    unit = plot / max(sum(n for (q2, _), n in counts.items() if q2 == q) for q, _ in counts)
    for bar in chart.bars:
        quarter, rest = bar.title.split(" · ")
        category, n = rest.rsplit(": ", 1)
        assert counts[(quarter, category)] == int(n)
        assert bar.height == pytest.approx(unit * int(n))
    labels = [label.text for label in chart.x_labels]
    assert labels == ["2023 Q4", "2024 Q1", "2024 Q2", "2024 Q3"][: len(labels)] or labels[0] in {
        "2024 Q1",
        "2024 Q3",
    }
    assert sum(total for _, _, total in chart.legend) == sum(counts.values())


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["timeline", str(tmp_path)])
    assert result.exit_code == 2 and "not a corpus output folder" in result.output
    result = runner.invoke(main, ["corpus", str(tmp_path), str(tmp_path / "o"), "--scheduler", "nowhere"])
    assert result.exit_code == 2 and "--scheduler must be" in result.output
    assert re.search(r"policydiff: error: .*", result.output)


def test_a_permission_already_in_the_first_version_counts_from_it(corpus: Path, tmp_path: Path) -> None:
    from policydiff.corpus.partitions import read_table

    base = series_files("zoom/terms-of-service", 1)[0].read_text()
    folder = tmp_path / "folder" / "acme" / "terms"
    folder.mkdir(parents=True)
    permit = "\n\nWe may use your posts and messages to train our artificial intelligence models.\n"
    (folder / "2024-01-01.md").write_text(base + permit)
    (folder / "2024-03-01.md").write_text(base + permit + "\nContact us at the address above.\n")
    for baseline, expected in ((True, "permitted"), (False, None)):
        out = tmp_path / f"out-{baseline}"
        run_corpus(tmp_path / "folder", out, workers=1, baseline=baseline)
        stances = {s.service: s for s in stance_table(read_table(out, "findings").to_pylist())}
        acme = stances.get("acme")
        assert (acme.ai_training if acme and acme.ai_training != "not stated" else None) == expected
        if expected:
            assert acme is not None and acme.since_version == "2024-01-01.md" and acme.since_first_version


def test_one_version_with_a_permission_and_a_promise_permits() -> None:
    permit = _finding(1, "We may use your posts to train our artificial intelligence models.")
    promise = _finding(
        1, "We will not use your messages to train AI models.",
        rule="promise.added", category="promise.added", direction="strengthens", ordinal=1,
    )  # fmt: skip
    for rows in ([permit, promise], [promise, permit]):
        (stance,) = stance_table(rows)
        assert stance.ai_training == "permitted" and stance.rule == "purpose.ai_training.added"
    later = _finding(2, "We will not use your messages to train AI models.", rule="promise.added")
    (stance,) = stance_table(
        [permit, promise, {**later, "direction": "strengthens", "category": "promise.added"}]
    )
    assert stance.ai_training == "not permitted" and stance.since_version == "v2"
