"""Deployment and contribution: netlify.toml, its headers, publishconf.py, the GitHub workflows,
templates and forms."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import run_cli
from recovery_directory.headers import HeaderSettingError, content_security_policy, header_rules, source_for_url
from recovery_directory.listing.schema import labels
from recovery_directory.settings import DEFAULTS, load_settings
from site_tools import build_site, netlify_headers

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ONE_YEAR = 365 * 24 * 60 * 60
# Expressions an outsider controls (pull request titles, branch names, issue text, inputs).
UNTRUSTED = re.compile(r"\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.)[^}]*\}\}")


@pytest.fixture(scope="module")
def netlify() -> dict:
    with (ROOT / "netlify.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def live_settings() -> dict:
    return load_settings(ROOT / "publishconf.py")


def site_headers() -> dict[str, str]:
    rules = dict(netlify_headers())
    assert "/*" in rules, 'netlify.toml needs a [[headers]] rule for "/*"'
    return rules["/*"]


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        assert name not in directives, f"{name} appears twice in the CSP"
        directives[name] = sources
    return directives


# netlify.toml --------------------------------------------------------------------------------


def test_build_installs_validates_and_builds_with_publishconf_failing_on_warnings(netlify):
    build = netlify["build"]
    steps = [step.strip() for step in build["command"].split("&&")]
    assert any("pip install" in step for step in steps)
    assert "npm ci" in " ".join(steps)
    validate = next(i for i, step in enumerate(steps) if step.endswith("recovery_directory.cli validate"))
    pelican = next(i for i, step in enumerate(steps) if "pelican" in step)
    assert validate < pelican, "listings are checked before the build"
    assert "-s publishconf.py" in steps[pelican] and "--fatal warnings" in steps[pelican]
    assert any("netlify --check" in step for step in steps), "the deploy fails if headers drift from settings"
    assert build["publish"] == "output"


def test_python_version_meets_the_projects_requirement(netlify):
    version = netlify["build"]["environment"]["PYTHON_VERSION"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"]).groups()
    assert tuple(map(int, version.split(".")[:2])) >= tuple(map(int, minimum))


def test_deploy_previews_take_their_address_from_netlify(netlify):
    contexts = netlify["context"]
    assert contexts["deploy-preview"]["environment"]["SITEURL_FROM"] == "DEPLOY_PRIME_URL"
    assert contexts["branch-deploy"]["environment"]["SITEURL_FROM"] == "DEPLOY_PRIME_URL"
    assert contexts["production"]["environment"]["SITEURL_FROM"] == "URL"


def test_headers_in_netlify_toml_are_exactly_those_computed_from_the_settings(live_settings):
    assert netlify_headers() == header_rules(live_settings)


def test_every_security_header(live_settings):
    headers = site_headers()
    csp = csp_directives(headers["Content-Security-Policy"])
    for sources in csp.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(sources)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:", source_for_url(live_settings["MAP_TILE_URL"], "")]
    assert csp["connect-src"] == ["'self'"]  # postcodes are looked up in the site's own files
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]

    max_age = re.search(r"max-age=(\d+)", headers["Strict-Transport-Security"])
    assert max_age and int(max_age.group(1)) >= ONE_YEAR
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    permissions = dict(item.strip().split("=", 1) for item in headers["Permissions-Policy"].split(","))
    assert permissions.pop("geolocation") == "(self)"
    assert {"camera", "microphone", "payment", "usb"} <= permissions.keys()
    assert set(permissions.values()) == {"()"}, "every feature but geolocation is switched off"


def test_csp_hosts_are_exactly_the_hosts_in_the_settings(live_settings):
    policy = site_headers()["Content-Security-Policy"]
    hosts = {source for part in policy.split(";") for source in part.split()[1:] if "://" in source}
    assert hosts == {"https://tile.openstreetmap.org"}  # no postcodes.io: a visitor's postcode stays here
    assert live_settings["MAP_TILE_URL"].startswith("https://tile.openstreetmap.org/")
    assert "POSTCODE_LOOKUP_URL" not in live_settings


def test_assets_are_cached_long_and_pages_are_not():
    rules = dict(netlify_headers())
    for path in ("/vendor/*", "/theme/*"):
        cache = rules[path]["Cache-Control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= ONE_YEAR
    assert "Cache-Control" not in rules["/*"], "pages must not be cached as immutable"


# headers.py ----------------------------------------------------------------------------------


def test_csp_follows_the_settings():
    settings = {
        **DEFAULTS,
        "MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    }
    csp = csp_directives(content_security_policy(settings))
    assert csp["img-src"] == ["'self'", "data:", "https://*.tiles.example.org"]
    assert csp["connect-src"] == ["'self'"]
    embed = csp_directives(content_security_policy(settings, frame_ancestors="*"))
    assert embed["frame-ancestors"] == ["*"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://tiles.example.org/{z}", "https://"])
def test_a_bad_url_setting_is_explained(url):
    with pytest.raises(HeaderSettingError, match="MAP_TILE_URL .* must be a full web address"):
        content_security_policy({**DEFAULTS, "MAP_TILE_URL": url})


# recovery-directory netlify ------------------------------------------------------------------


def test_netlify_check_passes_on_the_committed_file():
    result = run_cli("netlify", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_netlify_check_fails_when_out_of_date_and_writing_fixes_it(tmp_path, cli):
    copy = tmp_path / "netlify.toml"
    original = (ROOT / "netlify.toml").read_text(encoding="utf-8")
    copy.write_text(original.replace("frame-ancestors 'none'", "frame-ancestors *"), encoding="utf-8")

    stale = cli("netlify", "--check", "--file", str(copy))
    assert stale.returncode == 1
    assert "out of date" in stale.stderr and "recovery-directory netlify" in stale.stderr
    assert "+" in stale.stdout and "frame-ancestors 'none'" in stale.stdout  # the diff shows the fix

    fixed = cli("netlify", "--file", str(copy))
    assert fixed.returncode == 0, fixed.stderr
    assert copy.read_text(encoding="utf-8") == original
    assert cli("netlify", "--check", "--file", str(copy)).returncode == 0


def test_netlify_adds_the_headers_to_a_file_without_them(tmp_path, cli, live_settings):
    copy = tmp_path / "netlify.toml"
    copy.write_text('[build]\n  publish = "output"\n', encoding="utf-8")
    assert cli("netlify", "--file", str(copy)).returncode == 0
    config = tomllib.loads(copy.read_text(encoding="utf-8"))
    assert config["build"]["publish"] == "output"
    assert [rule["for"] for rule in config["headers"]] == [path for path, _ in header_rules(live_settings)]
    assert {"/*", "/vendor/*", "/theme/*"} <= {rule["for"] for rule in config["headers"]}


# publishconf.py ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SITEURL_FROM": "DEPLOY_PRIME_URL", "DEPLOY_PRIME_URL": "https://deploy-preview-7--rd.netlify.app"},
         "https://deploy-preview-7--rd.netlify.app"),
        ({"URL": "https://directory.example.org/"}, "https://directory.example.org"),
        ({"SITEURL": "https://override.example.org", "URL": "https://directory.example.org"},
         "https://override.example.org"),
        ({}, ""),
    ],
)
def test_publishconf_takes_the_address_netlify_gives(monkeypatch, env, expected):
    for name in ("SITEURL", "SITEURL_FROM", "URL", "DEPLOY_PRIME_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(ROOT / "publishconf.py")
    assert settings["SITEURL"] == expected
    assert settings["RELATIVE_URLS"] is False


def test_deploy_preview_build_succeeds_with_fatal_warnings_and_links_to_itself(tmp_path):
    preview = "https://deploy-preview-7--rd.netlify.app"
    build_site(
        tmp_path,
        settings=ROOT / "publishconf.py",
        extra=["--fatal", "warnings"],
        env={"SITEURL_FROM": "DEPLOY_PRIME_URL", "DEPLOY_PRIME_URL": preview, "SITEURL": ""},
    )
    soup = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.find_all("a", href=True)]
    assert any(link.startswith(preview + "/organisations/") for link in links), links[:20]
    # Each listing page's JSON-LD names the page by its address (docs/settings.md: SITEURL).
    pages = sorted((tmp_path / "organisations").glob("*/index.html"))
    assert len(pages) == len(list((ROOT / "content" / "organisations").glob("*.yaml")))
    for page in pages:
        document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        block = document.find("script", type="application/ld+json")
        assert json.loads(block.string)["@id"] == f"{preview}/organisations/{page.parent.name}/", page


# GitHub workflows ----------------------------------------------------------------------------


def load_workflow(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads a bare `on` as true
    return workflow


def triggers(workflow: dict) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def run_scripts(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def test_there_are_workflows_and_they_parse():
    names = {path.name for path in WORKFLOWS}
    assert {"checks.yml", "stale-listings.yml"} <= names
    for path in WORKFLOWS:
        workflow = load_workflow(path)
        assert workflow["jobs"], path.name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_uses_pull_request_target_or_untrusted_text_in_scripts(path):
    code = "\n".join(line.split(" #")[0] for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("#"))
    assert "pull_request_target" not in code
    assert not triggers(load_workflow(path)) & {"pull_request_target", "workflow_run"}
    for script in run_scripts(load_workflow(path)):
        assert not UNTRUSTED.search(script), f"{path.name}: put untrusted values in env:, not in run: {script}"


@pytest.mark.parametrize(
    ("script", "unsafe"),
    [
        ('echo "${{ github.event.pull_request.title }}"', True),
        ("git checkout ${{github.head_ref}}", True),
        ('echo "${{ github.event.issue.body }}"', True),
        ('echo "$TITLE"', False),
        ("echo ${{ github.run_id }}", False),
    ],
)
def test_the_untrusted_text_check_itself(script, unsafe):
    assert bool(UNTRUSTED.search(script)) is unsafe


def pushes_to_main_only(workflow: dict) -> bool:
    """Runs on merged code only: pushes to main (and by hand), never a pull request's code."""
    on = workflow["on"]
    return (
        triggers(workflow) <= {"push", "workflow_dispatch"}
        and isinstance(on, dict) and (on.get("push") or {}).get("branches") == ["main"]
    )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_running_pull_request_code_are_read_only(path):
    workflow = load_workflow(path)
    if not triggers(workflow) & {"pull_request", "push"} or pushes_to_main_only(workflow):
        return
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        permissions = job.get("permissions", {})
        assert permissions in ({}, "read-all") or set(permissions.values()) <= {"read", "none"}, name
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout"):
                assert step.get("with", {}).get("persist-credentials") is False, f"{name}: keep the token out of .git"


