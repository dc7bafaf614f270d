"""docs/architecture.md draws the layers from the import contract in pyproject.toml: the two say
the same, and every app in the contract says in its first docstring what it is for and what it
may import."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return layers


def test_the_page_shows_the_contract_s_layers() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"```layers\n(.*?)```", page, re.S)
    assert block is not None, "docs/architecture.md has no ```layers block"
    drawn = [" ".join(line.split()) for line in block.group(1).strip().splitlines()]
    assert drawn == [" ".join(layer.split()) for layer in _contract()["layers"]]  # type: ignore[union-attr]


def test_every_app_says_what_it_is_for_and_what_it_may_import() -> None:
    apps = {
        name
        for layer in _contract()["layers"]  # type: ignore[union-attr]
        for name in re.split(r"[|:]", layer)
    }
    for name in sorted(a.strip() for a in apps):
        module = importlib.import_module(f"civic311.{name}")
        if not hasattr(module, "__path__"):
            continue  # a single module (urls, choices): its place is the contract's
        doc = module.__doc__ or ""
        assert len(doc.split()) >= 12, f"civic311/{name}/__init__.py says too little"
        assert re.search(r"may import", doc, re.I), name
