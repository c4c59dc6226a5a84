"""The review queue on the web: two reviewers, holds, decisions, corrections and the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from haven.model import EventStatus, RecordKey
from haven.services.accounts import add_user
from haven.store import Store
from haven.store.accounts import audit_entries
from haven.web.app import create_app
from haven.web.settings import WebSettings
from tests.web.conftest import csrf_of

Login = Callable[[TestClient, str], str]
K03 = "nw-syria-2020:K03"


def _row(html: str, key: str) -> str:
    found = re.search(rf'<tr data-kind="event" data-key="{re.escape(key)}".*?</tr>', html, re.S)
    assert found, f"no row for {key}"
    return found.group(0)


def test_two_reviewers_one_claims_the_other_is_refused_then_verify_is_audited(
    client: TestClient, settings: WebSettings, login: Login, web_db: Path
) -> None:
    login(client, "reviewer")
    page = client.get("/review")
    assert page.status_code == 200 and page.template.name == "review.html"  # type: ignore[attr-defined]
    row = _row(page.text, K03)
    for action in ("claim", "verify", "dispute", "reject"):
        assert f'data-action="{action}"' in row
    assert 'name="note"' in row and 'name="csrf_token"' in row

    # The plain form: claim, then back to the queue with a message and the hold shown.
    claimed = client.post(f"/review/event/{K03}", data={"action": "claim", "next": "/review"})
    assert claimed.status_code == 200 and "You hold event nw-syria-2020:K03 until" in claimed.text
    assert "reviewer until" in _row(claimed.text, K03)

    with TestClient(create_app(settings)) as second:
        with Store.open(web_db) as store:
            add_user(store, "reviewer2", "reviewer", "second-reviewer-pw", actor="admin")
        csrf = csrf_of_login(second, "reviewer2", "second-reviewer-pw")
        seen = second.get("/review")
        assert "held by reviewer" in _row(seen.text, K03)
        refused = second.post(f"/api/review/event/{K03}/claim", headers={"X-CSRF-Token": csrf})
        assert refused.status_code == 409
        assert refused.json()["detail"].startswith("event nw-syria-2020:K03 is held by reviewer until ")
        decided = second.post(
            f"/review/event/{K03}", data={"action": "verify", "csrf_token": csrf, "next": "/review"}
        )
        assert "Refused: event nw-syria-2020:K03 is held by reviewer" in decided.text

    verified = client.post(f"/review/event/{K03}", data={"action": "verify", "note": "two sources agree"})
    assert "Verify: event nw-syria-2020:K03." in verified.text
    assert K03 not in re.findall(r'data-key="([^"]+)"', verified.text)  # decided: out of the queue
    with Store.open(web_db) as store:
        assert store.get("event", RecordKey("nw-syria-2020", "K03")).status is EventStatus.VERIFIED
        trail = audit_entries(store, record_kind="event", record_key=K03)
    assert [(e.username, e.action) for e in trail] == [
        ("reviewer", "review.claim"),
        ("reviewer", "review.verify"),
    ]
    assert trail[1].note == "two sources agree"
    assert trail[1].details["status"] == {"from": "unverified", "to": "verified"}


def csrf_of_login(client: TestClient, username: str, password: str) -> str:
    """Sign in an account made in the test (the ``login`` fixture knows only the four role users)."""
    form = client.get("/login")
    done = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    return csrf_of(client.get("/login").text)


def test_the_public_is_sent_to_sign_in_and_a_viewer_is_refused(client: TestClient, login: Login) -> None:
    public = client.get("/review", follow_redirects=False)
    assert public.status_code == 303 and public.headers["location"] == "/login?next=/review"
    login(client, "viewer")
    assert client.get("/review").status_code == 403
    assert client.get("/api/review").status_code == 403
    decision = client.post(f"/api/review/event/{K03}/decide", json={"decision": "verify"})
    assert decision.status_code == 403
    assert (
        decision.json()["detail"]
        == "viewer (viewer) may not do this: it needs the review or write permission"
    )
    form = client.post(f"/review/event/{K03}", data={"action": "verify"}, follow_redirects=False)
    assert form.status_code == 403


def test_an_analyst_corrects_fatalities_and_the_history_keeps_the_old_value(
    client: TestClient, login: Login, web_db: Path
) -> None:
    login(client, "analyst")
    item = client.get(f"/review/event/{K03}")
    assert item.status_code == 200 and item.template.name == "review_item.html"  # type: ignore[attr-defined]
    assert 'data-action="correct"' in item.text and 'data-action="verify"' not in item.text
    not_allowed = client.post(f"/api/review/event/{K03}/decide", json={"decision": "verify"})
    assert not_allowed.status_code == 403 and "needs review" in not_allowed.json()["detail"]
    corrected = client.post(
        f"/api/review/event/{K03}/decide",
        json={"decision": "correct", "changes": {"fatalities": "21"}, "note": "OCHA flash update 3"},
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["record"]["fatalities"] == {"low": 21.0, "best": 21.0, "high": 21.0}
    with Store.open(web_db) as store:
        key = RecordKey("nw-syria-2020", "K03")
        assert store.get("event", key).fatalities.best == 21
        assert store.revisions("event", key)[-1].data["fatalities_best"] == 19
    shown = client.get(f"/api/review/event/{K03}").json()
    assert shown["revisions"][-1]["data"]["fatalities_best"] == 19
    assert [(e["username"], e["action"]) for e in shown["audit"]] == [("analyst", "review.correct")]
    page = client.get(f"/review/event/{K03}")
    assert "OCHA flash update 3" in page.text and "review.correct" in page.text


def test_the_form_correction_and_bad_input_messages(client: TestClient, login: Login) -> None:
    login(client, "reviewer")
    done = client.post(
        f"/review/event/{K03}",
        data={"action": "correct", "field": "fatalities", "value": "5/6/7", "next": f"/review/event/{K03}"},
    )
    assert "Correct: event nw-syria-2020:K03." in done.text and "5/6/7" in done.text
    no_note = client.post(f"/review/event/{K03}", data={"action": "reject", "next": f"/review/event/{K03}"})
    assert "Refused: note is required to reject: say why" in no_note.text
    bad = client.post(f"/api/review/event/{K03}/decide", json={"decision": "approve"})
    assert bad.status_code == 422
    unknown = client.post("/api/review/event/nw-syria-2020:K99/claim")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "no event nw-syria-2020:K99"


def test_the_api_lists_claims_releases_and_the_admin_reads_the_audit_log(
    client: TestClient, login: Login, token_for: Callable[[str], str]
) -> None:
    reviewer = {"Authorization": f"Bearer {token_for('reviewer')}"}
    listed = client.get("/api/review", headers=reviewer).json()
    assert listed["pending_events"] == 14 and len(listed["items"]) == 14
    assert {"kind", "key", "type", "date", "place", "fatalities", "sources", "status", "holder"} <= set(
        listed["items"][0]
    )
    hold = client.post(f"/api/review/event/{K03}/claim", headers=reviewer, json={"minutes": 5}).json()
    assert hold["username"] == "reviewer" and hold["record_key"] == K03
    held = next(i for i in client.get("/api/review", headers=reviewer).json()["items"] if i["key"] == K03)
    assert held["holder"]["username"] == "reviewer"
    assert client.post(f"/api/review/event/{K03}/release", headers=reviewer).json() == {"released": True}
    bad_minutes = client.post(f"/api/review/event/{K03}/claim", headers=reviewer, json={"minutes": 0})
    assert bad_minutes.status_code == 422

    login(client, "admin")
    log = client.get("/api/audit", params={"user": "reviewer", "kind": "event", "key": K03})
    assert [e["action"] for e in log.json()] == ["review.claim", "review.release"]
    assert client.get("/api/audit", params={"from": "2000-01-01", "to": "2000-01-02"}).json() == []
    backwards = client.get("/api/audit", params={"from": "2020-02-02", "to": "2020-02-01"})
    assert backwards.status_code == 422
