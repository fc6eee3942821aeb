"""The hash-chained audit log: how a row is hashed and how the chain is verified.

Each row stores the hash of the previous row; editing, inserting or deleting a
row breaks the chain at that row. A row appended at the very end with a
correctly recomputed chain cannot be told apart locally: sync sends the chain with
the events and the server anchors it (server_sync/audit_anchor.py), so rows it holds
can no longer change unseen and new rows must continue from its last one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64
# json.dumps(…, sort_keys=True, separators=(",", ":"), ensure_ascii=False), its encoder built
# once rather than for every row hashed (a push re-checks a thousand).
_canonical_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
AUDIT_EVENTS = "events"  # the details key naming the outbox events an action queued


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit row as plain data, in the shape that is hashed."""

    seq: int
    id: str
    at: datetime
    actor_id: str | None
    actor_label: str
    action: str
    outcome: str
    entity: str
    entity_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str = ""


def row_hash(record: AuditRecord, prev_hash: str, seq: int | None = None) -> str:
    """SHA-256 over a canonical JSON of the row's content and the previous hash."""
    at = record.at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    content = [
        record.seq if seq is None else seq,
        record.id,
        at,
        record.actor_id,
        record.actor_label,
        record.action,
        record.outcome,
        record.entity,
        record.entity_id,
        record.details,
        prev_hash,
    ]
    canonical = _canonical_json(content)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ProblemKind(StrEnum):
    EDITED = "edited"
    INSERTED = "inserted"
    DELETED = "deleted"


@dataclass(frozen=True)
class ChainProblem:
    kind: ProblemKind
    seq: int
    detail: str


@dataclass(frozen=True)
class ChainReport:
    rows_checked: int
    problem: ChainProblem | None

    @property
    def is_intact(self) -> bool:
        return self.problem is None


def verify_chain(records: Iterable[AuditRecord]) -> ChainReport:
    """Walk the rows in sequence order and report the first one that breaks the chain."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for record in records:
        checked += 1
        problem = _check_one(record, expected_prev, expected_seq)
        if problem is not None:
            return ChainReport(checked, problem)
        expected_prev = record.hash
        expected_seq = record.seq + 1
    return ChainReport(checked, None)


def _check_one(record: AuditRecord, expected_prev: str, expected_seq: int) -> ChainProblem | None:
    if row_hash(record, record.prev_hash) != record.hash:
        # A row renumbered to hide a deletion or an insertion before it still
        # hashes under its original number.
        if row_hash(record, record.prev_hash, seq=record.seq + 1) == record.hash:
            return ChainProblem(
                ProblemKind.DELETED,
                record.seq,
                "rows before this one were deleted and the rest renumbered",
            )
        if row_hash(record, record.prev_hash, seq=record.seq - 1) == record.hash:
            return ChainProblem(
                ProblemKind.INSERTED,
                record.seq - 1,
                "a row was inserted before this one and the rest renumbered",
            )
        return ChainProblem(ProblemKind.EDITED, record.seq, "content does not match its hash")
    if record.seq > expected_seq:
        missing = (
            f"row {expected_seq}"
            if record.seq == expected_seq + 1
            else f"rows {expected_seq}-{record.seq - 1}"
        )
        return ChainProblem(ProblemKind.DELETED, expected_seq, f"{missing} missing")
    if record.prev_hash != expected_prev:
        return ChainProblem(
            ProblemKind.INSERTED,
            record.seq,
            f"row does not chain to row {record.seq - 1}: it was inserted, "
            f"or row {record.seq - 1} was edited and re-hashed",
        )
    return None


def record_to_json(record: AuditRecord) -> dict[str, Any]:
    """One row as it travels with a push: every field the hash covers, the hash itself."""
    return {
        "seq": record.seq,
        "id": record.id,
        "at": record.at.astimezone(UTC).isoformat(),
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "action": record.action,
        "outcome": record.outcome,
        "entity": record.entity,
        "entity_id": record.entity_id,
        "details": record.details,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def chain_problem(records: list[AuditRecord]) -> str | None:
    """Why a pushed run of rows is not one chain by itself (numbers, links, hashes), or None."""
    for index, record in enumerate(records):
        if index and record.seq != records[index - 1].seq + 1:
            return f"row {record.seq} does not follow row {records[index - 1].seq}"
        if index and record.prev_hash != records[index - 1].hash:
            return f"row {record.seq} does not chain to row {record.seq - 1}"
        if row_hash(record, record.prev_hash) != record.hash:
            return f"row {record.seq}: content does not match its hash"
    return None
