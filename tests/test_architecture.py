"""The import contracts of pyproject.toml hold, and they would catch an upward import or a lost exception."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["lms", "courses", "assessments", "careerpaths", "assignment"]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def lint_imports(tree: Path, config: dict | None = None) -> subprocess.CompletedProcess:
    """Run import-linter on a tree holding the apps, with the project's contracts (or the ones given)."""
    config_file = tree / "contracts.toml"
    config = config or tomllib.loads((ROOT / "pyproject.toml").read_text())
    config_file.write_text(to_toml(config["tool"]["importlinter"]))
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(config_file), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def to_toml(settings: dict) -> str:
    """import-linter's settings as TOML (the few value types they use)."""

    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v + '"'
        return "[" + ", ".join(value(item) for item in v) + "]"

    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {value(v)}" for key, v in settings.items() if key != "contracts"]
    for contract in settings["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {value(v)}" for key, v in contract.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the apps' code, to break on purpose."""
    root = tmp_path_factory.mktemp("code")
    for app in APPS:
        shutil.copytree(ROOT / app, root / app, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def contracts() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_code_keeps_every_contract(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tree):
    selectors = tree / "careerpaths" / "selectors.py"
    kept = selectors.read_text()
    selectors.write_text(kept + "\nfrom assignment.models import WorkResult  # noqa\n")
    try:
        result = lint_imports(tree)
    finally:
        selectors.write_text(kept)
    assert result.returncode != 0
    assert "careerpaths.selectors -> assignment.models" in result.stdout


def test_a_selector_that_imports_a_service_breaks_its_contract(tree):
    selectors = tree / "courses" / "selectors.py"
    kept = selectors.read_text()
    selectors.write_text(kept + "\nfrom courses import services  # noqa\n")
    try:
        result = lint_imports(tree)
    finally:
        selectors.write_text(kept)
    assert result.returncode != 0
    assert "courses.selectors -> courses.services" in result.stdout


def test_every_exception_is_needed(tree):
    """Deleting any one exception of the layers breaks the contract: none is left over from old code."""
    config = contracts()
    layers = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "apps")
    exceptions = list(layers["ignore_imports"])
    for exception in exceptions:
        layers["ignore_imports"] = [e for e in exceptions if e != exception]
        result = lint_imports(tree, config)
        importer = exception.split(" -> ")[0].rstrip(".*")
        assert result.returncode != 0, exception
        assert importer in result.stdout, exception
