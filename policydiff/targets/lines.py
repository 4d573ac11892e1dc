"""Where a TOML key is written: the line index behind error messages, and TOML key spelling."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from policydiff.targets.values import SLUG_RE


class _LineIndex:
    """Finds the line where a (table, key) is written, by scanning headers and key lines."""

    def __init__(self, entries: list[tuple[int, tuple[str, ...]]]) -> None:
        # (line number, full dotted path of a table header or key assignment)
        self.entries = entries

    def find(self, table: Sequence[str], key: str | None) -> int | None:
        wanted = (*table, *([key] if key else []))
        # exact path first, then the longest written prefix (a key inside an inline table ...)
        for length in range(len(wanted), 0, -1):
            prefix = wanted[:length]
            for line, path in self.entries:
                if path == prefix:
                    return line
            # a header of a deeper table implies its parents: [services.a.documents.b] defines services.a
            for line, path in self.entries:
                if path[:length] == prefix:
                    return line
        return None


_HEADER_RE = re.compile(r"^\s*\[\[?\s*(.+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGN_RE = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*="""
)
_KEYPART_RE = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'""")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts: list[str] = []
    for match in _KEYPART_RE.finditer(dotted):
        part = match.group(0)
        if part.startswith('"'):
            try:
                part = json.loads(part)
            except ValueError:
                part = part[1:-1]
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def index_lines(text: str) -> _LineIndex:
    entries: list[tuple[int, tuple[str, ...]]] = []
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), start=1):
        header = _HEADER_RE.match(line)
        if header and not line.lstrip().startswith("#"):
            current = _split_key(header.group(1))
            entries.append((number, current))
            continue
        assign = _ASSIGN_RE.match(line)
        if assign:
            path = (*current, *_split_key(assign.group(1)))
            entries.append((number, path))
            # keys of an inline table on the same line: headers = { "Accept-Language" = 1 }
            rest = line[assign.end() :]
            for inner in re.finditer(
                r"""(?:^|[{,])\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))\s*=""", rest
            ):
                entries.append((number, (*path, *_split_key(inner.group(1)))))
    return _LineIndex(entries)


def toml_key(key: str) -> str:
    return key if SLUG_RE.fullmatch(key) else toml_string(key)


def toml_string(value: str) -> str:
    out = ['"']
    for char in value:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
