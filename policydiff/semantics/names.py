"""Organisation names read as parties by grammar, not by a list of services.

A capitalised name where a subject stands ("Acme may use ...", "Finally, Example.com will ..."),
at the head of a list of parties ("Acme Inc. and its affiliates won't ..."), or as the agent of a
passive ("may be trained by Acme or another provider") is read as the document's own party
(``first_party_named``); a name after "with" or "to" of a disclosure is a recipient
(``named_company``). Whose name it is, the whole document tells (``own_names``, once per document):
the rules take a name acting on data that is not the document's own for a third party
(``named_acting``). Names are proper nouns: the lexicon matches words case-blind, so names are found
here.
"""

from __future__ import annotations

import re

import attrs

from policydiff.semantics.analysis import Frame
from policydiff.semantics.cues import Cue
from policydiff.semantics.lexicon import word_list

_NAME = r"([A-Z0-9][\w&.'’-]*(?:,? (?:[A-Z][\w&.-]*|of|for)){0,4})"
# a name as the subject, perhaps after a short opening phrase: "Acme, Inc. may", "Finally, Example.com will"
_SUBJECT = re.compile(rf"^\s*(?:[A-Z][^,;:]{{0,40}}, )?(?:[Tt]he )?{_NAME}\s*$")
# a name heading a list of parties: "Acme Inc. and its affiliates", "Acme, our affiliates"
_LIST_HEAD = re.compile(rf"^\s*(?:[A-Z][^,;:]{{0,40}}, )?(?:[Tt]he )?{_NAME}\s*(?:,|and|or|and/or)\s*$")
_AGENT = re.compile(rf"^(?:the )?{_NAME}")
# capitalised words that open sentences or name data, people or documents, not an organisation
NOT_NAMES = frozenset(
    "You Your They It This These Those Users Members Children Some Such Each All Any Data Information "
    "Content If When We Our Us Where While Unless In On For By To As At From With Please Note Personal "
    "Terms Policy Section Agreement Service Services".split()
)


# a name's final period that belongs to it: a legal form or an initial ("Acme Inc.", "Acme S.A.")
_OWN_PERIOD = re.compile(
    r"(?:\b(?:inc|ltd|corp|co|llc|plc|gmbh|ag|pty|bros|intl|assn)|\.[a-z])\.$", re.IGNORECASE
)


def _trim(name: str) -> str:
    """``name`` without the sentence's punctuation after it ("processed by Paymentco." -> "Paymentco")."""
    while name.endswith((".", ",")) and not (name.endswith(".") and _OWN_PERIOD.search(name)):
        name = name[:-1]
    return name


def _cue(sentence: str, lo: int, match: re.Match[str] | None) -> Cue | None:
    if match is None or match.group(1).split()[0].rstrip(",") in NOT_NAMES:
        return None
    start = lo + match.start(1)
    name = _trim(match.group(1))
    return Cue("actor", "first_party_named", start, start + len(name), name) if name else None


def named_subject(sentence: str, lo: int, hi: int) -> Cue | None:
    """The name that is the whole subject in ``sentence[lo:hi]`` (the words before the verb chain)."""
    return _cue(sentence, lo, _SUBJECT.match(sentence[lo:hi]))


def named_list_head(sentence: str, lo: int, hi: int) -> Cue | None:
    """The name in ``sentence[lo:hi]`` that heads a list of parties starting at ``hi``."""
    return _cue(sentence, lo, _LIST_HEAD.match(sentence[lo:hi]))


def named_agent(sentence: str, lo: int, hi: int) -> Cue | None:
    """The name that opens ``sentence[lo:hi]`` (the words after a passive's "by")."""
    return _cue(sentence, lo, _AGENT.match(sentence[lo:hi]))


