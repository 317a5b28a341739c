"""Ticket numbers, places and times in a message."""

import re

from nlp import places

TICKET = re.compile(r"JJ\s?(\d{12,13})(?!\d)", re.IGNORECASE)  # 13: a day past 9,999 reports
TIMES = (
    (re.compile(r"(今天|今晚|明天|明晚|后天|周末|星期[一二三四五六日天]|周[一二三四五六日天]|礼拜[一二三四五六天])"), "day"),
    (re.compile(r"(早上|上午|中午|下午|傍晚|晚上|半夜|凌晨)?(\d{1,2}|[一二三四五六七八九十]{1,3})[点時时](半|\d{1,2}分?)?"), "clock"),
    (re.compile(r"(现在|马上|等会|一会儿)"), "now"),
)


def tickets(text):
    """Ticket numbers (normalised to JJ + 12 digits, 13 on a day past 9,999 tickets)."""
    return ["JJ" + digits for digits in TICKET.findall(text)]


def times(text):
    """Time expressions as written ("今晚", "8点", "周末")."""
    return [m.group(0) for pattern, _ in TIMES for m in pattern.finditer(text)]


def extract(text):
    """All entities of a message."""
    return {"tickets": tickets(text), "places": places.find(text), "times": times(text)}
