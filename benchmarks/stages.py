"""Where a build's CPU time goes, stage by stage, without a profiler (whose overhead inflates
pure-Python code several times): `time.process_time()` around each generator's two phases and
each output module, in one in-process build. Workers' CPU time (forked pools) is added from
`os.times()`'s children figures, so a parallel build's total is its real cost.

    python -m benchmarks.stages SETTINGS.py OUTPUT_FOLDER [PELICAN ARGUMENTS]
    python -m benchmarks.stages SETTINGS.py OUTPUT_FOLDER -e BUILD_PROCESSES=1   # per output module
    python -m benchmarks.stages SETTINGS.py OUTPUT_FOLDER --rebuild   # into the folder as it is

Stages that run inside workers are timed there and lost; their total is in the enclosing stage
(children's CPU). Build with BUILD_PROCESSES=1 to see each output module's share.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

STAGES: dict[str, float] = {}


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = _cpu()
        try:
            return function(*args, **kwargs)
        finally:
            STAGES[name] = STAGES.get(name, 0.0) + _cpu() - start

    return wrapper


def instrument() -> None:
    from pelican import generators
    from recovery_directory import outputs

    for name in ("PagesGenerator", "ArticlesGenerator", "StaticGenerator", "TemplatePagesGenerator"):
        cls = getattr(generators, name)
        for phase in ("generate_context", "generate_output"):
            if phase in vars(cls):
                setattr(cls, phase, timed(f"{name}.{phase}", getattr(cls, phase)))
    from recovery_directory import build

    cls = build.DirectoryGenerator
    cls.generate_context = timed("DirectoryGenerator.generate_context", cls.generate_context)
    cls.generate_output = timed("DirectoryGenerator.generate_output", cls.generate_output)
    build.read_all = timed("  read_all (listings)", build.read_all)
    build.place_locations = timed("  place_locations", build.place_locations)
    build.prepare_shared = timed("  prepare_shared", build.prepare_shared)
    build.listing_pages.write = timed("  listing pages", build.listing_pages.write)
    original = outputs.output_modules

    def modules() -> list[Any]:
        found = original()
        for module in found:
            if not getattr(module.write, "_timed", False):
                module.write = timed(f"  outputs/{module.__name__.rsplit('.', 1)[-1]}", module.write)
                module.write._timed = True  # type: ignore[attr-defined]
        return found

    outputs.output_modules = modules
    build.output_modules = modules


def main(argv: list[str]) -> int:
    settings, output, *extra = argv
    delete = [] if "--rebuild" in extra else ["--delete-output-directory"]  # --rebuild: into the old output
    extra = [argument for argument in extra if argument != "--rebuild"]
    start = _cpu()
    import pelican

    instrument()
    STAGES["imports"] = _cpu() - start
    try:
        pelican.main(["-s", settings, "-o", output, "-q", *delete, *extra])
    except SystemExit as stop:
        if stop.code:
            raise
    total = _cpu() - start
    for name, seconds in STAGES.items():
        print(f"{name:45} {seconds:7.2f} s  {seconds / total:5.1%}")
    print(f"{'total (CPU, this process and its workers)':45} {total:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
