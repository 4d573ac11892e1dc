"""The fetch keys of targets.toml (parts, browser, robots, format) and the watch running them end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from policydiff import compare
from policydiff.cli import main
from policydiff.errors import ConfigError
from policydiff.store import Store
from policydiff.targets import DocumentTarget, Part, dump_targets, parse_targets

HEAD = '[services.acme]\nname = "Acme"\n\n[services.acme.documents.terms]\n'


def one(body: str) -> DocumentTarget:
    (target,) = parse_targets(HEAD + body).documents
    return target


def test_parts_browser_robots_and_format_are_read() -> None:
    target = one(
        'select = "main"\n'
        'parts = ["https://acme.test/a",\n'
        '  { url = "https://acme.test/b", select = ".legal", remove = "aside" }]\n'
        "browser = true\n"
        'robots = "ignore"\nrobots_reason = "written permission, 2026-11-02"\n'
        'format = "markdown"\n'
    )
    assert target.parts == (
        Part("https://acme.test/a", ("main",)),
        Part("https://acme.test/b", (".legal",), ("aside",)),
    )
    assert target.url == "https://acme.test/a" and target.sources() == target.parts
    assert target.browser and target.robots == "ignore" and target.format == "markdown"
    assert target.robots_reason == "written permission, 2026-11-02"


def test_defaults_are_one_url_plain_fetch_obeying_robots() -> None:
    target = one('url = "https://acme.test/t"\nselect = "main"\n')
    assert target.sources() == (Part("https://acme.test/t", ("main",)),)
    assert not target.browser and target.robots == "obey" and target.format is None


@pytest.mark.parametrize(
    ("body", "words", "line"),
    [
        ('url = "https://a.test/t"\nrobots = "ignore"\n', "needs robots_reason", 6),
        ('url = "https://a.test/t"\nrobots_reason = "x"\n', "only for robots = 'ignore'", 6),
        ('url = "https://a.test/t"\nrobots = "sometimes"\n', "'obey' or 'ignore'", 6),
        ('url = "https://a.test/t"\nbrowser = "yes"\n', "true or false", 6),
        ('url = "https://a.test/t"\nformat = "docx"\n', "html, markdown, text, pdf", 6),
        (
            'url = "https://a.test/t"\nparts = ["https://a.test/1", "https://a.test/2"]\n',
            "either url or parts",
            6,
        ),
        ('parts = ["https://a.test/1"]\n', "at least two", 5),
        ('parts = ["https://a.test/1", "ftp://a.test/2"]\n', "not an http", 5),
        ('parts = ["https://a.test/1", { href = "https://a.test/2" }]\n', "part 2: unknown key 'href'", 5),
        ('parts = ["https://a.test/1", { url = "https://a.test/2", select = "div[[" }]\n', "CSS", 5),
    ],
)
def test_bad_fetch_keys_are_config_errors_naming_the_line(body: str, words: str, line: int) -> None:
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace(")", r"\)")) as caught:
        parse_targets(HEAD + body, path="targets.toml")
    assert caught.value.line == line, str(caught.value)


def test_fetch_keys_survive_writing_and_reading_back() -> None:
    text = HEAD + (
        'parts = ["https://acme.test/a", { url = "https://acme.test/b", select = ".legal" }]\n'
        'browser = true\nrobots = "ignore"\nrobots_reason = "permission"\nformat = "pdf"\n'
    )
    targets = parse_targets(text)
    assert parse_targets(dump_targets(targets)) == targets


def test_targets_check_lists_the_fetch_keys(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(
        HEAD + 'parts = ["https://acme.test/a", "https://acme.test/b"]\nbrowser = true\n'
        'robots = "ignore"\nrobots_reason = "permission"\nformat = "markdown"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["targets", "check", str(path)])
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[0]
    assert line == (
        "acme/terms  https://acme.test/a  +1 part(s)  browser  format markdown  robots ignored: permission"
    )


# --------------------------------------------------------------------------- the watch, end to end


def watch(tmp_path: Path, targets: Path) -> tuple[int, str, dict]:  # type: ignore[type-arg]
    args = ["watch", "--targets", str(targets), "--store", str(tmp_path / "store"), "--report"]
    args += [
        str(tmp_path / "report"),
        "--host-delay",
        "0",
        "--retries",
        "0",
        "--timeout",
        "5",
        "--no-progress",
    ]
    result = CliRunner().invoke(main, args)
    run_json = tmp_path / "report" / "run.json"
    return result.exit_code, result.output, json.loads(run_json.read_text()) if run_json.exists() else {}


def markdown(version: int) -> str:
    rules = [
        f"Rule {i}: members treat each other with respect in every message they post." for i in range(1, 8)
    ]
    if version == 2:
        rules[3] = "Rule 4: we may use the messages you post to train artificial intelligence models."
    return "# Community rules\n\n## Conduct\n\n" + "\n\n".join(rules) + "\n"


def pdf_bytes(version: int) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    for number, title in enumerate(["Data we collect", "Sharing"], 1):
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, f"{number}. {title}")
        pdf.ln(2)
        pdf.set_font("Helvetica", size=11)
        for i in range(1, 5):
            text = (
                f"Clause {number}.{i}: we handle the data you give us with care and only to run the service."
            )
            if version == 2 and (number, i) == (2, 2):
                text = "Clause 2.2: we sell the data you give us to advertising partners."
            pdf.multi_cell(0, 6, text)
            pdf.ln(4)
    return bytes(pdf.output())


def test_watch_runs_pdf_markdown_as_text_and_multi_page_targets(
    tmp_path: Path, web_servers: Callable[[], HTTPServer]
) -> None:
    server = web_servers()

    def serve(version: int) -> None:
        server.clear()
        server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n")
        server.expect_request("/terms.pdf").respond_with_data(
            pdf_bytes(version), content_type="application/pdf"
        )
        server.expect_request("/rules").respond_with_data(markdown(version), content_type="text/plain")
        for name in ("a", "b"):
            clauses = [f"Part {name} clause {i}: how the service works for you and for us." for i in range(8)]
            if version == 2 and name == "b":
                clauses[5] = "Part b clause 5: how the service works for you, for us and for our partners."
            body = "".join(f"<p>{clause}</p>" for clause in clauses)
            server.expect_request(f"/{name}").respond_with_data(
                f"<html><head><title>Part {name}</title></head><body><main>{body}</main></body></html>",
                content_type="text/html",
            )

    targets = tmp_path / "targets.toml"
    targets.write_text(
        '[services.acme]\nname = "Acme"\n\n'
        f'[services.acme.documents.privacy]\nurl = "{server.url_for("/terms.pdf")}"\n\n'
        f'[services.acme.documents.rules]\nurl = "{server.url_for("/rules")}"\nformat = "markdown"\n\n'
        f'[services.acme.documents.terms]\nparts = ["{server.url_for("/a")}", "{server.url_for("/b")}"]\n'
        'select = "main"\n\n'
        f'[services.acme.documents.secret]\nurl = "{server.url_for("/private/x")}"\n',
        encoding="utf-8",
    )
    serve(1)
    code, output, _ = watch(tmp_path, targets)
    assert "robots.txt disallows policydiff" in output, output
    store = Store(tmp_path / "store")
    privacy = store.latest("acme", "privacy")
    rules = store.latest("acme", "rules")
    terms = store.latest("acme", "terms")
    assert privacy is not None and privacy.media_type == "application/pdf"
    assert rules is not None and (rules.media_type or "").startswith("text/markdown")
    assert terms is not None and (terms.media_type or "").startswith("multipart/mixed")
    assert store.latest("acme", "secret") is None

    serve(2)
    code, output, run = watch(tmp_path, targets)
    assert code & 1, output  # changes (and the robots-refused document still failing)
    status = {d["document"]: (d["status"], d["failure_reason"]) for d in run["documents"]}
    assert status == {
        "privacy": ("new", None),
        "rules": ("new", None),
        "terms": ("new", None),
        "secret": ("failed", "robots_disallowed"),
    }
    assert {d["fetcher"] for d in run["documents"]} == {"http"}  # no page here needed the browser
    (change,) = run["changes"]
    found = {(f["document"], f["rule"]) for f in change["findings"]}
    assert ("privacy", "sale.added") in found, found  # clause 2.2 of the PDF
    assert ("rules", "purpose.ai_training.added") in found, found  # Markdown served as text/plain
    # the multi-page document's versions read back from the store; the edit is in its second part
    store = Store(tmp_path / "store")
    old, new = (store.load_snapshot(v) for v in store.versions("acme", "terms"))
    material = [c for c in compare(old, new).changes if c.material]
    assert [(c.kind, c.new_section) for c in material] == [("modified", "Part b")]
