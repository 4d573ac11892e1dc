"""What to watch: ``targets.toml`` loading, validation and writing.

A targets file lists services, each with the documents to fetch. Only ``url`` is required::

    # optional: applied to every document unless the service or document sets its own
    [defaults]
    headers = { "Accept-Language" = "en" }
    locale = "en"

    [services.linkedin]
    name = "LinkedIn"                         # display name (optional; defaults to the key)
    headers = { "Accept-Language" = "en-GB" } # optional, for every document of the service
    locale = "en"                             # optional, for every document of the service

    [services.linkedin.documents.privacy-policy]
    name = "Privacy Policy"                   # display name (optional; defaults to the key)
    url = "https://www.linkedin.com/legal/privacy-policy"   # required, http or https
    select = ["main"]                         # CSS selectors to keep (string or list; all must match)
    remove = [".cookie-banner"]               # CSS selectors to drop (string or list)
    headers = { "Accept-Language" = "en" }    # extra request headers (merged over service/defaults)
    locale = "en"                             # sent as Accept-Language unless headers set one
    allow_internal = ["10.20.0.0/16"]         # internal networks redirects may lead into (rare)
    browser = true                            # render in headless chromium (policydiff[browser])
    format = "markdown"                       # the body's format when the server's type is wrong
    robots = "ignore"                         # fetch although robots.txt disallows it, and
    robots_reason = "..."                     # say why (required with robots = "ignore")

A document of several pages lists them as ``parts`` instead of ``url`` (see ``options``).

Service and document keys are slugs (1 to 64 letters, digits, ``-`` and ``_``; display names have
no control characters and at most 200 characters); ``DocumentTarget.key``
(``service/document``) names the target's folder in the snapshot store. Unknown keys are errors (a
typo must not silently drop a selector). Every error names the file, the line and the key.

Modules: ``values`` (``DocumentTarget``, ``Targets``, ``slugify``), ``load`` (reading and
validation), ``lines`` (where a key is written, for error messages), ``write`` (dump and append),
``selectors`` (CSS selector checks), ``options`` (parts, browser, robots, format). Open Terms
Archive declarations import with ``policydiff.ota.import_ota``.
"""

from __future__ import annotations

from policydiff.targets.load import load_targets, parse_targets
from policydiff.targets.values import DocumentTarget, Part, Targets, slugify
from policydiff.targets.write import append_targets, dump_targets

__all__ = [
    "DocumentTarget",
    "Part",
    "Targets",
    "append_targets",
    "dump_targets",
    "load_targets",
    "parse_targets",
    "slugify",
]
