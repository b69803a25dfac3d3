"""`python -m benchmarks.profile STAGE [--docs N]`: cProfile one stage on synthetic data and print
where its time goes (the evidence behind the notes in benchmarks/PROFILE.md).

Stages: build (full build of a --docs repository), rebuild (the build after one changed document,
the full build before it untimed), validate (validate_tables on it),
clean_text / clean_html (--docs pages).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from peacetalks.taxonomy import load_taxonomy  # noqa: E402

from .repo import ROOT, change_document, make_repo  # noqa: E402
from .synth import SyntheticCorpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    p.add_argument("stage", choices=("build", "rebuild", "validate", "clean_text", "clean_html"))
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="peacetalks-profile-"))
    prof = cProfile.Profile()
    try:
        if args.stage in ("build", "rebuild", "validate"):
            repo = make_repo(work / "repo", args.docs)
            if args.stage in ("build", "rebuild"):
                from peacetalks.build import build_release

                if args.stage == "rebuild":
                    build_release(repo, work / "out")
                    change_document(repo, repo.doc_ids()[0])
                prof.runcall(build_release, repo, work / "out")
            else:
                from peacetalks.tables import tables_from_repo
                from peacetalks.validate import validate_tables

                tables = tables_from_repo(repo)
                tax = load_taxonomy(repo.taxonomy_file)
                prof.runcall(validate_tables, tables, tax, repo.validation_dir, work / "gx")
        else:
            from peacetalks.clean import clean_bytes

            corpus = SyntheticCorpus(load_taxonomy(ROOT / "schema" / "taxonomy.yaml"), 0, ROOT)
            html = args.stage == "clean_html"
            pages = [(corpus.html_page(i) if html else corpus.raw_page(i)).encode()
                     for i in range(args.docs)]
            kind = "text/html" if html else "text/plain"
            clean_bytes(pages[0], "warm", kind)

            def run() -> None:
                for i, data in enumerate(pages):
                    clean_bytes(data, f"p{i}", kind)

            prof.runcall(run)
        pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
