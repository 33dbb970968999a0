"""Today's date, frozen by RECOVERY_DIRECTORY_TODAY (YYYY-MM-DD) so tests and reports are stable."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    frozen = os.environ.get("RECOVERY_DIRECTORY_TODAY")
    return dt.date.fromisoformat(frozen) if frozen else dt.date.today()
