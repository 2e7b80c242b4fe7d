"""The floors run one way: the import-linter contract holds, and pure rules load nothing else."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "core",
    "advisers",
    "meetings",
    "consultations",
    "cases",
    "evaluation",
    "reports",
    "demo",
]
RULES = sorted(
    f"{path.parent.name}.rules" for package in PACKAGES for path in ROOT.glob(f"{package}/rules.py")
)
#: what a pure rules module must never bring in, even indirectly
FORBIDDEN = ("flask_wtf", "wtforms", "flask_sqlalchemy", "sqlalchemy", "flask_login")


def test_every_domain_package_has_pure_rules_to_check():
    assert {"advisers.rules", "meetings.rules", "evaluation.rules"} <= set(RULES)


@pytest.mark.parametrize("module", RULES)
def test_a_rules_module_loads_no_forms_views_or_database(module):
    probe = (
        f"import sys, {module}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{FORBIDDEN!r} or m.endswith('.views') or m == 'core' or m.startswith('core.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]", f"{module} loads {loaded.stdout.strip()}"


def test_the_import_linter_contract_holds():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:]
