"""The listing cards of the index pages (A–Z, each type, each area, the home page's newest) and the
items of the embed pages, in Python: the same HTML, byte for byte, as the `listing_card` macro in
theme/templates/partials/listing_card.html and `embed_item` in partials/embed_item.html, which
stay the reference for them (tests/test_cards.py renders both for every sample listing).

A build draws ~3.7 cards per listing (A–Z, its types, its areas); through the macro each took
~70 µs of Jinja calls, filters and escapes, most of the index pages' time. Contributor text is
escaped with markupsafe's `escape`, as autoescape does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from markupsafe import Markup
from markupsafe import escape as markup_escape

from .listing.model import Organisation
from .listing.schema import labels
from .listing.text import long_date
from .output_parts import ListingParts

_kept: ListingParts | None = None  # while an output renders with `kept_cards`: cards from the last build


@contextmanager
def kept_cards(generator: Any, kind: str) -> Iterator[None]:
    """Within this block, the cards and embed items this process draws are kept in the build
    cache (output_parts.py) as `kind`, each under its listing's inputs and where it is drawn."""
    global _kept
    _kept = ListingParts(generator, kind, partial=True)  # pages not written again draw no cards
    try:
        yield
        _kept.save()
    finally:
        _kept = None


def escape(value: Any) -> str:
    """markupsafe's `escape` as text (& < > ' " as &amp; &lt; &gt; &#39; &#34;), without making a
    Markup object per value: half the cards' time went on those."""
    if type(value) is not str:
        return str(markup_escape(value))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("'", "&#39;").replace('"', "&#34;")


def card_html(org: Organisation, heading: str, referrer: bool, siteurl: str) -> str:
    """One card (the macro's `listing_card(org, heading, referrer)` with this SITEURL): a pure
    function of the listing and where the page is, so a cache may keep it."""
    parts = [
        f'<li class="card">\n  <{escape(heading)} class="card__title"><a href="{escape(siteurl)}/{escape(org.url)}">'
        f"{escape(org.name)}</a></{escape(heading)}>\n"
        f'  <p class="card__summary">{escape(org.summary)}</p>\n'
    ]
    where = org.towns or (["National"] if org.is_national else [])
    attendance = labels("attendance")
    how = [attendance.get(code, code) for code in org.attendance if code != "in_person"]
    if where or how:
        parts.append('  <p class="card__meta">\n')
        if where:
            parts.append(f"<span>{escape(', '.join(map(str, where)))}</span>")
        parts.extend(f"<span>{escape(way)}</span>" for way in how)
        parts.append("  </p>\n")
    types = labels("types")
    parts.append('  <ul class="labels" aria-label="Types of support">\n')
    parts.extend(f'<li class="label">{escape(types.get(code, code))}</li>' for code in org.types)
    if org.open_24_7:
        parts.append('<li class="label label--badge">Open 24/7</li>')
    if org.status == "temporarily_closed":
        parts.append('<li class="label label--warning">Temporarily closed</li>')
    parts.append("  </ul>\n")
    if referrer:
        parts.append('  <dl class="card__refer">\n')
        if org.phones:
            phones = "<br>".join(
                f'<a href="{escape(phone.tel)}">{escape(phone.display)}</a>'
                + (f" ({escape(phone.description)})" if phone.description else "")
                for phone in org.phones
            )
            parts.append(f"    <dt>Phone</dt>\n    <dd>{phones}</dd>\n")
        parts.append(f"    <dt>How to refer</dt>\n    <dd>{referral_route(org)}</dd>\n  </dl>\n")
    parts.append("</li>\n")
    return "".join(parts)


def referral_route(org: Organisation) -> str:
    """theme/templates/partials/referral.html's `referral_route(org)`, for the cards."""
    if org.takes_referrals:
        who = []
        if org.referral.self_referral:
            who.append("people can refer themselves")
        if org.referral.professional:
            who.append("professionals can refer")
        if not who:
            stated = org.referral.self_referral is False
            who.append("a referral is needed" if stated else "ask the service how to refer")
        text = f"{escape('; '.join(who).capitalize())}."
        return text + (f" {escape(org.referral.how)}" if org.referral.how else "")
    status = labels("status").get(org.status, org.status)
    return f"{escape(status)}: not taking referrals. Contact them to check before referring.\n"


def listing_cards(organisations: Iterable[Organisation], heading: str, referrer: bool, siteurl: str) -> Markup:
    """Every card of a list, for the `listing_list` macro."""
    if _kept is None:
        return Markup("".join(card_html(org, heading, referrer, siteurl) for org in organisations))  # noqa: S704 - escaped above
    kept = _kept
    cards = (
        kept.get(org, lambda org=org: card_html(org, heading, referrer, siteurl), "card", heading, referrer, siteurl)
        for org in organisations
    )
    return Markup("".join(cards))  # noqa: S704 - escaped above


def embed_item_html(org: Organisation, siteurl: str) -> str:
    """One listing of an embed page (the `embed_item` macro): a pure function of the listing,
    the page's SITEURL and today's date (`is_stale`)."""
    parts = [
        f'    <li class="embed__item">\n      <h2 class="embed__name"><a href="{escape(siteurl)}/{escape(org.url)}"'
        f' target="_blank" rel="noopener">{escape(org.name)}<span class="visually-hidden"> (opens in a new tab)</span>'
        f"</a></h2>\n      <p>{escape(org.summary)}</p>\n"
    ]
    if org.status == "temporarily_closed":
        parts.append('<p class="embed__warning">Temporarily closed: check the listing before referring.</p>')
    for phone in org.phones:
        described = f' <span class="embed__muted">{escape(phone.description)}</span>' if phone.description else ""
        link = f'<a href="{escape(phone.tel)}">{escape(phone.display)}</a>'
        parts.append(f'      <p class="embed__phone">Phone {link}{described}</p>\n')
    parts.append('      <p class="embed__refer">')
    if not org.takes_referrals:  # temporarily closed: no route to refer by (closed ones aren't listed)
        parts.append("Not taking referrals while temporarily closed.")
    elif org.referral.self_referral:
        parts.append("People can refer themselves.")
    else:
        unstated = org.referral.self_referral is None
        parts.append("Ask the service how to refer." if unstated else "Needs a referral: the listing says how.")
    if org.takes_referrals and org.referral.professional:
        parts.append(" Professionals can refer.")
    parts.append("</p>\n")
    if org.is_stale:
        parts.append(f'<p class="embed__muted">Not verified since {escape(long_date(org.last_verified))}.</p>')
    parts.append("    </li>\n")
    return "".join(parts)


def embed_items(organisations: Iterable[Organisation], siteurl: str) -> Markup:
    """Every item of an embed page's list, for embed.html."""
    if _kept is None:
        return Markup("".join(embed_item_html(org, siteurl) for org in organisations))  # noqa: S704 - escaped above
    kept = _kept
    items = (kept.get(org, lambda org=org: embed_item_html(org, siteurl), "embed", siteurl) for org in organisations)
    return Markup("".join(items))  # noqa: S704 - escaped above
