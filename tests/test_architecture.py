"""The layout is the architecture: these checks keep it so as the code grows.

- `app/core/` (config, db, errors, ETags, URLs, ...) imports no domain package, only itself and
  the engine seam; `app/engines/` imports only `app/core/` and itself;
- `app` never imports `seed/` (the seed's data is read from files; its loader is app.seeding);
- nothing branches on the database dialect outside `app/engines/`;
- no module grows past the size a reader can hold in mind.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
MAX_LINES = 300


def _modules() -> list[Path]:
    return sorted(APP.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every module a file imports, as dotted names (relative imports are not used here)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _app_packages(imports: set[str]) -> set[str]:
    return {name.split(".")[1] for name in imports if name.startswith("app.") and "." in name}


@pytest.mark.parametrize("module", sorted((APP / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_imports_no_domain_package(module: Path):
    assert _app_packages(_imports(module)) - {"core", "engines"} == set()


@pytest.mark.parametrize("module", sorted((APP / "engines").glob("*.py")), ids=lambda p: p.name)
def test_engines_import_only_core(module: Path):
    assert _app_packages(_imports(module)) - {"core", "engines"} == set()


def test_app_does_not_import_seed():
    importers = [
        str(path.relative_to(APP))
        for path in _modules()
        if any(name == "seed" or name.startswith("seed.") for name in _imports(path))
    ]
    assert importers == []


def test_only_the_engine_seam_knows_the_dialect():
    branching = [
        str(path.relative_to(APP))
        for path in _modules()
        if path.parent.name != "engines" and "dialect.name" in path.read_text()
    ]
    assert branching == []


def test_no_module_is_too_long_to_read():
    long = {
        str(path.relative_to(APP)): n
        for path in _modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
