"""Leave out the shared libraries no kept module or plugin loads.

PyInstaller collects the libraries of every Qt plugin it finds; build.spec then drops the
plugins the kiosk does not use (Wayland, GTK themes, QML tooling), but their libraries stay
(GTK 3, cairo, Wayland: PLATFORM pitfall 10). Roots are the Python extension modules, the
kept Qt plugins and the libraries loaded by name at run time (zbar, Python itself); a
library that no root needs, directly or through another, is dropped.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

Entry = tuple[str, str, str]  # PyInstaller TOC: (dest, src, typecode)


def _needed(path: str) -> list[str]:
    done = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False)
    return re.findall(r"^\s*NEEDED\s+(\S+)", done.stdout, re.MULTILINE)


def reachable_only(entries: Iterable[Entry], is_root: Callable[[Entry], bool]) -> list[Entry]:
    """`entries` less the plain libraries (typecode BINARY) no root needs."""
    entries = list(entries)
    by_name: dict[str, list[Entry]] = {}
    for entry in entries:
        by_name.setdefault(Path(entry[0]).name, []).append(entry)
    seen: set[str] = set()
    todo = [entry for entry in entries if is_root(entry)]
    while todo:
        entry = todo.pop()
        name = Path(entry[0]).name
        if name in seen:
            continue
        seen.add(name)
        if not Path(entry[1]).is_file():
            continue
        for needed in _needed(entry[1]):
            todo.extend(by_name.get(needed, []))
    return [e for e in entries if e[2] != "BINARY" or Path(e[0]).name in seen]
