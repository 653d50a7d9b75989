"""Who works the council's cases at scale: 500 practitioners and which children each one holds.

Practitioner 1 holds a tenth of the children (5,000 at full scale); practitioner 2 manages a team of
40 workers (3..42); practitioner 3 is the typical worker (20 cases) whose pages are measured; the
rest are chairs, agency partners, more managers and workers holding 10-30 cases each. Children
nobody holds now are closed cases (their assignments ended, their plans closed): a council keeps
those until the retention rule purges them, so they weigh on every table and index.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from app.people.models import Agency, CaseRole, PractitionerRole

PRACTITIONERS = 500
BIG_WORKER = 1
MANAGER = 2
TEAM_SIZE = 40
TYPICAL_WORKER = 3
TYPICAL_CASES = 20
CHAIRS = range(43, 63)
PARTNERS = range(63, 83)
MANAGER_TEAM = "Adolescent Safety Team (North 1)"
# At most this share of the children are open cases: the rest were closed over the years.
OPEN_SHARE = 0.3
PARTNER_AGENCIES = (Agency.POLICE, Agency.SCHOOL, Agency.HEALTH, Agency.YOUTH_JUSTICE)
FIRST_NAMES = ("Sam", "Priya", "Alex", "Rhys", "Morgan", "Jo", "Chris", "Nia", "Tom", "Aisha", "Ben", "Leah")
LAST_NAMES = ("Okafor", "Shah", "Morgan", "Hughes", "Lee", "Ellis", "Patel", "Nowak", "Reid", "Khan", "Price")


@dataclass(frozen=True)
class PractitionerRow:
    id: int
    email: str
    display_name: str
    role: str
    agency: str
    team: str


@dataclass
class Caseloads:
    """Who holds which open case: allocated worker per child, chairs of the Safer Me Plus cases."""

    practitioners: list[PractitionerRow]
    allocated: dict[int, int] = field(default_factory=dict)  # child id -> practitioner id
    chair: dict[int, int] = field(default_factory=dict)
    partner: dict[int, int] = field(default_factory=dict)
    # Closed cases: the worker who held them, their assignment ended.
    closed: dict[int, int] = field(default_factory=dict)

    def cases_of(self, practitioner_id: int) -> list[int]:
        return sorted(child for child, worker in self.allocated.items() if worker == practitioner_id)


def _practitioner(number: int) -> PractitionerRow:
    name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {LAST_NAMES[number % len(LAST_NAMES)]}"
    role, agency, team = PractitionerRole.SOCIAL_WORKER, Agency.CHILDRENS_SOCIAL_WORK, ""
    if number == MANAGER:
        role, team = PractitionerRole.MANAGER, MANAGER_TEAM
    elif number <= TEAM_SIZE + 2 and number != BIG_WORKER:
        team = MANAGER_TEAM
    elif number in CHAIRS:
        role, agency, team = PractitionerRole.INDEPENDENT_CHAIR, Agency.QAS, "Independent Reviewing"
    elif number in PARTNERS:
        role, team = PractitionerRole.AGENCY_PARTNER, "Partners"
        agency = PARTNER_AGENCIES[number % len(PARTNER_AGENCIES)]
    elif number > PARTNERS[-1]:
        # Teams of 40 with a manager each, as the manager's own team.
        team = f"Adolescent Safety Team ({number // TEAM_SIZE})"
        if number % TEAM_SIZE == 0:
            role = PractitionerRole.MANAGER
    else:
        team = "Adolescent Safety Team (Central)"
    return PractitionerRow(
        id=number,
        email=f"practitioner{number}@bench.example.org",
        display_name=f"{name} ({number})",
        role=role,
        agency=agency,
        team=team,
    )


def caseloads(children: int, seed: int = 13) -> Caseloads:
    """Share `children` children out among the practitioners, as the module docstring says."""
    rng = random.Random(seed)  # noqa: S311 - fictional caseloads, the same every build
    people = [_practitioner(number) for number in range(1, PRACTITIONERS + 1)]
    plan = Caseloads(practitioners=people)
    ids = iter(range(1, children + 1))
    for _ in range(children // 10):
        plan.allocated[next(ids)] = BIG_WORKER
    open_cap = max(int(children * OPEN_SHARE), children // 10 + TYPICAL_CASES)
    workers = [
        person.id for person in people if person.role == PractitionerRole.SOCIAL_WORKER and person.id != BIG_WORKER
    ]
    for worker in workers:
        count = TYPICAL_CASES if worker == TYPICAL_WORKER else rng.randint(10, 30)
        for _ in range(count):
            if len(plan.allocated) >= open_cap:
                break
            child = next(ids, None)
            if child is None:
                break
            plan.allocated[child] = worker
    chairs = [person.id for person in people if person.role == PractitionerRole.INDEPENDENT_CHAIR]
    partners = [person.id for person in people if person.role == PractitionerRole.AGENCY_PARTNER]
    for child in plan.allocated:
        if child % 4 == 0:  # the Safer Me Plus cases (app.plans.MeetingType) have a chair
            plan.chair[child] = chairs[child % len(chairs)]
        if child % 5 == 0:
            plan.partner[child] = partners[child % len(partners)]
    for child in ids:
        plan.closed[child] = rng.choice(workers)
    return plan


def case_role_rows(plan: Caseloads) -> list[tuple[int, int, str, bool]]:
    """(child, practitioner, case role, ended) for every assignment."""
    rows = [(child, worker, CaseRole.ALLOCATED_WORKER.value, False) for child, worker in plan.allocated.items()]
    rows += [(child, chair, CaseRole.CHAIR.value, False) for child, chair in plan.chair.items()]
    rows += [(child, partner, CaseRole.AGENCY_PARTNER.value, False) for child, partner in plan.partner.items()]
    rows += [(child, worker, CaseRole.ALLOCATED_WORKER.value, True) for child, worker in plan.closed.items()]
    return rows
