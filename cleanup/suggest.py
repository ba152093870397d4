"""Mine a corpus for candidate rules, for a person to review: clusters of spellings of
one name, and recurring word pairs that ordinary English rarely puts together.

Name spellings are grouped by a transliteration-aware key (the inverse of the forms
cleanup generates: ia/ya, ei/ey, kh/h, dzh/j, Russian case endings and adjectives), then
keys that rapidfuzz finds close are merged, as OpenRefine's clustering does; each
cluster becomes a name entry, named by the spelling the loaded packs or the English word
list use when there is one. Calque candidates are scored by how much more often two
common words stand together in the corpus than their English frequencies predict, and
pairs that printed English uses (SymSpell's English bigram list, built from Google Books
n-grams and shipped with symspellpy) are left out: "peace treaty" is English, "solar
conflict" is not.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files

from rapidfuzz import fuzz
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from cleanup.english import is_common_word, is_word, word_count

_WORD = re.compile(r"\b[A-Z][a-z]{3,}\b")
_WORDS = re.compile(r"\b[A-Za-z][a-z'-]*[a-z]\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_ADJECTIVE = re.compile(r"(?:sk(?:y|iy|ii|i|aya|oye|oe|ogo|om|oy))$")
_KEY_STEPS = (("dzh", "j"), ("kh", "h"), ("ia", "ya"), ("iu", "yu"), ("ei", "ey"), ("ai", "ay"))
_ENDINGS = ("om", "ym", "a", "u", "e")
MERGE_SCORE = 88.0
STOPWORDS = frozenset(
    "the a an of in on at to for and or but with by from as is are was were be been it "
    "this that these those which who whom his her its their our we you he she they i not "
    "no so if than then also has have had will would can could should may might".split()
)


@dataclass
class Cluster:
    """Spellings taken for one name, with counts and a sentence for each."""

    spellings: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def canonical(self, known: Mapping[str, str] | None = None) -> str:
        """The English spelling: the canonical name the loaded packs give any spelling of
        the cluster (``known`` maps a form to it: "Gadrurt" -> "Hadrut"); else a spelling
        the English word list knows; else the most used plain spelling that is also the
        stem of a Russian adjective in the cluster; else that stem ("Gadrutsky" with
        "Gadrurt": "Gadrut"); else the most used.

        >>> c = Cluster(Counter({"Gadrurt": 2, "Gadrutsky": 1}))
        >>> c.canonical(), c.canonical({"Gadrurt": "Hadrut"})
        ('Gadrut', 'Hadrut')
        """
        if known:
            named = Counter({known[s]: n for s, n in self.spellings.items() if s in known})
            if named:
                return max(named, key=lambda s: (named[s], s))
        english = [s for s in self.spellings if is_word(s) and not _ADJECTIVE.search(s.lower())]
        if english:
            return max(english, key=lambda s: (self.spellings[s], -len(s), s))
        plain = [s for s in self.spellings if not _ADJECTIVE.search(s.lower())]
        stems = {_ADJECTIVE.sub("", s.lower()) for s in self.spellings if s not in plain}
        stems.discard("")
        agreed = [s for s in plain if s.lower() in stems]
        if agreed or not stems:
            pool = agreed or plain
            return max(pool, key=lambda s: (self.spellings[s], -len(s), s))
        stem = min(stems)
        return stem[:1].upper() + stem[1:]


def name_key(word: str) -> str:
    """A key shared by transliteration variants and Russian forms of one name.

    >>> name_key("Pashinian") == name_key("Pashinyan"), name_key("Gadrutsky")
    (True, 'gadrut')
    """
    key = _ADJECTIVE.sub("", word.lower())
    for wrong, right in _KEY_STEPS:
        key = key.replace(wrong, right)
    return key


def name_clusters(texts: Iterable[str], known: set[str], min_spellings: int = 2) -> list[Cluster]:
    """Clusters of at least ``min_spellings`` spellings, none of them all known already."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for text in texts:
        for sentence in _SENTENCE.findall(text):
            for word in _WORD.findall(sentence):
                if is_word(word):  # English, or a name the English list already knows
                    continue
                counts[word] += 1
                examples.setdefault(word, sentence.strip())
    by_key: dict[str, Cluster] = defaultdict(Cluster)
    for word, count in counts.items():
        key = name_key(word)
        for ending in _ENDINGS:  # a case form joins its base when the base is there too
            if key.endswith(ending) and name_key(word[: -len(ending)]) in {
                name_key(w) for w in counts if w != word
            }:
                key = key[: -len(ending)]
                break
        cluster = by_key[key]
        cluster.spellings[word] += count
        cluster.examples[word] = examples[word]
    merged = _merge_close(by_key)
    return [
        c for c in merged if len(c.spellings) >= min_spellings and not set(c.spellings) <= known
    ]


