"""Training and evaluating the relevance model (`rcjobs train`); needs the `train` extra.

Labelled examples come from the recorded fixtures (../shared/fixtures) through the label files
in tests/normalize/data (see its README for how every label was made), from hand-written
examples of the hard cases, and from an installation's editor corrections and review
decisions (read from its database by board.review.training_data). The model is a logistic
regression over title features (roles.title_features), calibrated by Platt scaling on
out-of-fold scores; it is written as a JSON file of weights that board.normalize.relevance
reads with no scikit-learn.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from board.normalize import roles, text
from board.normalize.institution import canonical_institution
from board.normalize.relevance import RelevanceModel

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_LABELS = REPO_ROOT / "tests" / "normalize" / "data"
# Chosen by 5-fold cross-validation on the dev split (0.3-3 tried): equal recall, best rejection.
DEFAULT_C = 0.5
DEFAULT_MIN_COUNT = 2
DEFAULT_FOLDS = 5
SEED = 20260210

POSITIVE_KINDS = ("board", "newsletter", "rc_lead")
# Sources left out one at a time to measure how the model does on a source it never saw.
OUT_OF_SOURCE = ("rct-jobboard", "usrse-history", "usajobs-doe")
NEGATIVE_KINDS = ("rc_ic", "lead_non_rc", "other_non_rc", "vendor_product")
KIND_LABEL = {
    "board": "curated board postings",
    "newsletter": "newsletter highlights",
    "rc_lead": "US-RSE leadership titles",
    "rc_ic": "individual-contributor research computing",
    "lead_non_rc": "leadership outside research computing",
    "other_non_rc": "other federal titles",
    "vendor_product": "vendor product roles",
    "hand": "hand-written hard cases",
    "editor": "editor corrections",
    "review": "review queue decisions",
}


class TrainingError(RuntimeError):
    """Training cannot run: no fixtures, no labels, no scikit-learn, or too few examples."""


@dataclass
class Example:
    """One labelled posting: what the normalizer reads and whether it is relevant."""

    title: str
    relevant: bool
    kind: str
    split: str = "train"
    source: str = ""
    key: str = ""
    institution: str | None = None
    description: str | None = None
    location: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def split_of(source: str, key: str) -> str:
    """heldout for about 40% of examples (CRC-32 of "source:key" is 0-3 mod 10), else dev."""
    return "heldout" if zlib.crc32(f"{source}:{key}".encode()) % 10 < 4 else "dev"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _read(fixtures: Path, relative: str) -> str:
    path = fixtures / relative
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise TrainingError(f"cannot read fixture {path}: {exc.strerror or exc}") from exc


def _usrse_current(fixtures: Path) -> dict[str, str]:
    """Title -> location of the US-RSE board's current YAML list (flat, two-space entries)."""
    found: dict[str, str] = {}
    entry: dict[str, str] = {}
    last = ""
    for line in _read(fixtures, "datasets/usrse-jobs-current.yml").splitlines():
        match = re.match(r"^(-\s+|\s\s)(\w+):\s*(.*)$", line)
        if match:
            if match.group(1).startswith("-"):
                if entry.get("name"):
                    found.setdefault(entry["name"], entry.get("location", ""))
                entry = {}
            last = match.group(2)
            entry[last] = match.group(3).strip()
        elif line.startswith("    ") and last:
            entry[last] = f"{entry.get(last, '')} {line.strip()}"
    if entry.get("name"):
        found.setdefault(entry["name"], entry.get("location", ""))
    return {json.loads(k) if k.startswith('"') else k: v for k, v in found.items()}


def labelled_examples(fixtures: Path, labels: Path = DEFAULT_LABELS) -> list[Example]:
    """Every labelled example: fixture postings named by labelled.jsonl, plus handwritten.jsonl."""
    label_file = labels / "labelled.jsonl"
    if not label_file.exists():
        raise TrainingError(f"no label file at {label_file}")
    board = {
        str(job["id"]): job
        for job in json.loads(_read(fixtures, "datasets/rct-jobboard-jobs.json"))["jobs"]
    }
    usrse: dict[str, str] = {}
    for entry in json.loads(_read(fixtures, "datasets/usrse-jobs-history.json")):
        usrse.setdefault(" ".join(entry["name"].split()), entry.get("location") or "")
    current = _usrse_current(fixtures)
    newsletter = {
        h["title"]: h
        for h in json.loads(_read(fixtures, "newsletter/2021-03-12-jobs-section.json"))[
            "highlights"
        ]
    }
    examples = []
    for row in _jsonl(label_file):
        example = Example(
            title=row["title"],
            relevant=bool(row["relevant"]),
            kind=row["kind"],
            split=row["split"],
            source=row["source"],
            key=row["key"],
        )
        if row["source"] == "rct-jobboard":
            job = board.get(row["key"])
            if job is None:
                raise TrainingError(f"board posting {row['key']} is not in the fixtures")
            example.institution, example.description = job["company"], job["description"]
            example.location = job["location"]
        elif row["source"] == "usrse-history":
            example.location = usrse.get(row["key"])
        elif row["source"] == "usrse-current":
            example.location = current.get(row["key"])
        elif row["source"] == "newsletter":
            item = newsletter.get(row["key"])
            if item is None:
                raise TrainingError(f"newsletter highlight {row['key']!r} is not in the fixture")
            example.institution, example.description = item["institution"], item["blurb"]
            example.location = item["location_display"]
        examples.append(example)
    hand = labels / "handwritten.jsonl"
    if hand.exists():
        for row in _jsonl(hand):
            examples.append(
                Example(
                    title=row["title"],
                    relevant=bool(row["relevant"]),
                    kind="hand",
                    split="train",
                    source="handwritten",
                    key=row["title"],
                    institution=row.get("institution"),
                    description=row.get("description"),
                )
            )
    return examples


