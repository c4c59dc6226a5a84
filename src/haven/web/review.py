"""The review queue on the web: pages with plain forms (no JavaScript needed) and a JSON API.

Pages: ``GET /review`` (the queue), ``GET /review/{kind}/{key}`` (one item), and ``POST
/review/{kind}/{key}`` (form field ``action``: claim, release, verify, dispute, reject or correct; then back
to the page with a message). API: ``/api/review`` (list), ``/api/review/{kind}/{key}`` (one item),
``.../claim``, ``.../release``, ``.../decide``, and ``/api/audit`` for admins. The rules are those of
:mod:`haven.services.review`, the same as the CLI's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from haven.errors import HavenError
from haven.model import Estimate, Permission, User
from haven.services import review
from haven.services.serialize import to_jsonable
from haven.store import Store
from haven.store import accounts as account_rows
from haven.web.auth import check_csrf, local_path, require, user_of
from haven.web.deps import StoreDep
from haven.web.templating import render

router = APIRouter(tags=["review"])

QueueUser = Annotated[User, Depends(require(*review.QUEUE_PERMISSIONS))]
AdminUser = Annotated[User, Depends(require(Permission.ADMIN))]
_FLASH = "review_message"
_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in, or an unknown or revoked API token."},
    403: {"description": "The role may not do this, or the session's CSRF token is missing or wrong."},
}
_HELD: dict[int | str, dict[str, Any]] = {409: {"description": "Someone else holds the item (named)."}}
T = TypeVar("T")


def _call(action: Callable[[], T]) -> T:
    """Run a workflow step, turning its refusals into HTTP statuses: 409 held, 403 not permitted."""
    try:
        return action()
    except review.HeldError as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    except review.NotPermittedError as error:
        raise HTTPException(status_code=403, detail=str(error)) from None


# ------------------------------------------------------------------ display
def _estimate(value: Estimate | None) -> str:
    if value is None:
        return ""
    low, best, high = value.low, value.best, value.high
    if best is not None and low in (None, best) and high in (None, best):
        return f"{best:g}"
    parts = [f"{v:g}" if v is not None else "?" for v in (low, best, high)]
    return " / ".join(parts)


def _row(item: review.QueueItem, user: User) -> dict[str, Any]:
    held_by_me = item.holder is not None and item.holder.username == user.username
    return {
        "item": item,
        "fatalities": _estimate(item.fatalities),
        "holder": (
            f"{item.holder.username} until {item.holder.expires_at:%H:%M} UTC"
            if item.holder is not None
            else ""
        ),
        "held_by_me": held_by_me,
        "held_by_other": item.holder is not None and not held_by_me,
    }


def _permissions(user: User) -> dict[str, bool]:
    return {d.value: review.can_decide(user, d) for d in review.Decision}


def _page_user(request: Request, target: str) -> User | Response:
    """The user for a review page, or where to send them: sign in (public), or 403 (viewers)."""
    user = user_of(request)
    if user.is_public:
        return RedirectResponse(f"/login?next={quote(target, safe='/:')}", status_code=303)
    if not review.can_use_queue(user):
        raise HTTPException(
            status_code=403,
            detail=f"{user.username} ({user.role.value}) may not use the review queue: "
            "it needs the review or write permission",
        )
    return user


# ------------------------------------------------------------------ pages
@router.get("/review", response_class=HTMLResponse, include_in_schema=False, response_model=None)
def review_page(
    request: Request, store: StoreDep, limit: Annotated[int, Query(ge=1, le=5000)] = 200
) -> Response:
    user = _page_user(request, "/review")
    if isinstance(user, Response):
        return user
    items = review.queue(store, limit=limit)
    context = {
        "rows": [_row(item, user) for item in items],
        "pending": review.pending_count(store),
        "shown_events": sum(1 for item in items if item.kind == "event"),
        "may": _permissions(user),
        "message": request.session.pop(_FLASH, None),
    }
    return render(request, "review.html", context)


@router.get("/review/{kind}/{key}", response_class=HTMLResponse, include_in_schema=False, response_model=None)
def review_item_page(request: Request, store: StoreDep, kind: str, key: str) -> Response:
    user = _page_user(request, f"/review/{kind}/{key}")
    if isinstance(user, Response):
        return user
    shown = review.detail(store, kind, key)
    context = {
        "detail": shown,
        "row": _row(shown.item, user),
        "may": _permissions(user),
        "correctable": review.CORRECTABLE_EVENT_FIELDS
        if kind == "event"
        else [name for name, _ in shown.fields],
        "message": request.session.pop(_FLASH, None),
    }
    return render(request, "review_item.html", context)


@router.post("/review/{kind}/{key}", include_in_schema=False, response_model=None)
def review_form(
    request: Request,
    store: StoreDep,
    kind: str,
    key: str,
    action: Annotated[str, Form()],
    _: Annotated[None, Depends(check_csrf)],
    note: Annotated[str, Form()] = "",
    field: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/review",
) -> Response:
    """A button of the queue or item page; the outcome (or why it was refused) is shown on return."""
    target = local_path(next)
    user = _page_user(request, target)
    if isinstance(user, Response):
        return user
    try:
        message = _call(lambda: _apply(store, user, kind, key, action, note, field, value))
    except HTTPException as error:
        if error.status_code != 409:
            raise  # not permitted: 403, as from the API
        message = f"Refused: {error.detail}"
    except HavenError as error:
        message = f"Refused: {error}"
    request.session[_FLASH] = message
    return RedirectResponse(target, status_code=303)


def _apply(
    store: Store, user: User, kind: str, key: str, action: str, note: str, field: str, value: str
) -> str:
    if action == "claim":
        hold = review.claim(store, user, kind, key)
        return f"You hold {kind} {key} until {hold.expires_at:%H:%M} UTC."
    if action == "release":
        released = review.release(store, user, kind, key)
        return f"Released {kind} {key}." if released else f"{kind} {key} was not held."
    changes = {field.strip(): value} if action == "correct" and field.strip() else None
    outcome = review.decide(store, user, kind, key, action, note, changes)
    return f"{outcome.decision.value.capitalize()}: {kind} {key}."


# ------------------------------------------------------------------ JSON API
class ClaimRequest(BaseModel):
    minutes: int = Field(review.HOLD_MINUTES, ge=1, le=24 * 60, description="How long to hold the item.")


class DecisionRequest(BaseModel):
    decision: Literal["verify", "dispute", "reject", "correct"]
    note: str | None = Field(None, description="Why; required to dispute or reject.")
    changes: dict[str, str] | None = Field(
        None,
        description='For "correct": field → value, e.g. {"fatalities": "21"} or {"fatalities": "5/6/7"}.',
    )


@router.get("/api/review", summary="The review queue", responses=_REFUSALS)
def api_queue(
    store: StoreDep, user: QueueUser, limit: Annotated[int, Query(ge=1, le=5000)] = 200
) -> dict[str, Any]:
    """Undecided events (at most ``limit``, oldest first) and pending candidates, each with its holder."""
    items = review.queue(store, limit=limit)
    return {"pending_events": review.pending_count(store), "items": to_jsonable(items)}


@router.get("/api/review/{kind}/{key}", summary="One review item", responses=_REFUSALS)
def api_item(store: StoreDep, user: QueueUser, kind: str, key: str) -> dict[str, Any]:
    """The item, its record, sources, read spans (candidates), revision history and audit trail."""
    shown = review.detail(store, kind, key)
    data: dict[str, Any] = to_jsonable(shown)
    data.pop("fields", None)
    if isinstance(data.get("record"), dict):
        data["record"].pop("revisions", None)
    return data


@router.post("/api/review/{kind}/{key}/claim", summary="Hold an item", responses=_REFUSALS | _HELD)
def api_claim(
    store: StoreDep, user: QueueUser, kind: str, key: str, body: ClaimRequest | None = None
) -> dict[str, Any]:
    """Hold an item (30 minutes by default); 409 names the holder when someone else has it."""
    minutes = body.minutes if body is not None else review.HOLD_MINUTES
    hold = _call(lambda: review.claim(store, user, kind, key, minutes=minutes))
    result: dict[str, Any] = to_jsonable(hold)
    return result


@router.post("/api/review/{kind}/{key}/release", summary="Release a hold", responses=_REFUSALS | _HELD)
def api_release(store: StoreDep, user: QueueUser, kind: str, key: str) -> dict[str, bool]:
    return {"released": _call(lambda: review.release(store, user, kind, key))}


@router.post(
    "/api/review/{kind}/{key}/decide",
    summary="Verify, dispute, reject or correct",
    responses=_REFUSALS | _HELD,
)
def api_decide(
    store: StoreDep, user: QueueUser, kind: str, key: str, body: DecisionRequest
) -> dict[str, Any]:
    """Apply a decision; 409 when someone else holds the item, 403 when the role may not, 422 bad input."""
    outcome = _call(lambda: review.decide(store, user, kind, key, body.decision, body.note, body.changes))
    return {
        "decision": outcome.decision.value,
        "audit": to_jsonable(outcome.entry),
        "record": to_jsonable(outcome.record),
    }


@router.get("/api/audit", summary="The audit log (admins)", responses=_REFUSALS)
def api_audit(
    store: StoreDep,
    user: AdminUser,
    username: Annotated[str | None, Query(alias="user", description="Who acted.")] = None,
    kind: Annotated[str | None, Query(description="Record kind: event, candidate, user.")] = None,
    key: Annotated[str | None, Query(description="Record key, e.g. nw-syria-2020:K03.")] = None,
    action: Annotated[str | None, Query(description="e.g. review.verify, user.add.")] = None,
    start: Annotated[date | None, Query(alias="from", description="First day, YYYY-MM-DD (UTC).")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day, YYYY-MM-DD (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> list[dict[str, Any]]:
    """Who did what to which record, oldest first (the newest ``limit`` lines)."""
    if start and end and end < start:
        raise HTTPException(status_code=422, detail=f"to {end} is before from {start}")
    entries = account_rows.audit_entries(
        store,
        username=username,
        record_kind=kind,
        record_key=key,
        action=action,
        start=datetime.combine(start, time()) if start else None,
        end=datetime.combine(end + timedelta(days=1), time()) if end else None,
        limit=limit,
    )
    result: list[dict[str, Any]] = to_jsonable(entries)
    return result
