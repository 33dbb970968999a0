"""Every setting the plugin reads is documented in docs/settings.md, and nothing else is.

Like datasette's test of its documented settings: the plugin's source is the truth. A setting is
"read" when its name is a key looked up on something called `settings` (`settings["X"]`,
`settings.get("X")`, `setting(settings, "X")`, `project_path(settings, "X")`, ...) or a key of
settings.DEFAULTS. docs/settings.md documents each in a table row that starts with `` | `NAME` ``;
environment variables the plugin or the settings files read get rows under "## Environment variables".
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from recovery_directory.settings import DEFAULTS

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "plugins" / "recovery_directory"
DOC = ROOT / "docs" / "settings.md"
SETTING_NAME = re.compile(r"[A-Z][A-Z0-9_]+")
DOCUMENTED_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]+)`")
ENVIRONMENT_HEADING = "## Environment variables"


def _is_settings(node: ast.AST) -> bool:
    """`settings`, `self.settings`, `pelican.settings`, `generator.settings`, ..."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name.endswith("settings")


def _names(nodes: list[ast.AST]) -> set[str]:
    return {
        node.value
        for node in nodes
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SETTING_NAME.fullmatch(node.value)
    }


def settings_read_in(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_settings(node.value):
            found |= _names([node.slice])
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute) and _is_settings(function.value):
                found |= _names(node.args[:1])  # settings.get("X"), settings.setdefault("X", ...)
            elif any(_is_settings(argument) for argument in node.args):
                found |= _names(node.args)  # setting(settings, "X"), project_path(settings, "X")
    return found


def settings_read_by_plugin() -> dict[str, list[str]]:
    """Each setting name the plugin reads, with the modules that read it."""
    read: dict[str, list[str]] = {name: ["settings.py (DEFAULTS)"] for name in DEFAULTS}
    for path in sorted(PLUGIN.rglob("*.py")):
        for name in settings_read_in(path.read_text(encoding="utf-8")):
            read.setdefault(name, []).append(str(path.relative_to(PLUGIN)))
    return read


def _documented(section: str) -> set[str]:
    """Names in the first cell of table rows, in the settings part or the environment part."""
    settings_part, _, environment_part = DOC.read_text(encoding="utf-8").partition(ENVIRONMENT_HEADING)
    text = settings_part if section == "settings" else environment_part
    return {found.group(1) for line in text.splitlines() if (found := DOCUMENTED_ROW.match(line))}


def documented_settings() -> set[str]:
    return _documented("settings")


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def environment_read_in(source: str) -> set[str]:
    """Names read as os.environ["X"], os.environ.get("X") or os.getenv("X")."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            found |= _names([node.slice])
        elif isinstance(node, ast.Call) and isinstance(function := node.func, ast.Attribute):
            getter = function.attr == "getenv" or (function.attr == "get" and _is_environ(function.value))
            found |= _names(node.args[:1]) if getter else set()
    return found


def test_the_scan_finds_each_way_the_plugin_reads_a_setting() -> None:
    source = """
value = settings["A_KEY"] + self.settings.get("B_KEY", 1) + setting(settings, "C_KEY")
path = project_path(generator.settings, "D_KEY")
other = config["NOT_A_SETTING"] + os.environ.get("NOR_THIS")
"""
    assert settings_read_in(source) == {"A_KEY", "B_KEY", "C_KEY", "D_KEY"}


def test_every_setting_the_plugin_reads_is_documented() -> None:
    read = settings_read_by_plugin()
    assert "GEOCODE_ALLOW_MISSING" in read and "PATH" in read  # the scan sees ours and Pelican's
    missing = {name: modules for name, modules in sorted(read.items()) if name not in documented_settings()}
    assert not missing, (
        "These settings are read by the plugin but not documented: add a row to docs/settings.md "
        f"for each (name, default, what a deployment would change it for): {missing}"
    )


def test_every_documented_setting_is_still_read() -> None:
    stale = sorted(documented_settings() - set(settings_read_by_plugin()))
    assert not stale, f"docs/settings.md documents settings the plugin no longer reads: {stale}"


def test_every_environment_variable_the_project_reads_is_documented() -> None:
    sources = [*sorted(PLUGIN.rglob("*.py")), ROOT / "pelicanconf.py", ROOT / "publishconf.py"]
    read = {name for path in sources for name in environment_read_in(path.read_text(encoding="utf-8"))}
    assert {"SITEURL_FROM", "RECOVERY_DIRECTORY_TODAY"} <= read  # the scan sees both kinds of file
    missing = sorted(read - _documented("environment"))
    assert not missing, f"Add a row under {ENVIRONMENT_HEADING!r} in docs/settings.md for: {missing}"
