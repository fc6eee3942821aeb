"""One sync round: push the outbox in batches, pull the change feed in pages, until both are done.

Each request carries this kiosk's incarnation and how far its numbering and the server's
answers go, so the server recognises a database restored from a backup (a new
incarnation starts) and tells when it has itself lost events (they are sent again).
Each answer is stored with the rows pulled after it in one transaction.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from kiosk import __version__
from kiosk.domain.clock import Clock
from kiosk.sync.audit_segment import AuditSegment, push_segment
from kiosk.sync.badge_rehash import BadgeRehashQueue
from kiosk.sync.client import TOO_LARGE_CODE, SyncClient, SyncError, SyncErrorKind
from kiosk.sync.local import SiteKeySink, SyncStore, retention_cutoff
from kiosk.sync.messages import SyncRequest, SyncResponse
from kiosk.sync.status import RoundReport, SyncProgress

log = logging.getLogger(__name__)

MAX_REQUESTS_PER_ROUND = 10_000  # a guard against a server that never says "done"

RESET_CURSOR_TOO_OLD = "cursor_too_old"
RESET_EPOCH_CHANGED = "epoch_changed"


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True)
class _NextSegment:
    """The next request's events and audit rows, read while the server answers this one.

    Read on the guess that the server takes this request as it is: every event answered
    for good and the audit chain anchored where this request's rows end. The next request
    uses it only when the answer and the stored state bear the guess out; otherwise the
    segment is read again, as without it.
    """

    incarnation: uuid.UUID
    batch: int
    after_seq: int  # the last event of the request being answered
    anchored_seq: int  # where the server's anchor will be
    segment: Future[AuditSegment]

    def fits(self, answer: SyncResponse, sent: AuditSegment) -> bool:
        audit = answer.audit
        return (
            audit is not None
            and not audit.held
            and audit.anchored_seq == self.anchored_seq
            and not answer.reset
            and not answer.server_behind
            and answer.next_seq == self.after_seq + 1
            and len(answer.answers) == len(sent.events)
            and all(item.result.is_final for item in answer.answers)
        )


class SyncEngine:
    def __init__(
        self,
        store: SyncStore,
        client: SyncClient,
        clock: Clock,
        *,
        site_keys: SiteKeySink,
        batch_size: int = 1000,
        page_size: int = 2000,
        retention_days: float = 14.0,
        badge_rehash: BadgeRehashQueue | None = None,
    ) -> None:
        self._store = store
        self._client = client
        self._clock = clock
        self._site_keys = site_keys
        self._batch_size = batch_size
        self._batch_now = batch_size  # smaller for a round after the server found it too large
        self._page_size = page_size
        self._retention_days = retention_days
        self._badge_rehash = badge_rehash
        self._reader: ThreadPoolExecutor | None = None  # reads the next segment, in a round
        self._next: _NextSegment | None = None

    def run_round(self, progress: ProgressCallback | None = None) -> RoundReport:
        """Push and pull until nothing is left; raises `SyncError` (state is kept) on failure."""
        report = RoundReport()
        began = self._clock.now()  # stored with the outcome: one durable write, not two
        self._batch_now = self._batch_size
        try:
            if self._badge_rehash is not None:  # first: the pull below brings the new hashes
                self._badge_rehash.send(self._client)
            with ThreadPoolExecutor(1, thread_name_prefix="sync-next-segment") as reader:
                self._reader = reader
                while report.requests < MAX_REQUESTS_PER_ROUND:
                    if not self._exchange(report, progress):
                        break
        except SyncError as error:
            self._store.note_error(self._clock.now(), f"{error.kind.value}: {error}")
            raise
        finally:
            self._reader, self._next = None, None
        now = self._clock.now()
        cutoff = retention_cutoff(now, self._retention_days)
        self._store.note_success(now, attempted_at=began, prune_before=cutoff)
        report.pending = self._store.pending_count()
        return report

    def is_server_reachable(self) -> bool:
        """One cheap probe: whether the server answers again (the worker asks while offline)."""
        return self._client.is_reachable()

    def _exchange(self, report: RoundReport, progress: ProgressCallback | None) -> bool:
        """One request and its stored answer; whether another request is needed."""
        state = self._store.state()
        segment = self._read_ahead(state.incarnation, state.audit_anchored_seq)
        if segment is None:
            segment = push_segment(self._store.database, self._batch_now, state.audit_anchored_seq)
        events = segment.events
        request = SyncRequest(
            incarnation=state.incarnation,
            last_seq=state.last_seq,
            acked_through=state.acked_through,
            device_time=self._clock.now(),
            events=events,
            cursor=state.cursor,
            epoch=state.epoch,
            limit=self._page_size,
            audit=segment.rows,
            version=__version__,
        )
        report.requests += 1
        upcoming = self._read_next(state.incarnation, segment)
        try:
            answer = self._client.exchange(request)
        except SyncError as error:
            self._recover(error, report, len(events))
            return True
        if upcoming is not None and upcoming.fits(answer, segment):
            self._next = upcoming
        now = self._clock.now()
        anchored = False
        if answer.audit is not None:
            anchored = answer.audit.anchored_seq > state.audit_anchored_seq
            report.audit_held = answer.audit.held
        if answer.reset:
            report.resets.append(answer.reset)
            self._store.reset_feed(answer.epoch, now, answer.reset)
        page = self._store.store_round(
            answers=answer.answers,
            changes=answer.changes,
            cursor=answer.cursor,
            high_water=answer.high_water,
            epoch=answer.epoch,
            now=now,
            line_code=state.line_code,
            site_keys=self._site_keys,
            is_bootstrap_done=not answer.has_more,
            audit=answer.audit,  # stored in the same transaction: one commit a round
        )
        report.pushed += len(events)
        report.answers.update(item.result.value for item in answer.answers)
        report.pulled += page.applied
        report.changed.update(page.entities)
        report.kept_local += page.kept_local
        report.cursor = page.cursor
        report.high_water = answer.high_water
        report.server_time = answer.server_time
        if progress is not None:
            progress(SyncProgress(page.cursor, report.high_water))
        next_seq = answer.next_seq
        if answer.server_behind and next_seq <= state.acked_through:
            missing = self._store.resend_from(next_seq, now)
            report.resent_from = next_seq
            if missing:
                log.error("the server lost %d events this kiosk no longer keeps", missing)
            return True
        if answer.has_more:
            return True
        if report.audit_held:
            return False  # held for an admin: sending again changes nothing
        progressed = any(item.result.is_final for item in answer.answers)
        if (progressed or anchored) and self._store.pending_count():
            return True
        return (
            anchored and answer.audit is not None and segment.more_after(answer.audit.anchored_seq)
        )

    def _read_next(self, incarnation: uuid.UUID, sent: AuditSegment) -> _NextSegment | None:
        """Start reading the segment after `sent` while the server answers it (the kiosk's
        reading and the server's work overlap: a push of thousands of events goes faster).

        Only after a full batch: a smaller one emptied the outbox, as in a round of a few
        counts, where a read ahead would be wasted on every round."""
        self._next = None
        if self._reader is None or not sent.events or len(sent.events) < self._batch_now:
            return None
        after_seq = sent.events[-1].seq
        future = self._reader.submit(
            push_segment, self._store.database, self._batch_now, sent.until, after_seq
        )
        return _NextSegment(incarnation, self._batch_now, after_seq, sent.until, future)

    def _read_ahead(self, incarnation: uuid.UUID, anchored_seq: int) -> AuditSegment | None:
        """The segment read during the last request, if its guess held; else None."""
        upcoming, self._next = self._next, None
        if (
            upcoming is None
            or upcoming.incarnation != incarnation
            or upcoming.anchored_seq != anchored_seq
            or upcoming.batch != self._batch_now
        ):
            return None
        try:
            return upcoming.segment.result()
        except Exception:  # read again on this thread, where an error is the round's
            log.exception("reading the next push ahead failed; reading it again")
            return None

    def _recover(self, error: SyncError, report: RoundReport, batch: int) -> None:
        """A refusal the next request can answer: a batch over the server's body limit goes
        again in halves; a rewound kiosk starts a new incarnation. Anything else is raised."""
        if _too_large(error) and batch > 1:
            self._batch_now = max(1, batch // 2)
            return
        if error.kind is not SyncErrorKind.REWOUND:
            raise error
        lost = (
            int(error.fields.get("missing_from", 0)),
            int(error.fields.get("missing_to", 0)),
        )
        report.new_incarnation = self._store.start_new_incarnation(self._clock.now(), lost=lost)


def _too_large(error: SyncError) -> bool:
    """The server refused the request for its size (413 `too_large`)."""
    return error.kind is SyncErrorKind.PROTOCOL and error.fields.get("code") == TOO_LARGE_CODE
