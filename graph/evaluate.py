"""Score a built graph against a hand-annotated gold file (format of ``gold/seeds.yaml``).

Users annotate their own articles the same way, so this is the product's quality
yardstick, not a test helper. Output is compared per article, from the saved queries'
rows, with the matching rules written at the top of the gold file: folded names (a
bare surname matches the full name), titles by >= 60 % content-word overlap, figures
within 0.5 %, quotes by containment, claims by >= 50 % wording overlap. Meetings are
paired one-to-one with the gold's (see :func:`_score_meetings`); an output meeting paired
with none counts its participants against precision unless it is a split node.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml
from rdflib import Dataset

from .sparql.queries import load_query, run_query
from .text import content_words, fold

__all__ = ["Score", "evaluate", "format_scores", "names_match", "place_matches"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


def _name_key(name: str) -> str:
    toks = [t for t in fold(name).split() if t not in {"mr", "mrs", "ms", "dr"}]
    return " ".join(toks)


def names_match(predicted: str, gold: str, aliases: list[str] = ()) -> bool:
    """Gold rule: folded equality, a gold alias, a bare surname, or first + last name."""
    p = _name_key(predicted)
    if not p:
        return False
    forms = {_name_key(gold), *(_name_key(a) for a in aliases)}
    if p in forms:
        return True
    toks = _name_key(gold).split()
    if len(toks) >= 2 and (p == toks[-1] or p == " ".join(toks[-2:]) or p == f"{toks[0]} {toks[-1]}"):
        return True
    return False


def overlap(a: str, b: str) -> float:
    """Shared content words over the longer phrase's; initials such as the "U S" of "U.S." do not count."""
    wa = {w for w in content_words(a) if len(w) > 1}
    wb = {w for w in content_words(b) if len(w) > 1}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / max(len(wa), len(wb))


def _match(score: Score, art: str, preds: list, golds: list, same, extra, missed) -> list[tuple]:
    """Greedy one-to-one matching of one article's predictions to its gold items."""
    remaining, pairs = list(golds), []
    for p in preds:
        hit = next((g for g in remaining if same(p, g)), None)
        if hit is None:
            score.fp += 1
            score.notes.append(f"{art}: extra {extra(p)}")
        else:
            score.tp += 1
            remaining.remove(hit)
            pairs.append((p, hit))
    score.fn += len(remaining)
    score.notes += [f"{art}: missed {missed(g)}" for g in remaining]
    return pairs


def _rows(ds: Dataset, name: str) -> list[dict]:
    cols, rows = run_query(ds, load_query(name))
    return [dict(zip(cols, r)) for r in rows]


_COUNTRY_ALIASES = {"us": "united states", "u s": "united states", "usa": "united states", "america": "united states"}


def _country(name: str | None) -> str:
    key = fold(name or "")
    return _COUNTRY_ALIASES.get(key, key)


