"""The project vocabulary as a closed namespace (mirrors ``ontology/dialogue.ttl``).

A misspelt term raises instead of minting a silent new IRI; ``tests/test_ontology.py``
checks that this list and the ontology file agree.
"""
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["DG", "ID", "SCHEMA", "ORG", "PROV", "OA", "QUDT", "WD", "RDF_TYPE", "PREFIXES", "bind_prefixes"]


class DG(DefinedNamespace):
    _fail = True
    _NS = Namespace("https://w3id.org/dialogue-graph/ontology#")

    Agreement: URIRef  # A named agreement or framework between governments, e.g. the Bicentennial Framework.
    Appointment: URIRef  # An article's statement that a person holds a post, with the title as written and its evidence.
    Article: URIRef  # A news article fed to the pipeline; its named graph holds every fact it supports.
    Claim: URIRef  # A position an actor takes on a topic, quoted or reported, asserted or denied.
    Company: URIRef  # A business.
    Country: URIRef  # A sovereign state; also stands for its government as a party to the dialogue.
    CriminalOrganization: URIRef  # A cartel, gang or trafficking network.
    Delegation: URIRef  # The officials a government sends to a meeting, when an article speaks of them as one ("the Mexican delegation").
    Figure: URIRef  # A number an article cites that measures something in the world.
    Group: URIRef  # People an article speaks of as one speaker without naming them ("U.S. officials", "Republican lawmakers", "a senior official"): one node per wording, with the country its words name.
    GovernmentBody: URIRef  # A ministry, department, agency, armed force or embassy of a government.
    Journalist: URIRef  # An author or editor of an article; never an official because of a byline.
    Legislature: URIRef  # A parliament, congress, senate or one of their committees.
    Meeting: URIRef  # An encounter between officials: a meeting, visit, call, dialogue or hearing, held or planned.
    Mention: URIRef  # A span of an article's text (character offsets into the file) that names an entity or states a fact.
    NewsOutlet: URIRef  # A publisher of news: the source of an article or one it cites.
    Official: URIRef  # A person an article names with a public post or as acting for a government.
    Organization: URIRef  # A named body: agency, ministry, legislature, party, cartel, company or news outlet.
    Person: URIRef  # A real person, one node across every mention and article.
    Place: URIRef  # A city, state or region named in an article.
    PoliticalParty: URIRef  # A political party.
    Position: URIRef  # One actor's stance on one topic across articles, asserted or denied, with the claims that state it: who holds what on a question.
    Post: URIRef  # A normalised public office within one government, e.g. the US Secretary of State.
    QualityNote: URIRef  # A data-quality problem found in an article, such as a weekday that does not match its date.
    Quote: URIRef  # A direct quotation attributed to a speaker.
    about: URIRef  # What a figure measures, or what a claim is about.
    articleId: URIRef  # The article's file stem, the key users see in query results.
    concerns: URIRef  # The agreement or framework a meeting is about.
    contradicts: URIRef  # A claim by another actor on the same topic with the opposite polarity.
    country: URIRef  # The country an organization, post or place belongs to.
    dateAsWritten: URIRef  # The date phrase as the article writes it, kept beside the resolved date.
    evidence: URIRef  # The mention whose sentence supports a fact.
    expressedBy: URIRef  # A claim that states the position, in one article.
    heldBy: URIRef  # The person, body, government or group who holds a position.
    high: URIRef  # Upper end of a range.
    holder: URIRef  # The person said to hold the post.
    inArticle: URIRef  # The article a mention or fact comes from.
    low: URIRef  # Lower end of a range.
    meetingType: URIRef  # Visit, host, phone call, third-place meeting, multilateral, hearing or announced agreement (PLOVER/CAMEO CONSULT modes).
    note: URIRef  # What is wrong, in words.
    organizationType: URIRef  # The organization's type as a plain key (government_body, criminal_organization, company, news_outlet, legislature, party, other), for tables.
    outlet: URIRef  # The news outlet that published the article.
    participant: URIRef  # A person, delegation or government taking part in a meeting.
    period: URIRef  # The period a figure covers, as written ("in 2021", "in September").
    polarity: URIRef  # asserts or denies: of a claim, or of a position.
    post: URIRef  # The normalised post the title denotes.
    refersTo: URIRef  # The entity a mention names, after resolution.
    reportedBy: URIRef  # Who the article says gave the figure.
    segment: URIRef  # The kind of page part the mention stands in: body, headline, byline or credit.
    sentence: URIRef  # The sentence of the article the mention or fact was read from.
    sentenceEnd: URIRef  # Character offset just past the sentence's end in the article file.
    sentenceStart: URIRef  # Character offset of the sentence's start in the article file.
    servesCountry: URIRef  # The country whose government the person acts for.
    sha256: URIRef  # Hash of the article text as read, to tell when a rebuild must re-extract it.
    speaker: URIRef  # Who said a quote or took a claim's position.
    status: URIRef  # held, planned or called off.
    title: URIRef  # The title as the article writes it, without nationality words.
    topic: URIRef  # What a claim, position or meeting is about: a short normalised noun phrase, a named question of the curated topic list where one fits (fentanyl production in Mexico, migration …).
    unit: URIRef  # What the figure counts or measures in (tonne, pill, person, mile, USD …).
    value: URIRef  # The figure's value.
    wikidata: URIRef  # The same entity in Wikidata, from curated knowledge.


ID = Namespace("https://w3id.org/dialogue-graph/id/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
WD = Namespace("http://www.wikidata.org/entity/")

RDF_TYPE = RDF.type

# The prefixes every file and store of ours writes and reads with (the one list of them).
PREFIXES = {
    "dg": str(DG), "id": str(ID), "schema": str(SCHEMA), "org": str(ORG), "prov": str(PROV), "oa": str(OA),
    "qudt": str(QUDT), "wd": str(WD), "skos": str(SKOS), "owl": str(OWL), "xsd": str(XSD), "rdfs": str(RDFS),
}


def bind_prefixes(g: Graph) -> None:
    """Bind :data:`PREFIXES` on an rdflib graph or dataset, replacing rdflib's defaults."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
