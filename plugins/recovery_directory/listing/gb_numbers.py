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


# The regions that share +44: Great Britain and the Crown Dependencies (checks.read_phone).
UK_REGIONS = ("GB", "GG", "IM", "JE")


@cache
def region_pattern(region: str) -> str | None:
    """The pattern of a region's valid national numbers, or None if the metadata is not laid out
    as this module expects."""
    from phonenumbers.phonemetadata import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None or (general := _described(metadata.general_desc)) is None:
        return None
    names = _TYPES if metadata.same_mobile_and_fixed_line_pattern else (*_TYPES, "mobile")
    kinds = [found for name in names if (found := _described(getattr(metadata, name))) is not None]
    if not kinds:
        return None
    return f"(?={general})(?:" + "|".join(f"(?:{kind})" for kind in kinds) + ")"


def browser_patterns() -> list[str]:
    """Each UK region's pattern for JavaScript (the listing editor's phone check), where the end
    of the text is `$`: a number valid in one of them is one the build accepts."""
    return [found.replace("\\Z", "$") for region in UK_REGIONS if (found := region_pattern(region))]


@cache
def _gb_pattern() -> re.Pattern[str] | None:
    found = region_pattern("GB")
    return None if found is None else re.compile(found)


def valid_in_gb(national_number: str) -> bool | None:
    """True or False for a national significant number (ASCII digits, no leading 0), as
    phonenumbers.is_valid_number_for_region(…, "GB") answers; None if the pattern can't be made."""
    pattern = _gb_pattern()
    return None if pattern is None else pattern.match(national_number) is not None


_Format = tuple[re.Pattern[str] | None, re.Pattern[str], str, str]


@cache
def _gb_formats() -> tuple[re.Pattern[str], tuple[_Format, ...]] | None:
    """phonenumbers' separator pattern, and GB's number formats as _format_nsn_using_pattern applies
    them: (the last, most detailed, leading-digits pattern; the format's pattern; its rule with the
    trunk 0, for the national form; its plain rule); None where GB has international formats of
    its own, which the tel: form would use."""
    from phonenumbers.phonemetadata import PhoneMetadata

    try:  # the library's own patterns for the steps copied here; a release without them: None
        from phonenumbers.phonenumberutil import _FIRST_GROUP_PATTERN, _SEPARATOR_PATTERN
    except ImportError:
        return None
    metadata = PhoneMetadata.metadata_for_region("GB", None)
    if metadata is None or metadata.intl_number_format:
        return None
    formats = []
    for found in metadata.number_format:
        rule, prefix_rule = found.format, found.national_prefix_formatting_rule
        national = _FIRST_GROUP_PATTERN.sub(prefix_rule, rule, count=1) if prefix_rule else rule
        leading = re.compile(found.leading_digits_pattern[-1]) if found.leading_digits_pattern else None
        formats.append((leading, re.compile(found.pattern), national, rule))
    return _SEPARATOR_PATTERN, tuple(formats)


def gb_forms(national_number: str) -> tuple[str, str] | None:
    """(national form, tel: URI) of a +44 national significant number with no extension, as
    phonenumbers.format_number gives them (NATIONAL, RFC3966), for a tenth of its cost: it spent
    ~115 µs a number on region lookups and generic steps around the same substitutions. None if
    the metadata is not laid out as this expects."""
    known = _gb_formats()
    if known is None:
        return None
    separators, formats = known
    for leading, pattern, national, rule in formats:  # the first that fits, as the library chooses
        if (leading is None or leading.match(national_number)) and pattern.fullmatch(national_number):
            plain = pattern.sub(rule, national_number)
            if separators.match(plain):  # RFC 3966: no leading punctuation, a dash between groups
                plain = separators.sub("", plain, count=1)
            return pattern.sub(national, national_number), "tel:+44-" + separators.sub("-", plain)
    return national_number, "tel:+44-" + national_number  # no format fits: the digits as they are
