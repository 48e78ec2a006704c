"""`python -m evals.datasets_build`: write the eval datasets (what `make eval-data` runs)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from evals.cases import DATASETS_DIR
from evals.datasets_build.build import build_all


def main(argv: Sequence[str] | None = None) -> int:
    """Build store_qa, smoke, shopper_requests and multi_turn; print one line per dataset."""
    parser = argparse.ArgumentParser(
        prog="python -m evals.datasets_build", description=main.__doc__
    )
    parser.add_argument("--store", type=Path, default=Path("data/store"), help="store folder")
    parser.add_argument("--dev", type=Path, default=Path("data/dev"), help="dev data folder")
    parser.add_argument("--out", type=Path, default=DATASETS_DIR, help="where the JSONL files go")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for item in build_all(args.store, args.dev, args.out):
        print(f"{item.name}: {item.cases} cases -> {item.path} (sha256 {item.sha256[:16]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