def evaluate(ds: Dataset, gold_path: Path) -> dict:
    """Scores per category, and the checks that are not precision/recall."""
    gold = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8"))
    people_rows = _rows(ds, "people")
    articles = set(gold.get("catalog") or {}) or {a for p in gold.get("people") or [] for a in p["mentions"]}

    gold_people: dict[str, list[dict]] = defaultdict(list)  # article -> gold person entries
    for person in gold.get("people", []):
        for art, m in person["mentions"].items():
            gold_people[art].append({"name": person["name"], "aliases": m.get("aliases") or [],
                                     "titles": m.get("titles") or [], "country": person.get("country"),
                                     "role": person.get("role")})

    pred_people: dict[str, dict[str, dict]] = defaultdict(dict)  # article -> IRI -> {name, titles, country}
    for r in people_rows:
        if r["article"] not in articles:
            continue
        entry = pred_people[r["article"]].setdefault(r["person"], {"name": r["name"], "titles": set(), "country": r["country"]})
        if r["title"]:
            entry["titles"].add(r["title"])

    people, titles, country = Score(), Score(), Score()
    identity: dict[str, set[str]] = defaultdict(set)
    for art in sorted(articles):
        golds = gold_people.get(art, [])
        matched: dict[str, dict] = {}  # IRI -> gold entry
        for iri, pred in sorted(pred_people.get(art, {}).items()):
            g = next((g for g in golds if names_match(pred["name"], g["name"], g["aliases"])
                      and g["name"] not in {m["name"] for m in matched.values()}), None)
            if g:
                matched[iri] = g
                identity[g["name"]].add(iri)
            else:
                people.fp += 1
                people.notes.append(f"{art}: extra person {pred['name']!r}")
        people.tp += len(matched)
        missing = [g["name"] for g in golds if g["name"] not in {m["name"] for m in matched.values()}]
        people.fn += len(missing)
        people.notes += [f"{art}: missed person {n!r}" for n in missing]
        # titles
        for iri, pred in pred_people.get(art, {}).items():
            g = matched.get(iri)
            gold_titles = list(g["titles"]) if g else []
            for t in sorted(pred["titles"]):
                hit = next((gt for gt in gold_titles if overlap(t, gt) >= 0.6), None)
                if hit:
                    titles.tp += 1
                    gold_titles.remove(hit)
                else:
                    titles.fp += 1
                    titles.notes.append(f"{art}: extra title {t!r} for {pred['name']!r}")
            titles.fn += len(gold_titles)
            titles.notes += [f"{art}: missed title {t!r} for {g['name']!r}" for t in gold_titles]
        for g in golds:
            if g["name"] not in {m["name"] for m in matched.values()} and g["titles"]:
                titles.fn += len(g["titles"])
        # person -> country
        for iri, pred in pred_people.get(art, {}).items():
            g = matched.get(iri)
            want = _country(g["country"]) if g and g.get("country") else ""
            got = _country(pred["country"])
            if got and want and got == want:
                country.tp += 1
            else:
                if got:
                    country.fp += 1
                    country.notes.append(f"{art}: {pred['name']!r} given {pred['country']!r}")
                if want:
                    country.fn += 1
                    country.notes.append(f"{art}: {g['name']!r} should serve {g['country']!r}")
        for g in golds:
            if g.get("country") and g["name"] not in {m["name"] for m in matched.values()}:
                country.fn += 1

    split = [name for name, iris in identity.items() if len(iris) > 1]
    labels = _labels(ds)
    results = {
        "people": people, "titles": titles, "person_country": country,
        "organizations": _score_orgs(ds, gold, articles),
        "countries": _score_countries(ds, gold, articles),
    }
    meeting_articles = {a for m in gold.get("meetings") or [] for a in m["articles"]}
    meetings, meeting_checks = _score_meetings(ds, gold, articles | meeting_articles)
    claims, contradictions = _score_claims(ds, gold, labels)
    results.update({"meeting_participants": meetings, "figures": _score_figures(ds, gold),
                    "quotes": _score_quotes(ds, gold, labels), "claims": claims})
    scores = {k: v.as_dict() for k, v in results.items()}
    notes = {k: v.notes for k, v in results.items() if v.notes}
    noise = _noise_hits(ds, gold.get("noise", []))
    return {"scores": scores, "split_people": split, "furniture_facts": noise, "notes": notes,
            "meetings": meeting_checks, "contradictions": contradictions}


def _labels(ds: Dataset) -> dict[str, set[str]]:
    """Every name an entity goes by (preferred and as written), keyed by its preferred name."""
    from rdflib.namespace import SKOS

    from .vocab import SCHEMA

    by_node: dict = defaultdict(set)
    for s, _, o, _ in ds.quads((None, SCHEMA.name, None, None)):
        by_node[s].add(str(o))
    for s, _, o, _ in ds.quads((None, SKOS.altLabel, None, None)):
        by_node[s].add(str(o))
    out: dict[str, set[str]] = defaultdict(set)
    for s, names in by_node.items():
        for n in names:
            out[n] |= names
    return out


