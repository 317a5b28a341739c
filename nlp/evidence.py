"""Keyword evidence in one message: which labels its words claim, where, and what is negated.

A keyword counts once, by its first occurrence. Two rules keep the tables honest:
- the more specific word decides: a keyword lying inside a longer matched keyword of another
  label is dropped ("雨水管" is drainage, the "水管" in it is not water supply);
- negated statements don't count: words in a clause that says the thing is fine ("井盖没问题",
  "下水道没堵", "路灯已经修好了") or in "不是…的问题" are ignored, unless a problem follows
  in the same clause ("路灯修好了又坏了").
"""

import re
from dataclasses import dataclass, field

LOCATIVE = re.compile(r"的?(门口|大门|旁边|附近|外面|里面|里头|对面|周边|周围|边上|前面|后面|背后|那边|这边|路口|一带|停车场)")
PLACE_AFTER = re.compile(r"[带池区站]?(门口|旁边|附近|对面|边上|背后|后头|底下|下面)")  # not 里面: inside is its own
SPEAKER = re.compile(r"(我是|本人系|本人是|本人为)[^，。！？\s]{1,16}")  # who is writing: 我是德感的退休老职工
DISOWNED = re.compile(r"(也|又|都|就|一直)?说")  # 物业说不归他们管, 邻居说井盖松了: a speaker, not the topic
OUTSIDE = re.compile(r"小区(外面|外头|外边|门口外|围墙外)|围墙外|院墙外")  # 物业不管 小区外面的井盖: the city's
POLITE = frozenset({"谢谢", "感谢", "多谢", "辛苦"})
GLUED = frozenset("里上下边")
CLAUSE = re.compile(r"[\s，。！？,.!?；;、~～]+|但是|可是|而是|不过")
ALSO = re.compile(r"也|还有|另外|顺便|^还(?![是在没不要得])")  # 还天天半夜施工: "and also"
NOT_THE_PROBLEM = re.compile(r"不是.{1,10}?的?(问题|事)")
FINE = re.compile(
    r"(?<!有)(没|没有|不是|莫得)(啥|什么|啥子)?(问题|事情?|毛病)(?![吗嘛呀啊]|了吗)"
    r"|(?<![有是])(没|没有|不)(堵|坏|烂|漏|破|脏|臭|吵|塌)(?!了?[吗嘛不没])"
    r"|(?<![没未不])(已经|都|终于|总算|早就)?(修好|弄好|处理好|处理完|解决|搞好|恢复|通)了(?![吗嘛没不]|没有)"
    r"|(?<![没未被遭人])(已经|都|就|终于|总算|早就)?(拉走|清走|收走|运走|清理|清掉|弄走|搬走|换好|补好|填好|填平|补上)了(?![吗嘛没不]|没有)"
    r"|(第二天|当天|马上|很快|一下子)就?(填|补|修|换|清)了"
    r"|(已经|终于|总算)(亮|通|来水|有水)了|正常了"
    r"|(违建|违章建筑|棚子|广告牌?|招牌|摊子|摊贩|僵尸车)[^，。！？\s]{0,6}(拆了|拆掉了|拆除了|撤了|撤掉了|取缔了)(?![吗嘛没不]|没有)"
    r"|(派人|师傅|你们|工人|终于|总算)[^，。！？]{0,6}把[^，。！？]{1,14}(换|修|补|填|清|拆|搬|拉|弄)(了|好了|掉了|走了)(?![吗嘛没不]|没有)")


@dataclass
class Evidence:
    """Scores per label, the first position of each category, problem strength, negation seen."""

    intents: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    first: dict = field(default_factory=dict)
    problem: float = 0.0
    resolved: bool = False  # the message says something is fine / fixed

    def named_first(self, text):
        """The category alone in the earliest clause naming a category, if the message names several
        in different clauses ("垃圾桶满了 下水道也堵了" is about the bins); else None."""
        if len(self.first) < 2:
            return None
        clause_of = {label: len(CLAUSE.findall(text, 0, at)) for label, at in self.first.items()}
        earliest = min(clause_of.values())
        labels = [label for label, clause in clause_of.items() if clause == earliest]
        return labels[0] if len(labels) == 1 else None

    def named_in_passing(self, text):
        """Categories first named in a later clause that adds to the subject ("旁边路灯也不亮")."""
        if len(self.first) < 2:
            return []
        earliest = min(self.first.values())
        return [label for label, at in self.first.items() if at > earliest and ALSO.search(_clause_at(text, at))]


def _clause_at(text, at):
    """The clause of the text around position at."""
    start = max((m.end() for m in CLAUSE.finditer(text, 0, at)), default=0)
    following = CLAUSE.search(text, at)
    return text[start:following.start() if following else len(text)]


