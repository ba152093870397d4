"""Person and place names: the wrong forms machine translation gives them (forms),
Russian forms of address (address), the context checks that decide how a form is fixed
(context), and the one index of every known name that the matchers read (index).
"""

from cleanup.names.address import address_forms
from cleanup.names.context import given_names, in_running_text
from cleanup.names.forms import (
    TRANSLITERATION_NOTE,
    Form,
    Generated,
    adds_ending,
    generate_forms,
    person_forms,
    place_forms,
    transliterations,
)
from cleanup.names.index import (
    DroppedForm,
    NameIndex,
    build_index,
    dropped_forms,
    find_entries,
)

__all__ = [
    "TRANSLITERATION_NOTE",
    "DroppedForm",
    "Form",
    "Generated",
    "NameIndex",
    "address_forms",
    "adds_ending",
    "build_index",
    "dropped_forms",
    "find_entries",
    "generate_forms",
    "given_names",
    "in_running_text",
    "person_forms",
    "place_forms",
    "transliterations",
]
