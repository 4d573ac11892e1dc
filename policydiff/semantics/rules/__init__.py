"""The rule table, in markdown-it-py's shape: one module per family, one explicit ordered list.

Each row is ``(id, function, category, severity, direction, description)``. Clause rules run in
table order over every sentence pair of a document (``policydiff.semantics.engine``); the bundle rule
runs once over all the documents of a comparison. Ids are stable across releases; a rule is turned off
by id (``compare(..., disable_rules=[...])``, ``policydiff compare --disable-rule ID``), and
``policydiff rules`` lists the table. Categories are the contract in the taxonomy.
"""

from __future__ import annotations

from collections.abc import Iterable

from policydiff.errors import InputError
from policydiff.model import Direction, Severity
from policydiff.semantics.context import BundleRule, ClauseFn, ClauseRule, Rule
from policydiff.semantics.rules import (
    bundle,
    choice,
    data,
    minors,
    promises,
    purposes,
    recipients,
    retention,
    sources,
    terms,
)

__all__ = ["BUNDLE_RULE", "CLAUSE_RULES", "RuleSet", "all_rules", "rule_set"]

# fmt: off
_CLAUSE_TABLE: tuple[tuple[str, ClauseFn, str, Severity, Direction, str], ...] = (
    ('purpose.ai_training.added', purposes.ai_training_added, 'purpose.added', 'high', 'weakens',
     'Data may now be used to develop or train AI / machine-learning models.'),
    ('purpose.advertising.added', purposes.advertising_added, 'purpose.added', 'high', 'weakens',
     'Data may now be used for advertising or marketing.'),
    ('purpose.other.added', purposes.other_purpose_added, 'purpose.added', 'medium', 'weakens',
     'A new use of data appears: analytics, research, product development, AI features, own purposes.'),
    ('purpose.broadened', purposes.purpose_broadened, 'purpose.broadened', 'medium', 'weakens',
     "A closed list of purposes ('only', 'solely') becomes open ('including but not limited to')."),
    ('sale.added', purposes.sale_added, 'sale.added', 'high', 'weakens',
     'Selling, renting, or sharing for cross-context advertising appears.'),
    ('recipient.added', recipients.recipient_added, 'recipient.added', 'high', 'weakens',
     "A new recipient or class of recipients (including the 'by X' agents of training) appears."),
    ('recipient.generalized', recipients.recipient_generalized, 'recipient.generalized', 'medium', 'weakens',
     'A named or narrow recipient becomes a wider class of recipients.'),
    ('source.added', sources.source_added, 'source.added', 'medium', 'weakens',
     'Data now comes from other sources, or tracking reaches off the service.'),
    ('source.from_party', sources.source_from_party, 'source.added', 'medium', 'weakens',
     "Data now comes from a third party or outside origin ('received from advertisers')."),
    ('source.widened', sources.source_widened, 'source.added', 'medium', 'weakens',
     "A list of the sources of data names a wider party ('measurement vendors' -> 'vendors')."),
    ('data.broadened', data.data_broadened, 'data.broadened', 'medium', 'weakens',
     'A new category of data is collected or used (high for content, messages, biometrics, location).'),
    ('retention.extended', retention.retention_extended, 'retention.extended', 'medium', 'weakens',
     'A retention period grows or becomes open-ended, or data outlives deletion.'),
    ('promise.weakened', promises.promise_weakened, 'promise.weakened', 'high', 'weakens',
     "A promise moves up the modal scale ('will not' -> 'may') or gains an exception."),
    ('promise.removed', promises.promise_removed, 'promise.removed', 'high', 'weakens',
     "A negative commitment ('we will not ...', 'we never ...') disappears."),
    ('promise.added', promises.promise_added, 'promise.added', 'medium', 'strengthens',
     'A new negative commitment or restriction appears (e.g. no AI training without consent).'),
    ('hedge.added', promises.hedge_added, 'hedge.added', 'low', 'weakens',
     "A qualifier ('currently', 'generally', 'where feasible') makes a commitment contingent or temporary."),
    ('default.on', choice.default_changed, 'default.changed', 'high', 'weakens',
     'Consent moves to opt-out: a setting is on by default, or data is used unless the user opts out.'),
    ('optout.not_retroactive', choice.optout_limited, 'optout.limited', 'high', 'weakens',
     'An opt-out is narrowed: not retroactive, partial, slower or harder to use.'),
    ('rights.narrowed', choice.rights_narrowed, 'rights.narrowed', 'medium', 'weakens',
     'Access, correction, deletion, export or contact rights shrink or gain limits.'),
    ('security.weakened', terms.security_weakened, 'security.weakened', 'medium', 'weakens',
     'A concrete safeguard (encryption, 2FA, certification) is replaced by a disclaimer or dropped.'),
    ('region.carve_out', terms.region_scope, 'region.scope_changed', 'high', 'weakens',
     'A protection now covers fewer places, or a regional carve-out appears.'),
    ('children.changed', minors.children_changed, 'children.changed', 'medium', 'neutral',
     "An age threshold or the handling of children's data changes."),
    ('notice.weakened', terms.notice_weakened, 'notice.weakened', 'medium', 'weakens',
     'How users learn of changes gets worse (no prior notice, effective when posted, consent by use).'),
    ('dispute.changed', terms.dispute_changed, 'dispute.changed', 'medium', 'neutral',
     'Arbitration, class-action waiver, venue or governing law changes.'),
    ('signal.changed', terms.signal_changed, 'signal.changed', 'low', 'neutral',
     'Do Not Track / Global Privacy Control handling changes.'),
)
# fmt: on

CLAUSE_RULES: tuple[ClauseRule, ...] = tuple(
    ClauseRule(rid, category, severity, direction, description, fn=fn)
    for rid, fn, category, severity, direction, description in _CLAUSE_TABLE
)
BUNDLE_RULE = BundleRule(
    "bundle.contradiction",
    "bundle.contradiction",
    "high",
    "weakens",
    "A permission added in one document conflicts with a promise still present in another.",
    fn=bundle.contradictions,
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the order they run, the bundle rule last."""
    return (*CLAUSE_RULES, BUNDLE_RULE)


class RuleSet:
    """The rules that run for one comparison: the table minus the disabled ids."""

    def __init__(self, clause: tuple[ClauseRule, ...], bundle_rule: BundleRule | None) -> None:
        self.clause = clause
        self.bundle = bundle_rule


def rule_set(disabled: Iterable[str] = ()) -> RuleSet:
    """The table without the rules whose id is in ``disabled`` (an unknown id is an ``InputError``)."""
    off = set(disabled)
    known = {r.id for r in all_rules()}
    unknown = sorted(off - known)
    if unknown:
        raise InputError(
            f"unknown rule id(s) {', '.join(unknown)}; 'policydiff rules' lists the {len(known)} rules"
        )
    return RuleSet(
        tuple(r for r in CLAUSE_RULES if r.id not in off),
        None if BUNDLE_RULE.id in off else BUNDLE_RULE,
    )
