"""The layers are checked by a machine (import-linter, `make lint`, pyproject.toml): the contract
holds on the code as it is, and a planted import that breaks it makes the check fail, naming it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy(tmp_path: Path) -> Path:
    """The package's Python files and the contract, in a folder of their own."""
    shutil.copytree(
        ROOT / "civic311",
        tmp_path / "civic311",
        ignore=lambda folder, names: [
            n for n in names if not (n.endswith(".py") or (Path(folder) / n).is_dir())
        ],
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    # The copy comes first on the path, before the installed (editable) package.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _plant(folder: Path, module: str, line: str, *, inside_function: bool) -> None:
    path = folder / (module.replace(".", "/") + ".py")
    if inside_function:  # as a lazy import would hide it: still an import
        line = f"\n\ndef _planted() -> None:\n    {line}"
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_code_keeps_the_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "inside_function", "named"),
    [
        (
            "civic311.service_requests.selectors",
            "from civic311.staff import queue",
            False,
            "civic311.service_requests.selectors -> civic311.staff.queue",
        ),
        (
            "civic311.notifications.outbox",
            "import civic311.webhooks.events",
            True,
            "civic311.notifications.outbox -> civic311.webhooks.events",
        ),
        (
            "civic311.resident.views",
            "from civic311.staff import desk",
            False,
            "civic311.resident.views -> civic311.staff.desk",
        ),
        (
            "civic311.lib.formats",
            "from civic311.catalog import models",
            False,
            "civic311.lib.formats -> civic311.catalog.models",
        ),
    ],
    ids=["core-to-interface", "core-to-interface-lazy", "interface-to-interface", "lib-to-core"],
)
def test_a_planted_import_breaks_the_contract(
    tmp_path: Path, module: str, line: str, inside_function: bool, named: str
) -> None:
    folder = _copy(tmp_path)
    _plant(folder, module, line, inside_function=inside_function)
    result = _lint(folder)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert named in result.stdout
