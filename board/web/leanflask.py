"""Flask with two per-request costs paid once per process (route matches and ensure_sync) and
one start-up cost paid when first needed (URL builders).

- werkzeug's route matcher defines a recursive closure on every match: each request leaves a
  reference cycle of eight objects (the closure, its cells, a set, a tuple) that only the
  cyclic garbage collector frees. In a worker those cycles were what filled the collector's
  young generation: a collection every 2,500 requests or so, each walking the cycles (about
  0.03 ms a request, measured in-process at 10k postings). `MemoMatcher` remembers each
  successful match (the rule and its converted values) by what decides it, so a path seen
  before is matched without the closure; a miss (404, 405, a slash redirect) is matched by
  werkzeug each time, as before. The memo is emptied whenever a rule is added or the map
  is rebuilt, and when it reaches MATCH_MEMO entries (posting pages have many paths). The
  values are remembered as the converters made them: werkzeug's own converters (all rcjobs
  uses) are pure functions of the path; one that read anything else could not be memoised.
- Flask asks `inspect.iscoroutinefunction` of every hook and view on every request
  (`ensure_sync`, about ten a request); the answer for a function never changes.
- werkzeug compiles two URL-building functions for every rule when it is added (it writes
  each as an AST and compiles it: about 0.17 ms each, 21 of the 0.46 CPU s `rcjobs serve`'s
  master needed at 10k postings for the site's 63 rules). `LazyBuildRule` compiles each the
  first time the rule builds a URL. url_for only uses one of the two, and a process builds
  URLs for a few of the rules; the master compiles the ones the public pages build before
  forking (board.serving.WARM_ENDPOINTS), so the workers share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from flask import Flask
from werkzeug.routing import Map, Rule, RuleFactory
from werkzeug.routing.matcher import StateMachineMatcher

#: Matches a process remembers (distinct (host, path, method) triples).
MATCH_MEMO = 4096


class LazyBuildRule(Rule):
    """werkzeug's Rule, whose URL builders are compiled on first use (werkzeug's own code)."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        name = "_build_unknown" if append_unknown else "_build"

        def build(rule: Rule, **values: Any) -> tuple[str, str]:
            real = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, name, real)  # two threads may both compile: the same function
            return real(**values)

        build.lazy = True  # type: ignore[attr-defined]
        return build

    def compile_builder(self) -> None:
        """Compile now the builder url_for uses (before fork: the workers share it)."""
        if getattr(self._build_unknown, "lazy", False):
            self._build_unknown = Rule._compile_builder(self, True).__get__(self, None)


def compile_builders(url_map: Map, endpoints: Iterable[str]) -> int:
    """Compile now the URL builders of these endpoints' rules; how many were compiled."""
    wanted, done = set(endpoints), 0
    for rule in url_map.iter_rules():
        if rule.endpoint in wanted and isinstance(rule, LazyBuildRule):
            rule.compile_builder()
            done += 1
    return done


class MemoMatcher(StateMachineMatcher):
    """werkzeug's matcher, remembering what each successful match returned."""

    def __init__(self, merge_slashes: bool) -> None:
        super().__init__(merge_slashes)
        self.memo: dict[tuple[Any, ...], tuple[Rule, dict[str, Any]]] = {}

    def add(self, rule: Rule) -> None:
        self.memo = {}
        super().add(rule)

    def update(self) -> None:
        self.memo = {}
        super().update()

    def match(
        self, domain: str, path: str, method: str, websocket: bool
    ) -> tuple[Rule, MutableMapping[str, Any]]:
        key = (domain, path, method, websocket, self.merge_slashes)
        memo = self.memo
        found = memo.get(key)
        if found is None:
            rule, values = super().match(domain, path, method, websocket)  # raises on a miss
            found = (rule, dict(values))
            if len(memo) >= MATCH_MEMO:
                memo.clear()
            memo[key] = found
        return found[0], dict(found[1])  # the caller owns its view arguments


class MemoMap(Map):
    """werkzeug's Map with a MemoMatcher."""

    def __init__(
        self, rules: Iterable[RuleFactory] | None = None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(None, *args, **kwargs)  # the rules are added to the MemoMatcher
        self._matcher = MemoMatcher(self._matcher.merge_slashes)
        for rulefactory in rules or ():
            self.add(rulefactory)


class LeanFlask(Flask):
    """Flask with remembered route matches (MemoMap), ensure_sync answers and URL builders
    compiled on first use (LazyBuildRule)."""

    url_map_class = MemoMap
    url_rule_class = LazyBuildRule

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._sync: dict[Callable[..., Any], Callable[..., Any]] = {}
        super().__init__(*args, **kwargs)

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's ensure_sync, remembered per function."""
        try:
            return self._sync[func]
        except KeyError:
            pass
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)
        found = super().ensure_sync(func)
        if len(self._sync) < MATCH_MEMO:
            self._sync[func] = found
        return found