def speaker_matches(predicted: str, gold: str, labels: dict[str, set[str]]) -> bool:
    """A speaker matches by any of its names: as a person's name, or by >= 60 % content words."""
    if not predicted or not gold:
        return False
    return any(names_match(n, gold) or overlap(n, gold) >= 0.6 for n in {predicted} | labels.get(predicted, set()))


# The output's meeting types are PLOVER/CAMEO CONSULT modes; the gold's are plainer words. A
# "host" meeting is a visit told from the host's side and a "multilateral" one is what the gold
# calls a summit, so those two compare as visit and summit; the other words are shared.
_TYPE_AS_GOLD = {"host": "visit", "multilateral": "summit"}


def place_matches(predicted: str | None, gold: str | None) -> bool:
    """A place is right when it names the gold place or one of its comma/"and"-separated parts
    ("Queens" ~ "Queens, New York"; "Ottawa" ~ "Parliament Hill and Global Affairs,
    Ottawa"), or the gold place names one of the output's parts. "Mexico" is not "Mexico City"."""
    if not predicted or not gold:
        return False

    def parts(place: str) -> set[str]:
        return {fold(x) for x in re.split(r",|;|\band\b", place) if fold(x)} | {fold(place)}

    return fold(predicted) in parts(gold) or fold(gold) in parts(predicted)


def _gold_aliases(gold: dict) -> dict[str, dict[str, list[str]]]:
    """article -> gold person name -> the other forms that article uses for them."""
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for person in gold.get("people", []):
        for art, m in (person.get("mentions") or {}).items():
            out[art][person["name"]] = list((m or {}).get("aliases") or [])
    return out


def _meeting_facts(ds: Dataset) -> dict[str, dict[str, str]]:
    """Meeting IRI -> its dg:status and dg:meetingType (the saved ``meetings`` query has neither;
    ``meetings_by_topic`` has both but only for meetings with a topic)."""
    from .vocab import DG

    facts: dict[str, dict[str, str]] = defaultdict(dict)
    for key, prop in (("status", DG.status), ("type", DG.meetingType)):
        for s, _, o, _ in ds.quads((None, prop, None, None)):
            facts[str(s)][key] = str(o)
    return facts


