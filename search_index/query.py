"""Turn whatever a user typed into a Whoosh query tree, never raising."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser, plugins

from search_index.analysis import WORD, fold, rewrite_synonyms, term
from search_index.schema import FIELD_ALIASES, TEXT_FIELDS

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 32
MIN_PREFIX = 2
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD_PREFIX = re.compile(r"(?<![\w:])(\w+):")
_MINUS = r"(?<![^\s(])-(?=[^\s-])"
_BOOST = re.compile(r"\^\d*(?:\.\d+)?")  # "hpc^5": boosts are not offered; keep the word
# Plain words (ASCII letters and digits, single spaces): no syntax the parser would read.
_PLAIN = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")
_OPERATOR_WORDS = frozenset(op.lower() for op in OPERATORS) | {"to"}
#: Single words whose parsed trees a QueryBuilder keeps (see QueryBuilder._plain_tree).
WORD_TREES = 8192


def clean(text: str) -> str:
    """Drop control characters and NULs, collapse whitespace, bound the length."""
    text = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") else c
        for c in str(text)[: MAX_QUERY_CHARS * 4]
    )
    text = " ".join(_BOOST.sub(" ", text).split())[:MAX_QUERY_CHARS]
    if text.count('"') % 2:
        head, _, tail = text.rpartition('"')
        text = head + " " + tail
    return text.strip()


def _rewrite(text: str) -> str:
    """Synonym rewriting outside quotes; a quoted synonym becomes its canonical token."""
    parts = text.split('"')
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(rewrite_synonyms(part))
        else:
            rewritten = rewrite_synonyms(part).strip()
            if rewritten and " " not in rewritten and rewritten.lower() != part.strip().lower():
                out.append(f" {rewritten} ")
            else:
                out.append(f'"{part}"')
    return "".join(out)


def _known_fields(text: str) -> str:
    """Keep field prefixes we know; others become plain words ("foo:bar" -> "foo bar")."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        return f"{name}:" if name in FIELD_ALIASES else f"{match.group(1)} "

    return _FIELD_PREFIX.sub(replace, text)


