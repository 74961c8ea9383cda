"""The candidate file's choice lists: read once per version of the lists, current after any
write (ORM or bulk), on both backends."""

from __future__ import annotations

from sqlalchemy import Engine, event, insert
from sqlalchemy.orm import Session, sessionmaker

import factories as f
from werkpad.services.choices import ChoiceCache
from werkpad.store.db import transaction
from werkpad.store.models import Employer, ProvisionType


def _statements(engine: Engine, cache: ChoiceCache, factory: sessionmaker[Session]) -> int:
    seen: list[str] = []

    def listener(_c: object, _cur: object, statement: str, *_a: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        with factory() as session:
            cache.lists(session)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_unchanged_lists_cost_one_query_per_view(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        f.make_employer(session)
        f.make_provider(session)
    cache = ChoiceCache()
    assert _statements(engine, cache, factory) > 1  # the first view loads the lists
    assert _statements(engine, cache, factory) == 1  # later views: the fingerprint only


def test_an_edited_employer_name_shows_in_the_next_view(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        employer_id = f.make_employer(session, name="Bakkerij Oud").id
    cache = ChoiceCache()
    with factory() as session:
        assert [e.name for e in cache.lists(session).employers] == ["Bakkerij Oud"]
    with transaction(factory) as session:
        employer = session.get(Employer, employer_id)
        assert employer is not None
        employer.name = "Bakkerij Nieuw"
    with factory() as session:
        assert [e.name for e in cache.lists(session).employers] == ["Bakkerij Nieuw"]


def test_a_bulk_insert_of_provision_types_shows_in_the_next_view(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    cache = ChoiceCache()
    with factory() as session:
        before = len(cache.lists(session).catalogue)
    with engine.begin() as conn:  # a Core write, as an import does: no ORM hooks
        conn.execute(
            insert(ProvisionType).values(
                code="BULK1",
                name="Taaltraject bulk",
                kind="BASIC",
                gos_code="PS3",
                srg_code="11",
                phase="WORKFIT",
                active=True,
            )
        )
    with factory() as session:
        names = [t.name for t in cache.lists(session).catalogue]
    assert len(names) == before + 1 and "Taaltraject bulk" in names