def _score_meetings(ds: Dataset, gold: dict, articles: set[str]) -> tuple[Score, dict]:
    """Meetings paired one-to-one, then participants scored over the pairs and the unpaired output.

    An output meeting can pair with a gold meeting when it is told in one of the gold meeting's
    articles and agrees on something: a participant, the date or the place (or neither names
    anyone). Among those, the pairs are chosen so that, over the whole gold file, the most
    participants agree, then the most dates, then the most places (a maximum-weight matching with
    those as lexicographic weights; remaining ties go to agreeing status, then type, then fewer
    people the gold meeting lacks), so two output meetings never share a gold meeting and one
    output meeting never answers for two. Participants of a paired output meeting in the gold
    meeting's articles score against the gold participants (with the article's gold aliases).
    An output meeting paired with none counts its participants (in the gold file's articles) as
    false positives, unless it is a split node: told only in a paired gold meeting's articles and
    naming only people of that meeting (the gold's or its paired output meeting's) -- those are
    counted apart and not scored.
    """
    import networkx as nx

    by_meeting: dict[str, list[dict]] = defaultdict(list)
    for r in _rows(ds, "meetings"):
        by_meeting[r["meeting"]].append(r)
    facts = _meeting_facts(ds)
    aliases_in = _gold_aliases(gold)
    golds = list(gold.get("meetings") or [])

    def wanted(g: dict) -> list[str]:
        want = list(g.get("participants") or [])
        for key, extra in g.items():
            if key.startswith("also_in_"):
                want += [p for p in extra or [] if p not in want]
        return want

    def is_gold(g: dict, n: str, w: str) -> bool:
        """Whether the output's participant ``n`` is ``g``'s participant ``w`` (by the aliases of ``g``'s articles)."""
        return names_match(n, w, [a for art in g["articles"] for a in aliases_in.get(art, {}).get(w, [])])

    def names_in(iri: str, arts) -> list[str]:
        return sorted({r["participant"] for r in by_meeting[iri] if r["article"] in arts and r["participant"]})

    def same(g: dict, iri: str, key: str) -> bool:
        value = facts.get(iri, {}).get(key, "")
        return bool(g.get(key)) and (_TYPE_AS_GOLD.get(value, value) if key == "type" else value) == str(g[key])

    # candidate pairs, weighted lexicographically: participants agreeing, then date, then place;
    # ties left after those go to the pair agreeing on status, then on type, then naming fewer
    # people the gold meeting lacks; then any pair at all
    candidates: list[tuple[int, str, tuple]] = []
    for i, g in enumerate(golds):
        arts, want = set(g["articles"]), wanted(g)
        for iri in sorted(by_meeting):
            rs = by_meeting[iri]
            if not any(r["article"] in arts for r in rs):
                continue
            names = names_in(iri, arts)
            hits = sum(any(is_gold(g, n, w) for n in names) for w in want)
            extras = sum(not any(is_gold(g, n, w) for w in want) for n in names)
            date_ok = bool(g.get("date")) and any(r["date"] == str(g["date"]) for r in rs)
            place_ok = bool(g.get("place")) and any(place_matches(r["place"], g["place"]) for r in rs)
            if hits or date_ok or place_ok or (not want and not names):
                candidates.append((i, iri, (hits, date_ok, place_ok, same(g, iri, "status"), same(g, iri, "type"),
                                            -extras, 1)))
    # every level below the first sums, over all pairs, to less than one step of the level above
    most_extras = max((-c[2][5] for c in candidates), default=0)
    base = (len(golds) + 1) * (most_extras + 2)
    G = nx.Graph()
    for i, iri, levels in candidates:
        weight = 0
        for n, level in enumerate(levels):
            weight = weight * base + int(level) + (most_extras if n == 5 else 0)
        G.add_edge(("gold", i), ("out", iri), weight=weight)
    pairs: dict[int, str] = {}
    for a, b in nx.max_weight_matching(G):
        (_, i), (_, iri) = sorted((a, b))  # "gold" < "out"
        pairs[i] = iri

    s = Score()
    checks = {"gold": len(golds), "found": len(pairs), "dates_given": 0, "dates_right": 0,
              "places_given": 0, "places_right": 0, "status_given": 0, "status_right": 0,
              "type_given": 0, "type_right": 0, "one_node": 0, "multi_article": 0,
              "output": 0, "unpaired_output": 0, "split_nodes": 0, "pairs": {}, "split": []}
    for i, g in enumerate(golds):
        arts, want = set(g["articles"]), wanted(g)
        iri = pairs.get(i)
        checks["pairs"][str(g["id"])] = iri
        if iri is None:
            s.fn += len(want)
            s.notes.append(f"missed meeting {g['id']}")
            continue
        rs = by_meeting[iri]
        _match(s, g["id"], names_in(iri, arts), want, partial(is_gold, g), lambda n: f"participant {n!r}",
               lambda w: f"participant {w!r}")
        if g.get("date"):
            checks["dates_given"] += 1
            if any(r["date"] == str(g["date"]) for r in rs):
                checks["dates_right"] += 1
            else:
                s.notes.append(f"{g['id']}: date {rs[0]['date']!r}, gold {g['date']}")
        if g.get("place"):
            checks["places_given"] += 1
            if any(place_matches(r["place"], g["place"]) for r in rs):
                checks["places_right"] += 1
            else:
                s.notes.append(f"{g['id']}: place {rs[0]['place']!r}, gold {g['place']!r}")
        for key in ("status", "type"):
            if g.get(key):
                checks[f"{key}_given"] += 1
                if same(g, iri, key):
                    checks[f"{key}_right"] += 1
                else:
                    s.notes.append(f"{g['id']}: {key} {facts.get(iri, {}).get(key, '')!r}, gold {g[key]}")
        if len(arts) > 1:
            checks["multi_article"] += 1
            if arts <= {r["article"] for r in rs}:
                checks["one_node"] += 1
            else:
                s.notes.append(f"{g['id']}: not one node across {sorted(arts)}")

    # output meetings paired with no gold meeting, within the gold file's articles
    paired = {iri: i for i, iri in pairs.items()}
    for iri in sorted(by_meeting):
        told_in = {r["article"] for r in by_meeting[iri]} & articles
        if not told_in:
            continue
        checks["output"] += 1
        if iri in paired:
            continue
        checks["unpaired_output"] += 1
        label = by_meeting[iri][0]["label"] or iri
        names = names_in(iri, told_in)
        split_of = next((golds[i]["id"] for i, p in sorted(pairs.items())
                         if names and told_in <= set(golds[i]["articles"])
                         and all(n in names_in(p, golds[i]["articles"])
                                 or any(is_gold(golds[i], n, w) for w in wanted(golds[i]))
                                 for n in names)), None)
        if split_of is not None:
            checks["split_nodes"] += 1
            checks["split"].append(iri)
            s.notes.append(f"split meeting node {label!r} repeats {split_of}")
            continue
        s.fp += len(names)
        s.notes += [f"unpaired meeting {label!r}: extra participant {n!r}" for n in names]
    return s, checks


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1e-9)


