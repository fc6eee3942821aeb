"""The README tells the truth: demo users, settings, and the same commands CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.demo import DEMO_USERS
from kiosk.settings import setting_names

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROLE_WORDS = {
    "OPERATOR": "Operator",
    "QC_INSPECTOR": "QC inspector",
    "SUPERVISOR": "Supervisor",
    "WAREHOUSE_STAFF": "Warehouse staff",
    "WAREHOUSE_ADMIN": "Warehouse admin",
    "ADMIN": "Admin",
}


def test_the_demo_user_table_matches_the_demo_site() -> None:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in README.splitlines()
        if re.match(r"^\| E\d+ \|", line)
    ]
    documented = {tuple(row) for row in rows}
    actual = {
        (
            user.employee_no,
            user.name,
            ROLE_WORDS[user.role.value],
            "" if user.department is None else user.department.value,
            ", ".join(user.lines),
            user.pin,
            user.badge,
        )
        for user in DEMO_USERS
    }
    assert documented == actual


def test_every_setting_is_documented() -> None:
    for name in setting_names():
        assert f"| `{name}` |" in README, name


def test_ci_runs_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install, test = re.findall(r"\*\*[^*]+\*\*\n\n```\n(.+)\n```", README)[:2]
    assert install == "scripts/install && .venv/bin/kiosk --demo"
    assert "\nscripts/install\n" in ci
    assert f"\n{test}\n" in ci


def test_the_screenshots_exist() -> None:
    shown = re.findall(r"(docs/[\w/-]+\.png)", README)
    assert "docs/admin/devices.png" in shown and "docs/setup/address.png" in shown
    for path in shown:
        assert (ROOT / path).is_file(), path