# a name right after "with" or "to" ("shared with Paymentco", "send your address to Mailbird"): a recipient
_RECIPIENT = re.compile(rf"\b(?:with|to)\s+{_NAME}")
# the whole-document signals of the document's own name, read on folded text (see ``own_names``). Each is
# found from an anchor with a literal start (the parenthesis of a defined term, "refers to", a legal
# form), and the name is read in the few words beside it: a name pattern tried at every word of a long
# document cost a second, and a window of "up to three words" took "by" or "the" for the name
_FOLDED_NAME = r"(?<![\w&'.-])([a-z0-9][\w&'-]*(?:\.[a-z]{2,4})?)"
# a defined term: 'Acme ("we", "us")', 'Acme Ltd. (together, "Acme", "we" or "our")': quoted terms, a
# few words such as "together", then the pronoun in quotes (not '(as "we" say)')
_DEFINED_AT = re.compile(
    r"\(\s*(?:(?:together|collectively|jointly|hereinafter|hereafter|referred to as|also|the)\b[\s,:]*)*"
    r"(?:[\"“][^\"”()]{1,40}[\"”][\s,;]*(?:(?:and|or|and/or)\s+)?)*[\"“](?:we|us|our|the company)[\"”]"
)
_REFER_AT = re.compile(r"\b(?:refers?|means?) to (?:the )?")
_REFER_SUBJECT = re.compile(r"\b(?:we|us|our)\b[\"”]?(?:,? (?:and|or) [\"“]?\w+[\"”]?){0,4},? \Z")
_OPERATES_AT = re.compile(
    r",? (?:inc|llc|ltd|limited|corp|corporation|gmbh|plc|s\.a|b\.v)\.?,? "
    r"(?:operates|provides|runs|owns|offers|is the controller)"
)
_TITLE = re.compile(
    rf"^\W*{_FOLDED_NAME}(?: [\w&'-]+){{0,3}} (?:privacy|terms|cookie|data protection|user)\b"
)
_COLLECTS = re.compile(
    rf"(?:^|[.;:!?]\s+){_FOLDED_NAME}(?: [\w&'-]+){{0,2}}? (?:may |will |can |does |also )*"
    r"(?:collects?|uses?|process(?:es)?)\b",
    re.MULTILINE,
)
_NOT_OWN = (
    frozenset(w.lower() for w in NOT_NAMES)
    | {"they", "it", "he", "she", "who", "which", "that"}
    | frozenset(word_list("actors", "names", "function_words"))
)
_TOKEN = re.compile(r"[a-z0-9][\w&'’.-]*|[^\w\s]")
_LEGAL_FORM = re.compile(r"(?:inc|llc|ltd|limited|corp|corporation|gmbh|plc|s\.a|b\.v|co|ag|sa|bv|pty)\.?$")
_NAME_WORDS = 4  # a name runs over at most this many words ("Example Widgets Ireland Limited")


def _name_ending(text: str, end: int) -> str | None:
    """The name whose words end at ``end``: the last run of words that are no function words (a legal
    form and a comma at its end skipped), its first word; None when the run is empty or too long."""
    tokens = _TOKEN.findall(text, max(0, end - 160), end)
    while tokens and (tokens[-1] == "," or _LEGAL_FORM.match(tokens[-1])):
        tokens.pop()
    run: list[str] = []
    for token in reversed(tokens):
        word = token.rstrip(".,")
        if not word or not word[0].isalnum() or word in _NOT_OWN:
            break
        run.append(word)
    return run[-1] if 0 < len(run) <= _NAME_WORDS else None


def _name_starting(text: str, start: int) -> str | None:
    """The first word at ``start`` when it may begin a name (no function word)."""
    match = _TOKEN.match(text, start)
    word = match.group(0).rstrip(".,") if match else ""
    return word if word and word[0].isalnum() and word not in _NOT_OWN else None


def name_key(name: str) -> str:
    """How a name is compared with the document's own: its first word, folded, without a web suffix."""
    first = name.split()[0].lower().replace("’", "'").rstrip(",.")
    return re.sub(r"\.(?:com|net|org|io|co|ai)$", "", first)


