"""Apps import one way only: accounts ← campaign ← powers ← risks ←
earlywarnings ← publicity ← acceptance. An app lower in the chain offers
registries instead of importing the apps above it."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
ORDER = settings.LOCAL_APPS


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in ORDER)
    return found


@pytest.mark.parametrize("app", ORDER)
def test_no_app_imports_an_app_above_it(app):
    allowed = set(ORDER[: ORDER.index(app) + 1])
    offenders = []
    for path in sorted((ROOT / app).rglob("*.py")):
        wrong = imported_apps(path) - allowed
        if wrong:
            offenders.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(wrong))}")
    assert offenders == []


def test_the_chain_is_the_documented_one():
    assert ORDER == [
        "accounts",
        "campaign",
        "powers",
        "risks",
        "earlywarnings",
        "publicity",
        "acceptance",
    ]
