"""The listing editor in Chromium: what it writes passes `recovery-directory validate`.

Chromium fills the form the way a person does (typing, ticking, choosing, adding entries) from a
listing's data, and the YAML it shows is checked by the same Python code as the build. Every sample
listing is also opened with "Edit this listing" and sent back unchanged: it must load to the same data.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT
from recovery_directory.listing.validate import check_bytes, check_file

pytestmark = pytest.mark.browser

LISTINGS = ROOT / "tests" / "listings" / "valid"
SAMPLES = sorted((ROOT / "content" / "organisations").glob("*.yaml"))
REPOSITORY = "https://github.com/recovery-directory/recovery-directory"


def open_editor(page, server: str, query: str = "") -> None:
    page.goto(f"{server}/editor/{query}")
    page.locator("#editor-form").wait_for(state="visible")


def field(container, key: str):
    # The first match in document order is the container's own field: a group's fields come
    # before any nested entries that reuse a key (a location's "name" after the listing's).
    return container.locator(f'[data-field][data-key="{key}"]').first


def fill_group(container, data: dict) -> None:
    for key, value in data.items():
        target = field(container, key)
        kind = target.get_attribute("data-kind")
        if kind == "group":
            fill_group(target, value)
        elif kind == "groups":
            for index, entry in enumerate(value):
                target.locator(":scope > [data-add]").click()
                fill_group(target.locator(":scope > [data-items] > [data-item]").nth(index), entry)
        elif kind == "choices":
            for code in value:
                target.locator(f'input[value="{code}"]').check()
        elif kind in ("choice", "boolean"):
            target.locator("select").select_option(str(value).lower() if isinstance(value, bool) else value)
        elif kind == "lines":
            target.locator("textarea").fill("\n".join(value))
        else:
            target.locator("input, textarea").first.fill(str(value))


def submit(page) -> str:
    page.get_by_role("button", name="Check and show the listing").click()
    page.locator("#editor-result").wait_for(state="visible")
    return page.locator("#editor-yaml").input_value()


def assert_focus_shows(page, target) -> None:
    """Tabbing onto `target` changes how it looks (WCAG 2.4.7): the editor's button-like links
    once kept their own colours over the site's focus style."""
    style = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color, s.boxShadow].join('|'); }"
    before = target.evaluate(style)
    for _ in range(60):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError("the keyboard never reached the link")
    assert target.evaluate(style) != before


def test_a_minimal_new_listing_validates_and_opens_githubs_new_file_page(page, sample_server, tmp_path):
    open_editor(page, sample_server)
    page.get_by_label("Name (required)", exact=True).fill("Brand New Mutual Aid (sample listing)")
    assert page.get_by_label("Web address name (required)").input_value() == "brand-new-mutual-aid-sample-listing"
    page.get_by_label("Mutual aid group").check()
    page.get_by_label("Summary (required)").fill("A weekly peer support meeting for anyone in recovery.")
    text = submit(page)

    result = check_bytes(tmp_path / "brand-new-mutual-aid-sample-listing.yaml", text.encode())
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert set(result.data) == {"name", "types", "summary", "last_verified"}
    assert result.data["types"] == ["mutual_aid"]

    github = page.get_by_role("link", name="Open GitHub's new-file page")
    link = urlsplit(github.get_attribute("href"))
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{REPOSITORY}/new/main/content/organisations"
    assert page.get_by_role("button", name="Copy the text").is_hidden()  # the link holds the text
    assert_focus_shows(page, github)
    assert parse_qs(link.query) == {"filename": ["brand-new-mutual-aid-sample-listing.yaml"], "value": [text]}
    assert page.errors == [] and page.outside_requests == []


def test_a_listing_too_long_for_a_link_is_copied_instead(browser, sample_server, tmp_path):
    context = browser.new_context(locale="en-GB", permissions=["clipboard-read", "clipboard-write"])
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
    )
    tab = context.new_page()
    try:
        open_editor(tab, sample_server)
        tab.get_by_label("Name (required)", exact=True).fill("Long Story Café (sample listing)")
        tab.get_by_label("Mutual aid group").check()
        tab.get_by_label("Summary (required)").fill("A weekly peer support meeting for anyone in recovery.")
        tab.get_by_label("Description").fill("Crème brûlée, thé à côté. " * 180)
        text = submit(tab)
        link = urlsplit(tab.get_by_role("link", name="Open GitHub's new-file page").get_attribute("href"))
        assert parse_qs(link.query) == {"filename": ["long-story-cafe-sample-listing.yaml"]}
        tab.get_by_role("button", name="Copy the text").click()
        tab.wait_for_function("document.querySelector('[data-copy-status]').textContent.includes('paste it in')")
        assert tab.evaluate("navigator.clipboard.readText()") == text
        assert check_bytes(tmp_path / "long-story-cafe-sample-listing.yaml", text.encode()).ok
    finally:
        context.close()


