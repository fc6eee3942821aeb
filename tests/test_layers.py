"""The domain, services and store import no Qt: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import kiosk.domain, kiosk.services, kiosk.store
for package in (kiosk.domain, kiosk.services, kiosk.store):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
import kiosk.demo, kiosk.settings
leaked = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
print(",".join(leaked) or "clean")
"""


def test_domain_services_and_store_never_import_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "clean"


# Slip signatures (Ed25519) are domain rules the kiosk and the server share: the domain may
# use `cryptography` and the C modules it loads, as it uses hashlib, and nothing else.
_CRYPTOGRAPHY = {"cryptography", "_cffi_backend", "_openssl"}


def test_the_domain_imports_only_the_standard_library_uuid6_and_cryptography() -> None:
    probe = (
        "import sys, importlib, pkgutil, kiosk.domain\n"
        "before = set(sys.modules)\n"
        "for m in pkgutil.walk_packages(kiosk.domain.__path__, 'kiosk.domain.'):\n"
        "    importlib.import_module(m.name)\n"
        "roots = {n.split('.')[0] for n in set(sys.modules) - before}\n"
        "print(','.join(sorted(r for r in roots if r not in sys.stdlib_module_names)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    # zoneinfo reads the interpreter's build settings (sysconfig's `_sysconfigdata_…`, part
    # of the standard library though not named in `sys.stdlib_module_names`) for its TZPATH.
    imported = {
        name
        for name in filter(None, result.stdout.strip().split(","))
        if not name.startswith("_sysconfigdata_")
    }
    assert imported <= {"kiosk", "uuid6", *_CRYPTOGRAPHY}


def test_document_rendering_loads_no_widgets_and_no_print_support() -> None:
    """It runs on the printer's worker thread (widgets may not) and serves previews too."""
    probe = (
        "import sys, kiosk.printing.document_renderer\n"
        "print(sorted(n for n in sys.modules if n in "
        "('PySide6.QtWidgets', 'PySide6.QtPrintSupport') or n.startswith('kiosk.devices')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
