"""The apps depend one way: ``actors`` (who exists) never imports ``meetings`` (what they did), nor the project."""

from pathlib import Path

from importlinter import cli

CONFIG = Path(__file__).resolve().parent.parent / ".importlinter"


def test_actors_imports_neither_meetings_nor_the_project():
    # The contracts of .importlinter, checked on the import graph of the source (nothing is imported).
    assert cli.lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == cli.EXIT_STATUS_SUCCESS
