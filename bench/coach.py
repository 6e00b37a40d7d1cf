"""The coach's own benchmark: judge latency on one core, and what loading it costs in memory.

    python bench/coach.py [--rounds 3]          (make bench-coach)

Plays every twin script of the labelled corpus (strong and weak, five messages each) at every
difficulty through MeaningCoach.judge, in one thread, as the service does (each message sees
the history with what was read in it), and reports per-message latency percentiles. Memory:
the process's resident set before and after the model and the embedder are loaded.
Run it on a quiet machine and compare two builds in one sitting (farm-bench --vs ...).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as a gunicorn worker thread gets
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.eval: the corpus

import numpy as np


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="plays of the whole set")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    from roleplay_api.difficulty import DIFFICULTIES
    from roleplay_api.services.coach import MeaningCoach, Turn
    from roleplay_api.services.coach.library import bundled_brief
    from tests.eval import corpus as corpus_module

    before = rss_mb()
    started = time.perf_counter()
    coach = MeaningCoach()
    coach.warm()
    load_s = time.perf_counter() - started
    after = rss_mb()

    twins = corpus_module.load().twins
    timings: list[float] = []
    for _ in range(args.rounds):
        for twin in twins:
            brief = bundled_brief(twin.scenario)
            for difficulty in DIFFICULTIES:
                for script in (twin.strong, twin.weak):
                    history: list[Turn] = []
                    for message in script:
                        t = time.perf_counter()
                        j = coach.judge(brief, difficulty, history, message)
                        timings.append((time.perf_counter() - t) * 1000)
                        history += [
                            Turn("user", message, j.score, j.skills, j.user_meta),
                            Turn("assistant", j.response, meta=j.reply_meta),
                        ]
    ms = np.array(timings)
    print(f"coach judge, one core: {len(ms)} messages")
    print(
        f"  p50 {np.percentile(ms, 50):.2f} ms   p90 {np.percentile(ms, 90):.2f} ms   "
        f"p99 {np.percentile(ms, 99):.2f} ms   max {ms.max():.2f} ms"
    )
    print(
        f"  load {load_s:.2f} s; resident memory {before:.0f} MB -> {after:.0f} MB "
        f"(+{after - before:.0f} MB with the model and embedder)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
