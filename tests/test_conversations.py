"""Scripted conversations as residents hold them (tests/data/conversations), through the real /wechat.

Every script ends with as many tickets as it filed on purpose: a side question, a thank-you or a
rant in the middle of a report never files a junk ticket.
"""

import json

import pytest
from sqlalchemy import func, select

from bot import tickets
from bot.extensions import db
from bot.models import Ticket, User
from tests.conftest import TOKEN
from tests.support import conversations
from tests.support.wechat_client import WeChatServer

SCRIPTED = conversations.load()


def test_there_are_enough_scripts():
    assert len(SCRIPTED) >= 60


def _tickets(app, openid):
    with app.app_context():
        query = select(func.count(Ticket.id)).join(User, Ticket.reporter_id == User.id).where(User.openid == openid)
        return db.session.execute(query).scalar()


def _state(app, openid):
    raw = app.extensions["redis"].get(f"state:{openid}")
    return json.loads(raw)["name"] if raw else "none"


def _resolve_latest(app, openid):
    with app.app_context():
        user = db.session.execute(select(User).filter_by(openid=openid)).scalar_one()
        ticket = tickets.latest_reported(db.session, user)
        tickets.change_status(db.session, ticket, tickets.RESOLVED, actor="staff:test", note="已处理")


@pytest.mark.parametrize("conversation", SCRIPTED, ids=[f"{c.source} {c.title}" for c in SCRIPTED])
def test_conversation(make_app, conversation):
    app = make_app(RATE_LIMIT_PER_MINUTE=0)
    wechat = WeChatServer(app.test_client(), TOKEN)
    openid = f"o-conv-{abs(hash(conversation.source)) % 10**8}"
    transcript, reply, filed, counted = [], "", 0, False
    for step in conversation.steps:
        where = f"{conversation.source} line {step.line}"
        if step.kind == "send":
            reply = conversations.send(wechat, openid, step.args[0])
            transcript += [f"> {step.args[0]}", f"< {reply}"]
        elif step.kind == "expect":
            for expectation in step.args:
                problem = conversations.check(expectation, reply)
                assert problem is None, f"{where}: {problem}\n" + "\n".join(transcript)
                filed += expectation.startswith("filed")
        elif step.kind == "tickets":
            counted = True
            assert _tickets(app, openid) == step.args[0], f"{where}: tickets\n" + "\n".join(transcript)
        elif step.kind == "state":
            assert _state(app, openid) == step.args[0], f"{where}: state\n" + "\n".join(transcript)
        elif step.kind == "staff":
            _resolve_latest(app, openid)
    if not counted:  # no junk tickets: exactly the ones the script saw filed
        assert _tickets(app, openid) == filed, "tickets filed without a 'filed' answer\n" + "\n".join(transcript)


def test_the_format_refuses_what_it_does_not_know():
    with pytest.raises(ValueError):
        conversations.parse("=== x\n< asks everything\n")
    with pytest.raises(ValueError):
        conversations.parse("> before a title\n")
    assert conversations.check("garbage 可回收物", "♻️【可回收物】纸板") is None
    assert conversations.check("garbage 可回收物", "🗑【其他垃圾】… 不是可回收物") is not None
