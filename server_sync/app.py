"""The HTTP service: an app factory, thin routes, and the database made in the lifespan.

Nothing is built at import time and nothing is kept between requests but in PostgreSQL,
so more load is more `server-sync` processes on the same database.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from kiosk.domain.sync_events import PushedEvent
from kiosk.services.audit_log import records_of
from server_sync import badge_keys, devices, enrol_throttle
from server_sync.admin_list_routes import admin_list_router
from server_sync.admin_routes import admin_router
from server_sync.backend import Backend, Clock
from server_sync.device_alerts import ClockReading
from server_sync.feed import read_page
from server_sync.identity_routes import identity_router
from server_sync.integration import integration_router
from server_sync.json_body import StorableJsonRoute
from server_sync.limits import DEVICE_ID_STATE, RequestLimits
from server_sync.models import Device, FeedState
from server_sync.payload_limits import within_payload_limit
from server_sync.push import RewoundError, push
from server_sync.schemas import (
    BadgeRehashRequest,
    BadgeRehashResponse,
    EnrolRequest,
    EnrolResponse,
    ErrorOut,
    Health,
    SyncRequest,
    SyncResponse,
)
from server_sync.settings import ServerSettings
from server_sync.slips import SlipPolicy, set_slip_policy

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: ServerSettings, *, engine: Engine | None = None, clock: Clock = _utc_now
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = engine is None
        database = engine or create_engine(
            settings.sqlalchemy_url,
            pool_size=max(settings.pool_size, settings.request_threads),
            pool_pre_ping=True,
        )
        app.state.backend = Backend(database, settings, clock)
        set_slip_policy(SlipPolicy(max_age=timedelta(days=settings.slip_max_age_days)))
        # A few request threads, each with a pooled connection: under a burst, requests
        # wait their turn here rather than open connections beyond the pool, or hold row
        # locks (the feed's numbering) while they wait for the interpreter.
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        try:
            yield
        finally:
            app.state.backend.metrics.process_ended()
            if own_engine:
                database.dispose()

    # FastAPIOffline: FastAPI whose /docs and /redoc load their scripts, styles and icon
    # from the app (package data of fastapi-offline), never from a CDN; Swagger UI's
    # online validator badge is off for the same reason.
    app = FastAPIOffline(
        swagger_ui_parameters={"validatorUrl": None},
        title="Line kiosk server_sync",
        version="1",
        description=(
            "Kiosks push their outbox events and pull the change feed of their line and "
            "department. Every event is applied once, with the kiosk's own domain rules."
        ),
        lifespan=lifespan,
    )
    app.router.route_class = (
        StorableJsonRoute  # bodies parsed refusing what PostgreSQL cannot store
    )
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes)
    _add_error_handlers(app)
    _add_routes(app)
    app.include_router(identity_router(_device))
    app.include_router(admin_router(_device))
    app.include_router(admin_list_router(_device))
    app.include_router(integration_router())
    return app


def _backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


BackendDep = Annotated[Backend, Depends(_backend)]


def _device(
    request: Request,
    backend: BackendDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Device:
    """The device of the bearer token; its line and department come from here only."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, {"code": "no_token", "message": "a device token is required"})
    with backend.readers() as session:
        device = devices.device_for_token(session, token.strip())
    if device is None:
        raise HTTPException(
            401, {"code": "token_refused", "message": "this device token is unknown or revoked"}
        )
    setattr(request.state, DEVICE_ID_STATE, str(device.id))  # for the log of a refusal
    return device


DeviceDep = Annotated[Device, Depends(_device)]

_TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "the request body is over the size limit"},
}
_ERRORS: dict[int | str, dict[str, Any]] = {  # any route a device token calls
    401: {"model": ErrorOut, "description": "no token, or a revoked or unknown one"},
    **_TOO_LARGE,
    422: {"description": "the request is malformed; nothing was written"},
    503: {"model": ErrorOut, "description": "the database is unavailable; try again"},
}
_SYNC_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {"model": ErrorOut, "description": "the kiosk's database was restored from a backup"},
}
_ENROL_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "the code is unknown, used or expired"},
    409: {"model": ErrorOut, "description": "the code's line was retired: ask for another code"},
    **_TOO_LARGE,
    422: {"description": "the request is malformed; nothing was written"},
    429: {
        "model": ErrorOut,
        "description": "too many wrong codes from this address: wait Retry-After seconds",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
    503: {"model": ErrorOut, "description": "the database is unavailable; try again"},
}


def _add_routes(app: FastAPI) -> None:
    @app.post("/v1/sync", response_model=SyncResponse, responses=_SYNC_ERRORS)
    def sync(body: SyncRequest, backend: BackendDep, device: DeviceDep) -> JSONResponse:
        """Push events (answered one by one), then pull the rows after `cursor`."""
        started = time.perf_counter()
        now = backend.clock()
        largest = backend.settings.max_event_payload_bytes
        events = [
            PushedEvent(
                item.id,
                item.seq,
                item.kind,
                item.schema_version,
                item.created_at,
                within_payload_limit(item.payload, largest),
                item.audit_seq,
            )
            for item in body.events
        ]
        audit = list(records_of(body.audit))
        try:
            outcome = push(
                backend.sessions,
                device,
                incarnation=body.incarnation,
                last_seq=body.last_seq,
                acked_through=body.acked_through,
                events=events,
                now=now,
                clock=ClockReading(
                    body.device_time,
                    backend.settings.clock_tolerance_seconds,
                    body.version,
                ),
                rules=backend.rules,
                audit=audit,
            )
        except RewoundError as rewound:
            backend.metrics.rewinds.inc()
            raise HTTPException(
                409,
                {
                    "code": "incarnation_rewound",
                    "message": str(rewound),
                    "missing_from": rewound.missing_from,
                    "missing_to": rewound.missing_to,
                },
            ) from None
        # A device claiming answers the server never gave is told so (it sends its retained
        # events again) and alerted about; the site's feed is reset only by an admin.
        with backend.readers() as session:
            page = read_page(
                session,
                device,
                body.cursor,
                body.epoch,
                body.limit,
                own_entries=outcome.own_entries,
            )
        for result, count in outcome.results.items():
            backend.metrics.events.labels(result=result).inc(count)
        backend.metrics.pulled.inc(len(page.changes))
        backend.metrics.request_seconds.labels(route="sync").observe(time.perf_counter() - started)
        return JSONResponse(
            {
                "server_time": now.isoformat(),
                "epoch": str(page.epoch),
                "answers": [
                    {
                        "id": str(answer.id),
                        "seq": answer.seq,
                        "result": answer.result.value,
                        "reason": answer.reason,
                    }
                    for answer in outcome.answers
                ],
                "next_seq": outcome.next_seq,
                "server_behind": outcome.server_behind,
                "changes": page.changes,
                "cursor": page.cursor,
                "high_water": page.high_water,
                "has_more": page.has_more,
                "reset": page.reset,
                "audit": None
                if outcome.audit is None
                else {"anchored_seq": outcome.audit.anchored_seq, "held": outcome.audit.held},
            }
        )

    @app.post("/v1/badges/rehash", response_model=BadgeRehashResponse, responses=_ERRORS)
    def rehash_badge(
        body: BadgeRehashRequest, backend: BackendDep, device: DeviceDep
    ) -> BadgeRehashResponse:
        """During a badge-key rotation: a tapped badge's hash moves to the new key."""
        with backend.sessions() as session:
            rehashed = badge_keys.rehash(session, device, body.uid)
            session.commit()
        return BadgeRehashResponse(rehashed=rehashed)

    @app.post("/v1/enrol", response_model=EnrolResponse, responses=_ENROL_ERRORS)
    def enrol(body: EnrolRequest, backend: BackendDep, request: Request) -> EnrolResponse:
        """Exchange a one-time code from an admin for this device's token and the site keys."""
        address = request.client.host if request.client else "unknown"
        enrolment = _throttled_enrolment(backend, body, address)
        backend.metrics.enrolments.labels(outcome="enrolled").inc()
        return EnrolResponse(
            device_id=enrolment.device_id,
            token=enrolment.token,
            kind=enrolment.kind,  # type: ignore[arg-type]
            line=enrolment.line_code,
            department=enrolment.department,
            site_code=enrolment.site_code,
            site_name=enrolment.site_name,
            keys=enrolment.keys,
        )

    @app.get("/health", response_model=Health, responses={503: {"model": Health}})
    def health(backend: BackendDep) -> JSONResponse:
        """Whether the database answers."""
        try:
            with backend.sessions() as session:
                session.execute(text("SELECT 1"))
                high_water = session.scalar(select(FeedState.high_water).where(FeedState.id == 1))
        except DBAPIError:
            return JSONResponse({"status": "unavailable", "database": False}, status_code=503)
        return JSONResponse({"status": "ok", "database": True, "high_water": high_water})

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics(backend: BackendDep) -> PlainTextResponse:
        """Prometheus metrics, summed over every worker of `server-sync serve`."""
        body, content_type = backend.metrics.exposition()
        return PlainTextResponse(body, media_type=content_type)


