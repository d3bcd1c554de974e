"""The board's controlled vocabulary: roles, technical areas, work arrangements, institution kinds.

One place for the values the normalizer assigns, the editor may choose, the listing labels and
the API documents. Plain constants only, so every layer can import it without pulling in the
normalizer.
"""

from __future__ import annotations

#: Roles, most senior first; "other" when the title names none.
ROLES: tuple[str, ...] = (
    "executive",
    "director",
    "manager",
    "program_manager",
    "product_manager",
    "lead",
    "senior",
    "consulting",
    "other",
)
#: Roles that lead a team or a programme (what "relevant" asks for, with a research area).
LEADERSHIP_ROLES: frozenset[str] = frozenset(
    {"executive", "director", "manager", "program_manager", "product_manager", "lead"}
)
ROLE_LABELS: dict[str, str] = {
    "executive": "Executive",
    "director": "Director",
    "manager": "Manager",
    "program_manager": "Program manager",
    "product_manager": "Product manager",
    "lead": "Team lead",
    "senior": "Senior / principal",
    "consulting": "Consulting",
    "other": "Other",
}

#: Technical areas a posting may name (several at once).
TECHNICAL: tuple[str, ...] = (
    "hpc",
    "cloud",
    "data_science_ml_ai",
    "software_development",
    "data_management",
    "data_systems",
    "quantum_computing",
    "ops_automation",
    "storage",
    "networking",
    "support",
    "training",
)
TECHNICAL_LABELS: dict[str, str] = {
    "hpc": "HPC",
    "cloud": "Cloud",
    "data_science_ml_ai": "Data science, ML and AI",
    "software_development": "Research software",
    "data_management": "Data management",
    "data_systems": "Data systems",
    "quantum_computing": "Quantum computing",
    "ops_automation": "Operations and automation",
    "storage": "Storage",
    "networking": "Networking",
    "support": "User support",
    "training": "Training",
}

#: Work arrangements (a posting that says nothing has None).
REMOTE_VALUES: tuple[str, ...] = ("remote", "hybrid", "onsite")
REMOTE_LABELS: dict[str, str] = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On site"}

#: Kinds of employer and the sectors they belong to.
INSTITUTION_TYPES: tuple[str, ...] = (
    "university",
    "national_lab",
    "research_institute",
    "hospital",
    "government",
    "company",
    "nonprofit",
)
SECTORS: tuple[str, ...] = ("academia", "industry", "public_sector", "nonprofit")


def label(kind: str, value: str) -> str:
    """A value for people ("program_manager" -> "Program manager"), for role/technical/remote."""
    labels = {"role": ROLE_LABELS, "technical": TECHNICAL_LABELS, "remote": REMOTE_LABELS}.get(
        kind, {}
    )
    return labels.get(value) or value.replace("_", " ").capitalize()
