"""Property tests: arbitrary text through ingest and extraction never breaks the graph."""
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.find.dialogue import read_facts
from graph.rdf.emit import to_dataset
from graph.read.ingest import Article, nlp_text, parse_article
from graph.resolve import resolve
from graph.validate import validate_dataset

WORDS = ["Minister", "Secretary of State", "Mexican", "U.S.", "said", "met", "“", "”", "\"", "'", "1,435.6",
         "tons", "between", "and", "Juana Ortiz", "Mr.", "(", ")", "–", "\n\n", "Leave a Reply", "10 MB",
         "9" * 30, "on Thursday", "April 13", "fentanyl", "production", "that", "not", "delegation", ".", ","]
texts = st.one_of(
    st.text(min_size=0, max_size=400),
    st.lists(st.sampled_from(WORDS) | st.text(alphabet=string.ascii_letters, min_size=1, max_size=8),
             min_size=1, max_size=80).map(" ".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_any_text_gives_a_valid_graph_with_offsets_inside_the_text(text, nlp, kb):
    segments, credits = parse_article(text)
    for seg in segments:
        assert 0 <= seg.start <= seg.end <= len(text)
    for c in credits:
        assert text[c.start:c.end] == c.name
    article = Article("p", text, segments, credits)
    masked = nlp_text(article)
    assert len(masked) == len(text)
    doc = nlp(masked)
    facts = read_facts(article, doc, kb)
    spans = [(m.start, m.end) for m in facts.people] + [(q.start, q.end) for q in facts.quotes] + \
        [(f.start, f.end) for f in facts.figures] + [(c.start, c.end) for c in facts.claims]
    for start, end in spans:
        assert 0 <= start <= end <= len(text)
    ds = to_dataset([article], [facts], resolve([facts], kb), kb)
    conforms, report = validate_dataset(ds)
    assert conforms, report
