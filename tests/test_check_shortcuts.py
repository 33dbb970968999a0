"""checks.py's shortcuts for the usual value never say "fine" where the full check would object."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE
from recovery_directory.listing import checks
from recovery_directory.listing.loader import ListingLoadError, load_listing

HERE = Path(__file__).resolve().parent
SAMPLES = sorted((HERE.parent / "content" / "organisations").glob("*.yaml"))
LISTINGS = sorted((HERE / "listings").glob("*/*.yaml")) + SAMPLES
MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Generating addresses from the shortcut's own pattern is the slow part (~30 ms an example); 300
# still reach every branch of the pattern and the length limits, which the @examples pin exactly.
EMAILS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def library_accepts(email: str) -> bool:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


email_ish = st.text(alphabet=string.ascii_letters + string.digits + "._+-@!#$%&'*/=?^`{|}~ \"<>,;:[]()\\é", max_size=80)
plain_shaped = st.from_regex(checks._PLAIN_EMAIL, fullmatch=True)
label = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=70)


@EMAILS
@given(st.one_of(email_ish, plain_shaped, st.builds(lambda a, b, c: f"{a}@{b}.{c}", email_ish, label, label)))
@example("x@" + "a" * 63 + ".org")
@example("x@" + "a" * 64 + ".org")
@example("a" * 64 + "@example.org")
@example("a" * 65 + "@example.org")
@example("a@" + "b." * 124 + "org")
@example("a@" + "b." * 126 + "org")
@example("help@xn--bcher-kva.example")
@example("help@ab--cd.org")
@example("help@site.onion")
@example("help@home.arpa")
@example("help@localhost.local")
def test_the_plain_email_shortcut_only_accepts_what_email_validator_accepts(email: str) -> None:
    if checks.plainly_valid_email(email):
        assert library_accepts(email), email
        assert checks.email_problem(email) is None


def test_the_plain_email_shortcut_uses_email_validators_own_limits_and_special_domains() -> None:
    """checks.py keeps copies so an ordinary address needs no import of email_validator: an upgrade
    that changes them fails here (copy the new values into checks.py)."""
    import email_validator
    from email_validator import rfc_constants

    assert checks.EMAIL_MAX_LENGTH == rfc_constants.EMAIL_MAX_LENGTH
    assert checks.LOCAL_PART_MAX_LENGTH == rfc_constants.LOCAL_PART_MAX_LENGTH
    assert checks.DNS_LABEL_LENGTH_LIMIT == rfc_constants.DNS_LABEL_LENGTH_LIMIT
    assert frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES) == checks.SPECIAL_USE_DOMAINS


def test_checking_an_ordinary_address_does_not_import_email_validator() -> None:
    code = (
        "import sys; from recovery_directory.listing.checks import email_problem; "
        "print(email_problem('hello@example.org'), 'email_validator' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.split() == ["None", "False"], found


def test_the_plain_email_shortcut_is_taken_for_ordinary_addresses() -> None:
    for email in ("hello@example.org", "first.last+list@mail.recovery-cafe.co.uk", "Info_2@example.org"):
        assert checks.plainly_valid_email(email), email


@pytest.mark.parametrize("path", LISTINGS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_shortcuts_agree_with_the_full_checks_on_every_fixture(path: Path) -> None:
    try:
        data = load_listing(path).data
    except ListingLoadError:  # files the loader refuses have no values to check
        return
    if isinstance(email := data.get("email"), str) and checks.plainly_valid_email(email):
        assert library_accepts(email)


def reference_read_phone(number: str) -> tuple[phonenumbers.PhoneNumber, bool] | None:
    """read_phone spelled out with libphonenumber's own calls, nothing skipped."""
    if not checks.PHONE_CHARACTERS.fullmatch(number):
        return None
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    if region is not None and phonenumbers.is_valid_number_for_region(parsed, region):
        return (parsed, phonenumbers.is_valid_number(parsed)) if region in {"GB", "GG", "IM", "JE"} else None
    if parsed.country_code == 44 and phonenumbers.is_valid_short_number_for_region(parsed, "GB"):
        return parsed, phonenumbers.is_valid_number(parsed)
    return None


