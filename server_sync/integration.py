"""The integration API for the site's ERP (`/v1/integration/`): keys, and bulk upserts.

Each request is one transaction: every row is checked first (server_sync.site_data and
its kind's module); with any problem nothing is applied and all of them are answered
(422, each with its index, field and reason). `?dry_run=1` answers what would change and
applies nothing. Accepted changes reach the kiosks through the change feed and are
audited centrally with the key's name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync import api_keys, devices
from server_sync.json_body import StorableJsonRoute
from server_sync.results import add_results_route
from server_sync.schemas import ErrorOut
from server_sync.site_data import apply_plan, plan_items, plan_lines
from server_sync.site_people import apply_people, plan_people
from server_sync.site_rows import MAX_PROBLEMS, MAX_ROWS
from server_sync.site_work_orders import apply_work_orders, plan_work_orders
from server_sync.upserts import Applier, Planner
from server_sync.upserts import upsert as upsert_plan

if TYPE_CHECKING:
    from server_sync.backend import Backend

log = logging.getLogger(__name__)

PREFIX = "/v1/integration"


class RowsIn(BaseModel):
    """Rows of one kind, upserted by their natural key in one transaction."""

    model_config = ConfigDict(extra="forbid")
    rows: Annotated[list[dict[str, Any]], Field(max_length=MAX_ROWS)]


class UpsertOut(BaseModel):
    """What the request changed (or, in a dry run, would change)."""

    dry_run: bool
    applied: bool
    created: int
    updated: int
    unchanged: int


_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no key, or an unknown one"},
    403: {"model": ErrorOut, "description": "a revoked key, or a device token"},
    413: {"model": ErrorOut, "description": "the request body is over the size limit"},
    503: {"model": ErrorOut, "description": "the database is unavailable; try again"},
}
_UPSERT_ERRORS: dict[int | str, dict[str, Any]] = {
    **_AUTH_ERRORS,
    409: {"model": ErrorOut, "description": "another request changed the same rows; send again"},
    422: {"description": "malformed, or rows breaking a rule (each with index, field, reason)"},
}


def _backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


def integration_key(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> api_keys.KeyHolder:
    """The integration key of the request (Bearer); 401 or 403 for anything else.

    A device token is refused here: the floor's devices never write the site's data.
    Each accepted use is counted and logged by the key's name.
    """
    backend = _backend(request)
    scheme, _, presented = (authorization or "").partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        raise HTTPException(
            401, {"code": "no_key", "message": "an integration key is required (Bearer)"}
        )
    now = backend.clock()
    with backend.sessions() as session:
        verdict = api_keys.check(session, presented)
        if verdict.holder is None and verdict.refusal == "unknown":
            if devices.device_for_token(session, presented) is not None:
                raise HTTPException(
                    403,
                    {
                        "code": "device_token_refused",
                        "message": "a device token cannot call the integration API: "
                        "use an integration key (server-sync api-key create NAME)",
                    },
                )
            raise HTTPException(
                401, {"code": "key_refused", "message": "this integration key is unknown"}
            )
        if verdict.holder is None:
            raise HTTPException(
                403,
                {
                    "code": "key_revoked",
                    "message": "this integration key is revoked: ask an admin for a new one",
                },
            )
        api_keys.count_use(session, verdict.holder, now, f"{request.method} {request.url.path}")
        session.commit()
    return verdict.holder


IntegrationKeyDep = Annotated[api_keys.KeyHolder, Depends(integration_key)]
_QUERY = frozenset({"dry_run"})


def _known_query(request: Request) -> None:
    """A query parameter the route does not know is a mistake (a typo of dry_run), not noise."""
    unknown = sorted(set(request.query_params) - _QUERY)
    if unknown:
        raise HTTPException(
            422,
            {
                "code": "malformed",
                "message": "the request is malformed",
                "problems": [
                    {"where": f"query.{name[:40]}", "problem": "unknown query parameter"}
                    for name in unknown[:20]
                ],
            },
        )


DryRun = Annotated[bool, Query(description="check and count only; nothing is applied")]


def integration_router() -> APIRouter:
    """The `/v1/integration/` routes; the app factory includes it."""
    router = APIRouter(prefix=PREFIX, route_class=StorableJsonRoute, tags=["integration"])
    kinds: Sequence[tuple[str, str, Planner, Applier]] = (
        ("/lines", "lines", plan_lines, apply_plan),
        ("/people", "people", plan_people, apply_people),
        ("/items", "items", plan_items, apply_plan),
        ("/work-orders", "work_orders", plan_work_orders, apply_work_orders),
    )
    for path, kind, planner, applier in kinds:
        router.add_api_route(
            path,
            _upsert_route(kind, planner, applier),
            methods=["POST"],
            response_model=UpsertOut,
            responses=_UPSERT_ERRORS,
            summary=f"Upsert {kind.replace('_', ' ')} by natural key",
            name=f"integration_{kind}",
            dependencies=[Depends(_known_query)],
        )
    add_results_route(router, integration_key)  # GET /v1/integration/events: results out
    return router


def _upsert_route(kind: str, planner: Planner, applier: Applier) -> Callable[..., UpsertOut]:
    def upsert(
        body: RowsIn, request: Request, key: IntegrationKeyDep, dry_run: DryRun = False
    ) -> UpsertOut:
        backend = _backend(request)
        return upsert_rows(
            backend.sessions, kind, planner, applier, body.rows, key, dry_run, backend.clock()
        )

    upsert.__doc__ = (
        f"All {kind.replace('_', ' ')} of the request are applied in one transaction, or none."
    )
    return upsert


def upsert_rows(  # noqa: PLR0917  (what a request is made of)
    sessions: Callable[[], Session],
    kind: str,
    planner: Planner,
    applier: Applier,
    rows: list[dict[str, Any]],
    key: api_keys.KeyHolder,
    dry_run: bool,
    now: datetime,
) -> UpsertOut:
    """Plan the rows, and apply them unless there is a problem or this is a dry run."""
    with sessions() as session:
        try:
            done = upsert_plan(
                session,
                kind,
                rows,
                actor=key.actor,
                dry_run=dry_run,
                now=now,
                planner=planner,
                applier=applier,
            )
        except IntegrityError:
            raise HTTPException(
                409,
                {
                    "code": "conflict",
                    "message": "another request changed the same rows at the same time: "
                    "nothing was applied; send this request again",
                },
            ) from None
    plan = done.plan
    if done.refused:
        log.info("integration %s from %s refused: %d problems", kind, key.name, len(plan.problems))
        raise HTTPException(
            422,
            {
                "code": "rows_refused",
                "message": f"{len(plan.problems)} problems: nothing of this request was "
                "applied. Correct the rows named and send the request again.",
                "problems": [problem.as_dict() for problem in plan.problems[:MAX_PROBLEMS]],
                "more_problems": max(0, len(plan.problems) - MAX_PROBLEMS),
            },
        )
    answer = UpsertOut(
        dry_run=dry_run,
        applied=done.applied,
        created=plan.created,
        updated=plan.updated,
        unchanged=plan.unchanged,
    )
    if dry_run:
        return answer
    log.info(
        "integration %s from %s: %d created, %d updated, %d unchanged",
        kind,
        key.name,
        answer.created,
        answer.updated,
        answer.unchanged,
    )
    return answer
