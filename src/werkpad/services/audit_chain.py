"""The tamper-evident audit log: entries sealed in blocks by a keyed HMAC chain.

Requests only append audit rows, as before; nothing serialises them. ``seal_audit_log`` (run by
a timer, ``werkpad audit seal``, or called from the application: when there is nothing to seal
it costs two indexed queries) takes the unsealed entries in id order and seals them in blocks:

    mac(n) = HMAC-SHA256(key, "werkpad-audit-seal/1", n, mac(n-1), first id, last id, count,
                         every entry of the block: id, at, user, action, object, purpose, ip)

and stores one ``AuditSeal`` row per block. The key is outside the database (``--key-file`` or
``$WERKPAD_AUDIT_KEY``): someone who can write to the database can change an entry, but cannot
compute the MAC that would vouch for the change. ``verify_audit_log`` recomputes every block
and names what it finds: an edited entry or a reordered pair (the block's MAC no longer fits),
a deleted entry (count and MAC), an entry slipped in between blocks, a removed or reordered
block (the chain link). Entries younger than ``grace`` are left for the next run, so a request
that has taken its audit id but not yet committed is never skipped.

Retention (``prune_audit_log``) removes whole blocks from the old end of the chain, only after a
clean verification, and records the removal as a new entry (``PRUNE`` on ``audit_seal``, object
id = the last removed block) sealed at once: the seal rows of removed blocks stay, so the chain
still verifies from its first link, and a block without entries is accepted only up to a
sealed prune record.

What a chain cannot show: entries deleted before they were sealed (seal often), and the newest
blocks removed together with their seal rows (compare the head ``werkpad audit seal`` prints,
kept in the timer's log outside the database, with ``werkpad audit verify``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from werkpad.protected.keys import MissingKey
from werkpad.protected.keys import load_key as _load_key
from werkpad.services.audit import utc_now
from werkpad.store.models import AuditEntry, AuditSeal

KEY_ENV = "WERKPAD_AUDIT_KEY"
HOW_TO_MAKE_A_KEY = (
    "Maak een auditsleutel met 'werkpad audit keygen --out /veilige/plek/werkpad-audit.key' en "
    f"geef die mee met --key-file, of zet de omgevingsvariabele {KEY_ENV}. Bewaar de sleutel "
    "buiten de database: wie de database kan wijzigen, mag de sleutel niet hebben."
)
GENESIS = "0" * 64
BLOCK_SIZE = 10_000
GRACE = timedelta(minutes=2)
PRUNE_ACTION = "PRUNE"
SEAL_OBJECT = "audit_seal"
_DOMAIN = b"werkpad-audit-seal/1\n"


class AuditChainBroken(Exception):
    """The chain does not verify: pruning is refused (Dutch message)."""


def load_audit_key(key_file: Path | None = None) -> bytes:
    """The audit-seal key from ``key_file`` if given, else from ``$WERKPAD_AUDIT_KEY``."""
    return _load_key(key_file, KEY_ENV, "auditsleutel", HOW_TO_MAKE_A_KEY)


def key_fingerprint(key: bytes) -> str:
    """Says which key sealed a block without revealing it."""
    return hmac.new(key, b"werkpad-audit-key-fingerprint", hashlib.sha256).hexdigest()[:32]


def _entry_bytes(entry: AuditEntry) -> bytes:
    at = entry.at.isoformat(timespec="microseconds") if entry.at else None
    fields = [
        entry.id,
        at,
        entry.user_id,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.purpose,
        entry.ip,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def block_mac(
    key: bytes,
    number: int,
    previous_mac: str,
    first_id: int,
    last_id: int,
    entries: Iterable[AuditEntry],
) -> tuple[str, int]:
    """The MAC of block ``number`` over ``entries`` (in id order) and how many there were."""
    body = hmac.new(key, digestmod=hashlib.sha256)
    count = 0
    for entry in entries:
        body.update(_entry_bytes(entry))
        count += 1
    head = f"{number}\n{previous_mac}\n{first_id}\n{last_id}\n{count}\n".encode()
    return hmac.new(key, _DOMAIN + head + body.digest(), hashlib.sha256).hexdigest(), count


@dataclass(frozen=True)
class SealReport:
    blocks: int
    entries: int
    head: AuditSeal | None  # the newest link after sealing


def head_seal(session: Session) -> AuditSeal | None:
    return session.scalars(select(AuditSeal).order_by(AuditSeal.number.desc()).limit(1)).first()


def seal_audit_log(
    session: Session,
    key: bytes,
    *,
    now: datetime | None = None,
    grace: timedelta = GRACE,
    block_size: int = BLOCK_SIZE,
) -> SealReport:
    """Seal every unsealed entry older than ``grace`` in blocks of at most ``block_size``
    (the caller commits; a concurrent sealer makes the commit fail on the block number)."""
    cutoff = (now or utc_now()) - grace
    fingerprint = key_fingerprint(key)
    head = head_seal(session)
    if head is not None and head.key_fingerprint != fingerprint:
        raise MissingKey(
            "De auditlog is verzegeld met een andere auditsleutel dan deze. Gebruik de sleutel "
            f"van de vorige verzegeling (vingerafdruk {head.key_fingerprint})."
        )
    blocks = sealed = 0
    while True:
        after = head.last_entry_id if head else 0
        candidates = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.id > after)
            .order_by(AuditEntry.id)
            .limit(block_size)
        ).all()
        block: list[AuditEntry] = []
        for entry in candidates:
            if entry.at is None or entry.at > cutoff:
                break  # keep the chain contiguous: this and later ids wait for the next run
            block.append(entry)
        if not block:
            return SealReport(blocks, sealed, head)
        number = head.number + 1 if head else 1
        previous = head.mac if head else GENESIS
        mac, count = block_mac(key, number, previous, block[0].id, block[-1].id, block)
        head = AuditSeal(
            number=number,
            first_entry_id=block[0].id,
            last_entry_id=block[-1].id,
            entries=count,
            first_at=block[0].at,
            last_at=block[-1].at,
            sealed_at=utc_now(),
            key_fingerprint=fingerprint,
            previous_mac=previous,
            mac=mac,
        )
        session.add(head)
        session.flush()
        blocks += 1
        sealed += count
        if len(block) < len(candidates) or len(candidates) < block_size:
            return SealReport(blocks, sealed, head)


@dataclass
class VerifyReport:
    blocks: int = 0
    entries: int = 0
    pruned_through: int = 0  # blocks 1..n had their entries removed by retention
    unsealed: int = 0
    oldest_unsealed: datetime | None = None
    head: AuditSeal | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _claimed_prune_horizon(session: Session) -> int:
    claimed = session.scalar(
        select(func.max(AuditEntry.object_id)).where(
            AuditEntry.action == PRUNE_ACTION, AuditEntry.object_type == SEAL_OBJECT
        )
    )
    return int(claimed or 0)


def verify_audit_log(session: Session, key: bytes) -> VerifyReport:
    """Recompute the whole chain; every deviation is a Dutch sentence in ``problems``."""
    report = VerifyReport()
    fingerprint = key_fingerprint(key)
    horizon = _claimed_prune_horizon(session)
    horizon_confirmed = horizon == 0
    previous_mac, previous_last, expected_number = GENESIS, 0, 1
    seals = session.scalars(select(AuditSeal).order_by(AuditSeal.number)).all()
    for seal in seals:
        report.blocks += 1
        report.head = seal
        label = f"Blok {seal.number} (regels {seal.first_entry_id}-{seal.last_entry_id})"
        if seal.number != expected_number:
            report.problems.append(
                f"Blok {expected_number} ontbreekt: de keten springt naar blok {seal.number}."
            )
        if seal.previous_mac != previous_mac or seal.first_entry_id <= previous_last:
            report.problems.append(
                f"{label} sluit niet aan op het blok ervoor: een blok is verwijderd, "
                "vervangen of verplaatst."
            )
        if seal.key_fingerprint != fingerprint:
            report.problems.append(f"{label} is verzegeld met een andere auditsleutel.")
        between = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.id > previous_last, AuditEntry.id < seal.first_entry_id)
        )
        if between and seal.number > horizon:
            report.problems.append(
                f"Vóór {label.lower()} staan {between} regel(s) die nooit zijn verzegeld: "
                "achteraf toegevoegd."
            )
        if seal.number <= horizon:
            report.pruned_through = seal.number
        else:
            block = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id.between(seal.first_entry_id, seal.last_entry_id))
                .order_by(AuditEntry.id)
            ).all()
            mac, count = block_mac(
                key, seal.number, seal.previous_mac, seal.first_entry_id, seal.last_entry_id, block
            )
            report.entries += count
            if count != seal.entries:
                report.problems.append(
                    f"{label} telt {count} regels, verzegeld waren er {seal.entries}: "
                    f"{'verwijderd' if count < seal.entries else 'toegevoegd'}."
                )
            elif not hmac.compare_digest(mac, seal.mac):
                report.problems.append(
                    f"{label} is na het verzegelen gewijzigd: een regel is aangepast of regels "
                    "zijn van plaats verwisseld."
                )
            elif not horizon_confirmed:
                horizon_confirmed = any(
                    e.action == PRUNE_ACTION
                    and e.object_type == SEAL_OBJECT
                    and (e.object_id or 0) >= horizon
                    for e in block
                )
        previous_mac, previous_last = seal.mac, seal.last_entry_id
        expected_number = seal.number + 1
    if not horizon_confirmed:
        report.problems.append(
            f"Een opschoning tot blok {horizon} is niet verzegeld vastgelegd: de regels van "
            "die blokken zijn zonder geldige opschoning verwijderd."
        )
    unsealed = session.execute(
        select(func.count(), func.min(AuditEntry.at)).where(AuditEntry.id > previous_last)
    ).one()
    report.unsealed, report.oldest_unsealed = int(unsealed[0]), unsealed[1]
    return report


@dataclass(frozen=True)
class PruneReport:
    retention_days: int
    blocks: list[int]  # numbers of the blocks whose entries are (or would be) removed
    entries: int
    dry_run: bool


def prune_audit_log(
    session: Session,
    key: bytes,
    retention_days: int,
    *,
    dry_run: bool = True,
    now: datetime | None = None,
) -> PruneReport:
    """Remove the entries of the oldest blocks whose newest entry is older than the retention
    period, after a clean ``verify_audit_log``; the caller commits (one transaction)."""
    now = now or utc_now()
    report = verify_audit_log(session, key)
    if not report.intact:
        raise AuditChainBroken(
            "De auditlog is niet intact; er wordt niets opgeschoond. "
            + " ".join(report.problems[:3])
        )
    cutoff = now - timedelta(days=retention_days)
    candidates = session.scalars(
        select(AuditSeal).where(AuditSeal.number > report.pruned_through).order_by(AuditSeal.number)
    ).all()
    old = []
    for seal in candidates:
        if seal.last_at >= cutoff:
            break
        old.append(seal)
    entries = sum(s.entries for s in old)
    if dry_run or not old:
        return PruneReport(retention_days, [s.number for s in old], entries, dry_run)
    last = old[-1]
    session.execute(delete(AuditEntry).where(AuditEntry.id <= last.last_entry_id))
    session.add(
        AuditEntry(
            at=now,
            user_id=None,
            action=PRUNE_ACTION,
            object_type=SEAL_OBJECT,
            object_id=last.number,
            purpose=(
                f"Bewaartermijn {retention_days} dagen: {entries} regels van blok "
                f"{old[0].number}-{last.number} verwijderd (ouder dan {cutoff:%Y-%m-%d})"
            ),
        )
    )
    session.flush()
    seal_audit_log(session, key, now=now, grace=timedelta(0))
    return PruneReport(retention_days, [s.number for s in old], entries, dry_run)
