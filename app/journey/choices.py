"""Answer choices for the profile questions, from ``assessments.vocabulary``.

The values, their order and the words a participant reads are all declared there, once per
(question, value); this module only turns them into WTForms choices.
"""

from __future__ import annotations

# Not from app.forms_base, which would load Flask-WTF into the command line (``presenters`` use these
# labels there). WTForms 3.3 added SelectChoice; types-WTForms 3.2 predates it.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from assessments import vocabulary


def label(question: str, value: str) -> str:
    """What a participant reads for a stored answer (raises ``UnknownAnswer`` for an undeclared one)."""
    return vocabulary.label(question, value)


def choices_for(question: str) -> list[SelectChoice]:
    """The choices for a question, in the order the vocabulary declares them."""
    return [SelectChoice(choice.value, choice.label) for choice in vocabulary.answer(question).choices]
