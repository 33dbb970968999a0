"""Every field the schema allows reaches at least one published file, unless public.PRIVATE keeps it.

The test walks the schema: it makes a listing with every field filled (from the schema's own
examples and choices), then changes one field at a time and checks that something published
changes with it: the JSON, CSV, GeoJSON, Open Referral and Meeting Guide exports, the search
index, a feed entry, the page's JSON-LD or the map's pins. A new field that no output shows fails
here until an output carries it or PRIVATE names it with a reason.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from recovery_directory.directory import Directory
from recovery_directory.exports.common import ExportContext
from recovery_directory.exports.hsds import hsds_document
from recovery_directory.exports.jsonld import organisation_jsonld
from recovery_directory.exports.meeting_guide import meeting_guide_feed
from recovery_directory.exports.organisations_csv import organisations_csv
from recovery_directory.exports.organisations_geojson import organisations_geojson
from recovery_directory.exports.organisations_json import organisations_document
from recovery_directory.exports.search_index import encode_details, encode_index, search_records
from recovery_directory.listing.model import build_organisation
from recovery_directory.listing.schema import choices, labels, load_schema, resolve, search_filters
from recovery_directory.listing.validate import check_file
from recovery_directory.outputs.feeds import entry_body
from recovery_directory.outputs.maps import pin_rows
from recovery_directory.public import PRIVATE, public_record

SLUG = "every-field-example"


def filled(node: dict[str, Any]) -> Any:
    """A value for a schema node with every optional part present."""
    node = resolve(node)
    if "properties" in node:  # the object's own example, then every field it leaves out
        example = copy.deepcopy(node["examples"][0]) if node.get("examples") else {}
        return {key: example[key] if key in example else filled(child) for key, child in node["properties"].items()}
    if node.get("type") == "array":
        if node.get("examples"):
            return copy.deepcopy(node["examples"][0])
        return [filled(node["items"])]
    if node.get("examples"):
        return copy.deepcopy(node["examples"][0])
    if options := choices(node):
        return next(iter(options))
    if node.get("type") == "boolean":
        return True
    raise AssertionError(f"Give this schema field an example so the test can fill it: {node}")


def leaves(node: dict[str, Any], value: Any, path: tuple = ()) -> list[tuple[tuple, dict[str, Any], bool]]:
    """(path in the listing, schema node, required?) for every leaf field of `value`."""
    node = resolve(node)
    found = []
    if "properties" in node:
        for key, child in node["properties"].items():
            child_path = (*path, key)
            sub = resolve(child)
            if isinstance(value.get(key), dict) and "properties" in sub:
                found += leaves(sub, value[key], child_path)
            elif isinstance(value.get(key), list) and value[key] and "properties" in resolve(sub.get("items", {})):
                found += leaves(resolve(sub["items"]), value[key][0], (*child_path, 0))
            else:
                found.append((child_path, sub, key in node.get("required", ())))
    return found


def changed(value: Any, node: dict[str, Any]) -> Any:
    """A different value of the same kind: another choice, a later date, one more digit, …"""
    items = resolve(node.get("items", {}))
    if isinstance(value, bool):
        return not value
    if isinstance(value, dict):  # a map of names to values (source.fields): change the first value
        key = next(iter(value))
        return {**value, key: changed(value[key], resolve(node.get("additionalProperties", {})))}
    if isinstance(value, int | float):
        return value + (1 if isinstance(value, int) else 0.01)
    if isinstance(value, list):
        if options := choices(items):
            others = [code for code in options if code not in value]
            return value[:-1] + others[:1] if others else value[:-1]
        return [*value, changed(value[-1], items)]
    if options := choices(node):
        return next(code for code in options if code != value)
    if node.get("format") == "date":
        return (dt.date.fromisoformat(value) - dt.timedelta(days=1)).isoformat()
    if value[-1:].isdigit():
        return value[:-1] + str((int(value[-1]) + 1) % 10)
    if "@" in value:  # an email address
        return "x" + value
    return value + ("x" if " " not in value else " changed")  # web addresses and usernames have no spaces


def with_change(listing: dict[str, Any], path: tuple, node: dict[str, Any]) -> dict[str, Any]:
    copied = copy.deepcopy(listing)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = changed(parent[path[-1]], node)
    return copied


def without(listing: dict[str, Any], path: tuple) -> dict[str, Any]:
    copied = copy.deepcopy(listing)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return copied


def published(listing: dict[str, Any], folder: Path) -> str | None:
    """Everything one listing gives every output, as one text; None if the listing is invalid."""
    path = folder / f"{SLUG}.yaml"
    path.write_text(json.dumps(listing), encoding="utf-8")  # JSON is YAML
    result = check_file(path)
    if not result.ok:
        return None
    org = build_organisation(result.data, SLUG, f"content/organisations/{SLUG}.yaml")
    directory = Directory([org])
    context = ExportContext("https://example.org", dt.date(2026, 11, 1))
    records = search_records(directory)
    vocabularies = {field: list(labels(field)) for _, field, _, _ in search_filters()}
    outputs = {
        "json": organisations_document(directory, context),
        "csv": organisations_csv(directory, context).decode("utf-8-sig"),
        "geojson": organisations_geojson(directory, context),
        "openreferral": hsds_document(directory, context),
        "meetings": meeting_guide_feed(directory, context),
        "search": [encode_index(records, vocabularies), encode_details(records)],
        "feed": entry_body(directory.record(org), labels("types")),
        "jsonld": organisation_jsonld(directory.record(org), "https://example.org/organisations/x/"),
        "pins": pin_rows(directory, list(labels("types"))),
    }
    return json.dumps(outputs, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def complete() -> dict[str, Any]:
    listing = filled(load_schema())
    listing["types"] = ["mutual_aid", *[code for code in listing["types"] if code != "mutual_aid"]]
    return listing


@pytest.fixture(scope="module")
def baseline(complete: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> str:
    text = published(complete, tmp_path_factory.mktemp("baseline"))
    assert text is not None, "the listing made from the schema's examples is not valid: fix the examples"
    return text


def field_cases() -> list[Any]:
    schema = load_schema()
    return [
        pytest.param(path, node, required, id=".".join(str(step) for step in path))
        for path, node, required in leaves(schema, filled(schema))
    ]


@pytest.mark.parametrize(("path", "node", "required"), field_cases())
def test_every_field_reaches_an_output_or_is_private(path, node, required, complete, baseline, tmp_path) -> None:
    text = published(with_change(complete, path, node), tmp_path)
    if text is None and not required:  # no valid change found (e.g. a postcode): leave the field out
        text = published(without(complete, path), tmp_path)
    assert text is not None, f"the test found no valid change to `{path}`: teach `changed` one"
    private = next((key for n in range(1, len(path) + 1) if (key := ".".join(map(str, path[:n]))) in PRIVATE), None)
    if private:
        assert text == baseline, f"{private} is listed as private in public.py, but changing it changed an output"
    else:
        assert text != baseline, (
            f"Changing `{'.'.join(map(str, path))}` changed no published file. Map it in the output that "
            "should carry it (public.py's record reaches JSON and CSV as they are), or add it to "
            "public.PRIVATE with the reason it stays out."
        )


def test_public_record_keeps_the_schema_order_and_leaves_out_only_private_fields(complete, tmp_path) -> None:
    path = tmp_path / f"{SLUG}.yaml"
    path.write_text(json.dumps(complete), encoding="utf-8")
    result = check_file(path)
    record = public_record(build_organisation(result.data, SLUG, "content/organisations/x.yaml"))
    expected = [key for key in load_schema()["properties"] if key not in PRIVATE]
    assert record["source"] and "hash" not in record["source"] and "fields" not in record["source"]
    assert list(record) == ["slug", "url", *expected, "review_due"]
    assert not set(PRIVATE) & set(record)