@attrs.frozen
class OwnNames:
    """The names a document uses for itself (``name_key``), and the folded document they were read from.

    ``name in own`` also holds for a name the document mentions more often than its own names: a
    document names itself far more often than any processor it lists.
    """

    names: frozenset[str]
    text: str = attrs.field(repr=False)
    _mentions: dict[str, int] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or not name.strip():
            return False
        key = name_key(name)
        if key in self.names:
            return True
        return bool(self.names) and self.mentions(key) > max(self.mentions(n) for n in self.names)

    def mentions(self, key: str) -> int:
        """How often ``key`` stands as a whole word (between characters that are not word letters or
        hyphens) in the document, counted once per key by a literal search (fast, linear)."""
        if key not in self._mentions:
            self._mentions[key] = _whole_words(self.text, key)
        return self._mentions[key]


def _whole_words(text: str, word: str) -> int:
    """Occurrences of ``word`` in ``text`` not inside a longer word (nor joined by a hyphen)."""
    count, at, n = 0, text.find(word), len(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + n] if at + n < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            count += 1
        at = text.find(word, at + n)
    return count


def own_names(text: str) -> OwnNames:
    """The names a folded document uses for itself, computed once per document (``DocumentFacts.once``).

    The defined term ("Acme ("we", "us")", ""we" refers to Acme"), a name with a legal form that
    operates the service, and the title ("Acme Privacy Policy"); when none is found, the name most
    often the subject of "collect", "use" or "process" across the document. A name is never a
    function word ("the", "and", "by"): each is read from its anchor in a few words (linear).
    """
    first_line = text.split("\n", 1)[0]
    found = [_name_ending(text, at.start()) for at in _DEFINED_AT.finditer(text)]
    found += [_name_ending(text, at.start()) for at in _OPERATES_AT.finditer(text)]
    found += [
        _name_starting(text, at.end())
        for at in _REFER_AT.finditer(text)
        if _REFER_SUBJECT.search(text, max(0, at.start() - 80), at.start())
    ]
    found += [m.group(1) for m in _TITLE.finditer(first_line)]
    own = {name_key(n) for n in found if n} - _NOT_OWN
    if not own:
        subjects = [name_key(m.group(1)) for m in _COLLECTS.finditer(text)]
        counts = {s: subjects.count(s) for s in subjects if s not in _NOT_OWN}
        own = {max(sorted(counts), key=lambda s: counts[s])} if counts else set()
    return OwnNames(frozenset(own), text)


def named_recipients(sentence: str, lo: int, hi: int) -> list[Cue]:
    """Names right after "with" or "to" in ``sentence[lo:hi]`` (to the right of a sharing verb)."""
    found = []
    for match in _RECIPIENT.finditer(sentence, lo, hi):
        if not match.group(1)[0].isupper() or match.group(1).split()[0].rstrip(",") in NOT_NAMES:
            continue  # "for up to 90 days": a number is no name
        start, name = match.start(1), _trim(match.group(1))
        found.append(Cue("actor", "named_company", start, start + len(name), name))
    return found


_BY = re.compile(r"\bby\s+")


def named_parties(sentence: str) -> list[Cue]:
    """Names after "by", "with" or "to" anywhere in ``sentence`` (a passive's agent, a recipient), in
    order: what a pronoun in the next sentence may refer to ("... delivered by Mailbird. We give them")."""
    found = named_recipients(sentence, 0, len(sentence))
    for at in _BY.finditer(sentence):
        agent = named_agent(sentence, at.end(), len(sentence))
        if agent is not None:
            found.append(attrs.evolve(agent, key="named_company"))
    return sorted(found, key=lambda c: c.start)


def named_acting(frame: Frame, sentence: str, own: OwnNames | None) -> tuple[Cue, ...]:
    """Names acting on data that are not the document's own (``own``; None, no document: every name is).

    "Adnet may use cookies to collect your browsing data": a name as the subject is read as the
    first party (``names.named_subject``); the whole document tells whose name it is. The agent of a
    passive acts on what the passive's subject names ("Payments are processed by Paymentco"). A
    capitalised word coordinated with the verb is an imperative verb ("Post or transmit any content").
    """
    if own is None or not (frame.data_keys or frame.passive):
        return ()
    return tuple(
        attrs.evolve(c, key="named_company")
        for c in frame.actors
        if c.key == "first_party_named"
        and c.text not in own
        and sentence[c.end : frame.action.start].strip().lower() not in ("or", "and", "and/or")
    )