def _score_figures(ds: Dataset, gold: dict) -> Score:
    s = Score()
    pred: dict[str, list] = defaultdict(list)
    for r in _rows(ds, "figures"):
        if r["value"]:
            pred[r["article"]].append((float(r["value"]), r["about"]))
        elif r["low"] and r["high"]:
            pred[r["article"]].append(([float(r["low"]), float(r["high"])], r["about"]))
    want: dict[str, list] = defaultdict(list)
    for f in gold.get("figures", []):
        want[f["article"]].append(f)
    def same(p, g):
        value, gv = p[0], g["value"]
        if isinstance(gv, list) != isinstance(value, list):
            return False
        return all(_close(a, b) for a, b in zip(gv, value)) if isinstance(gv, list) else _close(gv, value)

    for art in sorted(set(pred) | set(want)):
        _match(s, art, pred.get(art, []), want.get(art, []), same, lambda p: f"figure {p[0]} ({p[1]})",
               lambda g: f"figure {g['value']} ({g['about']})")
    return s


def _score_quotes(ds: Dataset, gold: dict, labels) -> Score:
    s = Score()
    pred: dict[str, list] = defaultdict(list)
    for r in _rows(ds, "quotes"):
        pred[r["article"]].append((r["speaker"], r["text"]))
    want: dict[str, list] = defaultdict(list)
    for q in gold.get("quotes", []):
        want[q["article"]].append(q)
    for art in sorted(set(pred) | set(want)):
        _match(s, art, pred.get(art, []), want.get(art, []),
               lambda p, q: fold(q["text"]) in fold(p[1]) and speaker_matches(p[0], q["speaker"], labels),
               lambda p: f"quote {p[0]!r}: {p[1][:60]!r}", lambda q: f"quote {q['speaker']!r}: {q['text'][:60]!r}")
    return s


def _score_claims(ds: Dataset, gold: dict, labels) -> tuple[Score, dict]:
    s = Score()
    rows = _rows(ds, "claims")
    claims: dict[str, dict] = {}
    links: set[tuple[str, str]] = set()
    for r in rows:
        claims.setdefault(r["claim"], r)
        if r["contradicts"]:
            links.add((r["claim"], r["contradicts"]))
    matched: dict[str, str] = {}  # gold id -> claim IRI
    for art in sorted({c["article"] for c in claims.values()} | {g["article"] for g in gold.get("claims", [])}):
        preds = [(iri, c) for iri, c in sorted(claims.items()) if c["article"] == art]
        golds = [g for g in gold.get("claims", []) if g["article"] == art]
        for (iri, _), g in _match(
                s, art, preds, golds,
                lambda p, g: overlap(p[1]["text"], g["text"]) >= 0.5 and speaker_matches(p[1]["speaker"], g["speaker"], labels),
                lambda p: f"claim {p[1]['speaker']!r}: {p[1]['text'][:60]!r}", lambda g: f"claim {g['id']}"):
            matched[g["id"]] = iri
    pairs = [(g["id"], g["contradicts"]) for g in gold.get("claims", []) if g.get("contradicts")]
    found = [f"{a} ~ {b}" for a, b in pairs if a in matched and b in matched and (matched[a], matched[b]) in links]
    return s, {"gold": len(pairs), "found": len(found), "pairs": found}