def test_pull_requests_are_validated_with_annotations_built_and_tested():
    workflow = load_workflow(ROOT / ".github" / "workflows" / "checks.yml")
    assert "pull_request" in triggers(workflow)
    scripts = "\n".join(run_scripts(workflow))
    assert "recovery_directory.cli validate --format github" in scripts
    assert re.search(r"pelican content -s publishconf\.py --fatal warnings", scripts)
    assert "make test" in scripts
    assert "netlify --check" in scripts
    # A contributor's pull request never depends on .github/CODEOWNERS (issue #18).
    assert "codeowners" not in scripts


def test_codeowners_follows_the_listings_after_merge():
    workflow = load_workflow(ROOT / ".github" / "workflows" / "codeowners.yml")
    assert pushes_to_main_only(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    scripts = "\n".join(run_scripts(workflow))
    assert "recovery_directory.cli codeowners" in scripts and "codeowners --check" not in scripts


def test_confirmations_run_on_new_issues_through_the_tested_command():
    workflow = load_workflow(ROOT / ".github" / "workflows" / "confirm-listing.yml")
    assert triggers(workflow) == {"issues"} and workflow["on"]["issues"]["types"] == ["opened"]
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    scripts = run_scripts(workflow)
    assert "python -m recovery_directory.cli confirm" in scripts[1]  # fed $GITHUB_EVENT_PATH, nothing else
    assert "gh pr create" in scripts[2] and "gh issue comment" in scripts[3]


def test_the_stale_report_runs_on_a_schedule_and_only_it_writes_issues():
    workflow = load_workflow(ROOT / ".github" / "workflows" / "stale-listings.yml")
    assert triggers(workflow) <= {"schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    scripts = "\n".join(run_scripts(workflow))
    assert "stale --format markdown" in scripts and "gh issue" in scripts


# Contributor-facing files --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["suggest-organisation.yml", "out-of-date-listing.yml", "confirm-listing.yml"])
def test_issue_forms_are_well_formed(name):
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    assert form["name"] and form["description"] and form["body"]
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids))
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert item["attributes"].get("label") or item["type"] == "markdown"


