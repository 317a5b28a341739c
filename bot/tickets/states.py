"""A ticket's states and the moves between them: 已受理 → 已派遣 → 处置中 → 已办结, or 不予受理."""

ACCEPTED, DISPATCHED, IN_PROGRESS, RESOLVED, REJECTED = "已受理", "已派遣", "处置中", "已办结", "不予受理"
STATES = (ACCEPTED, DISPATCHED, IN_PROGRESS, RESOLVED, REJECTED)
OPEN_STATES = (ACCEPTED, DISPATCHED, IN_PROGRESS)
NEXT = {ACCEPTED: {DISPATCHED, IN_PROGRESS, RESOLVED, REJECTED}, DISPATCHED: {IN_PROGRESS, RESOLVED, REJECTED},
        IN_PROGRESS: {RESOLVED, REJECTED, DISPATCHED}, RESOLVED: {IN_PROGRESS}, REJECTED: {ACCEPTED}}

# What staff and residents read for the codes a ticket keeps (source, history action, actor).
SOURCE_NAMES = {"resident": "居民", "supervisor": "监督员", "open311": "Open311 接口"}
ACTION_NAMES = {"created": "受理", "status": "状态变更", "reroute": "改派", "rating": "评价", "note": "补充说明"}
ACTOR_NAMES = {"system": "系统", "citizen": "反映人", "staff": "工作人员", "open311": "Open311 接口"}


def actor_name(actor):
    """「工作人员 wang」 for staff:wang, 「反映人」 for citizen, 「Open311 接口 1a2b3c4d」 for open311:1a2b3c4d."""
    kind, _, who = (actor or "").partition(":")
    name = ACTOR_NAMES.get(kind)
    if name is None:
        return actor or "—"
    if not who:
        return name
    return f"{name}（命令行）" if (kind, who) == ("staff", "cli") else f"{name} {who}"