def _score_orgs(ds: Dataset, gold: dict, articles: set[str]) -> Score:
    s = Score()
    pred: dict[str, set[str]] = defaultdict(set)
    for r in _rows(ds, "organizations"):
        pred[r["article"]].add(r["name"])
    for art in sorted(articles):
        _match(s, art, sorted(pred.get(art, set())), gold.get("organizations", {}).get(art, []),
               lambda n, w: overlap(n, w) >= 0.6, lambda n: f"organization {n!r}", lambda w: f"organization {w!r}")
    return s


def _score_countries(ds: Dataset, gold: dict, articles: set[str]) -> Score:
    s = Score()
    pred: dict[str, set[str]] = defaultdict(set)
    for r in _rows(ds, "countries"):
        pred[r["article"]].add(_country(r["name"]))
    for art in sorted(articles):
        want = {_country(c) for c in gold.get("countries", {}).get(art, [])}
        got = pred.get(art, set())
        s.tp += len(want & got)
        s.fp += len(got - want)
        s.fn += len(want - got)
        s.notes += [f"{art}: extra country {c!r}" for c in sorted(got - want)]
        s.notes += [f"{art}: missed country {c!r}" for c in sorted(want - got)]
    return s


def _noise_hits(ds: Dataset, noise: list[str]) -> list[str]:
    """Furniture strings that turned up in any fact's text (names, quotes, sentences …)."""
    from rdflib import XSD, Literal

    from .vocab import DG

    texts = {str(o) for _, p, o, _ in ds.quads((None, None, None, None))
             if isinstance(o, Literal) and o.datatype in (None, XSD.string) and p != DG.sha256}
    hits = []
    for n in noise:
        pattern = re.compile(rf"(?<!\w){re.escape(n)}(?!\w)")
        for t in texts:
            if pattern.search(t):
                hits.append(f"{n!r} in {t[:80]!r}")
                break
    return hits


def format_scores(result: dict) -> str:
    lines = [f"{'category':<16} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for cat, s in result["scores"].items():
        lines.append(f"{cat:<16} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}  {s['tp']:>3} {s['fp']:>3} {s['fn']:>3}")
    m = result.get("meetings")
    if m:
        lines.append(f"meetings: {m['found']}/{m['gold']} found, dates right {m['dates_right']}/{m['dates_given']}, "
                     f"places right {m['places_right']}/{m['places_given']}, "
                     f"one node across articles {m['one_node']}/{m['multi_article']}")
        if m["status_given"] or m["type_given"]:
            lines.append(f"meetings paired: status right {m['status_right']}/{m['status_given']}, "
                         f"type right {m['type_right']}/{m['type_given']}")
        lines.append(f"output meetings: {m['output']}, unpaired {m['unpaired_output']} "
                     f"(split meeting nodes: {m['split_nodes']})")
    c = result.get("contradictions")
    if c:
        lines.append(f"contradictions: {c['found']}/{c['gold']} found")
    lines.append(f"furniture facts: {len(result['furniture_facts'])}")
    lines += [f"  {h}" for h in result["furniture_facts"]]
    lines.append(f"people split across nodes: {len(result['split_people'])}")
    lines += [f"  {n}" for n in result["split_people"]]
    return "\n".join(lines)
