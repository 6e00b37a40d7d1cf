"""The coach's labelled corpus (tests/eval/corpus/, GUIDE.md there): loading, checking, splitting.

The corpus is split into train and held-out by writer: a writer's voice, templates and
paraphrases all fall on one side. ``HELD_OUT_WRITERS`` was fixed before any item was written.

    python -m tests.eval.corpus check [FOLDER ...]   # check files against the guide
    python -m tests.eval.corpus stats                # counts by split, scenario, band, harm
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).with_name("corpus")
HELD_OUT_WRITERS = frozenset({"w2", "w5"})
# Train writers kept out of training (and of the train figures) until they help: written in the
# eighth session of 2026-12-07 (harms hidden inside good replies; replies that only the history
# decides), they lowered the other writers' leave-one-writer-out pairwise at either harm
# threshold (docs/COACH.md). COACH_WITH_PARKED=1 takes them in, for train, crossval and router.
PARKED_WRITERS = (
    frozenset() if os.environ.get("COACH_WITH_PARKED") == "1" else frozenset({"w24", "w25", "w26"})
)

DIFFICULTIES = ("BEGINNER", "ROOKIE", "PRO", "ELITE", "NIGHTMARE")
SKILLS = (
    "acknowledge",
    "address",
    "discover",
    "value",
    "social_proof",
    "transparency",
    "next_step",
    "respect",
)
HARMS = (
    "pressure",
    "deception",
    "data_grab",
    "harassment",
    "discrimination",
    "threat",
    "insult",
)
FLAWS = (
    "ignores",
    "reask",
    "repeat",
    "generic",
    "stock_stack",
    "monologue",
    "feature_dump",
    "off_topic",
    "dismissive",
    "leading",
    "premature_close",
    "discount_dump",
    "broken_promise",
    "argue",
    "vague",
    "deception",
    "pressure",
)
MAX_EXCHANGES = 5
HARM_CAP = 5


def band(score: int) -> str:
    """The trainer's band of a 0..20 score: low 0-6, mid 7-13, high 14-20."""
    return "low" if score <= 6 else "mid" if score <= 13 else "high"


@dataclass(frozen=True)
class Line:
    role: str  # "trainee" | "buyer"
    text: str


@dataclass(frozen=True)
class Reply:
    text: str
    score: int
    skills: tuple[str, ...]
    harm: str | None
    flaws: tuple[str, ...]
    context: Context = field(repr=False, compare=False)

    @property
    def band(self) -> str:
        return band(self.score)


@dataclass(frozen=True)
class Context:
    id: str
    writer: str
    scenario: str
    difficulty: str
    history: tuple[Line, ...]
    replies: tuple[Reply, ...] = field(default=(), compare=False)

    @property
    def held_out(self) -> bool:
        return self.writer in HELD_OUT_WRITERS

    @property
    def parked(self) -> bool:
        return self.writer in PARKED_WRITERS

    @property
    def exchange(self) -> int:
        return sum(1 for line in self.history if line.role == "trainee") + 1


@dataclass(frozen=True)
class Twin:
    id: str
    writer: str
    scenario: str
    strong: tuple[str, ...]
    weak: tuple[str, ...]

    @property
    def held_out(self) -> bool:
        return self.writer in HELD_OUT_WRITERS

    @property
    def parked(self) -> bool:
        return self.writer in PARKED_WRITERS


class CorpusError(ValueError):
    pass


def _scenario_ids() -> set[str]:
    library = Path(__file__).parents[2] / "roleplay_api" / "data" / "scenarios.yaml"
    return {item["id"] for item in yaml.safe_load(library.read_text("utf-8"))["scenarios"]}


def _context(writer: str, raw: dict, where: str, scenarios: set[str]) -> Context:
    problems = []
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.startswith(f"{writer}-"):
        problems.append(f"id must start with '{writer}-'")
    if raw.get("scenario") not in scenarios:
        problems.append(f"unknown scenario {raw.get('scenario')!r}")
    if raw.get("difficulty") not in DIFFICULTIES:
        problems.append(f"difficulty must be one of {DIFFICULTIES}")
    history = []
    for i, item in enumerate(raw.get("history") or []):
        if not isinstance(item, dict) or len(item) != 1:
            problems.append(f"history[{i}] must be one of {{trainee: ...}} / {{buyer: ...}}")
            continue
        ((role, text),) = item.items()
        expected = "trainee" if i % 2 == 0 else "buyer"
        if role != expected:
            problems.append(f"history[{i}] should be {expected} (turns alternate, trainee first)")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"history[{i}] is empty")
        history.append(Line(role, str(text)))
    if history and history[-1].role != "buyer":
        problems.append("history must end with a buyer line (the line the replies answer)")
    if sum(1 for line in history if line.role == "trainee") >= MAX_EXCHANGES:
        problems.append("history has 5 or more trainee turns: nothing left to reply")
    context = Context(
        str(cid), writer, str(raw.get("scenario")), str(raw.get("difficulty")), tuple(history)
    )
    replies = []
    raw_replies = raw.get("replies") or []
    if len(raw_replies) < 3:
        problems.append("fewer than 3 replies")
    for j, r in enumerate(raw_replies):
        tag = f"replies[{j}]"
        if not isinstance(r, dict):
            problems.append(f"{tag} is not a mapping")
            continue
        unknown = set(r) - {"text", "score", "skills", "harm", "flaws", "note"}
        if unknown:
            problems.append(f"{tag}: unknown keys {sorted(unknown)}")
        text, score = r.get("text"), r.get("score")
        if not isinstance(text, str) or not text.strip() or len(text) > 2000:
            problems.append(f"{tag}: text must be 1..2000 characters")
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 20:
            problems.append(f"{tag}: score must be an integer 0..20")
            score = 0
        skills = r.get("skills")
        if not isinstance(skills, list) or set(skills) - set(SKILLS):
            problems.append(f"{tag}: skills must be a list drawn from {SKILLS}")
            skills = []
        harm = r.get("harm")
        if harm is not None and harm not in HARMS:
            problems.append(f"{tag}: harm must be one of {HARMS}")
        if harm is not None and score > HARM_CAP:
            problems.append(f"{tag}: a harmful reply scores at most {HARM_CAP}")
        flaws = r.get("flaws") or []
        if not isinstance(flaws, list) or set(flaws) - set(FLAWS):
            problems.append(f"{tag}: flaws must be a list drawn from {FLAWS}")
            flaws = []
        replies.append(Reply(str(text), int(score), tuple(skills), harm, tuple(flaws), context))
    if problems:
        raise CorpusError(f"{where} {cid}: " + "; ".join(problems))
    object.__setattr__(context, "replies", tuple(replies))
    return context


