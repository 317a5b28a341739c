"""What the report conversation says: questions, the category menu, the summary, hotlines."""

import re

from nlp import tables

ASK_DESCRIPTION = "请简单说说是什么问题，比如「井盖不见了」「路灯不亮」。"
ASK_LOCATION = ("问题在哪里？请点输入框旁的 ＋ → 位置，发送问题所在的位置；"
                "也可以直接打字告诉我地址，比如「几江街道滨江路88号门口」。")
ASK_PHOTOS = "有现场照片吗？直接发过来就行（最多 9 张）；没有请回复「跳过」。"
ASK_PHONE = "方便留个手机号吗？只给工作人员联系您用，不会公开。不留请回复「跳过」。"
CONFIRM_WORDS = ("确认", "提交", "确定", "是的", "对", "好的", "ok", "OK")
SKIP_WORDS = ("跳过", "不用", "没有", "不留", "算了", "无", "不要")
DONE_WORDS = ("好了", "完成", "发完了", "就这些", "够了")

# short name -> category code (nlp/data/categories.tsv); the menu numbers follow the file's order.
SHORT_NAMES = {category.short_name: code for code, category in tables.categories().items()}
CATEGORY_MENU = "请回复数字选择问题类别：\n" + " ".join(
    f"{i}{name}" for i, name in enumerate(SHORT_NAMES, start=1)
)

# Dangers happening now: the hotline comes first, whatever else the user is doing. Kept narrow on
# purpose ("煤气罐是什么垃圾" is a garbage question, "烟囱冒烟" is air pollution).
EMERGENCIES = (
    (r"(燃气|煤气|天然气|液化气)[^，。,.！!]{0,8}(漏|泄|味|爆)|煤气罐.{0,4}(漏|爆)|爆炸",
     "⚠️ 疑似燃气泄漏：请立即远离，不要开关电器、不要点火，马上拨打 119！"),
    (r"着火|失火|起火|火灾|烧起来了|燃起来了", "⚠️ 有火情请立即拨打 119！"),
    (r"有人受伤|受伤了|受了伤|被砸|砸到人|砸伤|撞到人|撞伤|掉进去了|掉下去了|有人掉进|摔伤|流血|昏倒|晕倒",
     "⚠️ 有人受伤请立即拨打 120！"),
    (r"正在(塌|垮)|塌了|垮了|倒塌|坍塌|要塌|要垮|快塌|塌方|滑坡", "⚠️ 有坍塌危险：请远离现场，拨打 119 或 110！"),
    (r"打架|斗殴|持刀|抢劫", "⚠️ 涉及治安请立即拨打 110！"),
)
EMERGENCY_PATTERN = "(?s).*(?:" + "|".join(pattern for pattern, _ in EMERGENCIES) + ").*"
_COMPILED = tuple((re.compile(pattern), advice) for pattern, advice in EMERGENCIES)


def emergency_advice(text):
    """The hotline advice for an emergency in the text ("" when none)."""
    return "\n".join(advice for pattern, advice in _COMPILED if pattern.search(text))


def summary(data, category):
    """The short summary shown before 「确认」."""
    where = data.get("address") or data.get("label") or "已发送的位置"
    lines = [
        "请核对一下：",
        f"类别：{category.name}（{category.department.name}）",
        f"描述：{data.get('description') or '（照片反映）'}",
        f"位置：{where}",
        f"照片：{len(data.get('photos', []))} 张",
    ]
    if data.get("phone"):
        lines.append(f"电话：{data['phone'][:3]}****{data['phone'][-4:]}")
    lines.append("回复「确认」提交，「改类别」修改类别，「取消」放弃。")
    return "\n".join(lines)
