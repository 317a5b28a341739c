"""Messages on the side of a conversation: answered as themselves, and the conversation kept.

In the middle of a report or a quiz round a resident may ask which bin a box goes in, ask for
the hotline, say thanks, say hello or bring up another bureau's matter. None of these is an
answer to the question the conversation asked; the flows call answer() and, when it replies,
add a line saying their conversation is still there.
"""

from handlers import common, garbage, status

SIDE_INTENTS = ("garbage", "help", "out_of_scope", "status")


def answer(message, context, bare_items=True):
    """The reply to a message that is clearly something else, or None.

    bare_items: whether a bare item name counts as a garbage question (not where a description
    is asked for: 「垃圾桶」 there describes the problem)."""
    if not context.text:
        return None
    asked = garbage.answer_question(message, context)
    if asked:
        return asked
    found = context.understanding
    if found.intent not in SIDE_INTENTS:
        return None
    if found.intent == "garbage":
        return garbage.answer_intent(message, context) if bare_items or found.confidence >= 0.9 else None
    if found.intent == "help":
        return common.help_intent(message, context)
    if found.intent == "out_of_scope":
        return common.out_of_scope(message, context)
    return status.show_from_intent(message, context)


def strong(context):
    """Is the message plainly one of those, whatever the question was (hotline, thanks, 「好的」, a
    greeting, 帮助, an explicit sorting question)?"""
    found = context.understanding
    return found.entities.get("topic") is not None or (found.intent == "garbage" and found.confidence >= 0.9) \
        or (context.text or "").strip() in ("帮助", "help", "菜单", "功能")
