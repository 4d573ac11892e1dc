"""The semantic lexicon: every word or phrase the semantic stage recognises, in one reviewed place.

Each ``Entry`` has a ``key`` (stable, used in evidence as ``slot:key``), a ``slot`` (what kind of cue it
is: actor, action, data, purpose, modal, negation, condition, time, region, or a rule-specific family
such as ``retention`` or ``notice``), regular-expression ``patterns`` (case-insensitive, matched on word
boundaries) and a ``parent`` key for subsumption: ``inmail`` is under ``messages`` is under ``content`` is
under ``personal_data``; ``microsoft`` is under ``affiliates`` is under ``third_parties``; ``another
provider`` is an unnamed third party. Rules never contain words; they ask the lexicon.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import attrs


def _strs(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class Entry:
    """One lexicon entry: a concept, the phrases that express it, and its parent concept."""

    key: str
    slot: str
    patterns: tuple[str, ...] = attrs.field(converter=_strs)
    parent: str | None = None
    label: str = ""


def _verb(*stems: str) -> tuple[str, ...]:
    """Inflections of regular verbs given as ``base|3sg|past|ing`` alternatives."""
    return tuple(stems)


ENTRIES: tuple[Entry, ...] = (
    # ------------------------------------------------------------------ actors (also recipients)
    Entry("user", "actor", (r"you",), None, "you"),
    Entry("first_party", "actor", (r"we", r"us", r"our company", r"the company"), None, "we"),
    Entry(
        "first_party_named",
        "actor",
        (r"linkedin(?: corporation| ireland(?: unlimited company)?)?", r"zoom", r"x corp\.?", r"twitter"),
        "first_party",
        "the company",
    ),
    Entry(
        "third_parties",
        "actor",
        (
            r"(?:any |other |certain |selected )?third[- ]part(?:y|ies)"
            # "third-party credentials / services / cookies" is an adjective, not a party
            r"(?! (?:credentials|services?|sites?|websites?|apps?|applications?|cookies|content|products?"
            r"|platforms?|tools?|links?|accounts?|integrations?|software|features?|plugins?|materials?))",
            r"others",
            r"other (?:companies|organi[sz]ations|entities)",
        ),
        None,
        "third parties",
    ),
    Entry(
        "another_provider",
        "actor",
        (
            r"another (?:provider|company|party|vendor)",
            r"other providers?",
            r"an? (?:external|outside) provider",
        ),
        "third_parties",
        "another provider",
    ),
    Entry(
        "affiliates",
        "actor",
        (
            r"(?:our |its |their )?affiliates?",
            r"(?:our )?(?:corporate )?group (?:companies|entities)",
            r"subsidiar(?:y|ies)",
            r"family of companies",
            r"(?:our )?parent (?:company|companies|corporation)",
        ),
        "third_parties",
        "affiliates",
    ),
    Entry("microsoft", "actor", (r"microsoft", r"github", r"bing"), "affiliates", "Microsoft"),
    Entry(
        "service_providers",
        "actor",
        (
            r"(?:our |third[- ]party )?service providers?",
            r"(?:data )?processors?",
            r"vendors?",
            r"contractors?",
            r"payment (?:services? )?(?:processors?|providers?)",
            r"suppliers?",
        ),
        "third_parties",
        "service providers",
    ),
    Entry(
        "partners",
        "actor",
        (
            r"(?:business |trusted |third[- ]party |marketing |advertising )?partners?",
            r"(?:third[- ]party )?collaborators?",
        ),
        "third_parties",
        "partners",
    ),
    Entry(
        "advertisers",
        "actor",
        (r"(?:third[- ]party )?advertisers?", r"(?:third[- ]party )?ad networks?", r"advertising networks?"),
        "third_parties",
        "advertisers",
    ),
    Entry("data_brokers", "actor", (r"data brokers?",), "third_parties", "data brokers"),
    Entry(
        "ai_providers",
        "actor",
        (
            r"(?:third[- ]party )?ai (?:providers?|companies|vendors)",
            r"(?:third[- ]party )?artificial intelligence (?:providers?|companies|vendors)",
        ),
        "third_parties",
        "AI providers",
    ),
    Entry("recipients", "actor", (r"(?:the )?recipients?",), "third_parties", "recipients"),
    Entry("public", "actor", (r"the public", r"search engines?"), "third_parties", "the public"),
    Entry(
        "government",
        "actor",
        (
            r"law enforcement",
            r"government(?:al)? (?:agencies|authorities|enforcement agencies)",
            r"public authorities",
            r"regulators?",
        ),
        "third_parties",
        "government",
    ),
    Entry(
        "acquirer",
        "actor",
        (
            r"(?:a |the )?buyers?",
            r"(?:an |the )?acquirers?",
            r"(?:a |the )?purchasers?",
            r"(?:a |the )?successors?",
        ),
        "third_parties",
        "an acquirer",
    ),
    # ------------------------------------------------------------------ actions
    Entry(
        "collect",
        "action",
        _verb(
            r"collect(?:s|ed|ing)?",
            r"gathers?|gathered|gathering",
            r"obtain(?:s|ed|ing)?",
            r"receives?|received|receiving",
            r"records?|recorded|recording",
            r"captures?|captured|capturing",
            r"scan(?:s|ned|ning)?",
            r"track(?:s|ed|ing)?",
        ),
        None,
        "collect",
    ),
    Entry(
        "use",
        "action",
        _verb(
            r"use|uses|used|using",
            r"process(?:es|ed|ing)?",
            r"analy[sz](?:e|es|ed|ing)",
            r"access(?:es|ed|ing)?",
            r"combin(?:e|es|ed|ing)",
            r"leverag(?:e|es|ed|ing)",
            r"exploit(?:s|ed|ing)?",
        ),
        None,
        "use",
    ),
    Entry(
        "share",
        "action",
        _verb(
            r"share|shares|shared|sharing",
            r"disclos(?:e|es|ed|ing)",
            r"transfer(?:s|red|ring)?",
            r"provid(?:e|es|ed|ing) (?:it|them|your \w+(?: \w+)?|(?:personal )?(?:data|information)) to",
            r"make (?:it |them )?available to",
            r"made available to",
            r"refer (?:a|your) \w+ to",
            r"sublicens(?:e|es|ed|ing)",
            r"distribut(?:e|es|ed|ing)",
            r"publish(?:es|ed|ing)?",
        ),
        None,
        "share",
    ),
    Entry(
        "sell",
        "action",
        _verb(
            r"sell|sells|sold|selling",
            r"rent(?:s|ed|ing)?(?= (?:or|your|any|personal|data|information))",
            r"trade(?:s|d)? (?=your|personal|data|information)",
            r"monetiz(?:e|es|ed|ing)",
        ),
        None,
        "sell",
    ),
    Entry(
        "train",
        "action",
        _verb(
            r"train|trains|trained|training",
            r"buil(?:d|ds|t|ding)",
            r"fine[- ]tun(?:e|es|ed|ing)",
            r"teach(?:es)?|taught",
        ),
        None,
        "train",
    ),
    Entry(
        "retain",
        "action",
        _verb(
            r"retain(?:s|ed|ing)?",
            r"keep|keeps|kept|keeping",
            r"stor(?:e|es|ed|ing)",
            r"preserv(?:e|es|ed|ing)",
        ),
        None,
        "retain",
    ),
    Entry(
        "delete",
        "action",
        _verb(
            r"delet(?:e|es|ed|ing)",
            r"eras(?:e|es|ed|ing)",
            r"anonymi[sz](?:e|es|ed|ing)",
            r"de-?identif(?:y|ies|ied|ying)",
        ),
        None,
        "delete",
    ),
    Entry(
        "notify",
        "action",
        _verb(
            r"notif(?:y|ies|ied|ying)",
            r"inform(?:s|ed|ing)?",
            r"(?:e-?)?mail you",
            r"provide (?:you )?(?:with )?(?:prior |advance )?notice",
            r"give (?:you )?notice",
        ),
        None,
        "notify",
    ),
    Entry(
        "generate",
        "action",
        _verb(
            r"generat(?:e|es|ed|ing)(?= (?:content|text|images?|responses?|suggestions|outputs?))",
        ),
        None,
        "generate",
    ),
    # ------------------------------------------------------------------ data (subsumption tree)
    Entry(
        "personal_data",
        "data",
        (
            r"(?:your |their |members'? |users'? )?personal (?:data|information)",
            r"(?:your |the )?information",
            r"(?:your |the )?data",
            r"personally identifiable information",
            r"\bpii\b",
        ),
        None,
        "personal data",
    ),
    Entry(
        "content",
        "data",
        (
            r"(?:your |customer |user |member |public(?:ly)?[- ]shared |public )?content",
            r"posts?",
            r"articles?",
            r"comments?",
            r"(?:photos?|videos?|images?) you (?:post|upload)",
            r"uploads?",
            r"user[- ]generated",
            r"customer content",
            r"screen sharing",
            r"attachments?",
            r"whiteboards?",
            r"poll results",
        ),
        "personal_data",
        "content",
    ),
    Entry(
        "messages",
        "data",
        (
            r"messages?",
            r"messaging",
            r"communications?(?:[- ]like)?",
            r"chats?",
            r"e-?mails? (?:content|you send)",
            r"conversations?",
            r"audio",
            r"video",
            r"calls?",
            r"voice",
        ),
        "content",
        "messages",
    ),
    Entry("inmail", "data", (r"inmails?",), "messages", "InMail"),
    Entry(
        "confidential_info",
        "data",
        (r"confidential information",),
        "personal_data",
        "confidential information",
    ),
    Entry(
        "prompts",
        "data",
        (r"prompts?", r"inputs? (?:and|or) outputs?", r"outputs?", r"generated content"),
        "content",
        "prompts and outputs",
    ),
    Entry(
        "profile",
        "data",
        (
            r"profiles?(?: (?:data|information))?",
            r"resumes?",
            r"cv",
            r"employment history",
            r"job applications?",
            r"work experience",
        ),
        "personal_data",
        "profile",
    ),
    Entry(
        "contacts",
        "data",
        (r"contacts", r"address books?", r"contact lists?", r"calendars?"),
        "personal_data",
        "contacts",
    ),
    Entry(
        "contact_info",
        "data",
        (r"(?:e-?mail )?address(?:es)?", r"phone numbers?", r"names?", r"contact (?:information|details)"),
        "personal_data",
        "contact details",
    ),
    Entry(
        "location",
        "data",
        (r"(?:general )?location(?: data| information)?", r"ip address(?:es)?", r"city", r"region"),
        "personal_data",
        "location",
    ),
    Entry(
        "precise_location",
        "data",
        (r"precise (?:geo)?location", r"gps(?: data)?", r"geolocation"),
        "location",
        "precise location",
    ),
    Entry(
        "biometrics",
        "data",
        (
            r"biometrics?(?: (?:data|information|identifiers))?",
            r"face ?prints?",
            r"facial (?:recognition|geometry|data)",
            r"fingerprints?",
            r"voiceprints?",
        ),
        "personal_data",
        "biometrics",
    ),
    Entry(
        "health",
        "data",
        (r"health (?:data|information)", r"medical (?:data|information)"),
        "personal_data",
        "health data",
    ),
    Entry(
        "financial",
        "data",
        (
            r"payment (?:data|information|details)",
            r"credit card",
            r"financial (?:data|information)",
            r"salary",
        ),
        "personal_data",
        "financial data",
    ),
    Entry(
        "usage",
        "data",
        (
            r"usage (?:data|information)",
            r"telemetry",
            r"diagnostic (?:data|information)",
            r"(?:product )?usage",
            r"service generated data",
            r"activity",
            r"engagement",
            r"cookies?",
            r"device (?:data|information|identifiers)",
            r"log (?:data|files)",
        ),
        "personal_data",
        "usage data",
    ),
    Entry("inferences", "data", (r"inferences?", r"age and gender"), "personal_data", "inferences"),
    Entry(
        "sensitive",
        "data",
        (r"sensitive (?:personal )?(?:data|information)", r"special categor(?:y|ies)"),
        "personal_data",
        "sensitive data",
    ),
    Entry(
        "public_info",
        "data",
        (r"publicly available (?:data|information)",),
        "personal_data",
        "publicly available information",
    ),
    # ------------------------------------------------------------------ purposes
    Entry(
        "ai_training",
        "purpose",
        (
            r"(?:develop(?:ing)? and |help )?train(?:ing)? (?:[\w()-]+ ){0,6}?models?",
            r"(?:develop|build|improve|train)(?:ing)? (?:and train )?(?:our |their |the )?"
            r"(?:artificial intelligence|\bai\b)(?: \(ai\))? models?",
            r"machine learning",
            r"model training",
            r"train(?:ing)? (?:our |their |the )?(?:ai|algorithms)",
            r"(?:artificial intelligence|ai) training",
            r"(?:develop|build|improve|train)(?:ing)?(?: and (?:develop|build|improve|train))? "
            r"(?:our |their |its |the )?(?:ai|machine learning|language|foundation|generative) models?",
            r"improv(?:e|es|ing) (?:our |their |its |the )?models?",
            r"(?:develop|build|improve|train)(?:ing)?(?: and (?:develop|build|improve|train))? "
            r"(?:our |their |its |the )?(?:ai|artificial intelligence|generative ai)"
            r"(?= at| systems| features|[.,;]|$)",
        ),
        None,
        "AI training",
    ),
    Entry(
        "ai_features",
        "purpose",
        (
            r"generative (?:ai|artificial intelligence)",
            r"artificial intelligence",
            r"\bai\b",
            r"large language models?",
            r"\bllms?\b",
            r"automate content generation",
            r"content generation",
            r"generate content",
        ),
        None,
        "AI features",
    ),
    Entry(
        "advertising",
        "purpose",
        (
            r"(?:targeted |personali[sz]ed |interest[- ]based |behaviou?ral |cross[- ]context )?advertising",
            r"(?:targeted |personali[sz]ed )?ads",
            r"marketing",
            r"promotional",
        ),
        None,
        "advertising",
    ),
    Entry(
        "cross_context_ads",
        "purpose",
        (r"cross[- ]context (?:behaviou?ral )?advertising", r"targeted advertising"),
        "advertising",
        "cross-context advertising",
    ),
    Entry("analytics", "purpose", (r"analytics", r"measurement", r"(?:gain )?insights"), None, "analytics"),
    Entry("research", "purpose", (r"research",), None, "research"),
    Entry(
        "product_development",
        "purpose",
        (
            r"(?:product|service) (?:and service )?development",
            r"develop (?:new )?(?:products|features|services)",
            r"improve (?:and develop )?(?:our )?(?:products|services)",
            r"improvement of the services",
        ),
        None,
        "product development",
    ),
    Entry(
        "own_purposes",
        "purpose",
        (
            r"(?:their|its) own (?:independent )?purposes",
            r"independent purposes",
            r"any purpose",
            r"(?:their|its) own services",
            r"develop their services",
            r"provide or develop their services",
        ),
        None,
        "the recipient's own purposes",
    ),
    Entry(
        "provide_service",
        "purpose",
        (
            r"provide (?:and personali[sz]e )?(?:our |the )?services?",
            r"operate (?:our |the )?services?",
            r"perform (?:our )?obligations",
        ),
        None,
        "providing the service",
    ),
    Entry(
        "security", "purpose", (r"security", r"fraud (?:prevention|detection)", r"safety"), None, "security"
    ),
    # ------------------------------------------------------------------ modality and negation
    Entry(
        "permit",
        "modal",
        (
            r"may",
            r"might",
            r"can",
            r"could",
            r"reserves? the right to",
            r"(?:is|are) (?:permitted|allowed) to",
        ),
        None,
        "may",
    ),
    Entry("assert", "modal", (r"will", r"shall", r"must", r"would", r"(?:is|are) going to"), None, "will"),
    Entry("restrict", "modal", (r"only", r"solely", r"exclusively"), None, "only"),
    Entry(
        "not",
        "negation",
        (r"not", r"never", r"no longer", r"\w+n't", r"\w+n’t", r"cannot", r"neither", r"nor"),
        None,
        "not",
    ),
    Entry(
        "open_list",
        "broad",
        (
            r"including,? (?:but )?(?:not limited to|without limitation)",
            r"for any (?:lawful |other )?purposes?",
            r"(?:and|or|for) other purposes",
            r"among other things",
            r"for purposes such as",
            r"or otherwise",
        ),
        None,
        "an open list of purposes",
    ),
    # ------------------------------------------------------------------ conditions
    Entry(
        "consent",
        "condition",
        (
            r"(?:with|without|based on|upon|subject to) (?:your |their )?(?:prior |explicit "
            r"|express )?consent",
            r"if you (?:consent|agree|opt[- ]?in|choose to|enable|turn on|allow)",
            r"opt[- ]in",
            r"you (?:have )?(?:given|provided) (?:your )?consent",
        ),
        None,
        "with your consent",
    ),
    Entry(
        "opt_out",
        "condition",
        (
            r"unless you opt[- ]?out",
            r"if you do not opt[- ]?out",
            r"opt(?:ing|s|ed)?[- ]?out",
            r"(?:you can|you may) (?:turn|switch) (?:it|this|that) off",
            r"turn(?:ing)? (?:it|this|that) off",
            r"withdraw (?:your )?consent",
            r"object to",
        ),
        None,
        "opt-out",
    ),
    Entry(
        "default_on",
        "condition",
        (
            r"(?:on|enabled|turned on|opted[- ]in|activated|switched on) by default",
            r"by default",
            r"default (?:setting|is on)",
            r"automatically (?:enrolled|opted[- ]in|enabled|turned on)",
        ),
        None,
        "on by default",
    ),
    Entry(
        "continued_use",
        "condition",
        (
            r"(?:your )?continued use",
            r"by (?:continuing to use|using) (?:the|our) services",
            r"by creating (?:an|a \w+) account",
        ),
        None,
        "consent by continued use",
    ),
    Entry(
        "exception",
        "condition",
        (
            r"except(?: as| where| when| that| for)?",
            r"other than",
            r"unless",
            r"notwithstanding",
            r"however",
            r"with the exception of",
            r"save (?:as|where)",
        ),
        None,
        "exception",
    ),
    Entry(
        "legal_basis",
        "condition",
        (
            r"where (?:permitted|allowed|required) by (?:applicable )?law",
            r"where allowed",
            r"as required by law",
            r"to the extent permitted",
        ),
        None,
        "where the law allows",
    ),
    # ------------------------------------------------------------------ temporal scope and hedges
    Entry(
        "going_forward",
        "time",
        (
            r"going forward",
            r"from now on",
            r"prospectively",
            r"in the future",
            r"after (?:you opt out|the change)",
            r"future (?:use|training)",
        ),
        None,
        "going forward",
    ),
    Entry(
        "already",
        "time",
        (
            r"already (?:taken place|occurred|happened|been)",
            r"previously (?:collected|used|trained)",
            r"past training",
            r"retroactive(?:ly)?",
            r"before you opt(?:ed)? out",
        ),
        None,
        "already",
    ),
    Entry(
        "currently",
        "hedge",
        (
            r"currently",
            r"at (?:this|the present) time",
            r"for now",
            r"at present",
            r"presently",
            r"at this point",
        ),
        None,
        "currently",
    ),
    Entry(
        "generally",
        "hedge",
        (
            r"generally",
            r"typically",
            r"usually",
            r"in most cases",
            r"in some (?:cases|instances)",
            r"where (?:possible|feasible|practicable)",
            r"as appropriate",
            r"at our (?:sole )?discretion",
            r"from time to time",
            r"may not always",
            r"reasonabl[ey]",
            r"commercially reasonable",
        ),
        None,
        "generally",
    ),
    # ------------------------------------------------------------------ regions
    Entry(
        "eu",
        "region",
        (
            r"(?:the )?european union",
            r"\beu\b",
            r"european economic area",
            r"\beea\b",
            r"designated countries",
            r"europe(?:an region)?",
        ),
        None,
        "EU/EEA",
    ),
    Entry("switzerland", "region", (r"switzerland", r"swiss"), None, "Switzerland"),
    Entry("uk", "region", (r"united kingdom", r"\buk\b", r"great britain"), None, "UK"),
    Entry(
        "us_state",
        "region",
        (
            r"california",
            r"virginia",
            r"colorado",
            r"connecticut",
            r"utah",
            r"texas",
            r"united states",
            r"(?-i:U\.S\.|US|USA)",
        ),
        None,
        "US",
    ),
    Entry(
        "other_region",
        "region",
        (
            r"canada",
            r"brazil",
            r"china",
            r"india",
            r"japan",
            r"korea",
            r"australia",
            r"regions outside",
            r"outside (?:of )?(?:the )?(?:designated countries|eu|eea|uk)",
            r"certain (?:regions|countries|jurisdictions)",
            r"other regions",
            r"(?:some|certain) (?:countries|regions|jurisdictions)",
        ),
        None,
        "other regions",
    ),
    Entry(
        "region_outside",
        "scope",
        (
            r"(?:in )?regions outside",
            r"outside (?:of )?(?:the )?(?:designated countries|eu|eea|european)",
            r"except (?:in|for members in) (?:the )?(?:eu|eea|designated countries)",
        ),
        None,
        "outside a region",
    ),
    Entry(
        "located_in",
        "scope",
        (
            r"members (?:who are )?(?:located |living |resident )?in",
            r"users (?:who are )?(?:located |living |resident )?in",
            r"residents (?:who are )?(?:located |living )?in",
            r"people (?:who are )?(?:located |living )?in",
            r"individuals (?:who are )?(?:located |living |resident )?in",
            r"data subjects (?:who are )?(?:located )?in",
            r"if you(?: are|'re) (?:located |based )?in",
            r"residents of",
            r"in (?:the )?(?:eu|eea|uk)",
        ),
        None,
        "located in",
    ),
    # ------------------------------------------------------------------ rule families
    Entry(
        "default_off_choice",
        "optout",
        (r"turn (?:it|this|that) off", r"switch (?:it|this|that) off", r"opt[- ]?out", r"disable"),
        None,
        "opt out",
    ),
    Entry(
        "not_retroactive",
        "optout",
        (
            r"does(?:n['’]t| not) affect (?:\w+ ){0,4}"
            r"(?:already (?:taken place|occurred|happened)|already|previously|past|prior)",
            r"(?:has|have) already taken place",
            r"will not (?:apply|affect) (?:to )?(?:\w+ ){0,3}(?:previously|already|past)",
            r"not retroactive",
            r"only (?:apply|applies) (?:going forward|to future)",
            r"(?:apply|applies) only (?:going forward|to (?:future|new))",
            r"only (?:to|for) future (?:processing|use|uses|training|collection)",
            r"going forward",
            r"may take up to \d+ (?:days|weeks)",
            r"(?:some|certain) (?:data|information) may (?:still|continue)",
            r"does not (?:delete|remove) (?:\w+ ){0,3}(?:already|previously)",
        ),
        None,
        "not retroactive",
    ),
    Entry(
        "sale",
        "sale",
        (
            r"sell|sells|sold|selling|sale of",
            r"rent (?:or|your)",
            r"cross[- ]context (?:behaviou?ral )?advertising",
            r"in exchange for (?:money|monetary|valuable) consideration",
            r"merger|acquisition|bankruptcy|sale of (?:all|some|substantially)",
        ),
        None,
        "sale",
    ),
    Entry(
        "source",
        "source",
        (
            r"from (?:third[- ]part(?:y|ies)|other sources|our partners|partners|data brokers"
            r"|publicly available sources)",
            r"publicly available (?:data|information|sources)",
            r"(?:pixels?|tags|sdks?|plugins?|cookies) (?:on|across) (?:other"
            r"|third[- ]party) (?:sites|websites|apps)",
            r"(?:sites|websites|apps) that (?:use|include|integrate) our",
            r"off (?:our|the) services?",
            r"other sites",
            r"(?:other|third[- ]party) (?:websites|sites|apps|services) (?:you visit|that)",
            r"other sources",
            r"(?:data|information) (?:we )?(?:receive|obtain) from others",
        ),
        None,
        "other sources",
    ),
    Entry(
        "retention",
        "retention",
        (
            r"longer period",
            r"after (?:you close|account closure|deletion)",
            r"retain (?:copies|a copy|backups)",
            r"for the duration of",
            r"(?:retain|keep|store)(?:s|ed)? (?:it|them|your \w+|information|data) (?:for|until)",
            r"remain (?:visible|available)",
        ),
        None,
        "retention",
    ),
    Entry(
        "retention_open",
        "retention",
        (
            r"as long as (?:necessary|needed|required|reasonably necessary|we need)",
            r"indefinitely",
            r"perpetual",
            r"irrevocable",
            r"even after (?:you )?(?:delete|close|deletion|account closure|they are deleted)",
            r"for a longer period",
            r"remain in (?:our )?(?:models|backups)",
        ),
        None,
        "open-ended retention",
    ),
    Entry(
        "safeguard",
        "security",
        (
            r"encrypt(?:ed|ion|s)?",
            r"end-to-end",
            r"tls",
            r"ssl",
            r"two[- ]factor",
            r"multi[- ]factor",
            r"iso(?:/iec)? 27001",
            r"soc 2",
            r"pseudonymi[sz](?:ed|ation)",
            r"access controls?",
            r"firewalls?",
        ),
        None,
        "a concrete safeguard",
    ),
    Entry(
        "security_disclaimer",
        "security",
        (
            r"cannot (?:guarantee|ensure|promise)",
            r"no (?:method|system|security measure)[^.]{0,40}(?:100%|completely|perfectly) secure",
            r"reasonable (?:security )?(?:measures|steps|safeguards)",
            r"appropriate (?:security )?measures",
            r"at your own risk",
            r"not (?:be )?responsible for (?:any )?(?:breach|unauthori[sz]ed)",
        ),
        None,
        "a security disclaimer",
    ),
    Entry(
        "right",
        "rights",
        (
            r"(?:right|ability) to (?:access|correct|delete|erase|export|port|object|withdraw"
            r"|rectify|restrict|opt out|request)",
            r"(?:access|correct|delete|export|download|rectify) (?:your"
            r"|the) (?:personal )?(?:data|information|account)",
            r"delete your (?:account|data|information)",
            r"close your account",
            r"data portability",
            r"contact (?:our|the) data protection officer",
            r"dpo@\S+",
            r"[\w.+-]+@[\w-]+\.\w+",
            r"you (?:can|may) (?:request|ask)",
        ),
        None,
        "a user right",
    ),
    Entry(
        "rights_limit",
        "rights",
        (
            r"deactivat(?:e|ion)",
            r"(?:some|certain) (?:data|information) (?:may|will) (?:be )?(?:kept|retained|remain)",
            r"we may (?:decline|refuse|deny)",
            r"subject to (?:certain )?(?:limitations|exceptions)",
            r"where required by (?:applicable )?law",
            r"not (?:able|possible) to (?:delete|access|export)",
            r"(?:may|will) charge a fee",
        ),
        None,
        "a limit on a right",
    ),
    Entry(
        "children",
        "children",
        (
            r"child(?:ren)?'?s?",
            r"minors?",
            r"teens?|teenagers?",
            r"under (?:the age of )?\d{1,2}",
            r"(?:aged?|age of) \d{1,2}",
            r"\d{1,2} years? (?:old|of age)",
            r"parental consent",
            r"coppa",
            r"younger than \d{1,2}",
            r"age (?:threshold|requirement|limit)",
            r"minimum age",
        ),
        None,
        "children",
    ),
    Entry(
        "notice_good",
        "notice",
        (
            r"(?:we will|we'll) (?:notify|inform|email|tell) you",
            r"(?:prior|advance) notice",
            r"\d+ days(?:'|’)? (?:prior )?(?:notice|before)",
            r"before (?:they|the changes?) (?:take|become) effect(?:ive)?",
            r"opportunity to review",
        ),
        None,
        "advance notice of changes",
    ),
    Entry(
        "notice_bad",
        "notice",
        (
            r"may not always provide (?:prior |advance )?notice",
            r"without (?:prior |advance )?notice",
            r"effective (?:immediately )?(?:upon|when) (?:posted|posting|published)",
            r"(?:take|takes) effect (?:immediately|when posted)",
            r"continued use [^.]{0,80}(?:constitutes|means|acceptance|accept)",
            r"(?:at any time|from time to time)[^.]{0,30}without",
            r"immediate effect",
            r"sole discretion",
            r"check (?:this page|back) (?:periodically|regularly)",
        ),
        None,
        "weaker notice of changes",
    ),
    Entry(
        "dispute",
        "dispute",
        (
            r"arbitrat(?:ion|or|e)",
            r"class[- ]action",
            r"class (?:or representative|wide)",
            r"jury trial",
            r"governing law",
            r"governed by the laws? of",
            r"(?:exclusive )?jurisdiction of",
            r"(?:exclusive )?venue of",
            r"courts? (?:of|in|located)",
            r"small claims",
            r"dispute resolution",
            r"alternative dispute resolution",
            r"(?:mediation|ombudsman|out-of-court)",
            r"waive (?:your|any) right",
        ),
        None,
        "disputes",
    ),
    Entry(
        "signal",
        "signal",
        (
            r"do not track",
            r"\bdnt\b",
            r"global privacy control",
            r"\bgpc\b",
            r"opt[- ]out preference signals?",
            r"browser signals?",
            r"universal opt[- ]out",
        ),
        None,
        "browser privacy signals",
    ),
)


def _index(entries: tuple[Entry, ...]) -> Mapping[str, Entry]:
    index: dict[str, Entry] = {}
    for entry in entries:
        if entry.key in index:
            raise ValueError(f"duplicate lexicon key {entry.key!r}")
        index[entry.key] = entry
    for entry in entries:
        if entry.parent is not None and entry.parent not in index:
            raise ValueError(f"lexicon entry {entry.key!r} has unknown parent {entry.parent!r}")
    return index


BY_KEY: Mapping[str, Entry] = _index(ENTRIES)

FIRST_PARTY = frozenset({"first_party", "first_party_named"})


def ancestors(key: str) -> Iterator[str]:
    """``key`` and every concept above it, nearest first (subsumption)."""
    seen: set[str] = set()
    current: str | None = key
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        entry = BY_KEY.get(current)
        current = entry.parent if entry else None


def subsumes(general: str, specific: str) -> bool:
    """True when ``specific`` is ``general`` or falls under it: ``subsumes("content", "inmail")``."""
    return general in set(ancestors(specific))


def related(a: str, b: str) -> bool:
    """True when one concept subsumes the other (they can describe the same data or party)."""
    return subsumes(a, b) or subsumes(b, a)


def label(key: str) -> str:
    """A reader-facing name for a lexicon key."""
    entry = BY_KEY.get(key)
    return entry.label or key if entry else key


def is_third_party(key: str) -> bool:
    """True for any party that is not the first party."""
    return key not in FIRST_PARTY and subsumes("third_parties", key)
