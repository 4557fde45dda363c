"""Articles and facts held packed between the stages of a build (graph.packed)."""
from collections.abc import Sequence

from graph.packed import Packed, pack
from graph.rdf.emit import emit_graphs
from graph.read.ingest import read_articles
from graph.resolve import resolve

from .conftest import SEEDS


def test_a_packed_sequence_gives_back_equal_records_in_order(read_text):
    facts = [read_text("Talks end\n\nForeign Minister Alicia Bárcena met U.S. Secretary of State Antony Blinken "
                       "in Mexico City on Monday.\n", "a"),
             read_text("Talks resume\n\nMexico said on Friday that it had seized 2,000 kilograms of fentanyl.\n", "b")]
    packed = Packed(facts)
    assert len(packed) == 2 and list(packed) == facts and packed[1] == facts[1] and packed[-1] == facts[-1]
    assert packed[0] is not packed[0]  # unpacked afresh: nothing keeps the record after it is read
    assert list(packed[1:]) == facts[1:] and list(Packed.of_packed([pack(facts[0])])) == facts[:1]


class _Counted(Sequence):
    """A sequence that counts how often it is read whole (each pass unpacks every record)."""

    def __init__(self, items):
        self.items, self.passes = list(items), 0

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __iter__(self):
        self.passes += 1
        return iter(self.items)


def test_a_build_reads_each_articles_facts_three_times_in_all(nlp, kb):
    """Resolution reads the facts twice (people and bodies; then claims and meetings told by
    them) and emission once: each pass over packed facts unpacks every article's."""
    from graph.pipeline import extract_articles

    articles = list(read_articles(SEEDS))
    facts, _ = extract_articles(articles, nlp, kb)
    assert isinstance(facts, Packed) and len(facts) == len(articles)
    counted = _Counted(facts)
    res = resolve(counted, kb, articles)
    assert counted.passes == 2
    looked_up = []

    class _Indexed(_Counted):
        def __getitem__(self, i):
            looked_up.append(i)
            return self.items[i]

    indexed = _Indexed(facts)
    graphs = list(emit_graphs(articles, indexed, res, kb))
    assert indexed.passes == 0 and sorted(looked_up) == list(range(len(articles)))
    assert graphs == list(emit_graphs(articles, list(facts), resolve(list(facts), kb, articles), kb))
