"""The trained relevance model: feature weights read from board/data/relevance_model.json.

A logistic regression over title features (board.normalize.roles.title_features), calibrated on
held-out folds and written by `rcjobs train` (board.normalize.training). Plain JSON and
arithmetic at run time: no scikit-learn, no unpickling, no network.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

MODEL_FILE = "relevance_model.json"
MODEL_FORMAT = 1


class ModelError(ValueError):
    """The model file is missing, unreadable or of another format."""


@dataclass(frozen=True)
class RelevanceModel:
    """Feature weights and an intercept; the logit of a posting is their sum."""

    weights: Mapping[str, float]
    intercept: float
    meta: Mapping[str, Any] = field(default_factory=dict)

    def logit(self, features: Iterable[str]) -> float:
        """Log-odds that a posting with these title features is relevant."""
        weights = self.weights
        return self.intercept + sum(weights.get(name, 0.0) for name in set(features))

    def contributions(self, features: Iterable[str], top: int = 3) -> list[tuple[str, float]]:
        """The features that moved the logit most, largest first."""
        found = [(name, self.weights[name]) for name in set(features) if name in self.weights]
        return sorted(found, key=lambda item: -abs(item[1]))[:top]

    def to_json(self) -> dict[str, Any]:
        """The file form: format, intercept, weights sorted by name, metadata."""
        return {
            "format": MODEL_FORMAT,
            "intercept": round(self.intercept, 6),
            "weights": {name: round(w, 6) for name, w in sorted(self.weights.items())},
            "meta": dict(self.meta),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RelevanceModel:
        """Read the file form; ModelError when it is not one."""
        if not isinstance(data, Mapping) or data.get("format") != MODEL_FORMAT:
            raise ModelError(f"not a relevance model of format {MODEL_FORMAT}")
        weights = data.get("weights")
        if not isinstance(weights, Mapping):
            raise ModelError("relevance model has no weights")
        return cls(
            weights={str(k): float(v) for k, v in weights.items()},
            intercept=float(data.get("intercept", 0.0)),
            meta=dict(data.get("meta") or {}),
        )


def read_model(path: str | Path) -> RelevanceModel:
    """A model from a JSON file."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read relevance model {path}: {exc}") from exc
    return RelevanceModel.from_json(data)


def write_model(model: RelevanceModel, path: str | Path) -> None:
    """Write a model as JSON (atomically: a reader never sees half a file)."""
    path = Path(path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(model.to_json(), indent=0, sort_keys=False) + "\n", "utf-8")
    tmp.replace(path)


def packaged_model_path() -> Path:
    """Where the committed model lives in the package."""
    return Path(str(resources.files("board").joinpath("data", MODEL_FILE)))


@cache
def default_model() -> RelevanceModel:
    """The committed model, read once per process."""
    return read_model(packaged_model_path())


def probability(logit: float) -> float:
    """The logistic function, safe for any logit."""
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    z = math.exp(logit)
    return z / (1.0 + z)
