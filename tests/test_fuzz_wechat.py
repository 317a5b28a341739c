"""Hostile and malformed input to /wechat: whatever arrives, the answer is never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.wechat_client import message_xml

FIELDS = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "EventKey",
          "Location_X", "Location_Y", "Scale", "Label", "PicUrl", "MediaId", "Recognition", "Latitude"]
MSG_TYPES = ["text", "image", "voice", "video", "shortvideo", "location", "link", "event", "file", "miniprogrampage", ""]
EVENTS = ["subscribe", "unsubscribe", "SCAN", "LOCATION", "CLICK", "VIEW", "TEMPLATESENDJOBFINISH", "weird"]

values = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.just("<a>nested</a>"),
    st.just("]]>"),
    st.sampled_from(MSG_TYPES + EVENTS),
)


def _element(name, value):
    if value == "<a>nested</a>":
        return f"<{name}><a>1</a><a>2</a></{name}>"
    return f"<{name}><![CDATA[{value.replace(']]>', '')}]]></{name}>"


@st.composite
def messages(draw):
    fields = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=len(FIELDS)))
    parts = [_element(name, draw(values)) for name in fields]
    if draw(st.booleans()):
        parts.append(_element("MsgType", draw(st.sampled_from(MSG_TYPES))))
        parts.append(_element("FromUserName", "o-fuzz"))
    return "<xml>" + "".join(parts) + "</xml>"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=messages())
def test_structured_garbage_never_500(wechat, body):
    response = wechat.post_xml(body.encode("utf-8", "surrogatepass"), encrypt=False)
    assert response.status_code in (200, 400), (response.status_code, body)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300))
def test_random_bytes_never_500(wechat, body):
    response = wechat.post_xml(b"<xml>" + body + b"</xml>", encrypt=False)
    assert response.status_code in (200, 400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.text(st.characters(exclude_categories=("Cs",)), max_size=2000),
       event=st.sampled_from(EVENTS), key=st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
def test_valid_shapes_with_any_text_get_a_reply(wechat_safe, content, event, key):
    for xml in (message_xml("o-fuzz", "text", {"Content": content.replace("]]>", "")}),
                message_xml("o-fuzz", "event", {"Event": event, "EventKey": key.replace("]]>", "")})):
        response = wechat_safe.post_xml(xml)
        assert response.status_code in (200, 400)


def test_replayed_signature_outside_window_is_refused(wechat):
    import time

    xml = message_xml("o-replay", "text", {"Content": "帮助"})
    old = int(time.time()) - 3600
    assert wechat.post_xml(xml, timestamp=old).status_code == 403


@pytest.mark.parametrize("args", [{}, {"signature": "x"}, {"timestamp": "abc", "nonce": "1", "signature": "y"}])
def test_missing_or_junk_query_is_403(client, args):
    assert client.post("/wechat", query_string=args, data="<xml/>").status_code == 403


SHAPES = {"text": ["Content"], "voice": ["MediaId", "Format", "Recognition"], "image": ["PicUrl", "MediaId"],
          "location": ["Label", "Location_X", "Location_Y", "Scale"], "link": ["Title", "Description", "Url"],
          "event": ["Event", "EventKey", "Ticket", "Latitude"]}


@pytest.mark.parametrize("msg_type", sorted(SHAPES))
def test_injection_payloads_in_every_field_get_a_reply(wechat_safe, msg_type, caplog):
    """A reply, and no handler failing behind the error boundary's kind answer either."""
    from tests.support.hostile import PAYLOADS

    for i, payload in enumerate([*PAYLOADS, "9" * 400, "很长" * 900, "nan", "-inf", "1e308"]):
        for field in SHAPES[msg_type]:  # one sender per payload: the rate limit must not hide a handler
            fields = {name: "1" for name in SHAPES[msg_type]} | {field: payload}
            response = wechat_safe.post_xml(message_xml(f"o-hostile{i}", msg_type, fields))
            assert response.status_code == 200, (msg_type, field, payload[:40])
        if msg_type == "event":  # the background LOCATION report: wechatpy reads floats (400 when it can't)
            fields = {"Event": "LOCATION", "Latitude": payload, "Longitude": "106.25", "Precision": "30"}
            assert wechat_safe.post_xml(message_xml(f"o-hostile{i}", "event", fields)).status_code in (200, 400)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")], caplog.text[-2000:]


def test_hostile_sender_and_receiver_names_get_a_reply(wechat_safe, caplog):
    from tests.support.hostile import PAYLOADS

    for name in [*PAYLOADS, "o" * 65, "o" * 300]:
        for xml in (message_xml(name, "text", {"Content": "帮助"}), message_xml("o-ok", "text", {"Content": "帮助"}, to=name)):
            assert wechat_safe.post_xml(xml).status_code == 200, name[:40]
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")], caplog.text[-3000:]
