"""Name, street and company pools, seeded, sampled with numpy (fast at national scale)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faker import Faker

# Names common among non-western migration backgrounds in the big cities (Turkish, Moroccan,
# Surinamese, Syrian, Eritrean, Somali), so the synthetic caseload looks like a real one.
MIGRANT_FIRST_FEMALE = (
    "Fatima", "Aicha", "Samira", "Naima", "Khadija", "Aylin", "Elif", "Zeynep", "Meryem",
    "Hanan", "Rahma", "Amal", "Yasmina", "Nadia", "Shanti", "Sharda", "Helen", "Senait",
    "Hodan", "Fadumo", "Layla", "Rania", "Ayan", "Esra",
)  # fmt: skip
MIGRANT_FIRST_MALE = (
    "Mohamed", "Ahmed", "Youssef", "Mustafa", "Hassan", "Ali", "Omar", "Ibrahim", "Mehmet",
    "Emre", "Hakan", "Murat", "Rachid", "Karim", "Samir", "Dewanand", "Ravi", "Tesfay",
    "Yonas", "Abdi", "Khalid", "Bilal", "Anas", "Tarik",
)  # fmt: skip
MIGRANT_LAST = (
    "El Amrani", "Bouzid", "El Idrissi", "Benali", "Ouali", "Yilmaz", "Kaya", "Demir", "Sahin",
    "Celik", "Ozturk", "Aydin", "Ramdin", "Jagesar", "Mohan", "Al-Hassan", "Haddad", "Khalil",
    "Tesfamariam", "Gebremedhin", "Abdullahi", "Warsame", "Mohamud", "Hussein", "Bakkali",
    "Azzouzi", "Doğan", "Koç", "Ramautar", "Soekhai",
)  # fmt: skip
PREFIXES = ("de ", "van ", "van der ", "van den ", "van de ", "de ", "van ")
COMPANY_FORMS = ("B.V.", "B.V.", "B.V.", "V.O.F.", "& Zn.", "Groep", "Holding B.V.")


@dataclass(frozen=True)
class NamePools:
    female: np.ndarray
    male: np.ndarray
    last: np.ndarray
    streets: np.ndarray

    @classmethod
    def build(cls, seed: int) -> NamePools:
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        person = fake.provider("faker.providers.person")
        assert person is not None
        last = sorted(
            n for n in person.last_names if n[0].isalpha() and not n.endswith(("dr", "sdr", "sz"))
        )
        streets = sorted({fake.street_name() for _ in range(400)})
        return cls(
            female=np.array(sorted(person.first_names_female), dtype=object),
            male=np.array(sorted(person.first_names_male), dtype=object),
            last=np.array(last, dtype=object),
            streets=np.array(streets, dtype=object),
        )

    def first_names(
        self, rng: np.random.Generator, female: np.ndarray, migrant: np.ndarray
    ) -> np.ndarray:
        n = len(female)
        dutch_f = self.female[rng.integers(0, len(self.female), n)]
        dutch_m = self.male[rng.integers(0, len(self.male), n)]
        mig_f = np.array(MIGRANT_FIRST_FEMALE, dtype=object)[
            rng.integers(0, len(MIGRANT_FIRST_FEMALE), n)
        ]
        mig_m = np.array(MIGRANT_FIRST_MALE, dtype=object)[
            rng.integers(0, len(MIGRANT_FIRST_MALE), n)
        ]
        return np.where(migrant, np.where(female, mig_f, mig_m), np.where(female, dutch_f, dutch_m))

    def last_names(self, rng: np.random.Generator, migrant: np.ndarray) -> np.ndarray:
        n = len(migrant)
        base = self.last[rng.integers(0, len(self.last), n)]
        prefix = np.array(PREFIXES, dtype=object)[rng.integers(0, len(PREFIXES), n)]
        # Faker's list already holds "de Boer"-style names; prefix only the bare ones.
        bare = np.array([" " not in b and b[:1].isupper() for b in base], dtype=bool)
        dutch = np.where(bare & (rng.random(n) < 0.25), prefix + base, base)
        mig = np.array(MIGRANT_LAST, dtype=object)[rng.integers(0, len(MIGRANT_LAST), n)]
        return np.where(migrant, mig, dutch)

    def company_names(self, rng: np.random.Generator, sector_words: np.ndarray) -> np.ndarray:
        n = len(sector_words)
        owner = self.last[rng.integers(0, len(self.last), n)]
        form = np.array(COMPANY_FORMS, dtype=object)[rng.integers(0, len(COMPANY_FORMS), n)]
        return owner + " " + sector_words + " " + form