def test_a_maximal_listing_typed_into_the_form_validates_to_the_same_data(page, sample_server, tmp_path):
    expected = check_file(LISTINGS / "every-field.yaml").data
    open_editor(page, sample_server)
    page.get_by_label("Web address name (required)").fill("every-field")
    page.get_by_label("Last verified (required)").fill("")
    fill_group(page.locator("[data-fields-root]"), expected)
    text = submit(page)
    result = check_bytes(tmp_path / "every-field.yaml", text.encode())
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.data == expected
    assert page.errors == []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_editing_an_unchanged_listing_round_trips(page, sample_server, path, tmp_path):
    original = check_file(path).data
    open_editor(page, sample_server, f"?listing={path.stem}")
    assert page.locator("h1").inner_text() == "Update a listing"
    text = submit(page)
    result = check_bytes(tmp_path / path.name, text.encode())
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.data == original
    edit = page.get_by_role("link", name="Open the file in GitHub's editor").get_attribute("href")
    assert edit == f"{REPOSITORY}/edit/main/content/organisations/{path.name}"
    assert page.errors == []


def test_problems_are_shown_next_to_each_field_and_in_a_summary(page, sample_server, axe):
    open_editor(page, sample_server)
    page.get_by_label("Name (required)", exact=True).fill("X")
    page.get_by_role("button", name="Add a location").click()
    location = page.locator('[data-key="locations"] [data-item]').first
    field(location, "town").locator("input").fill("Halifax")
    field(location, "postcode").locator("input").fill("HX1")
    page.get_by_role("button", name="Add an opening time").click()
    hours = location.locator('[data-key="hours"] [data-item]').first
    hours.get_by_label("Monday").check()
    field(hours, "opens").locator("input").fill("18:00")
    field(hours, "closes").locator("input").fill("09:00")
    page.get_by_role("button", name="Check and show the listing").click()

    summary = page.locator("#editor-summary")
    summary.wait_for(state="visible")  # after the names taken (editor/listings.json) are in
    assert summary.evaluate("element => element === document.activeElement")
    problems = summary.locator("li").all_inner_texts()
    assert any(p.startswith("Name: Write at least 2 characters") for p in problems), problems
    assert any(p.startswith("Types of support: Choose or add at least one: it is required") for p in problems), problems
    assert any("not a UK postcode" in p and "Location 1" in p for p in problems), problems
    assert any("not after the opening time" in p for p in problems), problems
    # Each control says what is wrong through its description, and is marked invalid.
    postcode = field(location, "postcode").locator("input")
    assert postcode.get_attribute("aria-invalid") is not None
    described = postcode.get_attribute("aria-describedby").split()
    assert "not a UK postcode" in page.locator(f"#{described[1]}").inner_text()
    # Following a summary link puts the cursor in the field.
    summary.get_by_role("link", name="Postcode").click()
    assert postcode.evaluate("element => element === document.activeElement")
    assert axe(page) == []
    assert page.errors == []


def test_keyboard_alone_adds_and_removes_an_entry(page, sample_server):
    open_editor(page, sample_server)
    add = page.get_by_role("button", name="Add a phone number")
    add.focus()
    page.keyboard.press("Enter")
    number = page.get_by_label("Number", exact=False).first
    assert number.evaluate("element => element === document.activeElement")
    page.keyboard.type("0113 496 0123")
    page.keyboard.press("Tab")  # the note
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Remove this phone number"
    page.keyboard.press("Enter")
    assert page.locator('[data-key="phones"] [data-item]').count() == 0
    assert add.evaluate("element => element === document.activeElement")


# 320 px (WCAG 1.4.10's width) with a listing that has a place: nested fieldsets once pushed the
# location's fields 69 px off the screen.
@pytest.mark.parametrize(("width", "slug"), [(320, "taff-recovery-hub"), (1280, "calder-valley-recovery-cafe")])
def test_the_editor_fits_the_screen_and_passes_axe(browser, sample_server, axe, width, slug):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
    )
    tab = context.new_page()
    try:
        open_editor(tab, sample_server, f"?listing={slug}")
        assert tab.locator('[data-key="locations"] [data-item]').count() >= 1
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        assert axe(tab) == []
        submit(tab)
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        assert axe(tab) == []
    finally:
        context.close()


def test_an_unknown_listing_starts_a_new_one(page, sample_server):
    open_editor(page, sample_server, "?listing=no-such-listing")
    assert "There is no listing called “no-such-listing”" in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Web address name (required)").is_visible()


def test_listing_pages_link_to_the_editor_and_the_confirmation_form(page, sample_server):
    page.goto(sample_server + "/organisations/calder-valley-recovery-cafe/")
    page.get_by_role("link", name="Edit this listing").click()
    page.locator("#editor-form").wait_for(state="visible")
    name = page.get_by_label("Name (required)", exact=True)
    assert name.input_value() == "Calder Valley Recovery Café (sample listing)"
    page.go_back()
    confirm = page.get_by_role("link", name="Confirm these details are still accurate", exact=False)
    query = parse_qs(urlsplit(confirm.get_attribute("href")).query)
    assert query == {
        "template": ["confirm-listing.yml"],
        "title": ["Confirm Calder Valley Recovery Café (sample listing) is up to date"],
        "listing": ["calder-valley-recovery-cafe"],
    }