def _throttled_enrolment(backend: Backend, body: EnrolRequest, address: str) -> devices.Enrolment:
    """Enrol unless `address` is locked out; a wrong code counts toward its lockout."""
    now = backend.clock()
    settings = backend.settings
    policy = enrol_throttle.ThrottlePolicy(
        settings.enrol_max_failures,
        timedelta(seconds=settings.enrol_window_seconds),
        timedelta(seconds=settings.enrol_lockout_seconds),
    )
    with backend.sessions() as session:
        try:
            enrol_throttle.check_not_locked_out(session, address, now)
            enrolment = devices.enrol(
                session, body.code, body.name, now, slip_public_key=body.slip_public_key
            )
        except enrol_throttle.EnrolLockedOutError as locked:
            backend.metrics.enrolments.labels(outcome="locked_out").inc()
            raise HTTPException(
                429,
                {"code": "enrolment_locked_out", "message": str(locked)},
                headers={"Retry-After": str(locked.retry_after_seconds)},
            ) from None
        except devices.EnrolmentLineGoneError as error:
            session.rollback()  # a valid code: not a wrong guess, and not used up
            backend.metrics.enrolments.labels(outcome="refused").inc()
            raise HTTPException(
                409, {"code": "enrolment_line_gone", "message": str(error)}
            ) from None
        except devices.EnrolmentError as error:
            session.rollback()
            backend.metrics.enrolments.labels(outcome="refused").inc()
            if enrol_throttle.note_failure(session, address, now, policy) is not None:
                backend.metrics.enrol_lockouts.inc()
            session.commit()
            raise HTTPException(403, {"code": "enrolment_refused", "message": str(error)}) from None
        enrol_throttle.forget(session, address, now)
        session.commit()
    return enrolment


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", str(error).splitlines()[0])
        return JSONResponse(
            {"detail": {"code": "database_unavailable", "message": "try again shortly"}},
            status_code=503,
        )

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(part) for part in item.get("loc", ())), "problem": item["msg"]}
            for item in error.errors()[:20]
        ]
        return JSONResponse(
            {
                "detail": {
                    "code": "malformed",
                    "message": "the request is malformed",
                    "problems": problems,
                }
            },
            status_code=422,
        )


def app_from_environment() -> FastAPI:
    """The app as `server-sync serve` starts it in each worker process (settings from env)."""
    from server_sync.settings import load_server_settings  # noqa: PLC0415

    settings = load_server_settings()
    logging.basicConfig(level=settings.log_level)
    app = create_app(settings)
    # What start-up built lives as long as the process: full garbage collections need
    # not walk it again and again (each request leaves much short-lived garbage).
    gc.freeze()
    return app
