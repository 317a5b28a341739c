"""The moment a parking question is about: 「今晚8点」「明早」「周末」「周六下午3点半」, else now.

Pure (no Flask): `moment_asked(text, now)` with `now` an aware local datetime.
"""

import re
from datetime import timedelta

TOMORROW = re.compile(r"明[天日早晚]")
WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
WEEKDAYS = "一二三四五六"
CLOCK = re.compile(r"(\d{1,2})(?:[点时:：](半|\d{1,2}分?)?)")
PERIOD = re.compile(r"早上|早晨|上午|中午|下午|傍晚|晚上|今晚|明晚|夜里|半夜|凌晨|明早")
AFTERNOON = ("中午", "下午", "傍晚", "晚上", "今晚", "明晚", "夜里")
DEFAULT_HOUR = {"早上": 8, "早晨": 8, "明早": 8, "上午": 9, "中午": 12, "下午": 15, "傍晚": 18,
                "晚上": 20, "今晚": 20, "明晚": 20, "夜里": 22, "半夜": 0, "凌晨": 2}


def moment_asked(text, now):
    """When the user wants to park: now, unless the text names a day and/or a time of day."""
    text = text or ""
    day, named_day = _day(text, now)
    clock = _clock(text)
    if clock is None and not named_day:
        return now
    hour, minute, bare = clock or (10, 0, False)  # a day with no time: mid-morning
    moment = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if named_day or moment >= now - timedelta(minutes=30):
        return moment
    if bare and hour < 12 and moment + timedelta(hours=12) >= now:
        return moment + timedelta(hours=12)  # 「8点」 said at noon means this evening
    return moment + timedelta(days=1)  # 「8点」 said at 21:00 means tomorrow morning


def _day(text, now):
    """The day asked about and whether the text named one."""
    if "后天" in text:
        return now + timedelta(days=2), True
    if TOMORROW.search(text):
        return now + timedelta(days=1), True
    if "周末" in text:
        return (now + timedelta(days=max(0, 5 - now.weekday()))), now.weekday() < 5
    match = WEEKDAY.search(text)
    if match:
        wanted = WEEKDAYS.find(match.group(1)) % 7 if match.group(1) in WEEKDAYS else 6
        return now + timedelta(days=(wanted - now.weekday()) % 7), wanted != now.weekday()
    return now, False


def _clock(text):
    """(hour, minute, no period word) in the text: 「8点半」「20:00」「晚上」; None if none."""
    period = PERIOD.search(text)
    match = CLOCK.search(text)
    if match is None:
        return (DEFAULT_HOUR[period.group(0)], 0, False) if period else None
    hour = int(match.group(1)) % 24
    minutes = match.group(2) or ""
    minute = 30 if minutes == "半" else int(minutes.rstrip("分") or 0) % 60
    if period and period.group(0) in AFTERNOON and hour < 12:
        hour += 12
    return hour, minute, period is None