def negated_spans(text, problem_words):
    """(start, end) spans of the text whose keywords must not count."""
    spans = [m.span() for m in NOT_THE_PROBLEM.finditer(text)]
    start = 0
    for separator in [*CLAUSE.finditer(text), None]:
        end = separator.start() if separator else len(text)
        spans.extend(_fine_clause(text, start, end, problem_words))
        start = separator.end() if separator else end
    return spans


def _fine_clause(text, start, end, problem_words):
    """The clause up to its last "fine" marker, unless a problem word follows that marker."""
    clause = text[start:end]
    markers = list(FINE.finditer(clause))
    if not markers:
        return []
    tail = clause[markers[-1].end():]
    if any(word in tail for word in problem_words):
        return []
    return [(start, start + markers[-1].end())]


class KeywordIndex:
    """Keywords by first character: one pass over the message instead of one search per keyword."""

    def __init__(self, table):
        self.by_first = {}
        for keyword, claims in table.items():
            self.by_first.setdefault(keyword[0], []).append((keyword, claims))

    def matches(self, text, tokens, spans):
        """(start, end, keyword, claims) for each keyword's first occurrence outside negated spans.

        One-character keywords must be whole jieba tokens ("树" but not the 树 in "数树叶"),
        unless tokens is None (problem words, where any occurrence counts).
        """
        seen = {}
        for at, char in enumerate(text):
            for keyword, claims in self.by_first.get(char, ()):
                if keyword in seen or not text.startswith(keyword, at):
                    continue
                if len(keyword) == 1 and tokens is not None and not _whole_word(keyword, text, at, tokens):
                    continue
                if not any(a <= at < b for a, b in spans):
                    seen[keyword] = (at, at + len(keyword), keyword, claims)
        return _most_specific(list(seen.values()))


def _whole_word(char, text, at, tokens):
    """A one-character keyword is a jieba token of its own, or jieba glued a place or a state to it
    ("坑里", "树上"): that is still the word, unlike the 树 in "数树叶"."""
    return char in tokens or (text[at + 1:at + 2] in GLUED and text[at:at + 2] in tokens)


def as_places(found, text, label="out_of_scope"):
    """Drop the label's keywords that name where a problem is, not what it is about
    ("医院门口乱停车" is about parking, not about a hospital)."""
    return [m for m in found if not (LOCATIVE.match(text, m[1]) and any(lb == label for lb, _ in m[3]))]


def pattern_matches(patterns, text, spans):
    """(start, end, phrase, claims) of each pattern's first match outside negated spans."""
    found = []
    for regex, label, weight in patterns:
        for m in regex.finditer(text):
            if not any(a <= m.start() < b for a, b in spans):
                found.append((m.start(), m.end(), m.group(), [(label, weight)]))
                break
    return found


def as_places_of_others(found, text):
    """A category's word that only says where another category's problem is does not count:
    "公厕旁边那个化粪池冒出来了" is about the septic tank, "绿化带里面倒了建渣" about the rubbish."""
    places = {i for i, (_, end, _, _) in enumerate(found) if PLACE_AFTER.match(text, end)}
    if not places:
        return found
    place_labels = {label for i in places for label, _ in found[i][3]}
    others = {}
    for i, m in enumerate(found):
        for label, weight in m[3] if i not in places else ():
            if label not in place_labels:
                others[label] = others.get(label, 0.0) + weight
    strong = max(others.values(), default=0.0) >= 3  # "古树旁边倒垃圾": a stray 垃圾 is not the subject
    return [m for i, m in enumerate(found) if i not in places] if strong else found


def not_the_topic(found, text, problem_named, label="out_of_scope"):
    """Drop the label's words that describe the sender or close politely, not what the message is
    about: "我是退休老职工 家门口排水沟堵了", "...恳请派人疏通 谢谢"."""
    speaker = [m.span() for m in SPEAKER.finditer(text)]
    return [m for m in found
            if not (any(lb == label for lb, _ in m[3])
                    and (any(a <= m[0] < b for a, b in speaker) or (problem_named and m[2] in POLITE)
                         or DISOWNED.match(text, m[1]) or text.endswith("不归", 0, m[0])
                         or (m[2] in ("物业", "小区", "开发商") and OUTSIDE.search(text))))]


def _most_specific(found):
    """Drop a keyword lying inside a longer matched keyword of another label."""
    if len(found) < 2:
        return found
    kept = []
    for at, end, keyword, claims in found:
        labels = {label for label, _ in claims}
        inside = any(a <= at and end <= b and (b - a) > (end - at) and not labels & {lb for lb, _ in c}
                     for a, b, _, c in found)
        if not inside:
            kept.append((at, end, keyword, claims))
    return kept


def add(scores, first, found):
    """Sum the weights of the matches per label; remember where each label is first named."""
    for at, _, _, claims in found:
        for label, weight in claims:
            scores[label] = scores.get(label, 0.0) + weight
            if first is not None and at < first.get(label, 1 << 30):
                first[label] = at
    return scores