def check_corrections(checks: Sequence[dict[str, Any]]) -> list[str]:
    """How many of the editor's location and institution corrections the normalizer now gets
    right by itself, reading each posting's raw record again."""
    from board.normalize import normalize_record
    from board.normalize.gazetteer import fold

    def places(locations: Any) -> list[tuple[str, str, str]]:
        return [
            tuple(fold(str(loc.get(k) or "")) for k in ("city", "region", "country"))  # type: ignore[misc]
            for loc in locations or ()
            if isinstance(loc, dict)
        ]

    counts: Counter[str] = Counter()
    for check in checks:
        record = normalize_record(check["raw"])
        if "locations" in check:
            counts["locations"] += 1
            wanted = places(check["locations"]["corrected"])
            counts["locations_right"] += places(record["locations"]) == wanted
        if "institution" in check and check["institution"]["corrected"]:
            counts["institution"] += 1
            wanted_slug = canonical_institution(str(check["institution"]["corrected"])).slug
            counts["institution_right"] += record["institution_slug"] == wanted_slug
    return [
        f"editor corrections the normalizer now reads right by itself: {name} "
        f"{counts[name + '_right']}/{counts[name]}"
        for name in ("locations", "institution")
        if counts[name]
    ]


# --- features and fitting ---------------------------------------------------------------


def _features(example: Example) -> list[str]:
    return roles.title_features(example.title)


def _matrix(rows: Sequence[list[str]], vocabulary: dict[str, int]) -> Any:  # scipy csr
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for features in rows:
        columns = sorted({vocabulary[f] for f in features if f in vocabulary})
        indices.extend(columns)
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))


def _sklearn() -> Any:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise TrainingError(
            "training needs scikit-learn: pip install 'rcjobs[train]' (or the dev extra)"
        ) from exc
    return LogisticRegression


def fit(
    examples: Sequence[Example],
    *,
    c: float = DEFAULT_C,
    min_count: int = DEFAULT_MIN_COUNT,
    calibrate: bool = True,
    folds: int = DEFAULT_FOLDS,
) -> RelevanceModel:
    """A calibrated logistic regression on the examples' title features."""
    logistic = _sklearn()
    labels = np.array([e.relevant for e in examples], dtype=int)
    if len(set(labels.tolist())) < 2 or len(examples) < 2 * folds:
        raise TrainingError(
            f"need relevant and not-relevant examples, at least {2 * folds}; got {len(examples)}"
        )
    rows = [_features(e) for e in examples]
    counts = Counter(f for features in rows for f in set(features))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    vocabulary = {name: i for i, name in enumerate(names)}
    x = _matrix(rows, vocabulary)
    classifier = logistic(C=c, max_iter=2000, class_weight="balanced")
    classifier.fit(x, labels)
    weights = classifier.coef_[0]
    intercept = float(classifier.intercept_[0])
    slope, shift = 1.0, 0.0
    if calibrate:
        slope, shift = _platt(examples, rows, labels, c=c, min_count=min_count, folds=folds)
    return RelevanceModel(
        weights={
            name: float(slope * w) for name, w in zip(names, weights, strict=True) if w != 0.0
        },
        intercept=slope * intercept + shift,
        meta={
            "trained_on": len(examples),
            "kinds": dict(sorted(Counter(e.kind for e in examples).items())),
            "c": c,
            "min_count": min_count,
            "platt": [round(slope, 6), round(shift, 6)],
        },
    )


