"""One document's part of the redline page: its sections, each a list of rows (one per clause).

The version shown is the new one (the old one for a removed document). Clauses that exist only in the
old version (removed, or the old place of a moved one) are placed where they used to be: after the new
clause that the nearest preceding old clause became, using the diff's own alignment
(``DocumentDiff.old_to_new``), never by matching texts again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from policydiff.diff.align import align
from policydiff.diff.locate import side_index
from policydiff.errors import InputError
from policydiff.model import Clause, ClauseChange, Document, DocumentDiff, Section, SideIndex
from policydiff.render.redline import Cue, change_segments, plain
from policydiff.render.views import DocView, Fold, NoteLink, Outline, Row, SectionView, Seg, anchor, prefixed

__all__ = ["build_document"]

_OLD_ONLY = ("removed", "moved", "moved_modified")


class _Context:
    """What every row of one document needs: the diff, its changes by clause id, the flags and cues."""

    def __init__(
        self,
        dd: DocumentDiff,
        doc: str | None,
        flags: Mapping[str, list[tuple[int, str]]],
        cues: Mapping[str, list[Cue]],
    ) -> None:
        self.dd = dd
        self.doc = doc
        self.flags = flags
        self.cues = cues
        self.by_new: dict[str, ClauseChange] = {}
        self.by_old: dict[str, ClauseChange] = {}
        for ch in dd.changes:
            for cid in ch.new_ids:
                self.by_new.setdefault(cid, ch)
            for cid in ch.old_ids:
                self.by_old.setdefault(cid, ch)
        # renamed/added sections by their new id (a whole new document has no section changes)
        self.section_changes = (
            {c.new_id: c for c in dd.section_changes if c.new_id} if dd.old is not None else {}
        )
        self.old = _index(dd.old_index, dd.old)
        self.new = _index(dd.new_index, dd.new)
        self.done: set[int] = set()  # changes already shown (a split shows once, at its first part)

    def row(self, target: str, kind: str, segs: list[Seg], **kw: object) -> Row:
        row = Row(anchor=target, kind=kind, segs=segs, **kw)  # type: ignore[arg-type]  # view fields
        row.flags = list(self.flags.get(target, ()))
        for extra in row.extra_anchors:
            row.flags.extend(self.flags.get(extra, ()))
        return row


def _index(index: SideIndex | None, doc: Document | None) -> SideIndex | None:
    if index is None and doc is not None:  # a diff built by hand, without the diff stage's index
        return side_index(doc)
    return index


def build_document(
    dd: DocumentDiff,
    doc: str | None,
    flags: Mapping[str, list[tuple[int, str]]],
    cues: Mapping[str, list[Cue]] | None = None,
) -> DocView:
    """The view of one document of the comparison; ``doc`` is its slug in a bundle page, else None."""
    base_doc = dd.new if dd.new is not None else dd.old
    if base_doc is None:
        raise InputError(f"document {dd.name!r} has neither an old nor a new version: nothing to show")
    ctx = _Context(dd, doc, flags, cues or {})
    after = _old_only_rows(ctx)
    sections = [_section_view(ctx, section, base_doc, after) for section in base_doc.sections()]
    _add_leftovers(ctx, sections, after)
    _subtree_totals(base_doc.root, {v.section_id: v for v in sections})
    by_kind: dict[str, int] = {}
    for ch in dd.changes:
        if ch.material:
            by_kind[ch.kind] = by_kind.get(ch.kind, 0) + 1
    outline = [
        Outline(s.anchor, s.title or "(beginning)", s.level, s.total if s.title else s.own)
        for s in sections
        if s.title or s.rows
    ]
    return DocView(
        name=dd.name,
        slug=doc or "",
        anchor=f"doc-{doc}" if doc is not None else "doc",
        status=dd.status,
        old=dd.old,
        new=dd.new,
        sections=sections,
        material=sum(by_kind.values()),
        by_kind=by_kind,
        outline=outline,
    )


# --------------------------------------------------------------------------- old-only clauses


def _old_to_new(dd: DocumentDiff, old: SideIndex) -> Sequence[int | None]:
    if len(dd.old_to_new) == len(old.clauses) or dd.old is None or dd.new is None:
        return dd.old_to_new
    # a diff built by hand carries no alignment: align once (never clause by clause)
    mapping: list[int | None] = [None] * len(old.clauses)
    for match in align(dd.old, dd.new).matches:
        for i in match.old:
            mapping[i] = match.new[0]
    return mapping


def _old_only_rows(ctx: _Context) -> dict[str | None, list[Row]]:
    """Rows of old-only clauses, keyed by where they go: after a new clause id, at the top of a new
    section (``"\\0" + section id``), or at the top of the document (None)."""
    after: dict[str | None, list[Row]] = defaultdict(list)
    old, new = ctx.old, ctx.new
    if old is None or new is None:
        return after
    mapping = _old_to_new(ctx.dd, old)
    match: dict[str, str] = {}  # old clause id -> the new clause id it became
    for i, c in enumerate(old.clauses):
        change = ctx.by_old.get(c.id)
        if change is None and i < len(mapping) and mapping[i] is not None:
            match[c.id] = new.clauses[mapping[i]].id  # type: ignore[index]  # not None: checked
        elif change is not None and change.kind in ("modified", "split", "merged") and change.new_ids:
            match[c.id] = change.new_ids[-1]
    new_by_path: dict[str, str] = {}
    for sid, path in new.paths.items():
        new_by_path.setdefault(path, sid)
    last_global: str | None = None
    last_in: dict[str, str] = {}  # old section id -> new id of its last matched clause so far
    for c in old.clauses:
        if c.id in match:
            last_global = last_in[c.section_id] = match[c.id]
            continue
        change = ctx.by_old.get(c.id)
        if change is None or change.kind not in _OLD_ONLY:
            continue
        # after the last match in its own old section; else at the top of the same section in the
        # new version; else after the last match anywhere before it
        target_section = new_by_path.get(old.paths.get(c.section_id, "\0"))
        place: str | None
        if c.section_id in last_in:
            place = last_in[c.section_id]
        elif target_section is not None:
            place = f"\0{target_section}"
        else:
            place = last_global
        after[place].append(_old_only_row(ctx, c, change, old, new))
    return after


def _old_only_row(ctx: _Context, c: Clause, change: ClauseChange, old: SideIndex, new: SideIndex) -> Row:
    common: dict[str, object] = {
        "material": change.material,
        "side": "old",
        "label": c.label,
        "depth": c.depth,
        "clause_kind": c.kind,
        "context": old.paths.get(c.section_id),
    }
    target = anchor(ctx.doc, "old", c.id)
    if change.kind == "removed":
        segs = plain(c, "delete") if not change.ops else change_segments(change, None)
        return ctx.row(target, "removed", segs, **common)
    moved_to = change.new_ids[0] if change.new_ids else None
    notes = []
    if moved_to:
        where = new.locations.get(moved_to, "")
        notes.append(NoteLink("moved to", f"#{anchor(ctx.doc, 'new', moved_to)}", where))
    return ctx.row(target, "moved_away", [Seg(c.text)], notes=notes, **common)


# --------------------------------------------------------------------------- the version shown


def _clause_rows(ctx: _Context, c: Clause) -> list[Row]:
    """The row of one clause of the version shown, then the old-only rows placed after it."""
    common: dict[str, object] = {"label": c.label, "depth": c.depth, "clause_kind": c.kind}
    if ctx.dd.new is None:  # the whole document was removed
        return [ctx.row(anchor(ctx.doc, "old", c.id), "removed", plain(c, "delete"), side="old", **common)]
    change = ctx.by_new.get(c.id)
    target = anchor(ctx.doc, "new", c.id)
    marks = ctx.cues.get(target, ())
    rows: list[Row] = []
    if ctx.dd.old is None and change is None:
        rows.append(ctx.row(target, "added", plain(c, "insert", marks), side="new", **common))
    elif change is None:
        rows.append(ctx.row(target, "same", plain(c, cues=marks), **common))
    elif id(change) not in ctx.done:  # a later part of a split is shown with its first part
        ctx.done.add(id(change))
        rows.append(_change_row(ctx, c, change, target, marks, common))
    return rows


def _change_row(
    ctx: _Context,
    c: Clause,
    change: ClauseChange,
    target: str,
    marks: Sequence[Cue],
    common: dict[str, object],
) -> Row:
    kind = change.kind
    notes: list[NoteLink] = []
    extra: list[str] = []
    side = "both"
    if kind == "added":
        segs = plain(c, "insert", marks) if not change.ops else change_segments(change, c, marks)
        side = "new"
    elif kind == "modified":
        segs = change_segments(change, c, marks)
    elif kind in ("moved", "moved_modified"):
        moved_plain = kind == "moved" or not change.ops
        segs = plain(c, cues=marks) if moved_plain else change_segments(change, c, marks)
        side = "new" if kind == "moved" else "both"
        old_where = ctx.old.locations if ctx.old is not None else {}
        for old_id in change.old_ids:
            href = f"#{anchor(ctx.doc, 'old', old_id)}"
            notes.append(NoteLink("moved from", href, old_where.get(old_id, "")))
    elif kind == "split":
        segs = change_segments(change, None)
        extra = [anchor(ctx.doc, "new", cid) for cid in change.new_ids if cid != c.id]
        extra += [anchor(ctx.doc, "old", cid) for cid in change.old_ids]
        notes.append(NoteLink(f"one clause split into {len(change.new_ids)}", "", ""))
    else:  # merged
        segs = change_segments(change, c, marks)
        extra = [anchor(ctx.doc, "old", cid) for cid in change.old_ids]
        notes.append(NoteLink(f"{len(change.old_ids)} clauses merged into one", "", ""))
    return ctx.row(
        target,
        kind,
        segs,
        material=change.material,
        side=side,
        notes=notes,
        extra_anchors=extra,
        degraded=change.degraded,
        **common,
    )


def _section_view(
    ctx: _Context, section: Section, base_doc: Document, after: dict[str | None, list[Row]]
) -> SectionView:
    heading_base = 3 if ctx.doc is not None else 2
    view = SectionView(
        section_id=section.id,
        anchor=prefixed(ctx.doc, f"sec-{section.id}"),
        title=section.title,
        label=section.label,
        level=section.level,
        heading=min(6, heading_base + max(section.level - 1, 0)),
        change=ctx.section_changes.get(section.id),
    )
    rows: list[Row] = []
    if section is base_doc.root:
        rows.extend(after.pop(None, []))
    rows.extend(after.pop(f"\0{section.id}", []))
    for c in section.clauses:
        rows.extend(_clause_rows(ctx, c))
        rows.extend(after.pop(c.id, []))
    here = ctx.new.paths.get(section.id) if ctx.new is not None else None
    for row in rows:
        if row.context is not None:
            row.context = None if row.context == here else _section_label(row.context)
    view.items = _with_folds(rows)
    view.own = sum(1 for r in rows if r.changed and r.material)
    return view


def _add_leftovers(ctx: _Context, sections: list[SectionView], after: dict[str | None, list[Row]]) -> None:
    """Anything not placed (a diff naming clauses the documents do not have) goes last."""
    leftovers = [row for rows in after.values() for row in rows]
    shown_new = set(ctx.new.positions) if ctx.new is not None else set()
    for ch in ctx.dd.changes:
        if (
            ctx.dd.new is not None
            and ch.new_ids
            and id(ch) not in ctx.done
            and not set(ch.new_ids) & shown_new
        ):
            target = anchor(ctx.doc, "new", ch.new_ids[0])
            segs = change_segments(ch, None)
            leftovers.append(ctx.row(target, ch.kind, segs, material=ch.material, context=ch.new_section))
    if leftovers and sections:
        sections[-1].items.extend(_with_folds(leftovers))
        sections[-1].own += sum(1 for r in leftovers if r.changed and r.material)


def _section_label(path: str | None) -> str:
    return path.replace(" > ", " › ") if path else "top of the document"


def _with_folds(rows: list[Row]) -> list[Row | Fold]:
    """Rows with a fold marker before each run of unchanged (or presentation-only) rows."""
    items: list[Row | Fold] = []
    run: list[Row] = []
    for row in [*rows, None]:
        if row is None or (row.changed and row.material):
            if run:
                items.append(Fold(len(run), run[0].anchor))
                items.extend(run)
                run = []
            if row is not None:
                items.append(row)
        else:
            run.append(row)
    return items


def _subtree_totals(section: Section, views: Mapping[str, SectionView]) -> int:
    """Set each section view's total (its own material changes and those below it); return it."""
    view = views.get(section.id)
    total = (view.own if view else 0) + sum(_subtree_totals(child, views) for child in section.sections)
    if view is not None:
        view.total = total
    return total
