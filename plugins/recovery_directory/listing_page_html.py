"""The listing page's blocks in Python: the same HTML, byte for byte, as the blocks of
theme/templates/organisation.html (title, description, head, content with partials/hours_item.html
and listing_map.html, scripts), which stays their reference: listing_pages.PageRenderer uses these
blocks only when those templates are exactly the ones they were written for (MIRRORED_DIGEST: an
edited template or a site's own theme is rendered by Jinja) and the first page it renders equals the
template's own output; tests/test_listing_pages.py compares every sample listing and every kind of page.

Through Jinja the blocks took ~0.55 ms a listing (a context per page, attribute lookups, filters,
escapes, a new context per included opening time), the largest part of writing a listing page.
Contributor text is escaped with cards.escape, as autoescape does. A change to a block in the
template must be made here too: the test fails until it is.
"""

from __future__ import annotations

import hashlib
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

from .cards import escape
from .exports.jsonld import organisation_jsonld, page_address, script_json
from .listing.model import OpeningHours, Organisation, area_slug
from .listing.schema import labels
from .listing.text import long_date

# The templates these blocks mirror, and a digest of their text as the blocks were written for it.
# A theme whose templates differ at all (an edit here, or a site's own theme) gets the template's
# own blocks for every page: comparing the first page alone would miss a change in a branch the
# first listing doesn't reach (a closed service, online sessions). tests/test_listing_pages.py
# fails when the committed templates no longer match MIRRORED_DIGEST, naming what to update.
MIRRORED_TEMPLATES = ("organisation.html", "partials/hours_item.html", "partials/listing_map.html")
MIRRORED_DIGEST = "6c7a72cfd20d60deb8bebb5b86921406bdb0458d5e46c7a1df4499571679bd94"
NOT_STATED = "Not stated: contact the service to ask"  # a referral field the listing leaves out


def templates_digest(environment: Any) -> str | None:
    """The digest of MIRRORED_TEMPLATES' text as `environment` loads them (None if one is missing)."""
    digest = hashlib.sha256()
    for name in MIRRORED_TEMPLATES:
        try:
            source = environment.loader.get_source(environment, name)[0]
        except Exception:  # noqa: BLE001 - missing or unreadable: not the templates mirrored here
            return None
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    return digest.hexdigest()


