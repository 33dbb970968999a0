"""UK postcode shape checks and normalisation (REFERENCE.md section 7)."""

from __future__ import annotations

import re

# Strict shape, applied after normalisation. GIR 0AA is deliberately absent: it is valid but not
# geographic, so it can never place a pin.
_STRICT = re.compile(
    r"^[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" [0-9][ABD-HJLNP-UW-Z]{2}$"
)
_OUTCODE = re.compile(
    r"^[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])$"
)


def normalise_postcode(text: str) -> str | None:
    """Return the postcode in canonical form ("HX1 1AA"), or None if it is not a UK postcode."""
    if not isinstance(text, str):
        return None
    compact = "".join(text.split()).upper()
    if len(compact) < 5 or len(compact) > 7:
        return None
    candidate = f"{compact[:-3]} {compact[-3:]}"
    return candidate if _STRICT.match(candidate) else None


def is_outcode(text: str) -> bool:
    """True for the outward half of a postcode on its own ("HX1", "SW1A")."""
    return isinstance(text, str) and bool(_OUTCODE.match("".join(text.split()).upper()))
