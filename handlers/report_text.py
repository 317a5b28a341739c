"""What the report conversation says: questions, the category menu, the summary, hotlines."""

import re

ASK_DESCRIPTION = "请简单说说是什么问题，比如「井盖不见了」「路灯不亮」。"
ASK_LOCATION = ("问题在哪里？请点输入框旁的 ＋ → 位置，发送问题所在的位置；"
                "也可以直接打字告诉我地址，比如「{example_address}」。")
ASK_PHOTOS = "有现场照片吗？直接发过来就行（最多 9 张）；没有请回复「跳过」。"
ASK_PHONE = "方便留个手机号吗？只给工作人员联系您用，不会公开。不留请回复「跳过」。"
ASK_REUSE = "用刚才的位置：{label}？\n回复「是」就用这个位置；不是的话请发送新位置（＋ → 位置），或直接打字告诉我地址。"
NOT_AN_ADDRESS = ("问题在哪里？位置请说得简短具体些，比如「{example_address}」「{example_landmark}南门」；"
                  "也可以点 ＋ → 位置，直接发送位置。")
OUTSIDE = ("这个位置不在{city}{name} 📍 {account}只受理{name}的城市管理问题；别处的问题请拨当地的 {hotline} 反映。\n"
           "问题就在{name}的话，请重新发送位置（＋ → 位置），或直接打字告诉我地址。您的反映内容已保留。")
ADDED_TO_DESCRIPTION = "您说的情况已补充到描述里。"
NOT_A_PHONE = "这个号码好像不对，请发 11 位手机号，或回复「跳过」。"
CONFIRM_WORDS = ("确认", "提交", "确定", "是的", "对", "好的", "ok", "OK")
SKIP_WORDS = ("跳过", "不用", "没有", "不留", "算了", "无", "不要")
DONE_WORDS = ("好了", "完成", "发完了", "就这些", "够了")
YES_WORDS = ("是", "是的", "对", "对的", "对头", "嗯", "嗯嗯", "好", "好的", "可以", "用", "用吧", "就是", "就是这里",
             "是这里", "没错", "要得", "行", "ok", "OK")
NO_WORDS = ("不是", "不对", "不", "否", "错了", "不用", "换一个", "不是这里", "不在这里", "不是这儿")
# What the resident is asked at each step, said again after a side question so the report goes on.
REMINDERS = {
    "description": "请说说是什么问题",
    "category": "请回复数字选择问题类别",
    "reuse": "用刚才的位置吗？回复「是」或「不是」",
    "location": "请发送位置，或告诉我地址",
    "photos": "有照片就发过来，没有请回复「跳过」",
    "phone": "方便的话留个手机号，不留请回复「跳过」",
    "confirm": "回复「确认」提交",
    "own_duplicate": "回复「仍然提交」或「取消」",
}


def kept(step):
    """The line that tells a resident their report is still there, and what it waits for."""
    return f"📝 您的反映还没提交，{REMINDERS.get(step, '接着说就行')}；发「取消」可放弃。"

def short_names(district):
    """short name -> category code, in the profile's categories.tsv order (the menu's numbers)."""
    return {category.short_name: code for code, category in district["categories"].items()}


def category_menu_text(district):
    return "请回复数字选择问题类别：\n" + " ".join(
        f"{i}{name}" for i, name in enumerate(short_names(district), start=1))

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


SUMMARY_DESCRIPTION = 80


def summary(data, category):
    """The short summary shown before 「确认」."""
    where = data.get("address") or data.get("label") or "已发送的位置"
    description = data.get("description") or "（照片反映）"
    if len(description) > SUMMARY_DESCRIPTION:  # all of it is filed; the summary shows the start
        description = f"{description[:SUMMARY_DESCRIPTION]}…（共 {len(description)} 字）"
    lines = [
        "请核对一下：",
        f"类别：{category.name}（{category.department.name}）",
        f"描述：{description}",
        f"位置：{where}",
        f"照片：{len(data.get('photos', []))} 张",
    ]
    if data.get("phone"):
        lines.append(f"电话：{data['phone'][:3]}****{data['phone'][-4:]}")
    lines.append("回复「确认」提交，「改类别」修改类别，「取消」放弃。")
    return "\n".join(lines)
