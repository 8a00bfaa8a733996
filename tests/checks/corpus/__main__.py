"""make check-corpus: build the corpus (Word, then PDF by LibreOffice), check it, print precision and recall by rule."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .build import build_corpus
from .score import check_corpus, summary

ROOT = Path(__file__).resolve().parents[3]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossier", type=Path, help="où écrire le corpus (par défaut, un dossier temporaire)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atfpb-corpus-") as temporary:
        folder = args.dossier or Path(temporary)
        outcomes = check_corpus(build_corpus(folder), ROOT)
        text, met = summary(outcomes)
    print(text)
    print("\nObjectifs atteints." if met else "\nObjectifs NON atteints.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
