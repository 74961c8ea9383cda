"""The password policy (issue 15): length, the shipped deny list, not derived from the name."""

from __future__ import annotations

import pytest

from werkpad.domain.passwords import password_problems, shipped_deny_list


@pytest.mark.parametrize(
    "password",
    [
        "Wachtwoord2024!",
        "welkom123456",
        "P@ssw0rd12345",
        "123456789012",
        "Voetbal1234567",
        "aaaaaaaaaaaa",
        "abcdefghijklm",
        "qwertyuiopas",
        "hallohallohallo",
    ],
)
def test_common_and_predictable_passwords_are_refused_in_dutch(password: str) -> None:
    problems = password_problems(password)
    assert problems and "te bekend of te voorspelbaar" in problems[0]


@pytest.mark.parametrize(
    ("password", "username", "full_name"),
    [
        ("karin-2024-werk!", "karin", ""),
        ("NIREK-klant-oost", "kerin", ""),
        ("zwart-sanne-1990", "km_a", "Sanne de Zwart"),
        ("k4r1n-blauw-huis", "karin", ""),
    ],
)
def test_passwords_derived_from_the_username_or_name_are_refused(
    password: str, username: str, full_name: str
) -> None:
    problems = password_problems(password, username=username, full_name=full_name)
    assert "gebruikersnaam of naam" in " ".join(problems)


def test_short_passwords_are_refused_with_the_minimum_length() -> None:
    assert password_problems("kort-wacht") == ["Kies een wachtwoord van minimaal 12 tekens."]


def test_a_passphrase_of_loose_words_is_accepted() -> None:
    assert (
        password_problems(
            "paars fietsrek onder de brug", username="km_a", full_name="Karin de Klant"
        )
        == []
    )
    # Particles of a name ("de") do not refuse every password that contains them.
    assert password_problems("groene-deur-aan-de-gracht", full_name="Bea de Heer") == []


def test_the_shipped_deny_list_is_lower_case_and_holds_dutch_favourites() -> None:
    words = shipped_deny_list()
    assert {"wachtwoord", "welkom", "voetbal", "geheim"} <= words
    assert all(w == w.lower() for w in words)
