"""Tests write only under pytest's tmp_path / tmp_path_factory, never loose in the system temporary folder."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_module_uses_the_system_temporary_folder() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == Path(__file__).name:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\btempfile\b", line) and path.name != "conftest.py":
                offenders.append(f"{path.relative_to(TESTS)}:{n}: {line.strip()}")
    assert not offenders, "use tmp_path or tmp_path_factory:\n" + "\n".join(offenders)


def test_the_temporary_folder_is_pytests_own(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    # conftest points tempfile (and child processes, through TMPDIR) into pytest's pruned tree
    assert Path(tempfile.gettempdir()).is_relative_to(tmp_path_factory.getbasetemp())