def _platt(
    examples: Sequence[Example],
    rows: Sequence[list[str]],
    labels: Any,
    *,
    c: float,
    min_count: int,
    folds: int,
) -> tuple[float, float]:
    """Slope and shift mapping out-of-fold logits to calibrated log-odds."""
    logistic = _sklearn()
    logits = np.zeros(len(examples))
    for train, test in _folds(examples, folds):
        model = fit([examples[i] for i in train], c=c, min_count=min_count, calibrate=False)
        logits[test] = [model.logit(rows[i]) for i in test]
    # Platt's targets, (N+ + 1)/(N+ + 2) and 1/(N- + 2), instead of 1 and 0: nearly separable
    # training data must not make the model certain.
    positives = int(labels.sum())
    negatives = len(labels) - positives
    high, low = (positives + 1) / (positives + 2), 1 / (negatives + 2)
    targets = np.where(labels == 1, high, low)
    x = np.concatenate([logits, logits]).reshape(-1, 1)
    y = np.concatenate([np.ones(len(logits)), np.zeros(len(logits))])
    weight = np.concatenate([targets, 1 - targets])
    platt = logistic(C=1e6, max_iter=1000)
    platt.fit(x, y, sample_weight=weight)
    return float(platt.coef_[0][0]), float(platt.intercept_[0])


def _folds(examples: Sequence[Example], folds: int) -> list[tuple[list[int], list[int]]]:
    """Stratified folds, stable for the same examples; an identical title stays in one fold."""
    assignment = [
        zlib.crc32(f"{SEED}:{' '.join(e.title.casefold().split())}".encode()) % folds
        for e in examples
    ]
    return [
        (
            [i for i, a in enumerate(assignment) if a != k],
            [i for i, a in enumerate(assignment) if a == k],
        )
        for k in range(folds)
    ]


# --- scoring and figures ----------------------------------------------------------------


def score(example: Example, model: RelevanceModel) -> roles.RoleResult:
    """What the normalizer decides about an example with this model (text cleaned likewise)."""
    problems: list[str] = []
    title = text.clean_line(example.title, problems, "title")
    _html, plain = text.description_fields(example.description, problems)
    name = text.clean_line(example.institution, problems, "institution")
    inst = canonical_institution(name) if name else None
    if inst is None and example.location:  # as normalize_record reads a missing institution
        from board.normalize.institution import known_institution
        from board.normalize.location import institution_hint

        inst = known_institution(example.location)
        hint = None if inst else institution_hint(example.location)
        inst = inst or (canonical_institution(hint) if hint else None)
    named = ", ".join(n for n in (inst.unit, inst.name) if n) if inst else None
    return roles.classify(
        title,
        plain,
        named or None,
        institution_type=inst.type if inst else None,
        model=model,
    )


