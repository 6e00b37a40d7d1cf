from enum import StrEnum


class Difficulty(StrEnum):
    BEGINNER = "BEGINNER"
    ELITE = "ELITE"
    NIGHTMARE = "NIGHTMARE"
    PRO = "PRO"
    ROOKIE = "ROOKIE"

    def __str__(self) -> str:
        return str(self.value)