def _merge_close(by_key: dict[str, Cluster]) -> list[Cluster]:
    keys = sorted(by_key, key=lambda k: (-sum(by_key[k].spellings.values()), k))
    owner: dict[str, str] = {}
    for i, key in enumerate(keys):
        if key in owner:
            continue
        owner[key] = key
        for other in keys[i + 1 :]:
            if other not in owner and other[:1] == key[:1]:
                if fuzz.ratio(key, other) >= MERGE_SCORE:
                    owner[other] = key
                    by_key[key].spellings.update(by_key[other].spellings)
                    by_key[key].examples.update(by_key[other].examples)
    return [by_key[k] for k in keys if owner[k] == k]


@dataclass(frozen=True)
class Calque:
    """A word pair seen together far more often than English would put it."""

    words: str
    count: int
    score: float
    example: str


BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"


@functools.cache
def english_pairs() -> frozenset[str]:
    """Word pairs common in printed English, in lower case (about 240,000).

    >>> "peace treaty" in english_pairs(), "solar conflict" in english_pairs()
    (True, False)
    """
    text = (files("symspellpy") / BIGRAMS).read_text(encoding="utf-8")
    return frozenset(line.rsplit(" ", 1)[0].lower() for line in text.splitlines() if line)


def calque_candidates(
    texts: Iterable[str],
    min_count: int = 2,
    limit: int = 25,
    english: Collection[str] | None = None,
) -> list[Calque]:
    """Pairs of common words, ranked by corpus count against their English frequencies,
    less the pairs that English itself uses (``english``, default ``english_pairs()``)."""
    english = english_pairs() if english is None else english
    pairs: Counter[str] = Counter()
    examples: dict[str, str] = {}
    total = 0
    for text in texts:
        for sentence in _SENTENCE.findall(text):
            words = _WORDS.findall(sentence)
            total += len(words)
            for a, b in itertools.pairwise(words):
                if not (a.islower() and b.islower()):  # names and titles are not calques
                    continue
                if (
                    a in STOPWORDS
                    or b in STOPWORDS
                    or not (is_common_word(a) and is_common_word(b))
                ):
                    continue
                pair = f"{a} {b}"
                if pair in english:
                    continue
                pairs[pair] += 1
                examples.setdefault(pair, sentence.strip())
    scored = []
    english_total = 1e9  # order of the word counts behind the English list
    for pair, count in pairs.items():
        if count < min_count:
            continue
        a, b = pair.split(" ")
        expected = word_count(a) * word_count(b) / english_total**2 * max(total, 1)
        scored.append(Calque(pair, count, math.log(count / max(expected, 1e-12)), examples[pair]))
    scored.sort(key=lambda c: (-c.score, c.words))
    return scored[:limit]


def render_pack(
    pack: str,
    clusters: list[Cluster],
    calques: list[Calque],
    known: Mapping[str, str] | None = None,
) -> str:
    """A candidate pack: name entries with counts and examples, every one for review;
    ``known`` (see ``Cluster.canonical``) names clusters the loaded packs know."""
    data = CommentedMap(pack=pack)
    data["description"] = "Candidates mined from a corpus; check every entry before use."
    names = CommentedSeq()
    for cluster in clusters:
        canonical = cluster.canonical(known)
        entry = CommentedMap(canonical=canonical)
        variants = sorted(s for s in cluster.spellings if s != canonical)
        if variants:
            flow = CommentedSeq(variants)
            flow.fa.set_flow_style()
            entry["variants"] = flow
        entry["safety"] = "review"
        seen = ", ".join(f"{s} x{n}" for s, n in cluster.spellings.most_common())
        example = cluster.examples[max(cluster.spellings, key=lambda s: cluster.spellings[s])]
        entry["why"] = f"seen: {seen}. e.g. {example[:160]}"
        names.append(entry)
    if names:
        data["names"] = names
    out = io.StringIO()
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.dump(data, out)
    if calques:
        out.write(
            "\n# Word pairs far more frequent here than in ordinary English: possible calques.\n"
            "# Write the English phrase as 'replace:' and move the entry under 'phrases:'.\n"
        )
        for c in calques:
            out.write(
                f"#  - find: {c.words}   # x{c.count}, score {c.score:.1f}: {c.example[:120]}\n"
            )
    return out.getvalue()
