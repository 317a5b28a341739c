"""What people say around the city's business: asking for a phone number, thanks, 「好的」, 你好.

Each is a topic the bot answers in a word and never a report: 「12345热线电话多少」 asks for a
number, 「谢谢」 closes a conversation, 「收到」 acknowledges. topic(text) names it, or None.
"""

import re

from nlp.garbage_lookup import without_symbols

_NUMBER = r"(电话|热线|号码|联系方式|座机|客服电话|服务电话|投诉电话|举报电话|联系电话|12345|12319|110|119|120)"
_ASKED = (r"(是|是个)?(多少|好多|几号|几多|啥子?|什么|哪个|哪一个|几|多少号)|(怎么|咋个?|啷个|如何)(打|联系|拨)"
          r"|打(得)?通|有没有|有莫得|有没得|在哪|还是|呢|吗|嘛|不|[?？]")
HOTLINE = re.compile(
    rf"{_NUMBER}.{{0,6}}({_ASKED})|(12345|城管热线|热线).{{0,12}}(吗|嘛|不)$"  # 12345热线电话多少, 城管投诉电话是好多, 你们电话呢
    r"|(打|拨|找)(哪个|什么|啥子?|哪一个|几号|多少)(电话|号码|热线)"  # 投诉打哪个电话
    r"|(怎么|咋个?|啷个|如何)(联系|找到?)(你们|城管|工作人员|人工)"  # 咋个联系你们
    r"|(给|把)?(我|个)?(城管|你们)(的)?(电话|号码|热线)"
    r"|^(请问|问一?下|问问)?.{0,16}(城管|你们|局|办公室|投诉|举报|服务|客服|值班)的?.{0,4}(电话|号码|座机|热线)[呢嘛?？]*$"
    r"|联系(到)?(你们|城管|工作人员)"
    r"|(12345|热线|打电话).{0,12}(区别|不一样|哪个好|有啥用|有什么用)", re.I)
THANKS = re.compile(r"谢谢|感谢|多谢|谢了(?!的)|谢啦|辛苦|点赞|点个赞|赞一个|大快人心|给力|好样的|效率|满意|好评|表扬|太好了|"
                    r"麻烦(你们)?了|费心了|thank|yyds|爱了|靠谱|牛啊|太牛", re.I)
ACK = re.compile(r"((好的?|好嘞|好滴|好哒|嗯+|哦+|噢+|喔+|ok|okay|收到|知道了?|晓得了?|明白了?|了解|可以|行|要得|没问题|"
                 r"好吧|懂了|对头|没事了?|莫得事了?|没得事了?|没有了|就这样|好耶|耶|哈哈+)([啦了哈嘛呀哦!！。.~～,，\s]*)?)+", re.I)
GREETING = re.compile(r"((尊敬的)?(领导|工作人员|同志|小津)?(你好|您好|早上好|上午好|中午好|午安|下午好|晚上好|晚安|哈喽|嗨|喂|hello|hi|在吗|在不在|有人吗|有人没|在没)"
                      r"[呀啊哦嘛]?[\s，。！!,.~？?]*(小津|津管家|城管)?[\s，。！!,.~？?]*)+", re.I)


def topic(text):
    """hotline | thanks | ack | greeting for a message that is only that, else None."""
    bare = without_symbols(text)
    if not bare and text.strip():
        return "ack"  # 👍, 🙏, 👌: a sign, not a request
    text = bare
    if len(text) <= 40 and HOTLINE.search(text):
        return "hotline"
    if ACK.fullmatch(text):
        return "ack"
    if GREETING.fullmatch(text):
        return "greeting"
    if len(text) <= 30 and THANKS.search(text):
        return "thanks"
    return None