class PageBlocks:
    """Renders the blocks for the pages of one build: what every page shares is read once."""

    NAMES = ("title", "description", "head", "content", "scripts")

    def __init__(self, context: Any, environment: Any) -> None:
        """`context`: the page's template context (settings, SITEURL, directory); `environment`:
        the Jinja environment, for the filters and globals the template calls."""
        self.sitename = escape(context["SITENAME"])
        self.opening_hours_json = environment.filters["opening_hours_json"]
        self.siteurl = escape(context["SITEURL"])
        self.address = {"FEED_DOMAIN": context.get("FEED_DOMAIN"), "SITEURL": context["SITEURL"]}  # for @id
        self.directory = context["directory"]
        self.directions = environment.filters["directions"]
        self.confirm_url = environment.globals["confirm_url"]
        self.vendor_url = environment.globals["vendor_url"]
        self.dumps = environment.policies["json.dumps_function"]
        self.dumps_kwargs = environment.policies["json.dumps_kwargs"]
        self.provider = escape(context["DIRECTIONS_PROVIDER"])
        self.repository = escape(context["REPOSITORY_URL"])
        self.branch = escape(context["REPOSITORY_BRANCH"])
        self.static = escape(context["THEME_STATIC_DIR"])
        self.tiles = escape(context["MAP_TILE_URL"])
        self.attribution = escape(context["MAP_TILE_ATTRIBUTION"])
        self.max_zoom = escape(context["MAP_MAX_ZOOM"])
        self.type_codes = list(labels("types"))

    def page(self, frame: list[str], org: Organisation) -> str:
        """The page: the frame's pieces around the blocks, in NAMES' order."""
        return "".join((
            frame[0], self.title(org), frame[1], escape(org.summary), frame[2], self.head(org), frame[3],
            self.content(org), frame[4], self.scripts(org), frame[5],
        ))

    def title(self, org: Organisation) -> str:
        text = escape(org.name)
        if org.status != "active":
            text += f" ({escape(labels('status').get(org.status, org.status).lower())})"
        return f"{text} – {self.sitename}"

    def head(self, org: Organisation) -> str:
        robots = '<meta name="robots" content="noindex">' if org.status == "closed" else ""
        jsonld = script_json(organisation_jsonld(self.directory.record(org), page_address(self.address, org.url)))
        return f'{robots}<script type="application/ld+json">{jsonld}</script>\n'

    def scripts(self, org: Organisation) -> str:
        if not org.is_listed:
            return ""
        return (
            f'<script type="application/json" id="opening-hours">{self.opening_hours_json(org)}</script>\n'
            f'<script type="module" src="{self.siteurl}/{self.static}/js/listing/page.js"></script>\n'
        )

    def content(self, org: Organisation) -> str:
        site = self.siteurl
        out = [
            '<nav class="breadcrumbs" aria-label="Breadcrumb">\n  <ol>\n'
            f'    <li><a href="{site}/">Home</a></li>\n'
            f'    <li><a href="{site}/organisations/">A–Z</a></li>\n'
            '  </ol>\n</nav>\n\n<article class="listing">\n<header class="listing__header">\n'
        ]
        add = out.append
        status = org.status
        if status == "closed":
            first_type = escape(org.types[0].replace("_", "-"))
            add(
                '  <div class="banner banner--closed"><p><strong>This service has closed.</strong> This page is kept '
                f'so old links still work. Find another service <a href="{site}/types/{first_type}/">of the same '
                "type</a>"
            )
            slugs = [area_slug(name) for name in org.area_names]
            open_areas = [area for area in self.directory.areas if area.slug in slugs]
            if open_areas:
                add(f' or <a href="{site}/{escape(open_areas[0].url)}">in {escape(open_areas[0].name)}</a>')
            add(".</p></div>\n")
        elif status == "temporarily_closed":
            add(
                '  <div class="banner banner--warning"><p><strong>Temporarily closed.</strong> This service is not '
                "running at the moment. Contact them to check before referring or visiting.</p></div>\n"
            )
        if org.is_stale and status != "closed":
            add(
                f'  <div class="banner banner--warning"><p><strong>Not verified since '
                f"{escape(long_date(org.last_verified))}.</strong> These details were due to be checked again by "
                f"{escape(long_date(org.review_due))}. Check with the organisation before you refer.</p></div>\n"
            )
        add(f"  <h1>{escape(org.name)}</h1>\n")
        add('  <ul class="labels" aria-label="Types of support">\n')
        type_labels = labels("types")
        for code in org.types:
            add(
                f'    <li><a class="label" href="{site}/types/{escape(code.replace("_", "-"))}/">'
                f"{escape(type_labels.get(code, code))}</a></li>\n"
            )
        if org.open_24_7:
            add('<li class="label label--badge">Open 24/7</li>')
        if org.lived_experience_led:
            add('<li class="label label--plain">Led by people with lived experience</li>')
        add(f'  </ul>\n  <p class="lead">{escape(org.summary)}</p>\n  <ul class="listing__status">\n')
        with_hours = [location for location in org.locations if location.hours]
        if status == "active":
            if org.open_24_7:
                add('<li class="open-state open-state--open">Open 24 hours a day, every day</li>\n')
            elif with_hours or org.online_hours:
                add('<li class="open-state" id="open-state" hidden></li>')
        if org.locations and status != "closed":
            add(f'<li><a href="#locations">{"Opening times and address" if with_hours else "Address"}</a></li>')
        add(f'    <li class="listing__verified">Last verified {escape(long_date(org.last_verified))}</li>\n  </ul>\n')
        if org.is_listed:
            add(
                f'  <div class="shortlist-add" id="shortlist-add" data-slug="{escape(org.slug)}" '
                f'data-name="{escape(org.name)}" hidden>\n'
                f'    <p class="shortlist-add__link"><a href="{site}/my-list/" data-shortlist-count>My list</a></p>\n'
                "  </div>\n"
            )
        add(
            '</header>\n\n<div class="listing__grid">\n<div class="listing__key">\n'
            '  <section class="panel" aria-labelledby="contact">\n    <h2 id="contact">Contact</h2>\n'
        )
        if org.phones or org.email or org.website:
            add('    <ul class="contact-list">\n')
            for phone in org.phones:
                add(
                    f'      <li><span class="contact-list__kind">Phone</span> <a href="{escape(phone.tel)}">'
                    f"{escape(phone.display)}</a>"
                )
                if phone.description:
                    add(f' <span class="note">{escape(phone.description)}</span>')
                add("</li>\n")
            if org.email:
                email = escape(org.email)
                add(f'<li><span class="contact-list__kind">Email</span> <a href="mailto:{email}">{email}</a></li>')
            if org.website:
                shown = escape(org.website.replace("https://", "").replace("http://", ""))
                add(
                    f'<li><span class="contact-list__kind">Website</span> <a href="{escape(org.website)}" '
                    f'rel="noopener noreferrer">{shown}</a></li>'
                )
            add("    </ul>\n")
        else:
            add("    <p>No phone, email or website listed: visit one of the locations below.</p>\n")
        add("  </section>\n\n")
        referral = org.referral
        if org.takes_referrals:
            add(
                '  <section class="panel" aria-labelledby="refer">\n    <h2 id="refer">How to refer</h2>\n'
                '    <dl class="facts facts--stacked">\n      <dt>Self-referral</dt><dd>'
                + (
                    "Yes, people can refer themselves" if referral.self_referral
                    else NOT_STATED if referral.self_referral is None else "No: a referral is needed"
                )
                + "</dd>\n      <dt>Professional referral</dt><dd>"
            )
            if referral.professional:
                add("Yes, GPs and other professionals can refer")
            elif referral.professional is None:
                add(NOT_STATED)
            elif referral.self_referral:
                add("No: give people these details so they can contact the service themselves")
            else:
                add("No")
            add("</dd>\n    </dl>\n")
            if referral.how:
                add(f"<p>{escape(referral.how)}</p>")
            if referral.url:
                add(
                    f'<p><a href="{escape(referral.url)}" rel="noopener noreferrer">Referral form or details'
                    f'<span class="visually-hidden"> for {escape(org.name)}</span></a></p>'
                )
            add("  </section>\n")
        elif status == "temporarily_closed":
            add(
                '  <section class="panel" aria-labelledby="refer">\n    <h2 id="refer">How to refer</h2>\n'
                "    <p>Not taking referrals while temporarily closed. Contact them to check when it reopens.</p>\n"
                "  </section>\n"
            )
        add('</div>\n\n<div class="listing__main">\n')
        if org.description_html:
            add(
                '  <section aria-labelledby="about">\n    <h2 id="about">About</h2>\n'
                f'    <div class="prose">{org.description_html}</div>\n  </section>\n'
            )
        add('\n  <section aria-labelledby="who">\n    <h2 id="who">Who it is for</h2>\n    <dl class="facts">\n')
        audiences = _labelled(org.audiences, "audiences") if org.audiences else "Anyone"
        add(f"      <dt>People</dt><dd>{audiences}</dd>\n")
        if org.substances:
            add(f"<dt>Help with</dt><dd>{_labelled(org.substances, 'substances')}</dd>")
        if org.cost:
            add(f"<dt>Cost</dt><dd>{escape(labels('cost').get(org.cost, org.cost))}</dd>")
        if org.attendance:
            add(f"<dt>Ways to take part</dt><dd>{_labelled(org.attendance, 'attendance')}</dd>")
        if org.languages:
            add(f"<dt>Languages</dt><dd>{_labelled(org.languages, 'languages')}</dd>")
        if org.areas_served:
            served = ", ".join(
                "Anywhere in the UK" if area.lower() == "national" else escape(area) for area in org.areas_served
            )
            add(f"<dt>Areas served</dt><dd>{served}</dd>")
        if org.open_24_7:
            add("<dt>Opening hours</dt><dd>Open 24 hours a day, every day</dd>")
        add("    </dl>\n  </section>\n\n")
        if org.locations:
            add(
                '  <section aria-labelledby="locations">\n'
                f'    <h2 id="locations">{"Location" if len(org.locations) == 1 else "Locations"}</h2>\n'
            )
            for loc in org.locations:
                place = escape(loc.name or loc.town)
                lines = loc.address_lines[1:] if loc.name else loc.address_lines
                address = "<br>".join(escape(line) for line in lines)
                add(f'    <div class="location">\n      <h3>{place}</h3>\n      <address>{address}</address>\n')
                route = self.directions(loc)
                if route and org.is_listed:
                    add(
                        f'<p class="directions"><a href="{escape(route)}" rel="noopener noreferrer">Directions'
                        f'<span class="visually-hidden"> to {place}</span></a> <span class="note">on '
                        f"{self.provider}</span></p>"
                    )
                if loc.hours:
                    add('      <h4>Opening times</h4>\n      <ul class="hours">\n')
                    out.extend(_hours_item(hours) for hours in loc.hours)
                    add("      </ul>\n")
                if loc.accessibility:
                    access = labels("accessibility")
                    add('      <h4>Access</h4>\n      <ul class="access">\n')
                    out.extend(f"<li>{escape(access.get(code, code))}</li>" for code in loc.accessibility)
                    add("      </ul>\n")
                add("    </div>\n")
            add(self._listing_map(org))
            add("  </section>\n")
        add("\n")
        if org.online_hours:
            add(
                '  <section aria-labelledby="online-sessions">\n'
                '    <h2 id="online-sessions">Online and phone sessions</h2>\n    <ul class="hours">\n'
            )
            out.extend(_hours_item(hours) for hours in org.online_hours)
            add("    </ul>\n")
            if not all(hours.joinable for hours in org.online_hours):
                add(f"<p>For sessions without a link here, ask {escape(org.name)} how to join.</p>")
            add("  </section>\n")
        add("\n")
        if org.identifiers or org.memberships:
            add(
                '  <section aria-labelledby="registered">\n    <h2 id="registered">Registration and memberships</h2>\n'
                '    <dl class="facts facts--stacked">\n'
            )
            schemes = labels("identifier_scheme")
            out.extend(
                f"<dt>{escape(schemes.get(scheme, scheme))}</dt><dd>{escape(number)}</dd>"
                for scheme, number in org.identifiers
            )
            if org.memberships:
                add(f"<dt>Member of</dt><dd>{_labelled(org.memberships, 'memberships')}</dd>")
            add("    </dl>\n  </section>\n")
        name, slug = escape(org.name), escape(org.slug)
        add(
            '</div>\n</div>\n\n<footer class="verified">\n'
            f"  <p>Last verified {escape(long_date(org.last_verified))}."
        )
        if org.is_stale:
            add(f" A check was due by {escape(long_date(org.review_due))}.")
        add(
            "</p>\n"
            f'  <p><strong>Is this out of date?</strong> <a href="{site}/editor/?listing={slug}">Edit this listing'
            f'<span class="visually-hidden">: {name}</span></a> in the listing editor, or <a href="{self.repository}'
            f'/edit/{self.branch}/{escape(org.edit_path)}" rel="noopener noreferrer">edit its file on GitHub'
            f'<span class="visually-hidden">: {name}</span></a>.</p>\n'
            f'  <p><strong>Do you run it?</strong> <a href="{escape(self.confirm_url(org))}" rel="noopener noreferrer">'
            f'Confirm these details are still accurate<span class="visually-hidden">: {name}</span></a> in one click '
            "(on GitHub).</p>\n</footer>\n</article>\n"
        )
        return "".join(out)

    def _listing_map(self, org: Organisation) -> str:
        """partials/listing_map.html, as included (ignore missing) in the locations section."""
        located = org.located
        if not located:
            return ""
        points = [
            {"lat": location.lat, "lon": location.lon, "label": f"{location.name or org.name}, {location.town}"}
            for location in located
        ]
        site, static = self.siteurl, self.static
        data = htmlsafe_json_dumps(points, dumps=self.dumps, **self.dumps_kwargs)
        return (
            f'<link rel="stylesheet" href="{site}/{escape(self.vendor_url("leaflet", "leaflet.css"))}">\n'
            f'<link rel="stylesheet" href="{site}/{static}/css/map.css">\n'
            f'<div class="listing-map" role="region" aria-label="Map of {escape(org.name)}" hidden\n'
            f"  data-points='{data}'\n"
            f'  data-type-index="{self.type_codes.index(org.types[0])}"\n'
            f'  data-tile-url="{self.tiles}" data-attribution="{self.attribution}" '
            f'data-max-zoom="{self.max_zoom}"></div>\n'
            f'<script src="{site}/{escape(self.vendor_url("leaflet", "leaflet.js"))}" defer></script>\n'
            f'<script src="{site}/{static}/js/map/listing-map.js" defer></script>\n'
        )


def _labelled(codes: Any, vocabulary: str) -> str:
    found = labels(vocabulary)
    return ", ".join(escape(found.get(code, code)) for code in codes)


def _hours_item(hours: OpeningHours) -> str:
    """partials/hours_item.html for one opening time."""
    text = escape(hours.text)
    note = escape(hours.note) if hours.note else ""
    parts = [f"<li>{text}: {note}" if note else f"<li>{text}"]
    if hours.joinable:
        parts.append('  <span class="hours__join">')
        if hours.join_url:
            parts.append(
                f' <a href="{escape(hours.join_url)}" rel="noopener noreferrer">Join online'
                '<span class="visually-hidden">'
                f" ({text}{', ' + note if note else ''})</span></a>"
            )
        if hours.join_phone:
            parts.append(
                f'{"," if hours.join_url else ""} dial in: <a href="{escape(hours.join_phone.tel)}">'
                f"{escape(hours.join_phone.display)}</a>"
            )
        if hours.join_notes:
            parts.append(f" ({escape(hours.join_notes)})")
        parts.append("  </span>")
    parts.append("</li>")
    return "".join(parts)
