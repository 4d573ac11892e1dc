"""targets.toml: loading, error messages naming line and key, writing, and OTA declaration import."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.cli import main
from policydiff.errors import ConfigError
from policydiff.ota import import_ota
from policydiff.targets import (
    DocumentTarget,
    Targets,
    append_targets,
    dump_targets,
    load_targets,
    parse_targets,
    slugify,
)

VALID = """\
# what we watch
[defaults]
headers = { "Accept-Language" = "en" }
locale = "en"

[services.linkedin]
name = "LinkedIn"
headers = { "X-Service" = "li" }

[services.linkedin.documents.privacy-policy]
name = "Privacy Policy"
url = "https://www.linkedin.com/legal/privacy-policy"
select = ["main"]
remove = [".cookie-banner", "nav"]

[services.linkedin.documents.faq]
url = "https://www.linkedin.com/help/faq"
select = "article"
headers = { "Accept-Language" = "en-GB" }
locale = "en-GB"

[services.acme_cloud.documents.terms]
url = "http://acme.example/terms"
"""


def test_valid_file_loads_with_inheritance(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(VALID, encoding="utf-8")
    targets = load_targets(path)
    assert [t.key for t in targets.documents] == [
        "linkedin/privacy-policy",
        "linkedin/faq",
        "acme_cloud/terms",
    ]
    privacy, faq, terms = targets.documents
    assert privacy.url == "https://www.linkedin.com/legal/privacy-policy"
    assert privacy.select == ("main",) and privacy.remove == (".cookie-banner", "nav")
    assert privacy.headers == {"Accept-Language": "en", "X-Service": "li"}
    assert privacy.locale == "en"
    assert privacy.service_name == "LinkedIn" and privacy.document_name == "Privacy Policy"
    assert privacy.display_name == "LinkedIn — Privacy Policy"
    assert faq.select == ("article",)  # a single string is one selector
    assert faq.headers == {"Accept-Language": "en-GB", "X-Service": "li"}
    assert faq.locale == "en-GB"
    assert terms.headers == {"Accept-Language": "en"} and terms.service_name is None
    assert list(targets.services()) == ["linkedin", "acme_cloud"]
    assert targets.get("linkedin/faq") is faq and targets.get("nope/x") is None


def test_locale_becomes_accept_language_unless_a_header_sets_it() -> None:
    assert DocumentTarget("s", "d", "https://x.test", locale="fr").request_headers() == {
        "Accept-Language": "fr"
    }
    both = DocumentTarget("s", "d", "https://x.test", locale="fr", headers={"accept-language": "de"})
    assert both.request_headers() == {"accept-language": "de"}


def test_key_is_a_slug_even_for_display_names() -> None:
    target = DocumentTarget("Yahoo! Mail", "Privacy Policy (EU)", "https://x.test")
    assert target.key == "yahoo-mail/privacy-policy-eu"
    assert slugify("Ünïcödé Terms") == "unicode-terms"
    hashed = slugify("隐私政策")
    assert hashed.startswith("x-") and hashed == slugify("隐私政策") and hashed != slugify("条款")


def _lines(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


BAD_FILES = [
    # (file text, expected line (found by a needle), key in the message, words in the message)
    (
        '[services.a.documents.b]\nurl = "https://x.test"\nselect = ["main"\n',
        "select",
        None,
        "invalid TOML",
    ),
    (
        '[services.a.documents.b]\nurl = "https://x.test"\nselector = ["main"]\n',
        "selector =",
        "services.a.documents.b.selector",
        "unknown key 'selector'",
    ),
    (
        '[services.a]\nname = "A"\n\n[services.a.documents.b]\nselect = "main"\n',
        "[services.a.documents.b]",
        "services.a.documents.b",
        "missing required key 'url'",
    ),
    (
        '[services.a.documents.b]\nurl = "ftp://x.test/p"\n',
        "url =",
        "services.a.documents.b.url",
        "not an http",
    ),
    (
        "[services.a.documents.b]\nurl = 42\n",
        "url =",
        "services.a.documents.b.url",
        "must be a string, not an integer",
    ),
    (
        '[services.a.documents.b]\nurl = "https://x.test"\nselect = ["main", 3]\n',
        "select =",
        "services.a.documents.b.select",
        "only strings",
    ),
    (
        '[services.a.documents.b]\nurl = "https://x.test"\nremove = ["div[[["]\n',
        "remove =",
        "services.a.documents.b.remove",
        "invalid CSS selector",
    ),
    (
        '[services.a.documents.b]\nurl = "https://x.test"\nheaders = { "X-A" = 1 }\n',
        "headers =",
        "services.a.documents.b.headers",
        "must be a string",
    ),
    (
        '[services."Big Co".documents.b]\nurl = "https://x.test"\n',
        "Big Co",
        'services."Big Co"',
        "try 'big-co'",
    ),
    (
        '[services.a]\nname = "A"\n',
        "[services.a]",
        "services.a",
        "at least one",
    ),
    (
        '[services.a.documents.b]\nurl = "https://x.test"\n\n[servces.c.documents.d]\nurl = "https://y.test"\n',
        "[servces",
        "servces",
        "unknown key 'servces'",
    ),
    (
        '[defaults]\nlocale = ""\n[services.a.documents.b]\nurl = "https://x.test"\n',
        "locale",
        "defaults.locale",
        "must not be empty",
    ),
    (
        "[services.a.documents.b]\nurl = 'https://x.test'\n[services.a.documents.b-]\nurl = 'https://y.test'\n",
        "documents.b-]",
        "services.a.documents.b-",
        "share the store key",
    ),
]


@pytest.mark.parametrize(("text", "needle", "key", "words"), BAD_FILES)
def test_bad_files_name_file_line_and_key(
    tmp_path: Path, text: str, needle: str, key: str | None, words: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_targets(path)
    error = info.value
    message = str(error)
    assert words in message
    assert error.path == str(path) and message.startswith(f"{path}:")
    assert error.line == _lines(text, needle), message
    assert f":{error.line}" in message
    if key is not None:
        assert error.key == key and f"[{key}]" in message


def test_missing_and_undecodable_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_targets(tmp_path / "nope.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'[services.a.documents.b]\nurl = "https://x.test/\xe9"\n')
    with pytest.raises(ConfigError, match="UTF-8") as info:
        load_targets(bad)
    assert info.value.line == 2


def test_empty_file_has_no_targets() -> None:
    assert parse_targets("") == Targets(())


# ------------------------------------------------------------------------------------ writing

_slug = st.text(string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=12).filter(
    lambda s: s.strip("-_") == s and "--" not in s
)
_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip)
_selector = st.sampled_from(
    ["main", "article", "#content", ".legal > p", "div[data-x='a\"b']", "nav, footer"]
)
_header_name = st.text(string.ascii_letters + "-", min_size=1, max_size=10)
_header_value = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=15)


@st.composite
def _targets(draw: st.DrawFn) -> Targets:
    services = draw(
        st.dictionaries(_slug, st.dictionaries(_slug, st.none(), min_size=1, max_size=3), max_size=3)
    )
    documents: list[DocumentTarget] = []
    for service, docs in services.items():
        service_name = draw(st.none() | _text)
        for document in docs:
            documents.append(
                DocumentTarget(
                    service=service,
                    document=document,
                    url="https://"
                    + draw(_slug)
                    + ".test/"
                    + draw(st.text(string.ascii_letters + "/?=&%", max_size=10)),
                    select=tuple(draw(st.lists(_selector, max_size=2))),
                    remove=tuple(draw(st.lists(_selector, max_size=2))),
                    headers=draw(st.dictionaries(_header_name, _header_value, max_size=2)),
                    locale=draw(st.none() | st.sampled_from(["en", "de-DE", "fr"])),
                    service_name=service_name,
                    document_name=draw(st.none() | _text),
                )
            )
    return Targets(tuple(documents))


@settings(max_examples=40, deadline=None)
@given(_targets())
def test_dump_then_parse_gives_the_same_targets(targets: Targets) -> None:
    # keys that collide after slugging are rejected by parse; the strategy uses slugs already
    assert parse_targets(dump_targets(targets)) == targets


def test_append_keeps_the_existing_text_and_adds_documents_under_existing_services() -> None:
    existing = (
        '# my notes\n[services.acme]\nname = "Acme"  # keep this\n\n'
        '[services.acme.documents.privacy]\nurl = "https://acme.test/p"\n'
    )
    new = Targets(
        (
            DocumentTarget("acme", "privacy", "https://elsewhere.test/p"),  # present: kept as it is
            DocumentTarget("acme", "faq", "https://acme.test/faq", service_name="Acme Inc"),
            DocumentTarget("other", "terms", "https://other.test/t", service_name="Other"),
        )
    )
    text = append_targets(existing, new, comment="imported")
    assert text.startswith(existing.rstrip("\n"))
    assert text.count("[services.acme]") == 1  # never redefines a table
    parsed = parse_targets(text)
    assert [t.key for t in parsed.documents] == ["acme/privacy", "acme/faq", "other/terms"]
    assert parsed.documents[0].url == "https://acme.test/p"
    assert parsed.documents[1].service_name == "Acme"  # the existing service's name wins
    assert append_targets(text, new) == text  # nothing new: unchanged


# ------------------------------------------------------------------------------ Open Terms Archive


def _declare(directory: Path, name: str, data: object) -> Path:
    path = directory / f"{name}.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_import_ota_maps_fetch_select_remove_combine_scripts_and_reports_what_it_cannot_do(
    tmp_path: Path,
) -> None:
    _declare(
        tmp_path,
        "Acme Cloud",
        {
            "name": "Acme Cloud",
            "documents": {
                "Privacy Policy": {
                    "fetch": "https://acme.test/privacy",
                    "select": ["main", {"startBefore": "#intro", "endBefore": "#outro"}],
                    "remove": ".banner",
                    "filter": ["removeSessionIds", "fixDates"],
                },
                "Terms of Service": {
                    "select": "article",
                    "remove": ["nav"],
                    "combine": [
                        {"fetch": "https://acme.test/terms/1"},
                        {"fetch": "https://acme.test/terms/2", "select": ".legal", "remove": "aside"},
                    ],
                },
                "FAQ": {"fetch": "https://acme.test/faq", "executeClientScripts": True},
                "Data Processing Agreement": {
                    "fetch": "https://acme.test/dpa.pdf",
                    "headers": {"Accept-Language": "en"},
                },
            },
        },
    )
    _declare(
        tmp_path, "Bobs", {"name": "Bob's Shop", "terms": {"Privacy Policy": {"fetch": "https://bob.test/p"}}}
    )
    _declare(tmp_path, "Bobs.history", {"name": "old"})  # history files are not declarations
    (tmp_path / "Acme Cloud.filters.js").write_text("export function fixDates() {}")

    targets, warnings = import_ota(tmp_path)
    by_key = {t.key: t for t in targets.documents}
    assert list(by_key) == [
        "acme-cloud/privacy-policy",
        "acme-cloud/terms-of-service",
        "acme-cloud/faq",
        "acme-cloud/data-processing-agreement",
        "bobs/privacy-policy",
    ]
    privacy = by_key["acme-cloud/privacy-policy"]
    assert privacy.url == "https://acme.test/privacy"
    assert privacy.select == ("main",) and privacy.remove == (".banner",)
    assert privacy.service_name == "Acme Cloud" and privacy.document_name == "Privacy Policy"
    # a combine is one document of several parts, in order
    terms = by_key["acme-cloud/terms-of-service"]
    part1, part2 = terms.parts
    assert terms.url == part1.url and terms.document_name == "Terms of Service"
    assert (part1.url, part1.select, part1.remove) == ("https://acme.test/terms/1", ("article",), ("nav",))
    # keys beside "combine" are defaults; a part's own keys override them (as in Open Terms Archive)
    assert (part2.url, part2.select, part2.remove) == ("https://acme.test/terms/2", (".legal",), ("aside",))
    # executeClientScripts: rendered in the browser; a PDF needs nothing
    assert by_key["acme-cloud/faq"].browser and not privacy.browser and not terms.browser
    assert by_key["bobs/privacy-policy"].service_name == "Bob's Shop"

    joined = "\n".join(warnings)
    assert "removeSessionIds" in joined and "fixDates" in joined and "JavaScript filters" in joined
    assert "range selector" in joined and "#intro" in joined
    assert "combine" not in joined and "executeClientScripts" not in joined and "PDF" not in joined
    assert by_key["acme-cloud/data-processing-agreement"].headers == {"Accept-Language": "en"}
    assert "Bobs.history" not in joined and all("old" not in t.service for t in targets.documents)
    # what is imported is a valid targets file
    assert parse_targets(dump_targets(targets)) == targets


def test_import_ota_merges_with_existing_targets(tmp_path: Path) -> None:
    _declare(
        tmp_path, "Acme", {"name": "Acme", "documents": {"Privacy Policy": {"fetch": "https://new.test/p"}}}
    )
    _declare(tmp_path, "Zed", {"name": "Zed", "documents": {"Terms": {"fetch": "https://zed.test/t"}}})
    existing = Targets((DocumentTarget("acme", "privacy-policy", "https://mine.test/p", select=("main",)),))
    merged, warnings = import_ota(tmp_path, existing=existing)
    assert merged.documents[0] == existing.documents[0]
    assert [t.key for t in merged.documents] == ["acme/privacy-policy", "zed/terms"]
    assert any("already" in w and "acme/privacy-policy" in w for w in warnings)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "JSON object"),
        ({"name": "A"}, "documents"),
        ({"name": "A", "documents": {"Terms": {"select": "main"}}}, "needs a 'fetch' URL"),
        ({"name": "A", "documents": {"Terms": {"fetch": "file:///etc/passwd"}}}, "not an http"),
        ({"name": "A", "documents": {"Terms": {"combine": []}}}, "non-empty array"),
        (
            {"name": "A", "documents": {"Terms": {"fetch": "https://a.test", "select": "div[["}}},
            "invalid CSS",
        ),
    ],
)
def test_bad_declarations_are_config_errors_naming_the_file(tmp_path: Path, data: object, words: str) -> None:
    path = _declare(tmp_path, "A", data)
    with pytest.raises(ConfigError) as info:
        import_ota(tmp_path)
    assert words in str(info.value) and str(path) in str(info.value)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "A.json").write_text('{\n  "name": "A",\n  "documents": {,}\n}\n')
    with pytest.raises(ConfigError, match="invalid JSON") as info:
        import_ota(tmp_path)
    assert info.value.line == 3


def test_import_ota_needs_declarations(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no declaration files"):
        import_ota(tmp_path)
    with pytest.raises(ConfigError, match="not a directory"):
        import_ota(tmp_path / "missing")


# ------------------------------------------------------------------------------------ CLI


def test_cli_import_ota_writes_targets_toml_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decl = tmp_path / "declarations"
    decl.mkdir()
    _declare(
        decl,
        "Acme",
        {"name": "Acme", "documents": {"Privacy Policy": {"fetch": "https://acme.test/p", "filter": ["f"]}}},
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(main, ["targets", "import-ota", str(decl)])
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "JavaScript filters" in result.stderr
    assert "added 1 document" in result.stdout
    targets = load_targets(work / "targets.toml")
    assert [t.key for t in targets.documents] == ["acme/privacy-policy"]


def test_cli_import_ota_merges_into_an_existing_file(tmp_path: Path) -> None:
    decl = tmp_path / "declarations"
    decl.mkdir()
    _declare(
        decl, "Acme", {"name": "Acme", "documents": {"Privacy Policy": {"fetch": "https://acme.test/new"}}}
    )
    _declare(decl, "Zed", {"name": "Zed", "documents": {"Terms": {"fetch": "https://zed.test/t"}}})
    out = tmp_path / "mine.toml"
    original = (
        '# hand-written, keep me\n[services.acme.documents.privacy-policy]\nurl = "https://acme.test/mine"\n'
    )
    out.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(main, ["targets", "import-ota", str(decl), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n"))
    targets = load_targets(out)
    assert [(t.key, t.url) for t in targets.documents] == [
        ("acme/privacy-policy", "https://acme.test/mine"),
        ("zed/terms", "https://zed.test/t"),
    ]
    assert "kept the 1 already there" in result.stdout


def test_cli_import_ota_reports_errors_in_one_line(tmp_path: Path) -> None:
    decl = tmp_path / "declarations"
    decl.mkdir()
    (decl / "A.json").write_text("{oops")
    result = CliRunner().invoke(main, ["targets", "import-ota", str(decl), "-o", str(tmp_path / "t.toml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("policydiff: error:") and "A.json" in result.stderr
    assert not (tmp_path / "t.toml").exists()
    bad = tmp_path / "bad.toml"
    bad.write_text("[services\n")
    _ok = decl / "A.json"
    _ok.write_text(json.dumps({"name": "A", "documents": {"T": {"fetch": "https://a.test"}}}))
    result = CliRunner().invoke(main, ["targets", "import-ota", str(decl), "-o", str(bad)])
    assert result.exit_code == 2 and "bad.toml:1" in result.stderr
    assert bad.read_text() == "[services\n"  # a broken existing file is never overwritten


def test_the_bundled_example_targets_file_loads() -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "targets.toml"
    if not example.exists():
        pytest.skip("examples/targets.toml not written yet")
    targets = load_targets(example)
    assert targets.documents and all(t.url.startswith(("http://", "https://")) for t in targets.documents)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.integers(0, 12), st.text(max_size=3))
def test_a_damaged_file_loads_or_raises_config_error_with_a_line(
    position: int, cut: int, insert: str
) -> None:
    """Whatever the damage, the answer is targets or a ConfigError naming a line: never a crash."""
    damaged = VALID[:position] + insert + VALID[position + cut :]
    try:
        targets = parse_targets(damaged)
    except ConfigError as error:
        assert error.path == "targets.toml"
        assert error.line is not None and 1 <= error.line <= max(1, len(damaged.splitlines()))
    else:
        assert all(t.url.startswith(("http://", "https://")) for t in targets.documents)


def test_cli_targets_check(tmp_path: Path) -> None:
    good = tmp_path / "targets.toml"
    good.write_text(VALID, encoding="utf-8")
    result = CliRunner().invoke(main, ["targets", "check", str(good)])
    assert result.exit_code == 0, result.output
    assert "linkedin/privacy-policy  https://www.linkedin.com/legal/privacy-policy" in result.stdout
    assert "3 document(s) of 2 service(s), valid" in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[services.a.documents.b]\nurl = "https://x.test"\nselectors = "main"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["targets", "check", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3 [services.a.documents.b.selectors]" in result.stderr


def test_declarations_whose_keys_collide_are_reported(tmp_path: Path) -> None:
    _declare(tmp_path, "Big Co", {"name": "Big Co", "documents": {"Terms": {"fetch": "https://a.test/t"}}})
    _declare(tmp_path, "big-co", {"name": "BIG CO", "documents": {"Terms": {"fetch": "https://b.test/t"}}})
    targets, warnings = import_ota(tmp_path)
    assert [t.key for t in targets.documents] == ["big-co/terms"]
    assert any("same key" in w and "BIG CO" in w for w in warnings)


@pytest.mark.parametrize("separator", ["\u0085", "\u2028", "\u2029"])
def test_line_numbers_count_only_newlines_not_other_line_breaks(separator: str) -> None:
    """TOML ends lines at \\n only; str.splitlines() also breaks at U+0085, U+2028 and others."""
    text = (
        "[services.acme]\n"
        f'name = "Acme{separator}Social"\n'
        "\n"
        "[services.acme.documents.privacy]\n"
        'url = "https://acme.example/privacy"\n'
        'colour = "blue"\n'
    )
    with pytest.raises(ConfigError) as info:
        parse_targets(text)
    assert info.value.line == 6 and "colour" in str(info.value)
