"""Small, explicit test data per domain, written through the service layer so it is valid the way
real data is. Each factory creates what it is asked for and returns the objects it created.

    people.py       children, family members, practitioners, case assignments; `case()` is the
                    smallest whole case (Jordan, Lisa, Dee and Sam), `other_case()` Kay's
    plans.py        started plans, items, draft fields, agreed versions (`agreed_plan()`)
    cowriting.py    ideas, safe places and people to call written by the family
    commitments.py  carers' commitments and their progress
    meetings.py     scheduled meetings
    access.py       sharing choices, locks, passkeys, break glass
    audit.py        audit rows (a long log without as many page loads)
    fixtures.py     pytest fixtures on top (registered in tests/conftest.py): `case`, `sign_in`,
                    `as_young_person`, `as_parent`, `as_trusted_adult`, `as_worker`

A test module builds its world in a fixture of its own (often `jordans_plan`) from these. The
names echo the demo (Jordan, Lisa, Sam) so a reader recognises the people, but nothing here reads
the demo, and a test must not mix the two: the factory people would collide with the demo's
(the same email addresses), which fails loudly rather than quietly.
"""