def test_read_phone_rests_on_how_libphonenumber_finds_a_uk_region() -> None:
    assert COUNTRY_CODE_TO_REGION_CODE[44][0] == "GB"
    assert PhoneMetadata.metadata_for_region("GB").leading_digits is None


PREFIXES = [
    "0113 496", "0118 496", "020 7946", "0131 496", "028 9649", "07700 900", "0808 157", "0800", "0845", "0871",
    "0300", "0500", "01481", "01534", "01624", "07781", "07624", "07797", "+44 1481", "+44 7700", "+1 212", "+353 1",
    "116", "111", "999", "112", "0", "+44", "1",
]
phone_ish = st.one_of(
    st.builds("{} {}".format, st.sampled_from(PREFIXES), st.text("0123456789", max_size=8)),
    st.text(alphabet="0123456789 +()-", max_size=16),
)


@MANY
@given(phone_ish)
@example("116 123")
@example("01481 234567")
@example("01534 123456")
@example("01624 612345")
@example("07624 123456")
@example("+1 212 555 0100")
def test_read_phone_agrees_with_the_plain_reading(number: str) -> None:
    assert checks.read_phone.__wrapped__(number) == reference_read_phone(number)


def grouped(digits: str, breaks: list[int]) -> str:
    return "".join(" " + digit if index in breaks else digit for index, digit in enumerate(digits)).strip()


national_shaped = st.one_of(
    st.builds(grouped, st.text("0123456789", min_size=11, max_size=11).map(lambda d: "0" + d[1:]),
              st.lists(st.integers(1, 10), max_size=3)),
    st.builds("0{}".format, st.text("0123456789 ", min_size=9, max_size=14)),
)
SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SOME
@given(national_shaped)
@example("0114 496 0060")
@example("020 7946 0000")
@example("01481 234567")
@example("07624 123456")
@example("0800 123 4567")
def test_the_national_number_shortcut_reads_as_parse_does(number: str) -> None:
    if checks._NATIONAL_NUMBER.fullmatch(number):
        assert checks.read_phone.__wrapped__(number) == reference_read_phone(number)
        assert phonenumbers.PhoneNumber(
            country_code=44, national_number=int(number.replace(" ", "")[1:])
        ) == phonenumbers.parse(number, "GB")


def reference_web_address_problem(url: str) -> str | None:
    """web_address_problem without its shortcut."""
    saved = checks._PLAIN_URL
    checks._PLAIN_URL = __import__("re").compile(r"(?!)")
    try:
        return checks.web_address_problem(url)
    finally:
        checks._PLAIN_URL = saved


url_ish = st.one_of(
    st.builds("https://{}.{}/{}".format, label, st.sampled_from(["org", "uk", "co.uk"]),
              st.text(alphabet=string.ascii_letters + string.digits + "/._~-", max_size=20)),
    st.builds(
        "{}://{}{}".format,
        st.sampled_from(["http", "https", "ftp", "HTTP"]),
        st.text(alphabet=string.ascii_letters + string.digits + ".-:[]@", max_size=30),
        st.text(alphabet=string.ascii_letters + string.digits + "/._~-?#:%", max_size=30),
    ),
)


@SOME
@given(url_ish)
@example("https://example.org")
@example("https://example.org/a/b-c_d.html")
@example("http://localhost")
@example("https://example.org:99999/")
@example("https://[::1/")
def test_the_plain_web_address_shortcut_only_accepts_what_urlsplit_accepts(url: str) -> None:
    if checks._PLAIN_URL.fullmatch(url):
        assert reference_web_address_problem(url) is None
    assert checks.web_address_problem(url) == reference_web_address_problem(url)


def test_the_shortcuts_are_taken_for_ordinary_values() -> None:
    assert checks._PLAIN_URL.fullmatch("https://example.org/alder-campus-recovery-programme-hastings/refer")
    assert checks._NATIONAL_NUMBER.fullmatch("0118 496 0501")
