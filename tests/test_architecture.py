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


def lint_with_line_added(tree: Path, module: str, line: str) -> subprocess.CompletedProcess:
    """import-linter's verdict on the tree with one line added to a module (taken out again after)."""
    path = tree / module
    kept = path.read_text()
    path.write_text(kept + "\n" + line + "  # noqa\n")
    try:
        return lint_imports(tree)
    finally:
        path.write_text(kept)


UPWARD = "from assignment.models import WorkResult"


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        # careerpaths is below assignment: it may not import it, even for one model.
        ("careerpaths/selectors.py", UPWARD, "careerpaths.selectors -> assignment.models"),
        # A selector only reads.
        ("courses/selectors.py", "from courses import services", "courses.selectors -> courses.services"),
        # The learner core imports none of lms's composition parts.
        ("lms/selectors.py", "from lms.records import rollup", "lms.selectors -> lms.records.rollup"),
        # A page may compose any app, but reads it through its selectors, never its models.
        ("lms/portal/home.py", UPWARD, "lms.portal.home -> assignment.models"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tree, module, line, named):
    result = lint_with_line_added(tree, module, line)
    assert result.returncode != 0
    assert named in result.stdout


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
