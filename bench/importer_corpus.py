"""Print the importer's scores on the held-out corpus (tests/data/corpus), one line per summary and kind of record.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/importer_corpus.py

Run on a database holding the 2020 meeting (`manage.py loaddata som-2020`) and nothing imported since: the
scores are those tests/test_importer_corpus.py asserts (each at least 0.95).
"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budapest.settings")

import django  # noqa: E402

django.setup()

from tests.corpus import NAMES, expected, read, score  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in NAMES:
            summary = read(name, Path(folder))
            scores = score(summary, expected(name))
            figures = ", ".join(
                f"{kind} {value.right}/{value.total} ({value.share:.0%})" for kind, value in scores.items()
            )
            sys.stdout.write(f"{name}: {figures}; reported {len(summary.unrecognised)}: {summary.unrecognised}\n")
            for kind, value in scores.items():
                for problem in value.wrong:
                    sys.stdout.write(f"    {kind}: {problem}\n")


if __name__ == "__main__":
    main()
