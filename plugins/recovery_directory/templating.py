"""Filters and globals our templates use: labels from the schema, dates in plain words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .clock import today
from .schema import labels


def long_date(value: dt.date) -> str:
    """1 October 2026 (no leading zero, UK order)."""
    return f"{value.day} {value:%B %Y}"


def label(code: str, vocabulary: str) -> str:
    return labels(vocabulary).get(code, code)


def template_helpers(settings: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    filters = {"label": label, "long_date": long_date}
    globals_ = {"labels": labels, "today": today}
    return filters, globals_
