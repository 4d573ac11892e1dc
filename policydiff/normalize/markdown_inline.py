"""Markdown inline content read as markdown-it's ``inline`` rule would read it, with shortcuts.

Most inline content of a policy is plain text, plain links or one bold lead; reading those directly
rather than through markdown-it's inline rule chain saves a third of the inline parsing, and gives
the same tokens (tests/test_normalize_fast.py checks the blocks against markdown-it's unmodified
parser on generated documents).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import isWhiteSpace, unescapeAll
from markdown_it.token import Token
from markdown_it.utils import EnvType

__all__ = ["inline_children"]

# Characters at which an enabled inline rule other than ``text`` and ``newline`` can fire (escape,
# backticks, strikethrough, emphasis, link, image, autolink, raw HTML, entity). Inline content
# without any of them parses to plain text runs and line breaks only.
_INLINE_MARKUP = re.compile(r"[\\`~*_\[<&]")


def inline_children(md: MarkdownIt, env: EnvType, token: Token) -> list[Token]:
    """The children markdown-it's ``inline`` rule would give ``token``, with shortcuts that leave the
    blocks unchanged: content with no markup character is one ``text`` child as written (the block
    stream collapses whitespace, so its line breaks read as ``softbreak`` tokens would); plain
    links, one bold lead and escapes are read directly."""
    content = token.content
    if _INLINE_MARKUP.search(content) is None:
        return [Token("text", "", 0, content=content)] if content else []
    shortcut = None
    if "[" in content:
        shortcut = _plain_links(md, content)
    elif content.startswith("**"):
        shortcut = _plain_strong(content)
    elif "\\" in content:
        plain = _unescape(content)
        shortcut = [Token("text", "", 0, content=plain)] if plain is not None else None
    if shortcut is not None:
        return shortcut
    children: list[Token] = []
    md.inline.parse(content, md, env, children)
    return children


# A backslash before ASCII punctuation makes it literal (markdown-it's escape rule).
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _unescape(text: str) -> str | None:
    """``text`` with its escapes resolved, if escapes are its only markup; else None."""
    if _INLINE_MARKUP.search(_ESCAPE.sub("", text)):
        return None
    return _ESCAPE.sub(r"\1", text)


def _plain_strong(content: str) -> list[Token] | None:
    """The tokens of ``**bold** rest`` on one line, the bold part and the rest free of markup but
    escapes, else None. The opening ``**`` starts the text and is followed by a non-space, the
    closing one follows a non-space and ends the text or precedes a space: under CommonMark's
    flanking rules one can only open, the other only close, so they always pair."""
    end = content.find("**", 2)
    if end < 3 or "\n" in content:
        return None
    inner, rest = content[2:end], content[end + 2 :]
    if "*" in inner or (rest and not isWhiteSpace(ord(rest[0]))):
        return None
    if isWhiteSpace(ord(inner[0])) or isWhiteSpace(ord(inner[-1])) or inner[-1] == "\\":
        return None
    inner_text = _unescape(inner)
    rest_text = _unescape(rest)
    if inner_text is None or rest_text is None:
        return None
    tokens = [
        Token("strong_open", "strong", 1, markup="**"),
        Token("text", "", 0, content=inner_text),
        Token("strong_close", "strong", -1, markup="**"),
    ]
    if rest_text:
        tokens.append(Token("text", "", 0, content=rest_text))
    return tokens


# ``[text](target)`` whose text has no markup and whose target has no space, parenthesis, angle
# bracket, backslash, control character or code/emphasis marker: markdown-it's link rule always
# takes it as one link (when the normalized target passes validateLink), with the text as is.
_PLAIN_LINK = re.compile(r"(?<!!)\[([^\\`~*_\[\]<&]*)\]\(([^\s()<>\\`~*\x00-\x1f\x7f]+)\)")


def _plain_links(md: MarkdownIt, content: str) -> list[Token] | None:
    """The inline tokens of content holding only plain links and markup-free text, else None."""
    tokens: list[Token] = []
    pos = 0
    for match in _PLAIN_LINK.finditer(content):
        before = content[pos : match.start()]
        if _INLINE_MARKUP.search(before):
            return None
        href = md.normalizeLink(unescapeAll(match.group(2)))
        if not md.validateLink(href):
            return None
        if before:
            tokens.append(Token("text", "", 0, content=before))
        tokens.append(Token("link_open", "a", 1, attrs={"href": href}))
        if match.group(1):
            tokens.append(Token("text", "", 0, content=match.group(1)))
        tokens.append(Token("link_close", "a", -1))
        pos = match.end()
    after = content[pos:]
    if not tokens or _INLINE_MARKUP.search(after):
        return None
    if after:
        tokens.append(Token("text", "", 0, content=after))
    return tokens
