"""Pre-annotator cost per document, and the quote rules' quality against the committed gold.

    .venv/bin/python -m benchmarks.quote_prelabel                # 2000 synthetic docs, best of 3
    .venv/bin/python -m benchmarks.quote_prelabel --docs 500 --repeat 5
    .venv/bin/python -m benchmarks.quote_prelabel --eval-only    # just the quality table

Not a row of `python -m benchmarks` (that runner is not touched): a quick check that a change to
the quote rules keeps `ls push` within its budget (the pre-annotator runs once per pushed
document). Timed: `push.rule_prelabeler(tax, repo)` over the documents of
`synth.SyntheticCorpus(tax, 0, ROOT)` (built once, outside the timing), and `detect_quotes` alone
on the same documents with the same entities. Best of --repeat runs (the machine is shared).
Quality: `peacetalks.prelabel_eval.evaluate_repo` (per quote kind, see that module).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import best_of  # noqa: E402
from peacetalks.paths import Repo  # noqa: E402
from peacetalks.prelabel import _entities, load_rules  # noqa: E402
from peacetalks.prelabel_eval import evaluate_repo, format_scores  # noqa: E402
from peacetalks.prelabel_quotes import detect_quotes  # noqa: E402
from peacetalks.push import rule_prelabeler  # noqa: E402
from peacetalks.taxonomy import load_taxonomy  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.quote_prelabel", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--eval-only", action="store_true")
    args = p.parse_args(argv)
    repo = Repo(ROOT)
    tax = load_taxonomy(repo.taxonomy_file)
    print(format_scores(evaluate_repo(repo, tax)))
    if args.eval_only:
        return
    from benchmarks.synth import SyntheticCorpus

    corpus = SyntheticCorpus(tax, 0, ROOT)
    docs = [corpus.document(i)[0] for i in range(args.docs)]
    prelabeler = rule_prelabeler(tax, repo)
    full = best_of(lambda: [prelabeler(d) for d in docs], args.repeat)
    rules = load_rules(tax, repo.entity_patterns_file)
    # the entities the quote rules see inside prelabel (patterns only; enough for timing)
    from peacetalks.prelabel import EntityMatcher, GoldIndex

    matcher = EntityMatcher.build(rules, GoldIndex())
    ents = [_entities(d.text, sum(matcher.candidates(d.text), [])) for d in docs]
    quotes = best_of(lambda: [
        detect_quotes(d.text, e, rules.quotes, tax.speaker_allowed) for d, e in zip(docs, ents)],
        args.repeat)
    n = len(docs)
    print(f"{n} synthetic docs, best of {args.repeat}: rule_prelabeler {full / n * 1e6:.0f} us/doc, "
          f"detect_quotes alone {quotes / n * 1e6:.0f} us/doc")


if __name__ == "__main__":
    main()