def _twin(writer: str, raw: dict, where: str, scenarios: set[str]) -> Twin:
    problems = []
    tid = raw.get("id")
    if not isinstance(tid, str) or not tid.startswith(f"{writer}-"):
        problems.append(f"id must start with '{writer}-'")
    if raw.get("scenario") not in scenarios:
        problems.append(f"unknown scenario {raw.get('scenario')!r}")
    for side in ("strong", "weak"):
        script = raw.get(side)
        if (
            not isinstance(script, list)
            or len(script) != MAX_EXCHANGES
            or not all(isinstance(m, str) and m.strip() for m in script)
        ):
            problems.append(f"{side} must be a list of {MAX_EXCHANGES} non-empty messages")
    if problems:
        raise CorpusError(f"{where} {tid}: " + "; ".join(problems))
    return Twin(str(tid), writer, str(raw["scenario"]), tuple(raw["strong"]), tuple(raw["weak"]))


def load_folder(folder: Path) -> tuple[list[Context], list[Twin]]:
    scenarios = _scenario_ids()
    writer = folder.name
    contexts: list[Context] = []
    twins: list[Twin] = []
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text("utf-8")) or {}
        if doc.get("writer") != writer:
            raise CorpusError(f"{path}: writer must be {writer!r}")
        for raw in doc.get("contexts") or []:
            contexts.append(_context(writer, raw, str(path), scenarios))
        for raw in doc.get("conversations") or []:
            twins.append(_twin(writer, raw, str(path), scenarios))
    return contexts, twins


@dataclass(frozen=True)
class Corpus:
    contexts: tuple[Context, ...]
    twins: tuple[Twin, ...]

    def split(self, held_out: bool) -> Corpus:
        """The held-out writers, or the train writers (without the parked ones)."""
        return Corpus(
            tuple(c for c in self.contexts if c.held_out == held_out and not c.parked),
            tuple(t for t in self.twins if t.held_out == held_out and not t.parked),
        )

    @property
    def replies(self) -> list[Reply]:
        return [r for c in self.contexts for r in c.replies]

    @property
    def writers(self) -> list[str]:
        return sorted({c.writer for c in self.contexts} | {t.writer for t in self.twins})


@lru_cache(maxsize=1)
def load(root: Path = ROOT) -> Corpus:
    contexts: list[Context] = []
    twins: list[Twin] = []
    seen: set[str] = set()
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        c, t = load_folder(folder)
        for item in (*c, *t):
            if item.id in seen:
                raise CorpusError(f"duplicate id {item.id}")
            seen.add(item.id)
        contexts += c
        twins += t
    return Corpus(tuple(contexts), tuple(twins))


def _stats(corpus: Corpus) -> Iterable[str]:
    for name, part in (("train", corpus.split(False)), ("held-out", corpus.split(True))):
        replies = part.replies
        yield (
            f"{name}: writers {','.join(part.writers)}; {len(part.contexts)} contexts, "
            f"{len(replies)} replies, {len(part.twins)} twins"
        )
        yield "  bands " + str(dict(Counter(r.band for r in replies)))
        yield "  harm  " + str(dict(Counter(r.harm or "-" for r in replies)))
        yield "  scenario " + str(dict(Counter(r.context.scenario for r in replies)))
        yield "  difficulty " + str(dict(Counter(r.context.difficulty for r in replies)))
        yield "  exchange " + str(dict(Counter(r.context.exchange for r in replies)))
    parked = [c for c in corpus.contexts if c.parked]
    if parked:
        writers = ",".join(sorted({c.writer for c in parked}))
        replies = sum(len(c.replies) for c in parked)
        twins = sum(t.parked for t in corpus.twins)
        yield f"parked, not trained on: {writers}; {len(parked)} contexts, {replies} replies"
        yield f"  parked twins {twins}"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("check", "stats"):
        print(__doc__)
        return 2
    if argv[0] == "check":
        folders = [Path(a) for a in argv[1:]] or sorted(p for p in ROOT.iterdir() if p.is_dir())
        failed = False
        for folder in folders:
            try:
                contexts, twins = load_folder(folder)
            except CorpusError as error:
                print(f"FAIL {error}")
                failed = True
                continue
            replies = sum(len(c.replies) for c in contexts)
            print(f"ok {folder}: {len(contexts)} contexts, {replies} replies, {len(twins)} twins")
        return 1 if failed else 0
    for line in _stats(load()):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