@dataclass
class ParsedQuery:
    """A parsed query and what ranking and highlighting need from it."""

    tree: wq.Query | None
    text: str
    scoring: list[tuple[str, str]] = field(default_factory=list)
    prefixes: list[tuple[str, str]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the query has nothing to match (shows everything)."""
        return self.tree is None

    def highlight_terms(self) -> set[str]:
        """Indexed terms to mark in a summary."""
        return {text for _, text in self.scoring}

    def highlight_prefixes(self) -> list[str]:
        """Prefixes to mark in a summary."""
        return [text for _, text in self.prefixes]


class QueryBuilder:
    """A forgiving parser for one schema."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        parser = MultifieldParser(list(TEXT_FIELDS), schema, group=_and_group())
        for plugin in (
            plugins.RangePlugin,
            plugins.BoostPlugin,
            plugins.EveryPlugin,
            plugins.SingleQuotePlugin,
        ):
            parser.remove_plugin_class(plugin)
        # "-word" excludes, as in web search; only at a word's start, so "co-design" is a word.
        parser.add_plugin(plugins.PlusMinusPlugin(plusexpr=r"(?!)", minusexpr=_MINUS))
        parser.add_plugin(
            plugins.FieldAliasPlugin(
                {
                    real: [a for a, r in FIELD_ALIASES.items() if r == real and a != real]
                    for real in TEXT_FIELDS
                }
            )
        )
        self.parser = parser
        self._word_trees: dict[str, wq.Query | None] = {}

    def parse(self, raw: str) -> ParsedQuery:
        """A ParsedQuery for any input; an unparseable query falls back to its words."""
        text = clean(raw)
        words = [w for w in WORD.findall(_FIELD_PREFIX.sub(" ", text)) if w not in OPERATORS]
        if not words:
            return ParsedQuery(None, text)
        tokens = text.split()
        if all(t.startswith("-") and len(t) > 1 for t in tokens):
            tree = self._exclusions([t[1:] for t in tokens])
        else:
            tree = self._tree(text)
        if tree is None or tree is wq.NullQuery or _too_big(tree):
            tree = self._words_query(words)
        parsed = ParsedQuery(tree, text, words=words)
        if tree is not None:
            _collect(tree, parsed, negated=False)
        return parsed

    def _tree(self, text: str) -> wq.Query | None:
        """The parsed tree, or None when the parser cannot make sense of the text."""
        if _PLAIN.fullmatch(text):
            found = self._plain_tree(text)
            if found is not None:
                return found
        return self._parsed_tree(text)

    def _plain_tree(self, text: str) -> wq.Query | None:
        """The tree of plain words (no operator, no synonym) without the parser: the And of
        each word's own tree, normalized, as the parser's AND group makes it (each word's tree
        is parsed once and kept). None when the text is not such words."""
        words = text.split(" ")
        if any(w.lower() in _OPERATOR_WORDS for w in words) or rewrite_synonyms(text) != text:
            return None
        trees = self._word_trees
        subtrees = []
        for word in words:
            if word in trees:
                tree = trees[word]
            else:
                tree = self._parsed_tree(word)
                if len(trees) >= WORD_TREES:
                    trees.clear()
                trees[word] = tree
            if tree is None:
                return None
            subtrees.append(tree)
        return _fix(wq.And(subtrees))

    def _parsed_tree(self, text: str) -> wq.Query | None:
        """The tree Whoosh's parser makes of the text (see _tree)."""
        try:
            return _fix(self.parser.parse(_known_fields(_rewrite(text))))
        except Exception:  # noqa: BLE001 - any parser failure falls back to the words
            return None

    def _exclusions(self, excluded: list[str]) -> wq.Query | None:
        """ "-hpc -cloud" alone: every posting with none of those words, as in web search."""
        nots = []
        for text in excluded:
            tree = self._tree(text)
            if tree is not None and tree is not wq.NullQuery:
                nots.append(wq.Not(tree))
        return wq.And(nots) if nots else None

    def _words_query(self, words: list[str]) -> wq.Query | None:
        clauses = []
        for word in words[:MAX_CLAUSES]:
            indexed = term(word)
            if indexed:
                clauses.append(wq.Or([wq.Term(f, indexed) for f in TEXT_FIELDS]))
        return wq.And(clauses) if clauses else None


def _and_group():  # noqa: ANN202 - a qparser group class
    from whoosh.qparser import AndGroup

    return AndGroup


def _too_big(tree: wq.Query) -> bool:
    return sum(1 for _ in tree.leaves()) > MAX_CLAUSES * len(TEXT_FIELDS)


def _fix(node: wq.Query) -> wq.Query:
    """Prefix-only wildcards; drop what the index cannot answer; normalize."""
    if isinstance(node, wq.Prefix):
        text = fold(str(node.text))
        if len(text) < MIN_PREFIX:
            return wq.NullQuery
        return wq.Prefix(node.fieldname, text)
    if isinstance(node, wq.Wildcard):
        text = fold(str(node.text))
        stem = text.rstrip("*")
        if stem and "*" not in stem and "?" not in stem and len(stem) >= MIN_PREFIX:
            return wq.Prefix(node.fieldname, stem)
        plain = re.sub(r"[*?]+", " ", text).split()
        terms = [term(w) for w in plain]
        clauses = [wq.Term(node.fieldname, t) for t in terms if t]
        return wq.And(clauses) if clauses else wq.NullQuery
    if isinstance(node, wq.Term) and not isinstance(node.text, str):
        return wq.NullQuery
    if node.is_leaf():
        return node
    return node.apply(_fix).normalize()


def _collect(node: wq.Query, parsed: ParsedQuery, negated: bool) -> None:
    """Gather the positive terms (for ranking and highlights) and prefixes."""
    if isinstance(node, wq.Not):
        return
    if isinstance(node, wq.AndNot):
        _collect(node.a, parsed, negated)
        return
    if isinstance(node, wq.Term) and isinstance(node.text, str):
        if node.fieldname in TEXT_FIELDS and not negated:
            parsed.scoring.append((node.fieldname, node.text))
        return
    if isinstance(node, wq.Phrase):
        for word in node.words:
            if node.fieldname in TEXT_FIELDS:
                parsed.scoring.append((node.fieldname, word))
        return
    if isinstance(node, wq.Prefix):
        parsed.prefixes.append((node.fieldname, str(node.text)))
        return
    if not node.is_leaf():
        for child in node.children():
            _collect(child, parsed, negated)