def test_the_suggestion_form_offers_the_schemas_types():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-organisation.yml").read_text("utf-8"))
    (types,) = [item for item in form["body"] if item.get("id") == "type"]
    assert types["attributes"]["options"] == [*labels("types").values(), "Not sure"]


def test_contributing_guide_points_to_the_help_page_and_schema_and_covers_the_checks():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "/add-or-update-your-listing/" in guide
    assert "schema/organisation.schema.json" in guide
    for field in ("name", "types", "summary", "last_verified", "maintainers", "referral"):
        assert f"`{field}`" in guide, field
    assert "is not a field we know" in guide  # what the checks say, quoted
    assert (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").exists()


def test_every_listing_and_the_starter_file_name_the_schema_for_editors(tmp_path):
    modeline = "# yaml-language-server: $schema=../../schema/organisation.schema.json"
    for path in sorted((ROOT / "content" / "organisations").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == modeline, path.name
    content = tmp_path / "content"
    content.mkdir()
    settings = tmp_path / "settings.py"
    settings.write_text(f"PATH = {str(content)!r}\n", encoding="utf-8")
    result = run_cli("new", "example-starter", "--settings", str(settings))
    assert result.returncode == 0, result.stderr
    written = (content / "organisations" / "example-starter.yaml").read_text(encoding="utf-8")
    assert written.splitlines()[0] == modeline
