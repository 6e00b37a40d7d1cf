"""Text normalization for the rules engine: case, chat shorthand, common typos, sentences."""

from __future__ import annotations

import re
from functools import lru_cache

# Chat shorthand a trainee types on a phone; expanded so the skill patterns see real words.
SHORTHAND = {
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thank you",
    "im": "i'm",
    "ive": "i've",
    "ill": "i'll",
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "cant": "can't",
    "wont": "won't",
    "youre": "you're",
    "youd": "you'd",
    "youll": "you'll",
    "thats": "that's",
    "whats": "what's",
    "its": "it's",
    "isnt": "isn't",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "cuz": "because",
    "bc": "because",
    "b4": "before",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "nite": "night",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "colour": "color",
    "realise": "realize",
    "organise": "organize",
    "licence": "license",
    "okay": "ok",
    "np": "no problem",
    "whens": "when's",
    "hows": "how's",
    "wheres": "where's",
    "whos": "who's",
    "q": "question",
    "k": "ok",
}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words the skill and penalty patterns key on; a misspelt token one or two edits away from one
# of these is read as that word ("undrestand", "schedual", "apreciate").
VOCABULARY = _word_set(
    """
    understand understandable appreciate absolutely completely totally definitely question
    questions concern concerns worried worry frustrating frustrated honest honestly schedule
    scheduled appointment tomorrow thursday tuesday wednesday saturday weekend evening morning
    afternoon minutes convenient convenience obligation pressure estimate assessment neighbors
    neighborhood customers reviews references license licensed insured verify contract warranty
    savings electric electricity monthly payment payments investment financing comfortable
    comfort spouse partner husband wife family decision decide interested interrupt interrupted
    business brochure information email number experience contractor company provider switching
    guarantee guaranteed immediately expensive expected compare comparing regret stupid idiot
    ridiculous ignorant government mandatory security account everyone signing
    """
)

# Real words a vocabulary word is one or two edits from; left alone (inflections, not typos).
KEEP = _word_set(
    """
    understood worries honesty complete interest interests pressured neighbor compared
    comparison comparisons decisions decided decides deciding evenings mornings afternoons
    numbers minute brochures husbands wives guarantees saturdays tuesdays thursdays weekends
    concerned questioned experiences experienced contractors companies providers payments
    customers reviewed references verified schedules scheduling families appointments estimates
    switched contracts licenses investments investing invested frustrate pressures obligations
    accounts expenses expected signed signing singing informed interrupting business's
    comforting securing everyones
    """
)

_WORD = re.compile(r"[a-z0-9']+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _distance_at_most(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein distance(a, b) <= limit (optimal string alignment), early exit."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """The vocabulary word a misspelt ``word`` most likely meant, or ``word`` itself."""
    if word in SHORTHAND:
        return SHORTHAND[word]
    if len(word) < 5 or word in VOCABULARY or word in KEEP or not word.isalpha():
        return word
    limit = 2 if len(word) >= 8 else 1
    for candidate in sorted(VOCABULARY):
        # The first letter is rarely the typo; requiring it avoids most false corrections.
        if candidate[0] == word[0] and _distance_at_most(word, candidate, limit):
            return candidate
    return word


def normalize(text: str) -> str:
    """Lower case, straight quotes, shorthand expanded and typos corrected, one space apart."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"').lower()
    # Keep punctuation (it carries questions and sentence ends); rewrite words only.
    text = _WORD.sub(lambda m: correct_word(m.group(0)), text)
    return re.sub(r"[ \t]+", " ", text).strip()


def sentences(text: str) -> list[str]:
    """The sentences of an already-normalized text."""
    return [part.strip() for part in _SENTENCE.split(text) if part.strip()]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shouting(original: str) -> bool:
    """Mostly capital letters over a real stretch of text, or a run of exclamation marks."""
    letters = [c for c in original if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    if len(letters) >= 12 and upper / len(letters) >= 0.6:
        return True
    return "!!!" in original


def quote(text: str, limit: int = 60) -> str:
    """A short excerpt of the trainee's own words for feedback."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
