"""Today's date in the UK, frozen by RECOVERY_DIRECTORY_TODAY (YYYY-MM-DD) so tests and reports are
stable. The UK's date, not the machine's: CI runners keep UTC, and a listing dated today by the
listing editor (London time) just after midnight BST must not be "in the future"."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def today() -> dt.date:
    frozen = os.environ.get("RECOVERY_DIRECTORY_TODAY")
    return dt.date.fromisoformat(frozen) if frozen else dt.datetime.now(UK).date()
