"""The Safer Meeting agenda (seed 003): the guided sequence a meeting follows, with its prompts.

Items 1 to 7 are talked through in order, each with its own notes; item 8 is the Safer Plan itself,
written in the draft. Before item 1, what the young person wanted the meeting to know opens it:
children and parents are welcome and speak first.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Typed as `object`: lazy strings render as text in templates and `str()` anywhere else.
Words = object


@dataclass(frozen=True)
class AgendaItem:
    key: str  # stored with each note; never changes once used
    number: int
    title: Words
    prompts: tuple[Words, ...]
    # Item 8 is written in the plan itself, not in notes.
    is_plan: bool = False


AGENDA: tuple[AgendaItem, ...] = (
    AgendaItem(
        "introductions",
        1,
        _l("Introductions and purpose"),
        (
            _l(
                "The chair says what the Safer Meeting is for: what needs to change for and around the "
                "young person to make them safer."
            ),
            _l("Everyone says who they are, why they are here and what they hope to get from the meeting."),
            _l("The young person and their family are welcome, and speak first."),
        ),
    ),
    AgendaItem(
        "key_professionals",
        2,
        _l("Key professionals"),
        (_l("Who is helping the young person: teachers, social workers and others?"),),
    ),
    AgendaItem(
        "what_we_know",
        3,
        _l("What we know"),
        (
            _l("What is happening? (the harm)"),
            _l("What is the impact? (the worry)"),
            _l("Hear from each person present what they see happening now."),
        ),
    ),
    AgendaItem(
        "patterns",
        4,
        _l("Patterns"),
        (
            _l(
                "Are there patterns: particular days, times or places; signs of a particular harm; missing "
                "episodes or self-harm after an argument or an exclusion?"
            ),
            _l("Is this linked to, or a cause of, safety or harm?"),
        ),
    ),
    AgendaItem(
        "network",
        5,
        _l("Network"),
        (
            _l(
                "Who is in the young person's and family's network, and what part do they play? Who is "
                "safe, not safe, or could be safe?"
            ),
            _l("Is there anyone or anything else that can support?"),
        ),
    ),
    AgendaItem(
        "travel_and_places",
        6,
        _l("Travel and places"),
        (
            _l(
                "Places the young person goes, hangs out or is likely to visit; addresses of friends and "
                "family. Say which are unsafe."
            ),
            _l("When travelling or missing: what transport, who paid for it, which routes?"),
            _l("Where is harm taking place: an address or place, a relationship, a group?"),
        ),
    ),
    AgendaItem(
        "views_and_needs",
        7,
        _l("Different views, needs, and what needs to change"),
        (
            _l("Are there different views so far? How can we work through them?"),
            _l(
                "Which needs are met, or unmet: belonging, care, acceptance, love, excitement, power, "
                "safety, achievement, capability, reward, connection, exchange?"
            ),
            _l("What has worked before? Can it be done again, and by whom and when?"),
            _l(
                "What can the young person, parents or carers and the professionals do to increase safety "
                "and disrupt harm?"
            ),
            _l("Does the young person's overall plan need to be updated?"),
        ),
    ),
    AgendaItem(
        "safer_plan",
        8,
        _l("The Safer Plan"),
        (
            _l("What steps will increase safety and make going missing, or coming to or causing harm, less likely?"),
            _l(
                "Record expectations and agreements in order of priority: who will do what, to achieve "
                "what, shown by what."
            ),
        ),
        is_plan=True,
    ),
)

AGENDA_KEYS: tuple[str, ...] = tuple(item.key for item in AGENDA)
NOTE_KEYS: tuple[str, ...] = tuple(item.key for item in AGENDA if not item.is_plan)
BY_KEY: dict[str, AgendaItem] = {item.key: item for item in AGENDA}


def item(key: str) -> AgendaItem | None:
    return BY_KEY.get(key)


def next_item(key: str) -> AgendaItem | None:
    index = AGENDA_KEYS.index(key) if key in BY_KEY else -1
    return AGENDA[index + 1] if 0 <= index < len(AGENDA) - 1 else None


def previous_item(key: str) -> AgendaItem | None:
    index = AGENDA_KEYS.index(key) if key in BY_KEY else 0
    return AGENDA[index - 1] if index > 0 else None
