"""The lock files: complete, consistent with pyproject.toml, and the only way anything installs.

requirements/build.txt is what building and serving need (Netlify, `make serve`), test.txt adds
the test tools, bench.txt the profiler; each is made by `make lock` (docs/dependencies.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Each lock and the pyproject.toml requirements it must satisfy.
LOCKS = {
    "build": PYPROJECT["project"]["dependencies"],
    "test": [*PYPROJECT["project"]["dependencies"], *PYPROJECT["project"]["optional-dependencies"]["test"]],
    "bench": [
        *PYPROJECT["project"]["dependencies"],
        *PYPROJECT["project"]["optional-dependencies"]["test"],
        *PYPROJECT["project"]["optional-dependencies"]["bench"],
    ],
}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock: str) -> dict[str, list[tuple[Version, str, int]]]:
    """name -> [(version, environment marker, number of hashes)] as written in the lock."""
    found: dict[str, list[tuple[Version, str, int]]] = {}
    entries = re.split(r"\n(?=\S)", (ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8"))
    for entry in entries:
        match = PIN.match(entry.splitlines()[0])
        if match:
            name, version, marker = match.groups()
            hashes = entry.count("--hash=sha256:")
            found.setdefault(canonicalize_name(name), []).append((Version(version), marker or "", hashes))
    return found


@pytest.mark.parametrize("lock", LOCKS)
def test_each_lock_pins_everything_pyproject_asks_for(lock: str) -> None:
    locked = pins(lock)
    requirements = [Requirement(text) for text in LOCKS[lock]]
    requirements += [Requirement(text) for text in PYPROJECT["build-system"]["requires"]]
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is in pyproject.toml but not in requirements/{lock}.txt: run `make lock`"
        for version, _, _ in locked[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements/{lock}.txt pins {name}=={version}, outside pyproject.toml's {requirement}: "
                "run `make lock`"
            )


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_is_exact_and_hashed(lock: str) -> None:
    text = (ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8")
    requirement_lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(requirement_lines) == sum(len(versions) for versions in pins(lock).values())  # all are `name==x`
    for name, versions in pins(lock).items():
        assert all(hashes for _, _, hashes in versions), f"{name} has no hash in requirements/{lock}.txt"
    assert "file://" not in text and "/opt/" not in text, "the lock names a package from outside PyPI"


def test_tests_and_benchmarks_run_the_versions_that_build_the_site() -> None:
    build, test, bench = pins("build"), pins("test"), pins("bench")
    for smaller, larger, names in ((build, test, "build/test"), (test, bench, "test/bench")):
        for name, versions in smaller.items():
            assert larger.get(name) == versions, f"{name} differs between {names}.txt: run `make lock`"


def test_this_python_gets_one_version_of_each_package() -> None:
    for name, versions in pins("test").items():
        applicable = [v for v, marker, _ in versions if not marker or Marker(marker).evaluate()]
        assert len(applicable) <= 1, f"{name}: {applicable}"


def _install_commands() -> dict[str, str]:
    """Every script that installs the project: Netlify's build command, each workflow, the Makefile."""
    with (ROOT / "netlify.toml").open("rb") as handle:
        scripts = {"netlify.toml": tomllib.load(handle)["build"]["command"].replace(" && ", "\n")}
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        scripts[workflow.name] = workflow.read_text(encoding="utf-8")
    scripts["Makefile"] = (ROOT / "Makefile").read_text(encoding="utf-8")
    return scripts


def test_every_install_uses_the_hash_checked_lock() -> None:
    installs = 0
    for where, script in _install_commands().items():
        for line in script.splitlines():
            if re.search(r"pip(?:\)|\s.*)?\sinstall\s", line) and "uv==" not in line:
                installs += 1
                locked = "--require-hashes -r requirements/" in line
                assert locked or "--no-deps" in line, f"{where} installs without the lock: {line.strip()}"
    assert installs >= 6


def test_dependabot_proposes_grouped_weekly_updates_for_each_ecosystem() -> None:
    import yaml

    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"pip", "npm", "github-actions"}
    for ecosystem, update in updates.items():
        assert update["schedule"]["interval"] == "weekly", ecosystem
        assert any(group["patterns"] == ["*"] for group in update["groups"].values()), ecosystem


@pytest.mark.slow
def test_the_build_lock_alone_installs_and_builds_the_site(tmp_path: Path) -> None:
    """A fresh virtualenv from requirements/build.txt (what Netlify and `make serve` install) has
    everything the deploy build needs: the lock is complete without the test tools."""
    venv = tmp_path / "venv"
    # No pip inside the new virtualenv: this one's pip installs into it (`--python`), and
    # `--no-compile` skips byte-compiling every package up front (imports compile what they use).
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python]
    install = [*pip, "install", "--quiet", "--no-compile"]
    env = dict(os.environ)
    subprocess.run([*install, "--require-hashes", "-r", str(ROOT / "requirements" / "build.txt")], check=True, env=env)
    subprocess.run([*install, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True, env=env)
    check = subprocess.run([*pip, "check"], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout
    output = str(tmp_path / "out")
    build = subprocess.run(
        [python, "-m", "pelican", "content", "-s", "publishconf.py", "-o", output, "--fatal", "warnings"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert (tmp_path / "out" / "index.html").is_file() and (tmp_path / "out" / "404.html").is_file()
