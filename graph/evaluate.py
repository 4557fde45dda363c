"""Score a built graph against a hand-annotated gold file (format of ``gold/seeds.yaml``).

Users annotate their own articles the same way, so this is the product's quality
yardstick, not a test helper. Output is compared per article, from the saved queries'
rows, with the matching rules written at the top of the gold file: folded names (a
bare surname matches the full name), titles by >= 60 % content-word overlap, figures
within 0.5 %, quotes by containment, claims by >= 50 % wording overlap.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Dataset

from .sparql.queries import load_query, run_query
from .text import content_words, fold

__all__ = ["Score", "evaluate", "format_scores", "names_match"]


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
    articles = set(gold.get("catalog", {})) or {a for p in gold["people"] for a in p["mentions"]}

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
    meetings, meeting_checks = _score_meetings(ds, gold, labels)
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


def _score_meetings(ds: Dataset, gold: dict, labels) -> tuple[Score, dict]:
    rows = _rows(ds, "meetings")
    by_meeting: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_meeting[r["meeting"]].append(r)
    s = Score()
    checks = {"gold": 0, "found": 0, "dates_given": 0, "dates_right": 0, "one_node": 0, "multi_article": 0}
    for g in gold.get("meetings", []):
        checks["gold"] += 1
        arts = set(g["articles"])
        want = list(g.get("participants", []))
        for key, extra in g.items():
            if key.startswith("also_in_"):
                want += [p for p in extra if p not in want]
        best, best_hits = None, -1
        for iri, rs in sorted(by_meeting.items()):
            names = {r["participant"] for r in rs if r["article"] in arts and r["participant"]}
            hits = sum(any(names_match(n, w) for n in names) for w in want)
            date_ok = any(r["date"] == str(g.get("date")) for r in rs)
            if any(r["article"] in arts for r in rs) and (hits, date_ok) > (best_hits, False):
                best, best_hits = iri, hits
        if best is None:
            s.fn += len(want)
            s.notes.append(f"missed meeting {g['id']}")
            continue
        checks["found"] += 1
        rs = by_meeting[best]
        names = sorted({r["participant"] for r in rs if r["article"] in arts and r["participant"]})
        remaining = list(want)
        for n in names:
            hit = next((w for w in remaining if names_match(n, w)), None)
            if hit:
                s.tp += 1
                remaining.remove(hit)
            else:
                s.fp += 1
                s.notes.append(f"{g['id']}: extra participant {n!r}")
        s.fn += len(remaining)
        s.notes += [f"{g['id']}: missed participant {w!r}" for w in remaining]
        if g.get("date"):
            checks["dates_given"] += 1
            if any(r["date"] == str(g["date"]) for r in rs):
                checks["dates_right"] += 1
            else:
                s.notes.append(f"{g['id']}: date {rs[0]['date']!r}, gold {g['date']}")
        if len(arts) > 1:
            checks["multi_article"] += 1
            if arts <= {r["article"] for r in rs}:
                checks["one_node"] += 1
            else:
                s.notes.append(f"{g['id']}: not one node across {sorted(arts)}")
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
    import re

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
                     f"one node across articles {m['one_node']}/{m['multi_article']}")
    c = result.get("contradictions")
    if c:
        lines.append(f"contradictions: {c['found']}/{c['gold']} found")
    lines.append(f"furniture facts: {len(result['furniture_facts'])}")
    lines += [f"  {h}" for h in result["furniture_facts"]]
    lines.append(f"people split across nodes: {len(result['split_people'])}")
    lines += [f"  {n}" for n in result["split_people"]]
    return "\n".join(lines)
