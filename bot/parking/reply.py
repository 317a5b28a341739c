"""How parking answers read in the chat: one screen, nearest first, open or when it opens."""

from collections import Counter
from datetime import timedelta

from bot.parking.lots import KINDS, SAMPLE_MARK, live_free_spaces
from bot.parking.schedule import describe, is_open, next_change, parse

SHOWN = 3
MAP = "https://uri.amap.com/marker?position={lng:.6f},{lat:.6f}"
LABELS = {"shared": "错时共享", "public": "公共", "on-street": "路内"}


def pick(found, moment):
    """The nearest three, plus the nearest open one if none of those is open at `moment`."""
    shown = found[:SHOWN]
    if any(is_open(parse(n.lot.schedule), moment) for n in shown):
        return shown
    spare = next((n for n in found[SHOWN:] if is_open(parse(n.lot.schedule), moment)), None)
    return shown + [spare] if spare else shown


def nearby_text(found, origin, moment, now, max_age, title="🅿️ 离{origin}最近的停车场（{at}）："):
    """The reply listing lots near `origin` at `moment` (now unless the user asked for a time)."""
    at = "现在" if moment == now else f"{moment:%m月%d日 %H:%M}"
    lines = [title.format(origin=origin, at=at)]
    for i, nearby in enumerate(found, start=1):
        lines += lot_lines(i, nearby, moment, now, max_age)
    first = found[0].lot
    lines.append("导航到第1个：" + MAP.format(lng=first.lng, lat=first.lat))
    if any(n.lot.sample for n in found):
        lines.append("（【示例】为演示数据，请以现场为准）")
    return "\n".join(lines)


def lot_lines(i, nearby, moment, now, max_age):
    """Three lines for one lot: name and distance; open status and spaces; fee and hours."""
    lot, windows = nearby.lot, parse(nearby.lot.schedule)
    free = live_free_spaces(lot, now, max_age)
    spaces = f"空位 {free}（实时）" if free is not None else f"共 {lot.spaces} 个车位"
    return [f"{i}. {_bare(lot.name)}（{LABELS.get(lot.kind, '停车场')}）{_distance(nearby.distance_m)}",
            f"   {status(windows, moment)} · {spaces}",
            f"   {lot.fee or '收费以现场公示为准'} · {describe(windows)}"]


def status(windows, moment):
    """「🟢 开放中，22:00停止开放」 or 「🔴 未开放，明天18:00开放」."""
    change = next_change(windows, moment)
    if is_open(windows, moment):
        if change and change - moment < timedelta(hours=24):
            return f"🟢 开放中，{_day(change, moment)}{change:%H:%M}停止开放"
        return "🟢 开放中"
    return "🔴 未开放" + (f"，{_day(change, moment)}{change:%H:%M}开放" if change else "")


def lot_details(lot, moment):
    """Everything about one lot the user named (「江津中学停车场几点开放」)."""
    windows = parse(lot.schedule)
    lines = [f"🅿️ {_bare(lot.name)}（{KINDS.get(lot.kind, '停车场')}）", f"地址：{lot.address}",
             f"开放时间：{describe(windows)}", f"现在：{status(windows, moment)}",
             f"收费：{lot.fee or '以现场公示为准'}", f"车位：{lot.spaces} 个"]
    if lot.phone:
        lines.append(f"电话：{lot.phone}")
    return "\n".join(lines)


def summary(lots):
    """What the lots' data says about fees and hours, for 「错时停车怎么收费」."""
    shared = [lot for lot in lots if lot.kind == "shared"] or lots
    if not shared:
        return ""
    free = sum(1 for lot in shared if lot.fee.startswith("免费"))
    common, _ = Counter(describe(parse(lot.schedule)) for lot in shared).most_common(1)[0]
    fees = "、".join(sorted({lot.fee for lot in shared if lot.fee and not lot.fee.startswith("免费")})[:3])
    sample = "（示例数据）" if all(lot.sample for lot in shared) else ""
    return (f"目前收录错时共享停车场 {len(shared)} 个、车位 {sum(lot.spaces for lot in shared)} 个{sample}，"
            f"其中 {free} 个免费{'，其余如：' + fees if fees else ''}。\n最常见的开放时间：{common}。")


def _bare(name):
    return name.replace(SAMPLE_MARK, "")


def _distance(metres):
    return f"{metres:.0f}米" if metres < 1000 else f"{metres / 1000:.1f}公里"


def _day(change, moment):
    days = (change.date() - moment.date()).days
    return {0: "", 1: "明天", 2: "后天"}.get(days, f"{change:%m月%d日}")
