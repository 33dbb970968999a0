"""gb_numbers.py answers exactly as libphonenumber does for Great Britain: its one pattern on whether a
number is valid, and its formats on how a number is written (national form and tel: URI)."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE
from recovery_directory.listing import checks, model
from recovery_directory.listing.gb_numbers import _gb_formats, _gb_pattern, gb_forms, valid_in_gb

# Ofcom's numbers for drama, each a block of a thousand: its first seven digits after the trunk 0.
DRAMA_BLOCKS = [
    "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960", "1414960", "1514960",
    "1614960", "1914980", "2079460", "2896496", "2920180", "1632960", "7700900", "8081570", "9098790", "3069990",
]


def library_says(digits: str) -> bool:
    number = phonenumbers.PhoneNumber(country_code=44, national_number=int(digits))
    valid = phonenumbers.is_valid_number_for_region(number, "GB")
    if valid:  # what read_phone relies on: a GB-valid number is found as GB, and valid
        assert phonenumbers.region_code_for_number(number) == "GB"
        assert phonenumbers.is_valid_number(number)
    return valid


def test_the_pattern_is_made_from_the_installed_metadata() -> None:
    assert _gb_pattern() is not None
    assert COUNTRY_CODE_TO_REGION_CODE[44][0] == "GB"


@pytest.mark.parametrize("block", DRAMA_BLOCKS)
def test_every_drama_number_and_its_neighbours(block: str) -> None:
    for tail in range(1000):
        digits = f"{block}{tail:03d}"
        assert valid_in_gb(digits) is library_says(digits), digits
    for tail in range(0, 1000, 10):  # a digit short or over: (the library is slow on these blocks)
        shorter, longer = f"{block}{tail:03d}"[:-1], f"{block}{tail:03d}{tail % 9}"
        assert valid_in_gb(shorter) is library_says(shorter), shorter
        assert valid_in_gb(longer) is library_says(longer), longer


def test_every_four_digit_prefix_at_each_length() -> None:
    """One number for each of the 9,000 prefixes at each length a GB number can have (7, 9 and 10
    digits) and at one it can't (seeded)."""
    rng = random.Random(20)
    checked = valid = 0
    for prefix in range(1000, 10000):
        for length in (7, 9, 10, rng.choice((5, 6, 8, 11))):
            digits = str(prefix) + "".join(rng.choice("0123456789") for _ in range(length - 4))
            ours = valid_in_gb(digits)
            assert ours is library_says(digits), digits
            checked, valid = checked + 1, valid + ours
    assert valid > 2000 and checked - valid > 2000  # both answers were exercised


@settings(max_examples=500, deadline=None)
@given(st.text("0123456789", min_size=1, max_size=12).filter(lambda digits: digits[0] != "0"))
def test_random_digits(digits: str) -> None:
    assert valid_in_gb(digits) is library_says(digits)


@pytest.mark.parametrize("number", ["0113 496 0123", "020 7946 0000", "07700 900123", "0808 157 0000",
                                    "01481 234567", "01534 123456", "01624 612345", "07624 123456", "0113 496 012",
                                    "0999 999 9999", "0800 123 4567"])
def test_read_phone_with_the_pattern_equals_it_without(number: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = checks.read_phone.__wrapped__(number)
    monkeypatch.setattr(checks, "valid_in_gb", lambda digits: None)  # as if the pattern could not be made
    assert fast == checks.read_phone.__wrapped__(number)


def library_forms(digits: str) -> tuple[str, str]:
    number = phonenumbers.PhoneNumber(country_code=44, national_number=int(digits))
    return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966))


def test_the_formats_are_made_from_the_installed_metadata() -> None:
    assert _gb_formats() is not None
    assert gb_forms("2079460123") == ("020 7946 0123", "tel:+44-20-7946-0123")


@pytest.mark.parametrize("block", DRAMA_BLOCKS)
def test_every_drama_number_is_written_as_the_library_writes_it(block: str) -> None:
    for tail in range(1000):
        digits = f"{block}{tail:03d}"
        assert gb_forms(digits) == library_forms(digits), digits


def test_every_four_digit_prefix_is_written_as_the_library_writes_it() -> None:
    """Every format's leading digits and lengths, valid numbers or not (seeded)."""
    rng = random.Random(21)
    seen = set()
    for prefix in range(1000, 10000):
        for length in (5, 6, 7, 8, 9, 10, 11):
            digits = str(prefix) + "".join(rng.choice("0123456789") for _ in range(length - 4))
            ours = gb_forms(digits)
            assert ours == library_forms(digits), digits
            seen.add(len(ours[0].split()))
    assert seen >= {1, 2, 3}  # unformatted, two groups and three groups were all exercised


@settings(max_examples=500, deadline=None)
@given(st.text("0123456789", min_size=1, max_size=12).filter(lambda digits: digits[0] != "0"))
def test_random_digits_are_written_as_the_library_writes_them(digits: str) -> None:
    assert gb_forms(digits) == library_forms(digits)


@pytest.mark.parametrize("number", ["0113 496 0123", "029 2018 0123", "0808 157 0000", "01481 234567",
                                    "01624 612345", "0300 123 4567", "+44 20 7946 0123", "116 123"])
@pytest.mark.parametrize("with_gb_forms", [True, False])
def test_the_model_writes_every_number_as_the_library_does(
    number: str, with_gb_forms: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not with_gb_forms:  # as if the formats could not be made: the library writes every number
        monkeypatch.setattr(model, "gb_forms", lambda digits: None)
    parsed, full_number = checks.read_phone(number)
    if full_number:
        expected = (phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
                    phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.RFC3966))
    else:
        expected = (" ".join(number.split()), "tel:" + number.replace(" ", ""))
    assert model._phone_forms(number) == expected
