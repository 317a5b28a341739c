"""Scripted multi-turn conversations (tests/data/conversations/*.txt): parse them, play them.

The format is in tests/data/conversations/README.md. A script says what the resident sends and
what kind of answer they should get ("asks location", "garbage 可回收物", "kept"), never the exact
words, so the replies can be reworded without touching the scripts.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.tickets import NUMBER

SCRIPTS = Path(__file__).resolve().parent.parent / "data" / "conversations"
GARBAGE = re.compile("可回收物|有害垃圾|厨余垃圾|其他垃圾")
STATES = ("已受理", "已派遣", "处置中", "已办结", "不予受理")

# kind -> does the reply look like it (each reads the words our handlers use)
KINDS = {
    "asks description": lambda r: "说说是什么问题" in r,
    "asks category": lambda r: "选择问题类别" in r,
    "asks location": lambda r: "问题在" in r and ("位置" in r or "地址" in r) and "用刚才的位置" not in r,
    "asks reuse": lambda r: "用刚才的位置" in r,
    "asks photos": lambda r: "照片" in r and ("跳过" in r or "发过来" in r or "继续发" in r),
    "asks phone": lambda r: "手机号" in r,
    "summary": lambda r: "请核对" in r,
    "cancelled": lambda r: "已取消" in r,
    "kept": lambda r: "还没提交" in r or "答题进行中" in r,
    "hotline": lambda r: "12345" in r,
    "thanks": lambda r: "不客气" in r and "其他部门" not in r,
    "other bureau": lambda r: "其他部门" in r and "12345" in r,
    "help": lambda r: "津管家可以帮您" in r,
    "greeting": lambda r: "您好" in r and "其他部门" not in r,
    "parking": lambda r: "🅿️" in r,
    "status": lambda r: "工单" in r and any(s in r for s in STATES) or "还没有反映过" in r,
    "rated": lambda r: "评价" in r and ("感谢" in r or "重新交办" in r),
    "quiz question": lambda r: re.search(r"第 \d+/\d+ 题", r) is not None,
    "not understood": lambda r: "没太明白" in r,
    "emergency": lambda r: "⚠️" in r,
    "joined": lambda r: "已有人反映" in r,
    "ack": lambda r: bool(r) and "没太明白" not in r and "其他部门" not in r,
}


@dataclass
class Step:
    line: int
    kind: str  # send | expect | tickets | state | staff
    args: list = field(default_factory=list)


@dataclass
class Conversation:
    title: str
    source: str  # file:line
    steps: list = field(default_factory=list)


def load(directory=SCRIPTS):
    """Every conversation of every script, in file order."""
    found = []
    for path in sorted(directory.glob("*.txt")):
        found += parse(path.read_text(encoding="utf-8"), path.name)
    return found


def parse(text, name="script"):
    """Conversations of one script; a line the format does not know is an error."""
    conversations = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("==="):
            conversations.append(Conversation(line[3:].strip(), f"{name}:{number}"))
            continue
        if not conversations:
            raise ValueError(f"{name}:{number}: a step before the first === title")
        conversations[-1].steps.append(_step(line, number, name))
    return conversations


def _step(line, number, name):
    if line.startswith(">"):
        return Step(number, "send", [line[1:].strip()])
    if line.startswith("<"):
        expectations = [part.strip() for part in line[1:].split(";") if part.strip()]
        for expectation in expectations:
            head = expectation.split()[0]
            if head not in ("garbage", "filed", "contains", "lacks") and expectation not in KINDS:
                raise ValueError(f"{name}:{number}: unknown expectation {expectation!r}")
        return Step(number, "expect", expectations)
    word, _, rest = line.partition(" ")
    if word == "tickets" and rest.strip().isdigit():
        return Step(number, "tickets", [int(rest)])
    if word == "state":
        return Step(number, "state", [rest.strip()])
    if word == "*" and rest.strip() in ("resolve",):
        return Step(number, "staff", [rest.strip()])
    raise ValueError(f"{name}:{number}: cannot read {line!r}")


def check(expectation, reply):
    """None when the reply meets the expectation, else what is wrong."""
    head, _, rest = expectation.partition(" ")
    if head == "garbage":
        first = GARBAGE.search(reply)
        ok = first is not None and first.group() == rest.strip()
    elif head == "filed":
        ok = "工单号" in reply and NUMBER.search(reply) is not None and rest.strip() in reply
    elif head == "contains":
        ok = any(word in reply for word in rest.split("|"))
    elif head == "lacks":
        ok = not any(word in reply for word in rest.split("|"))
    else:
        ok = KINDS[expectation](reply)
    return None if ok else f"expected {expectation!r}"


def send(wechat, openid, text):
    """Send one scripted line: text, or [location LAT LNG LABEL] / [image] / [voice …] / [click KEY] / [subscribe]."""
    action = re.fullmatch(r"\[(\w+)\s*(.*)\]", text)
    if action is None:
        return wechat.say(openid, text)
    kind, rest = action.groups()
    if kind == "location":
        lat, lng, *label = rest.split(maxsplit=2)
        reply = wechat.location(openid, float(lat), float(lng), label[0] if label else "")
    elif kind == "image":
        reply = wechat.image(openid, media_id=f"M-{openid}-{abs(hash(rest)) % 10**6}")
    elif kind == "voice":
        reply = wechat.voice(openid, rest)
    elif kind == "click":
        reply = wechat.click(openid, rest.strip())
    elif kind == "subscribe":
        reply = wechat.event(openid, "subscribe")
    else:
        raise ValueError(f"unknown action [{kind}]")
    return reply.get("Content") or ""
