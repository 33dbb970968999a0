"""Is a national number valid in Great Britain? libphonenumber's own answer, in one compiled pattern.

libphonenumber decides by trying its GB metadata's number types one by one (a length check and a
pattern each, eleven calls deep): ~25 µs of every new number a listing holds, more than the rest of
its contact checks. The same rules, read from the same metadata when first asked, make one pattern:
the general description's lengths and pattern, then any type's lengths and pattern, as
phonenumberutil._number_type_helper tries them. tests/test_gb_numbers.py holds it to
phonenumbers.is_valid_number over Ofcom's drama ranges, every prefix and random digits.
"""

from __future__ import annotations

import re
from functools import cache

# The number types _number_type_helper tries after the general description; "mobile" counts only
# when its pattern is not the fixed-line one (metadata.same_mobile_and_fixed_line_pattern).
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
          "fixed_line")


def _described(desc) -> str | None:
    """A number description as a pattern: its lengths (if it gives any) and its pattern, in full."""
    if desc is None or not desc.national_number_pattern:
        return None
    lengths = ""  # none given: the general description's apply, already checked
    if desc.possible_length:
        lengths = "(?=(?:" + "|".join(f"[0-9]{{{length}}}" for length in sorted(desc.possible_length)) + ")\\Z)"
    return f"{lengths}(?:{desc.national_number_pattern})\\Z"


@cache
def _gb_pattern() -> re.Pattern[str] | None:
    """The pattern, or None if the metadata is not laid out as this module expects."""
    from phonenumbers.phonemetadata import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region("GB", None)
    if metadata is None or (general := _described(metadata.general_desc)) is None:
        return None
    names = _TYPES if metadata.same_mobile_and_fixed_line_pattern else (*_TYPES, "mobile")
    kinds = [found for name in names if (found := _described(getattr(metadata, name))) is not None]
    if not kinds:
        return None
    return re.compile(f"(?={general})(?:" + "|".join(f"(?:{kind})" for kind in kinds) + ")")


def valid_in_gb(national_number: str) -> bool | None:
    """True or False for a national significant number (ASCII digits, no leading 0), as
    phonenumbers.is_valid_number_for_region(…, "GB") answers; None if the pattern can't be made."""
    pattern = _gb_pattern()
    return None if pattern is None else pattern.match(national_number) is not None