def cross_validated_scores(
    examples: Sequence[Example], *, c: float = DEFAULT_C, folds: int = DEFAULT_FOLDS
) -> list[roles.RoleResult]:
    """Each example scored by a model trained on the other folds."""
    results: list[roles.RoleResult | None] = [None] * len(examples)
    for train, test in _folds(examples, folds):
        model = fit([examples[i] for i in train], c=c, folds=folds)
        for i in test:
            results[i] = score(examples[i], model)
    return [r for r in results if r is not None]


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve (the chance a relevant example outscores a not-relevant one)."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=float)
    pos, neg = s[y], s[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(values):  # average ranks over ties
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def figures(examples: Sequence[Example], results: Sequence[roles.RoleResult]) -> dict[str, Any]:
    """Recall per relevant kind, correct rejection per other kind, AUC, Brier, calibration, ties."""
    labels = [e.relevant for e in examples]
    scores = [r.score for r in results]
    per_kind: dict[str, dict[str, Any]] = {}
    for kind in sorted({e.kind for e in examples}):
        picked = [(e, r) for e, r in zip(examples, results, strict=True) if e.kind == kind]
        right = sum(r.relevant == e.relevant for e, r in picked)
        per_kind[kind] = {"n": len(picked), "right": right, "rate": right / len(picked)}
    leaders = [(e, r) for e, r in zip(examples, results, strict=True) if e.relevant]
    recall = sum(r.relevant for _, r in leaders) / max(1, len(leaders))
    s = np.asarray(scores)
    y = np.asarray(labels, dtype=float)
    bins: list[dict[str, Any]] = []
    for low in np.arange(0.0, 1.0, 0.1):
        inside = (s >= low) & ((s < low + 0.1) | (low >= 0.9))
        if inside.any():
            bins.append(
                {
                    "bin": f"{low:.1f}-{low + 0.1:.1f}",
                    "n": int(inside.sum()),
                    "mean_score": float(s[inside].mean()),
                    "relevant_share": float(y[inside].mean()),
                }
            )
    ece = sum(b["n"] * abs(b["mean_score"] - b["relevant_share"]) for b in bins) / len(s)
    relevant_scores = [r.score for e, r in zip(examples, results, strict=True) if e.relevant]
    top = max(relevant_scores) if relevant_scores else 0.0
    tied = sum(1 for value in relevant_scores if value == top)
    return {
        "n": len(examples),
        "leadership_recall": recall,
        "per_kind": per_kind,
        "roc_auc": roc_auc(labels, scores),
        "brier": float(np.mean((s - y) ** 2)),
        "ece": float(ece),
        "calibration": bins,
        "top_score": top,
        "top_tie_share": tied / max(1, len(relevant_scores)),
        "distinct_relevant_scores": len(set(relevant_scores)),
    }


def format_figures(name: str, found: dict[str, Any]) -> list[str]:
    """Figures as a few readable lines."""
    kinds = ", ".join(
        f"{kind} {v['right']}/{v['n']} = {v['rate']:.3f}" for kind, v in found["per_kind"].items()
    )
    return [
        f"{name}: n {found['n']}, leadership recall {found['leadership_recall']:.3f}, "
        f"ROC AUC {found['roc_auc']:.3f}, Brier {found['brier']:.3f}, ECE {found['ece']:.3f}, "
        f"top score {found['top_score']:.4f} shared by {found['top_tie_share']:.1%} of relevant",
        f"  right per class: {kinds}",
        "  calibration (score bin: mean score / share relevant, n): "
        + "; ".join(
            f"{b['bin']}: {b['mean_score']:.2f}/{b['relevant_share']:.2f} ({b['n']})"
            for b in found["calibration"]
        ),
    ]


@dataclass
class TrainingReport:
    """What `rcjobs train` measured and wrote."""

    model: RelevanceModel
    lines: list[str]
    cross_validated: dict[str, Any]
    heldout: dict[str, Any]


def train(
    examples: Sequence[Example],
    *,
    extra: Iterable[Example] = (),
    c: float = DEFAULT_C,
    folds: int = DEFAULT_FOLDS,
    progress: Callable[[str], None] | None = None,
) -> TrainingReport:
    """Cross-validate on the dev split, test dev->heldout, then fit on everything."""
    say = progress or (lambda _line: None)
    extra = list(extra)
    dev = [e for e in examples if e.split != "heldout"] + extra
    held = [e for e in examples if e.split == "heldout"]
    lines: list[str] = []
    say(f"cross-validating on {len(dev)} dev examples ({folds} folds)")
    cv = figures(dev, cross_validated_scores(dev, c=c, folds=folds))
    lines += format_figures(f"cross-validated on dev ({folds} folds)", cv)
    held_figures: dict[str, Any] = {}
    if held:
        say(f"training on dev, testing on {len(held)} held-out examples")
        dev_model = fit(dev, c=c, folds=folds)
        held_figures = figures(held, [score(e, dev_model) for e in held])
        lines += format_figures("held out (trained on dev only)", held_figures)
    sources = sorted({e.source for e in examples if e.source in OUT_OF_SOURCE})
    shifted: dict[str, dict[str, float]] = {}
    for source in sources:
        say(f"training without {source}, testing on it")
        rest = [e for e in examples if e.source != source] + extra
        alone = [e for e in examples if e.source == source]
        if len({e.relevant for e in rest}) < 2:
            continue
        without = fit(rest, c=c, folds=folds)
        found = figures(alone, [score(e, without) for e in alone])
        shifted[source] = {k: round(v["rate"], 4) for k, v in found["per_kind"].items()}
    if shifted:
        lines.append(
            "out of source (trained on the other sources, a measure of the gap to postings "
            "unlike any seen): "
            + "; ".join(
                f"{source}: " + ", ".join(f"{k} {v:.3f}" for k, v in rates.items())
                for source, rates in shifted.items()
            )
        )
    everything = list(examples) + extra
    say(f"fitting the model on all {len(everything)} examples")
    model = fit(everything, c=c, folds=folds)
    model.meta["cross_validated"] = _summary(cv)  # type: ignore[index]
    if held_figures:
        model.meta["heldout"] = _summary(held_figures)  # type: ignore[index]
    if shifted:
        model.meta["out_of_source"] = shifted  # type: ignore[index]
    return TrainingReport(model=model, lines=lines, cross_validated=cv, heldout=held_figures)


def _summary(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "n": found["n"],
        "leadership_recall": round(found["leadership_recall"], 4),
        "roc_auc": round(found["roc_auc"], 4),
        "brier": round(found["brier"], 4),
        "ece": round(found["ece"], 4),
        "top_tie_share": round(found["top_tie_share"], 4),
        "rejection": {
            k: round(v["rate"], 4) for k, v in found["per_kind"].items() if k in NEGATIVE_KINDS
        },
    }
