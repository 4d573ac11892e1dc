"""Open Terms Archive: declarations imported as targets, a versions repository backfilled into the store."""

from __future__ import annotations

from policydiff.ota.backfill import BackfillResult, backfill
from policydiff.ota.declarations import import_ota

__all__ = ["BackfillResult", "backfill", "import_ota"]
