"""Leave-one-writer-out figures of the whole coach on the train writers (for choosing settings).

    python -m tests.eval.crossval [--embedder static] [--dump rows.jsonl]

For each train writer: the heads are trained on the other train writers, the blend and the score
model on their out-of-fold answers, and the engine (state, caps, buyer and all) is run on the
writer's contexts and twins as `make eval` runs the shipped model on held-out. The held-out
writers are never read. Settings are chosen on these figures, never on held-out ones.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import fields

import numpy as np

from roleplay_api.services.coach import lexical, phrases, rubric
from roleplay_api.services.coach import text as texts
from roleplay_api.services.coach.engine import MeaningCoach
from roleplay_api.services.coach.library import bundled_brief
from roleplay_api.services.coach.model import Model
from roleplay_api.services.coach.state import State, derive
from tests.eval import corpus as corpus_module
from tests.eval import train as train_module
from tests.eval.corpus import Corpus
from tests.eval.dataset import CACHE, Rows, history_turns, rows
from tests.eval.evaluate import Report, reply_figures, score_replies, twin_figures
from tests.eval.train import (
    HEADS,
    Level1,
    Lexicon,
    build_model,
    cache_key,
    fit_level1,
    fit_level2,
    labels,
    out_of_fold,
)


def fold_level1(data: Rows, grams, writer: str, key: str) -> Level1:
    """The heads trained without ``writer`` (cached: the slow part)."""
    path = CACHE / f"coach-fold-{key}-{writer}.pickle"
    if path.exists():
        saved = pickle.loads(path.read_bytes())  # noqa: S301 - our own cache file
        if isinstance(saved, Level1):
            return saved
        return Level1(  # an older cache held the whole model
            HEADS,
            saved.mean,
            saved.scale,
            saved.emb_w,
            saved.emb_b,
            Lexicon(saved.lex_index, saved.lex_idf),
            saved.lex_w,
            saved.lex_b,
        )
    keep = data.writers != writer
    part = Rows(data.x[keep], [r for r, k in zip(data.replies, keep, strict=True) if k])
    level1 = fit_level1(
        part.x, [g for g, k in zip(grams, keep, strict=True) if k], labels(part, HEADS), HEADS
    )
    path.write_bytes(pickle.dumps(level1))
    return level1


def fold_model(data: Rows, grams, emb, lex, writer: str, kind: str, key: str) -> Model:
    level1 = fold_level1(data, grams, writer, key)
    keep = data.writers != writer
    part = Rows(data.x[keep], [r for r, k in zip(data.replies, keep, strict=True) if k])
    level2 = fit_level2(emb[keep], lex[keep], part, HEADS)
    return build_model(kind, level1, level2, info={"fold": writer})


class Dump:
    """Every judged reply of the folds, one JSON line each (error analysis on train writers)."""

    def __init__(self, path: str | None) -> None:
        self.out = open(path, "w", encoding="utf-8") if path else None  # noqa: SIM115
        self.states: dict[str, State] = {}

    def sink(self, coach: MeaningCoach):
        if self.out is None:
            return None

        def write(context, reply, judgement) -> None:
            if context.id not in self.states:
                brief = bundled_brief(context.scenario)
                state = derive(brief, context.difficulty, history_turns(context), coach._read_act)
                self.states[context.id] = state
            state = self.states[context.id]
            result = coach.read(state, reply.text).result
            probs = result.probabilities
            # the score before a harm capped it, and the harm a phrase rule names (for trying
            # harm settings on the dump). Only the harm's cap is undone: a repeat, re-ask or
            # flaw cap the reply would meet without the harm is not applied, so a simulation
            # that drops a harm from it overstates that reply's score a little.
            uncapped = result.total + (result.costs.get(result.harm, 0) if result.harm else 0)
            rule = phrases.harms(list(texts.split(reply.text)))
            kinds = {h: round(probs[h], 4) for h in rubric.HARMS}  # for choosing GRAVER_AT
            row = {
                "writer": context.writer,
                "context": context.id,
                "scenario": context.scenario,
                "difficulty": context.difficulty,
                "exchange": context.exchange,
                "buyer": next((t.text for t in reversed(context.history) if t.role == "buyer"), ""),
                "shut": state.shut,
                "text": reply.text,
                "label": reply.score,
                "harm": reply.harm,
                "skills": list(reply.skills),
                "flaws": list(reply.flaws),
                "score": judgement.score,
                "judged_harm": judgement.harm,
                "judged_skills": list(judgement.skills),
                "penalties": list(judgement.penalties),
                "response": judgement.response,
                "harm_kinds": kinds,
                "uncapped": uncapped,
                "rule_harm": next((h for h in rubric.HARMS if h in rule), None),
            }
            self.out.write(json.dumps(row) + "\n")

        return write


def crossval(kind: str, report_writers: set[str] | None = None, dump: Dump | None = None) -> Report:
    corpus = corpus_module.load().split(held_out=False)
    data = rows(corpus, kind)
    grams = [lexical.grams(r.text) for r in data.replies]
    key = cache_key(kind, data)
    emb, lex = out_of_fold(data, grams, HEADS, key)
    reports = []
    for writer in corpus.writers:
        model = fold_model(data, grams, emb, lex, writer, kind, key)
        coach = MeaningCoach(model=model)
        part = Corpus(
            tuple(c for c in corpus.contexts if c.writer == writer),
            tuple(t for t in corpus.twins if t.writer == writer),
        )
        report = Report(f"cv:{writer}")
        sink = dump.sink(coach) if dump else None
        reply_figures(report, part, score_replies(coach, part, sink))
        twin_figures(report, coach, part.twins, [])
        if report_writers is None or writer in report_writers:
            reports.append(report)
        print(
            f"  {writer}: pairwise {report.pairwise} band {report.band_agreement} "
            f"harm capped {report.harmful_capped} twins {report.twins_strong_wins}",
            file=sys.stderr,
            flush=True,
        )
    return pooled(reports)


def pooled(reports: list[Report]) -> Report:
    """One report for all folds: each figure weighted by what it counts."""
    out = Report("train, leave one writer out")
    weights = {
        "pairwise": "pairs",
        "band_agreement": "replies",
        "harmful_capped": "harmful",
        "twins_strong_wins": "twins",
        "xp_strong_over_weak": "twins",
        "distinct_buyer_sentences": "twins",
    }
    for f in fields(Report):
        values = [getattr(r, f.name) for r in reports]
        if f.name in weights:
            w = np.array([getattr(r, weights[f.name]) for r in reports], dtype=float)
            setattr(out, f.name, round(float(np.average(values, weights=w)), 4) if w.sum() else 0)
        elif f.name in (
            "replies",
            "pairs",
            "harmful",
            "twins",
            "bad_scored_14_or_more",
            "excellent_scored_6_or_less",
        ):
            setattr(out, f.name, int(sum(values)))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="static", choices=("static", "minilm"))
    parser.add_argument("--no-calibrate", action="store_true", help="the raw ridge score")
    parser.add_argument("--harm-cap", type=int, help="try another cap (rubric.HARM_CAP)")
    parser.add_argument("--severe-cap", type=int, help="try another cap (rubric.SEVERE_CAP)")
    parser.add_argument("--harm-recall", type=float, help="try another train.HARM_RECALL")
    parser.add_argument("--kind-at", type=float, help="try another rubric.KIND_AT")
    parser.add_argument(
        "--report-writers",
        help="pool only these writers' folds (comma-separated), e.g. to compare a corpus that "
        "gained a writer on the folds both have",
    )
    parser.add_argument("--flawed-cap", type=int, help="try another rubric.FLAWED_CAP (0: none)")
    parser.add_argument("--flawed-at", type=float, help="try another rubric.FLAWED_AT")
    parser.add_argument(
        "--goodbye", help="try rubric.GOODBYE_FLOOR,GOODBYE_CAP after the door shut (e.g. 14,6)"
    )
    parser.add_argument("--dump", help="write every judged reply of the folds here (JSON lines)")
    parser.add_argument("--graver-at", type=float, help="try another rubric.GRAVER_AT")
    args = parser.parse_args(argv)
    if args.graver_at is not None:
        rubric.GRAVER_AT = args.graver_at
    if args.flawed_cap is not None:
        rubric.FLAWED_CAP = args.flawed_cap or None
    if args.flawed_at is not None:
        rubric.FLAWED_AT = args.flawed_at
    if args.goodbye:
        rubric.GOODBYE_FLOOR, rubric.GOODBYE_CAP = (int(v) for v in args.goodbye.split(","))
    if args.kind_at is not None:
        rubric.KIND_AT = args.kind_at
    if args.harm_recall is not None:
        train_module.HARM_RECALL = args.harm_recall
    train_module.CALIBRATE = not args.no_calibrate
    if args.harm_cap is not None:
        rubric.HARM_CAP = args.harm_cap
    if args.severe_cap is not None:
        rubric.SEVERE_CAP = args.severe_cap
    only = set(args.report_writers.split(",")) if args.report_writers else None
    dump = Dump(args.dump)
    try:
        report = crossval(args.embedder, only, dump)
    finally:
        if dump.out is not None:
            dump.out.close()
    for f in fields(Report):
        if f.name not in ("part", "misses", "agreed_strong", "agreed_weak"):
            print(f"  {f.name:28s} {getattr(report, f.name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
