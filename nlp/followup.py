"""Is a message asking about an earlier report rather than making a new one?

"上回反映的路灯怎么还没修" names a problem, but one the citizen already reported: the answer is
their tickets, not a second ticket. Read on the normalised text (啷个 -> 怎么, 没得 -> 没有).
Two things together make a follow-up:
- a reference to the earlier report: a report verb in the past ("我报的", "上次反映的",
  "报上去", "投诉过的") or what the bureau said about it ("你们说已经处理完了");
- a question about its fate, or a complaint that nothing happened: 修没修, 有结果没, 还没修,
  到现在都没有人来, 人呢, 管不管.
Words only tickets have (工单, 办结, 处置中, 不予受理, 我的单子…) are enough on their own.
"A new problem again" ("又坏了", "才修好没几天") is not a follow-up: the old ticket is closed.
"""

import re

WHEN = (r"(上次|上回|之前|以前|前几天|前两天|前段时间|前阵子|前些天|前天|昨天|上周|上个?星期|上个?礼拜|上个?月|那天|早就|前期|此前|日前|"
        r"[一两三四五六七八九十几\d]+(天|个星期|周|个月)前)")
VERB = r"(报|反映|投诉|举报|拍|上报|提交)"
EARLIER = re.compile(
    rf"{WHEN}[^，。！？\s]{{0,4}}?{VERB}"  # 上次反映, 之前我投诉, 上周报
    rf"|我{VERB}(过?的|过|了[一两三几\d]个)"  # 我报的, 我投诉过, 我报了两个
    rf"|{VERB}(过的|上去|了好几次|了几次|了很多次|的(事|问题|那个|情况))"  # 报上去, 反映的问题
    r"|(你们|都)?(说|显示|说是|回复说)(已经|已)?(处理|修|解决|办结|派人|整改)"  # 你们说已经处理完了
    rf"|{VERB}了(快|都|有|好)?[一两三几半\d]+个?(天|周|星期|礼拜|月)"  # 报了快一个月了
    r"|我(的|那个|那条)+(投诉|反映|举报|问题)"  # 我那个投诉
    r"|的(投诉|举报|反映)(?!电话|渠道|方式|平台)"  # 停车场乱收费的投诉 (a complaint already made)
    rf"|{WHEN}[^，。！？\s]{{0,4}}?(说|讲|提)的"  # 上次说的那个路灯
    rf"|(我|本人)[^，。！？\s]{{0,8}}{VERB}(过|了|的)"  # 我在这里举报过, 我九月份就反映了, 本人前期反映的
    rf"|{VERB}了(个|一个)"  # 帮我报了个化粪池的事
)
FATE = re.compile(
    r"(修|处理|解决|管|弄|搞|来|去|看|受理|收到|拆|清|拉|收|换|补|挪|拖|回复|答复)(了|过)?没(有|得)?(?!人|几天)"  # 修没, 回复了没得
    r"|(有|什么)(处理)?(结果|进展|回复|回音|下文|消息|意见)|没有?(下文|回复|回音|消息|动静|结果)"
    r"|有没有人(来|管|处理|看)"
    r"|怎么样了?|到哪一步|到哪里?了|多久|什么时候|好久(才|能)?(有人)?(来|修|处理|能|才|回)|给个(准话|说法|答复)|(看|查|问)(一下|哈|下)"
    r"|没人(理|管|来|处理|联系|回)|(什么|啥)(情况|进度)|怎么回事"
    r"|(还|都|一直|根本|到现在|现在)(是|都)?(没|没有|不)(修|处理|解决|管|弄|来|人|亮|好|动)"
    r"|还(是|在)|人呢|好了没|好没|管不管|联系我|(还能|能|咋个|怎么)(查到|查得到|看到|看得到|查看)|看不到|查不到"
    r"|是否(已|已经)?(转交|处理|立案|受理|派|解决)|(修|处理|解决|弄|搞|清|拆|换|补)(好)?了(吗|嘛|没)|咋样了|怎样了"
)
TICKET = re.compile(r"工单|单号|办结|处置中|不予受理|已受理|已派遣|退回来|接单|派给|(我|那个|这个)的?单子|进展")
BUREAU_SAID = re.compile(r"(你们|都)?(回复|回访|显示|说是?)(说)?(已经|已)?(处理|修|解决|办结|清理|整改)")
AGAIN = re.compile(r"又(坏|不|堵|烂|被|遭|陷|冒|漏|满|来)|才修好")


CHAT_LENGTH = 80  # a letter (hundreds of characters) retelling its history is about its topic
# What a long message asks when it is about its own earlier report: the step it is at, its progress, to
# look it up, to handle it again; or it quotes the ticket (a JJ number, even mistyped; 编号, 单子号).
LONG_ASK = re.compile(r"(处理|办)到(了)?哪一步|(处理|解决|修)(了)?没有|进度|进展|(查|看)一下(这个|那个|我的|我那个)?(单子|投诉|案子|工单|编号)"
                      r"|(到底|现在)[^，。！？]{0,4}(咋样|怎么样|啥情况|什么情况)|重新处理|不满意|显示(已经?)?办结|编号|单子号|单号"
                      r"|JJ\s?\d{8,13}", re.I)


def is_follow_up(text):
    """True when the (normalised) message asks about an earlier report."""
    if len(text) > CHAT_LENGTH:  # a long story: only when it says it reported before and asks about that
        return EARLIER.search(text) is not None and LONG_ASK.search(text) is not None
    if TICKET.search(text):
        return True
    if AGAIN.search(text) and not BUREAU_SAID.search(text):
        return False  # a new problem again, unless the bureau said it was dealt with (that ticket's outcome)
    return EARLIER.search(text) is not None and FATE.search(text) is not None
