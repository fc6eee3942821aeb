"""The hash chain's verifier on plain records: edited, inserted and deleted rows are named."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from kiosk.domain.audit_chain import (
    GENESIS_HASH,
    AuditRecord,
    ProblemKind,
    row_hash,
    verify_chain,
)


def _chain(length: int) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    prev = GENESIS_HASH
    start = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
    for seq in range(1, length + 1):
        record = AuditRecord(
            seq=seq,
            id=f"id-{seq}",
            at=start + timedelta(seconds=seq),
            actor_id=None,
            actor_label="kiosk",
            action="work_order.record",
            outcome="ok",
            entity="work_order",
            entity_id="wo",
            details={"good": seq},
            prev_hash=prev,
        )
        record = dataclasses.replace(record, hash=row_hash(record, prev))
        records.append(record)
        prev = record.hash
    return records


def _rehash(record: AuditRecord) -> AuditRecord:
    return dataclasses.replace(record, hash=row_hash(record, record.prev_hash))


def test_an_intact_chain_verifies() -> None:
    report = verify_chain(_chain(10))
    assert report.is_intact
    assert report.rows_checked == 10


def test_an_edited_row_is_named() -> None:
    records = _chain(10)
    records[6] = dataclasses.replace(records[6], details={"good": 999})
    problem = verify_chain(records).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.EDITED, 7)


def test_an_edited_row_with_its_own_hash_recomputed_breaks_the_next_link() -> None:
    records = _chain(10)
    records[6] = _rehash(dataclasses.replace(records[6], details={"good": 999}))
    problem = verify_chain(records).problem
    assert problem is not None
    assert problem.seq == 8


def test_a_deleted_row_is_named() -> None:
    records = _chain(10)
    del records[3]
    problem = verify_chain(records).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.DELETED, 4)


def test_a_deleted_first_row_is_named() -> None:
    problem = verify_chain(_chain(5)[1:]).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.DELETED, 1)


def test_a_deletion_hidden_by_renumbering_is_still_a_deletion() -> None:
    records = _chain(6)
    del records[2]
    records = records[:2] + [dataclasses.replace(r, seq=r.seq - 1) for r in records[2:]]
    problem = verify_chain(records).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.DELETED, 3)


def test_an_inserted_row_is_named() -> None:
    records = _chain(5)
    forged = _rehash(
        dataclasses.replace(records[4], seq=6, id="forged", prev_hash="f" * 64, details={})
    )
    problem = verify_chain([*records, forged]).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.INSERTED, 6)


def test_an_insertion_hidden_by_renumbering_is_still_an_insertion() -> None:
    records = _chain(5)
    forged = _rehash(dataclasses.replace(records[2], id="forged", details={"good": 1000}))
    shifted = [dataclasses.replace(r, seq=r.seq + 1) for r in records[2:]]
    problem = verify_chain([*records[:2], forged, *shifted]).problem
    assert problem is not None
    assert problem.kind is ProblemKind.INSERTED
