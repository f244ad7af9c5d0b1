"""The layering holds: entry points → pipeline → storage, no forbidden imports, no import cycles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.layering import dependencies, forbidden_imports, import_cycles

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph():
    return dependencies(ROOT)


def test_the_project_breaks_no_layering_rule(graph):
    assert forbidden_imports(graph) == []


def test_the_project_has_no_import_cycle(graph):
    assert import_cycles(graph) == []


def test_every_stage_package_is_read(graph):
    for module in ("pipeline.net.client", "pipeline.sources.ingest", "pipeline.judge.scoring",
                   "pipeline.dedupe.clustering", "pipeline.publish.gate", "storage.db", "flows.nightly",
                   "web.staff", "plaudit.cli"):
        assert module in graph


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("module, source, expected", [
    ("pipeline/steps.py", "import prefect\n", "pipeline.steps imports prefect"),
    ("pipeline/steps.py", "def f():\n    from flows import nightly\n", "pipeline.steps imports flows.nightly"),
    ("pipeline/judge/x.py", "from starlette.applications import Starlette\n", "pipeline.judge.x imports starlette"),
    ("pipeline/x.py", "from web.staff import app\n", "pipeline.x imports web.staff"),
    ("pipeline/x.py", "import plaudit.cli\n", "pipeline.x imports plaudit.cli"),
    ("storage/db.py", "from pipeline.settings import Settings\n", "storage.db imports pipeline.settings"),
    ("storage/db.py", "from ..pipeline import settings\n", "storage.db imports pipeline.settings"),
    ("storage/db.py", "import fastapi\n", "storage.db imports fastapi"),
])
def test_a_forbidden_import_is_reported(tmp_path, module, source, expected):
    root = _tree(tmp_path, {"pipeline/__init__.py": "", "pipeline/judge/__init__.py": "",
                            "pipeline/settings.py": "", "storage/__init__.py": "", "web/__init__.py": "",
                            "web/staff.py": "", "plaudit/__init__.py": "", "plaudit/cli.py": "",
                            "flows/__init__.py": "", "flows/nightly.py": "", module: source})
    assert expected in forbidden_imports(dependencies(root))


def test_allowed_imports_are_not_reported(tmp_path):
    root = _tree(tmp_path, {"storage/db.py": "import sqlite_utils\n",
                            "pipeline/steps.py": "from storage import db\nimport requests\n",
                            "web/app.py": "import starlette\nfrom pipeline import steps\n",
                            "plaudit/cli.py": "from flows import nightly\nfrom web import app\n",
                            "flows/nightly.py": "import prefect\nfrom pipeline import steps\n"})
    assert forbidden_imports(dependencies(root)) == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    root = _tree(tmp_path, {"plaudit/__init__.py": "",
                            "plaudit/cli.py": "def demo():\n    from plaudit.demo import run\n",
                            "plaudit/demo.py": "from plaudit import cli\n"})
    assert import_cycles(dependencies(root)) == [["plaudit.cli", "plaudit.demo"]]


def test_a_longer_cycle_is_found_and_a_chain_is_not(tmp_path):
    chain = {"pipeline/a.py": "from pipeline import b\n", "pipeline/b.py": "from pipeline.c import x\n",
             "pipeline/c.py": "x = 1\n"}
    assert import_cycles(dependencies(_tree(tmp_path / "chain", chain))) == []
    loop = dict(chain, **{"pipeline/c.py": "import pipeline.a\n"})
    assert import_cycles(dependencies(_tree(tmp_path / "loop", loop))) == [["pipeline.a", "pipeline.b", "pipeline.c"]]


def test_a_package_importing_from_its_own_module_is_not_a_cycle_unless_the_module_imports_it_back(tmp_path):
    files = {"pipeline/sources/__init__.py": "from pipeline.sources.csv import CsvSource\n",
             "pipeline/sources/csv.py": "from pipeline.sources.base import Fetcher\n",
             "pipeline/sources/base.py": "class Fetcher: ...\n"}
    assert import_cycles(dependencies(_tree(tmp_path / "ok", files))) == []
    files["pipeline/sources/csv.py"] = "from pipeline.sources import Fetcher\n"
    assert import_cycles(dependencies(_tree(tmp_path / "loop", files))) == [
        ["pipeline.sources", "pipeline.sources.csv"]]
