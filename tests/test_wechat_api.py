"""bot.outbound.wechat_api against the local stand-in: token caching, messages, media, errors."""

import pytest

from bot.outbound import wechat_api


def _api(app):
    return app.config, app.extensions["redis"]


def test_text_message_uses_one_cached_token(standin_app, standin):
    config, client = _api(standin_app)
    wechat_api.send_text(config, client, "o-user", "您的工单已办结")
    wechat_api.send_text(config, client, "o-user", "第二条")
    assert [c["endpoint"] for c in standin.calls].count("token") == 1
    sent = standin.sent("message/custom/send")
    assert sent[0] == {"touser": "o-user", "msgtype": "text", "text": {"content": "您的工单已办结"}}


def test_outside_48h_window_raises_with_errcode(standin_app, standin):
    standin.fail("message/custom/send", errcode=wechat_api.OUTSIDE_48H_WINDOW)
    with pytest.raises(wechat_api.WeChatAPIError) as error:
        wechat_api.send_text(*_api(standin_app), "o-user", "x")
    assert error.value.errcode == wechat_api.OUTSIDE_48H_WINDOW


def test_media_download_returns_bytes(standin_app):
    data = wechat_api.download_media(*_api(standin_app), "MEDIA1")
    assert data.startswith(b"\xff\xd8")


def test_qrcode_carries_the_scene(standin_app, standin):
    result = wechat_api.create_qrcode(*_api(standin_app), "school:jjzx")
    assert result["ticket"] == "TICKET-school:jjzx"
    assert standin.sent("qrcode/create")[0]["action_info"]["scene"]["scene_str"] == "school:jjzx"


def test_unreachable_api_raises(make_app):
    app = make_app(WECHAT_API_BASE_URL="http://127.0.0.1:9/cgi-bin/")
    with pytest.raises(wechat_api.WeChatAPIError):
        wechat_api.send_text(*_api(app), "o-user", "x")
