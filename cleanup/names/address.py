"""Russian forms of address of a known person: given name + patronymic ("Jeyhun
Azizovich"), which English writes as a title and the surname ("Mr. Bayramov").
"""

from __future__ import annotations

from collections.abc import Iterator


def address_forms(
    canonical: str, surname: str, patronymic: str, address: str
) -> Iterator[tuple[str, str]]:
    """A person's form of address, and the full name with the patronymic, each with
    what replaces it.

    >>> list(address_forms("Jeyhun Bayramov", "Bayramov", "Azizovich", "Mr. Bayramov"))
    [('Jeyhun Azizovich', 'Mr. Bayramov'), ('Jeyhun Azizovich Bayramov', 'Jeyhun Bayramov')]
    """
    given = canonical[: -len(surname)].strip() if surname else canonical.split()[0]
    yield f"{given} {patronymic}", address
    if surname:
        yield f"{given} {patronymic} {surname}", canonical
