"""Render the release's README.md: dataset_card.md's prose + generated YAML and statistics.

dataset_card.md holds what people decide (prose; in its own YAML front matter: license,
pretty_name, task categories, who annotates). Everything that is a fact about the data is
generated here from the Features and the build's statistics, never typed by hand:
- the YAML `configs` (data_files per split) and `dataset_info` (features, split sizes) through
  datasets' own MetadataConfigs / DatasetInfosDict, `language` and `size_categories`;
- `{{placeholders}}` in the prose: statistics, label tables, annotation provenance, versions.
An unknown placeholder is an error, so a typo cannot ship as literal braces.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml
from datasets import Features
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from .annotators import AnnotatorInfo, load_registry
from .errors import ReleaseError
from .fsio import read_json
from .features import CONFIG_NAMES, DEFAULT_CONFIG
from .paths import Repo
from .splits import SPLITS
from .taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from .build import BuildResult

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
GENERATED_KEYS = ("configs", "dataset_info", "language", "size_categories")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    data = yaml.safe_load(m.group(1)) or {}
    if not isinstance(data, dict):
        raise ReleaseError("dataset_card.md: the YAML front matter must be a mapping")
    return data, text[m.end():]


def size_category(n: int) -> str:
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
              (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")]
    return next((label for bound, label in bounds if n < bound), "10M<n<100M")


def card_data(
    template_meta: dict[str, Any], features: dict[str, Features], result: BuildResult,
    stats: dict[str, dict[str, Any]], registry: dict[str, AnnotatorInfo] | None = None,
) -> DatasetCardData:
    meta = {k: v for k, v in template_meta.items() if k not in GENERATED_KEYS}
    present = sorted({a for s in stats.values() for a in s["annotators"]})
    if registry and present and all(a in registry for a in present):
        # Truthful: derived from who actually produced the passes (annotations/annotators.yaml).
        meta["annotations_creators"] = sorted({registry[a].annotations_creator for a in present})
    total = sum(s["documents"] for s in stats.values())
    annotated = any(sum(s["entities"].values()) + sum(s["quotes"].values())
                    + sum(s["events"].values()) + s["passes"] for s in stats.values())
    if not annotated:  # truthful: nothing has been annotated yet, whatever the template hopes
        meta["annotations_creators"] = ["no-annotation"]
    languages = sorted({lang for s in stats.values() for lang in s["languages"]})
    data = DatasetCardData(**meta, language=languages, size_categories=[size_category(total)])

    configs, infos = {}, {}
    for config in CONFIG_NAMES:
        splits = result.files[config]
        if not splits:
            continue
        ordered = [s for s in SPLITS if s in splits]
        configs[config] = {
            "data_files": [{"split": s, "path": f"data/{config}/{s}-*.parquet"} for s in ordered],
            **({"default": True} if config == DEFAULT_CONFIG else {}),
        }
        split_dict = SplitDict()
        for s in ordered:  # num_bytes: in-memory Arrow size; datasets ignores splits without it
            split_dict.add(SplitInfo(s, num_bytes=result.nbytes[config][s],
                                     num_examples=result.rows[config][s]))
        infos[config] = DatasetInfo(features=features[config], splits=split_dict)
    MetadataConfigs(configs).to_dataset_card_data(data)
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def statistics_md(stats: dict[str, dict[str, Any]], tax: Taxonomy) -> str:
    splits = [s for s in SPLITS]
    col = lambda key: [stats[s][key] for s in splits]  # noqa: E731
    total = lambda vals: sum(vals)  # noqa: E731
    rows = []
    for key, label in [("documents", "documents"), ("sentences", "sentences"), ("tokens", "tokens")]:
        rows.append([label, *col(key), total(col(key))])
    for key in ("entities", "quotes", "events"):
        vals = [sum(stats[s][key].values()) for s in splits]
        rows.append([f"{key} (gold)", *vals, total(vals)])
    rows.append(["annotator passes", *col("passes"), total(col("passes"))])
    out = [_table(["", *splits, "total"], rows)]
    for key, names, title in [("entities", tax.entity_labels, "Entity mentions per label"),
                              ("quotes", tax.quote_kind_names, "Quotes per kind"),
                              ("events", tax.event_type_names, "Events per type")]:
        table = [[n, *(stats[s][key].get(n, 0) for s in splits),
                  sum(stats[s][key].get(n, 0) for s in splits)] for n in names]
        out.append(f"**{title}**\n\n" + _table(["", *splits, "total"], table))
    return "\n\n".join(out)


def annotators_md(stats: dict[str, dict[str, Any]], registry: dict[str, AnnotatorInfo]) -> str:
    """Who produced the passes, per pseudonym, from annotations/annotators.yaml."""
    passes: dict[str, int] = {}
    for s in stats.values():
        for a, n in s.get("passes_by_annotator", {}).items():
            passes[a] = passes.get(a, 0) + n
    lines = []
    for a in sorted({a for s in stats.values() for a in s["annotators"]}):
        info = registry.get(a)
        who = (f"{info.kind}: {info.description}" if info
               else "not declared in annotations/annotators.yaml (unknown kind)")
        count = f" ({passes[a]} passes)" if a in passes else ""
        lines.append(f"  - `{a}`{count} — {who}")
    return "\n".join(lines)


def provenance_md(stats: dict[str, dict[str, Any]],
                  registry: dict[str, AnnotatorInfo] | None = None) -> str:
    docs = sum(s["documents"] for s in stats.values())
    passes = sum(s["passes"] for s in stats.values())
    annotators = sorted({a for s in stats.values() for a in s["annotators"]})
    sources: dict[str, int] = {}
    for s in stats.values():
        for k, v in s["gold_sources"].items():
            sources[k] = sources.get(k, 0) + v
    if not passes and not sources:
        return (
            f"**No annotations exist yet.** This release contains {docs} cleaned documents whose "
            "gold layers (entities, quotes, events) are empty, and the `ner` config tags every "
            "token `O`. The configs `entities`, `quotes`, `events` and `annotator_passes` are "
            "absent because they would have no rows."
        )
    gold_docs = sum(sources.values())
    lines = [
        f"- {passes} submitted annotation passes by {len(annotators)} annotator(s), identified "
        "only by pseudonyms (no names or e-mail addresses are published):",
        annotators_md(stats, registry or {}),
        f"- {gold_docs} of {docs} documents have a gold layer; it was chosen as follows: "
        + (", ".join(f"`{k}` for {v}" for k, v in sorted(sources.items())) or "none") + ".",
        f"- {docs - gold_docs} documents have no gold layer yet (empty lists in `documents`).",
        "- Rule-based pre-annotations (suggestions shown in Label Studio) are not published as "
        "annotations: only passes submitted by annotators are included. A pass that started "
        "from a pre-annotation (the annotator accepted and edited it) names its rule set or "
        "model in the `from_prediction` column of `annotator_passes`; it is null for passes "
        "made from scratch.",
        "- No inter-annotator agreement figures are reported in this card; the "
        "`annotator_passes` config contains every pass so that agreement can be computed.",
    ]
    return "\n".join(lines)


def _licences(repo: Repo) -> dict[str, int]:
    """Licence field of every raw file in corpus/raw/manifest.json (null/missing → unknown)."""
    if not repo.manifest.is_file():
        return {}
    try:
        data = read_json(repo.manifest)
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{repo.manifest}: unreadable ({exc})") from exc
    records = data.get("files", data) if isinstance(data, dict) else data
    if isinstance(records, dict):
        records = list(records.values())
    out: dict[str, int] = {}
    for r in records if isinstance(records, list) else []:
        if isinstance(r, dict):
            lic = r.get("licence", r.get("license")) or (r.get("provenance") or {}).get("licence")
            key = str(lic) if lic else "unknown"
            out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


def sources_md(repo: Repo, stats: dict[str, dict[str, Any]]) -> str:
    pubs: dict[str, int] = {}
    for s in stats.values():
        for k, v in s["publishers"].items():
            pubs[k or "not stated in the text"] = pubs.get(k or "not stated in the text", 0) + v
    rows = [[k, v] for k, v in sorted(pubs.items(), key=lambda kv: (-kv[1], kv[0]))]
    out = "**Documents per publisher** (as stated in the article text; never guessed)\n\n"
    out += _table(["publisher", "documents"], rows)
    lic = _licences(repo)
    if lic:
        out += "\n\n**Licence of the raw files** (from corpus/raw/manifest.json)\n\n"
        out += _table(["licence", "raw files"], [[k, v] for k, v in lic.items()])
    else:
        out += "\n\nNo licence is recorded for any raw file: treat every text as unknown."
    return out


def label_tables_md(repo: Repo, tax: Taxonomy) -> str:
    generated = repo.generated_dir / "label_tables.md"
    if generated.is_file():
        return generated.read_text(encoding="utf-8").strip()
    parts = []
    for title, labels in [("Entity labels", tax.entities), ("Quote kinds", tax.quote_kinds),
                          ("Event types", tax.event_types), ("Realis", tax.realis),
                          ("Event argument roles", tax.event_roles)]:
        rows = [[f"`{x.name}`", x.description, x.example] for x in labels]
        parts.append(f"**{title}**\n\n" + _table(["label", "description", "example"], rows))
    return "\n\n".join(parts)


def configs_md(result: BuildResult) -> str:
    rows = []
    for config in CONFIG_NAMES:
        counts = result.rows[config]
        if result.files[config]:
            rows.append([f"`{config}`", *(counts.get(s, 0) for s in SPLITS)])
        else:
            rows.append([f"`{config}`", *(["absent (no rows yet)"] * len(SPLITS))])
    return _table(["config", *SPLITS], rows)


def render_readme(
    repo: Repo, features: dict[str, Features], result: BuildResult,
    stats: dict[str, dict[str, Any]], version: str,
) -> str:
    if not repo.dataset_card.is_file():
        raise ReleaseError(f"{repo.dataset_card}: the card's prose is missing")
    meta, prose = split_front_matter(repo.dataset_card.read_text(encoding="utf-8"))
    tax = load_taxonomy(repo.taxonomy_file)
    registry = load_registry(repo)
    values = {
        "version": version,
        "schema_version": tax.version,
        "statistics": statistics_md(stats, tax),
        "provenance": provenance_md(stats, registry),
        "label_tables": label_tables_md(repo, tax),
        "configs": configs_md(result),
        "sources": sources_md(repo, stats),
        "guidelines": (
            "[`GUIDELINES.md`](GUIDELINES.md), shipped with this release (a copy of "
            "`annotations/GUIDELINES.md` in the source repository)"
            if repo.guidelines.is_file()
            else "not written yet (`annotations/GUIDELINES.md` is missing from the source repository)"
        ),
        "documents": str(sum(s["documents"] for s in stats.values())),
    }
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(prose)} - set(values))
    if unknown:
        raise ReleaseError(
            f"dataset_card.md: unknown placeholders {unknown} (known: {', '.join(sorted(values))})"
        )
    body = PLACEHOLDER.sub(lambda m: values[m.group(1)], prose)
    data = card_data(meta, features, result, stats, registry)
    return f"---\n{data.to_yaml()}\n---\n{body.rstrip()}\n"