def test_the_form_has_a_field_for_every_property_in_the_schema(page, sample_server):
    """Generated from the schema: every property (except tool-written, readOnly ones) has its field."""
    from recovery_directory.editor_form import typed_by_hand
    from recovery_directory.listing.schema import load_schema, resolve

    open_editor(page, sample_server)

    def walk(node, prefix=""):
        for key, raw in node.get("properties", {}).items():
            if not typed_by_hand(raw):
                continue
            prop = resolve(raw)
            yield prefix + key
            inner = resolve(prop.get("items", {})) if "properties" in resolve(prop.get("items", {})) else prop
            yield from walk(inner, prefix + key + ".")

    expected = sorted(walk(load_schema()))
    shown = page.evaluate(
        """() => {
            const found = [];
            const visit = (container, prefix) => {
                for (const field of container.querySelectorAll('[data-field]')) {
                    const owner = field.parentElement.closest('[data-field], [data-item], [data-fields-root]');
                    if (owner !== container) continue;
                    found.push(prefix + field.dataset.key);
                    const inner = field.querySelector(':scope > template');
                    visit(inner ? inner.content.querySelector('[data-item]') : field, prefix + field.dataset.key + '.');
                }
            };
            visit(document.querySelector('[data-fields-root]'), '');
            return found;
        }"""
    )
    assert sorted(shown) == expected


def test_a_postcode_that_does_not_exist_is_caught_before_the_hand_off(page, sample_server, sample_site, tmp_path):
    """The editor asks the site's own /postcodes/ files, made from the same ONS data as the build's
    check: a well-shaped postcode that isn't in them stops the hand-off; a real one goes through."""
    real = next(
        location["postcode"]
        for path in SAMPLES
        for location in check_file(path).data.get("locations", [])
        if location.get("postcode")
    )
    outcode = real.split()[0]
    listed = json.loads((sample_site / "postcodes" / f"{outcode}.json").read_text(encoding="utf-8"))["inward"]
    missing = next(
        f"{digit}{a}{b}" for digit in "9876543210" for a in "ZYXWU" for b in "ZYXWU"
        if f"{digit}{a}{b}" not in {listed[i : i + 3] for i in range(0, len(listed), 3)}
    )
    open_editor(page, sample_server)
    page.get_by_label("Name (required)", exact=True).fill("Postcode Check Group (sample listing)")
    page.get_by_label("Mutual aid group").check()
    page.get_by_label("Summary (required)").fill("A weekly peer support meeting for anyone in recovery.")
    page.get_by_role("button", name="Add a location").click()
    location = page.locator('[data-key="locations"] [data-item]').first
    field(location, "town").locator("input").fill("Halifax")
    postcode = field(location, "postcode").locator("input")
    postcode.fill(f"{outcode} {missing}")
    page.get_by_role("button", name="Check and show the listing").click()

    summary = page.locator("#editor-summary")
    summary.wait_for(state="visible")
    problems = summary.locator("li").all_inner_texts()
    expected = f'"{outcode} {missing}" is not a postcode in the ONS Postcode Directory'
    assert any(expected in problem for problem in problems), problems
    assert page.locator("#editor-result").is_hidden()
    assert postcode.get_attribute("aria-invalid") is not None

    postcode.fill(real)
    text = submit(page)
    result = check_bytes(tmp_path / "postcode-check-group-sample-listing.yaml", text.encode())
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.data["locations"][0]["postcode"] == real
    assert page.errors == [] and page.outside_requests == []


def test_a_new_listing_may_not_take_an_existing_listings_file_name(page, sample_server):
    """GitHub's new-file page for a name that is taken would not add the listing: the editor says
    so first, for every listing the build has, closed ones too (editor/listings.json)."""
    taken = [path.stem for path in SAMPLES]
    closed = next(path.stem for path in SAMPLES if "status: closed" in path.read_text(encoding="utf-8"))
    open_editor(page, sample_server)
    page.get_by_label("Name (required)", exact=True).fill("Another Group (sample listing)")
    page.get_by_label("Mutual aid group").check()
    page.get_by_label("Summary (required)").fill("A weekly peer support meeting for anyone in recovery.")
    file_name = page.get_by_label("Web address name (required)")
    for slug in (taken[0], closed):
        file_name.fill(slug)
        page.get_by_role("button", name="Check and show the listing").click()
        summary = page.locator("#editor-summary")
        summary.wait_for(state="visible")
        page.wait_for_function("(s) => document.querySelector('#editor-summary').textContent.includes(s)",
                               arg=f"A listing called “{slug}” is already in the directory")
        assert page.locator("#editor-result").is_hidden()
    file_name.fill("another-group-sample-listing")
    assert "another-group-sample-listing" not in taken
    submit(page)
    assert page.errors == [] and page.outside_requests == []
