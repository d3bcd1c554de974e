"""Role, technical areas and relevance: does a posting lead a research computing team?

Rules, not a trained model: every decision is explained by the short strings in `reasons`.
Relevant means a leadership role (executive, director, manager, program or product manager,
or technical lead) in a research computing, data, software, AI, quantum or research-core area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from board.vocabulary import LEADERSHIP_ROLES, ROLES, TECHNICAL  # noqa: F401 - ROLES re-exported

DESCRIPTION_SCAN_CHARS = 20_000
# Distinct terms of an area a description must use before the area is listed from it alone:
# one passing mention ("our cloud-based HR system") is not what the job is about.
_DESCRIPTION_AREA_TERMS = 2
RELEVANT_THRESHOLD = 0.6

_ABBREVIATIONS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bsnr\.?(?=\W|$)|\bsr\.?(?=\W|$)", "senior"),
        (r"\bmgr\b", "manager"),
        (r"\bdir\.(?=\W|$)", "director"),
        (r"\bassoc\.?(?=\W|$)", "associate"),
        (r"\basst\.?(?=\W|$)", "assistant"),
        (r"\b(?:s|e|a)?vp\b", "vice president"),
        (r"\btpm\b", "technical program manager"),
        (r"\bc(?:t|i|d|o|f|s|io|is)o\b", "chief officer"),
        (r"\btechncial\b", "technical"),
        (r"&", " and "),
    )
)

# Title role patterns, most senior first; the first that matches names the role.
_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        (
            "executive",
            r"\bchief\b(?! of staff)[\w\s,]*\bofficer\b|\bvice president\b|"
            r"\bvice[- ](?:provost|chancellor|rector|dean)\b|\bexecutive director\b|"
            r"\bexecutive\b(?=.*\bdirector\b)|^(?:president|dean|provost)\b|"
            r"\b(?:associate|assistant) vice\b",
        ),
        ("director", r"\bdirector\b|\bhead\b"),
        ("product_manager", r"\bproduct (?:manager|management|owner|lead)\b|\bservice owner\b"),
        (
            "program_manager",
            r"\b(?:program|programme|project|portfolio|delivery|programs)\s+"
            r"(?:manager|management|lead|leader)\b|\btechnical program\b|\bscrum master\b",
        ),
        (
            "manager",
            r"\bmanag(?:er|ers|ing)\b|\bsupervis(?:or|ory|ing)\b|\bgroup leader\b|"
            r"^chief\b,|\bbranch chief\b|\bforeman\b",
        ),
        (
            "lead",
            r"\blead\b|\bleader\b|\bleadership\b|\bprincipal\b|\bstaff (?:\w+ )?(?:engineer|"
            r"scientist|architect|developer|statistician|researcher)\b|\barchitect\b|"
            r"\bdistinguished\b|\bpartner (?:research|applied|software|data|engineer|scientist|"
            r"architect)",
        ),
        ("consulting", r"\bconsult(?:ant|ing|ation)\b|\badvis(?:or|er|ory)\b"),
        ("senior", r"\bsenior\b|\b(?:iii|iv|v)\b|\blevel (?:3|4|iii|iv)\b|\bexpert\b"),
    )
)
_NOT_LEADERSHIP = re.compile(
    r"\b(?:executive assistant|administrative assistant|assistant to|intern|internship|"
    r"postdoc\w*|post-doc\w*|graduate (?:student|assistant)|student|trainee|apprentice)\b"
)

# Technical areas: (area, pattern). Every alternative starts at a word start, which lets the
# combined scanner below reject most positions with one \b test (a 5x speed-up).
_AREA_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "hpc",
        r"\bhpc\b|high[- ]performance comput|\bsupercomput|research computing|"
        r"advanced (?:research )?computing|scientific computing|\bcuda\b|\bgpus?\b|\bslurm\b|"
        r"\bexascale\b|accelerated computing|cyberinfrastructure|\bcompute clusters?\b|"
        r"\bhpc clusters?\b|computing clusters?|parallel computing|computational science",
    ),
    ("cloud", r"\bcloud\b|\baws\b|\bazure\b|\bgcp\b|\bkubernetes\b"),
    (
        "data_science_ml_ai",
        r"machine learning|\bml\b|\bai\b|artificial intelligence|"
        r"deep learning|data scien|\bstatistic|biostatistic|bioinformatic|computational biolog|"
        r"\banalytics\b|\bllms?\b|foundation models?|computer vision|\bnlp\b|informatics|"
        r"applied scien|genomic data|neural net",
    ),
    (
        "software_development",
        r"\bsoftware\b|\bdevelopers?\b|\bprogramm(?:er|ers|ing)\b|"
        r"research software|\brse\b|full[- ]stack|web develop|application develop|"
        r"\blibrar(?:y|ies) (?:engineer|develop)|engineering manager",
    ),
    (
        "data_management",
        r"data (?:management|governance|curation|stewardship|quality|strategy|"
        r"services?|manager|lead|exploration|sharing)|research data|"
        r"\bmetadata\b|data policy|data standards",
    ),
    (
        "data_systems",
        r"data (?:engineering|engineer|platforms?|infrastructure|systems|"
        r"pipelines?|warehous\w*|lakes?|architect\w*|solutions)|\bdatabases?\b|\betl\b|"
        r"big data",
    ),
    ("quantum_computing", r"\bquantum\b"),
    (
        "ops_automation",
        r"\bdevops\b|\bsre\b|site reliability|\bautomation\b|\blinux\b|"
        r"\bsys ?admin|system administrat|(?:computing|compute|research|cloud|it|data|hpc|ai|"
        r"digital|cyber|software|technical|gpu) infrastructure|platform engineering|"
        r"cloud operations|\bmlops\b|systems operations",
    ),
    ("storage", r"\bstorage\b|\blustre\b|\bfile ?systems?\b|\bgpfs\b|object stor"),
    (
        "networking",
        r"\bnetworking\b|\binfiniband\b|\binterconnects?\b|\besnet\b|"
        r"host network|network engineer",
    ),
    (
        "support",
        r"(?:user|research|technical|hpc|it|customer) support|support engineer|"
        r"\bfacilitat(?:or|ion)\b|help ?desk|service desk|\bconsultation\b",
    ),
    (
        "training",
        r"\btraining\b|\beducation\b|\binstructor\b|\bteaching\b|\blecturer\b|"
        r"\bworkshops?\b|\bcarpentries\b",
    ),
)
_TECHNICAL_PATTERNS = tuple((area, re.compile(source)) for area, source in _AREA_SOURCES)
# Areas that alone do not make a posting research computing (a "Training Specialist").
_WEAK_AREAS = frozenset({"support", "training"})

# Research-computing terms beyond the technical areas: research cores, informatics, research IT.
_RC_SOURCE = (
    r"research computing|research software|research technolog|research infrastructure|"
    r"digital research|research it\b|research data|cyberinfrastructure|computational|"
    r"bioinformatic|informatics|genomic|sequencing|proteomic|cryo-?em|cryo-?electron|"
    r"microscopy|imaging (?:core|facility)|(?:core|research|user) facilit|facility manager|"
    r"\bcore (?:facilit|services|manager|lab)|research core|shared resource|biorepository|"
    r"biodevice|foundry|\bdata\b|computing|\bcompute\b|\bdigital\b"
)
_RC_TERMS = re.compile(_RC_SOURCE)


def _alternatives(source: str) -> list[str]:
    """Top-level alternatives of a regex source ("a|(?:b|c)d" -> ["a", "(?:b|c)d"])."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts


class _Scanner:
    """Finds keyword patterns in long text fast.

    Alternatives are grouped by their first letter into one regex per letter that starts with
    that literal letter ("d(?<=\\bd)(?:ata scien|...)"), so the regex engine skips to candidate
    positions at C speed instead of trying every alternative at every word.
    """

    _LITERAL = re.compile(r"^(?:\\b)?([a-z0-9])")

    def __init__(self, sources: tuple[tuple[str, str], ...]) -> None:
        by_letter: dict[str, list[str]] = {}
        anywhere: list[str] = []
        for name, source in sources:
            for alternative in _alternatives(source):
                literal = self._LITERAL.match(alternative)
                if literal:
                    rest = alternative[literal.end() :]
                    letter = literal.group(1)
                    by_letter.setdefault(letter, []).append(
                        f"(?P<{name}__{len(by_letter[letter])}>{rest})"
                    )
                else:
                    anywhere.append(f"(?P<{name}__x{len(anywhere)}>{alternative})")
        self.patterns = [
            re.compile(f"{letter}(?<=\\b{letter})(?:{'|'.join(alts)})")
            for letter, alts in by_letter.items()
        ]
        if anywhere:
            self.patterns.append(re.compile(r"\b(?:" + "|".join(anywhere) + ")"))

    def scan(self, text: str) -> dict[str, set[str]]:
        """Matched strings by pattern name."""
        found: dict[str, set[str]] = {}
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                name = (match.lastgroup or "").split("__", 1)[0]
                found.setdefault(name, set()).add(match.group(0))
        return found


# One pass over a description finds every area and research-computing term.
_SCANNER = _Scanner((*_AREA_SOURCES, ("rc", _RC_SOURCE)))
_STRONG_TITLE = re.compile(
    r"research computing|research software|hpc|high[- ]performance|supercomput|"
    r"cyberinfrastructure|scientific computing|bioinformatic|computational|machine learning|"
    r"\bai\b|artificial intelligence|data scien|quantum|\bml\b|research data|cloud|"
    r"informatics|genomic|research technolog|research infrastructure|digital research"
)
# Titles in these areas are not research computing unless a strong term says otherwise.
_OUTSIDE_RC = re.compile(
    r"athletic|coach|human resources|\bhr\b|payroll|accountant|accounting|budget|financ|"
    r"procurement|contract specialist|attorney|legal|counsel|communications|public affairs|"
    r"marketing|sales|fundrais|advancement|donor|alumni|nurs|physician|surgeon|clinical care|"
    r"pharmacist|equal employment|eeo\b|safety|security specialist|construction|maintenance|"
    r"custodial|facilities management|dining|housing|admissions|registrar|recruit|"
    r"customer account|real property|wildlife|courier|electrician|lineman|power (?:marketing|"
    r"operations|systems)|transmission|realty|loan|audit|investigat|intelligence (?:research|"
    r"operations)|emergency management|foreign affairs|policy|congressional|tribal"
)
_LEAD_EVIDENCE = re.compile(
    r"\b(?:supervis(?:e|es|ing)|manag(?:e|es|ing)|lead(?:s|ing)?|direct(?:s|ing)?|"
    r"oversee(?:s|ing)?|build(?:s|ing)? and lead(?:s|ing)?)\s+(?:a|an|the|our|their|its)?\s*"
    r"(?:[\w-]+\s+){0,3}(?:team|teams|group|staff|unit|department|engineers|developers|"
    r"scientists|analysts|employees)\b|\bdirect reports?\b|\bpeople manag\w*|\bline manag\w*|"
    r"\bteam of (?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|\w+ (?:engineers|"
    r"developers|scientists|staff))\b"
)
_SPACE = re.compile(r"\s+")
_NON_TITLE = re.compile(r"[^\w\s&/+-]")


@dataclass
class RoleResult:
    """Role, technical areas, relevance, score and the reasons for them."""

    role: str = "other"
    technical: list[str] = field(default_factory=list)
    relevant: bool = False
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def normalize_title(title: str) -> str:
    """Lower-case title with abbreviations spelled out (Sr. -> senior, VP -> vice president)."""
    text = title.casefold()
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return _SPACE.sub(" ", _NON_TITLE.sub(" ", text)).strip()


def title_role(title: str | None) -> tuple[str, str | None]:
    """Role from a title alone, and the words that decided it."""
    if not title:
        return "other", None
    text = normalize_title(title)
    if _NOT_LEADERSHIP.search(text) and not re.search(r"\b(?:director|manager|head)\b", text):
        return "other", _NOT_LEADERSHIP.search(text).group(0)  # type: ignore[union-attr]
    for role, pattern in _ROLE_PATTERNS:
        match = pattern.search(text)
        if match:
            return role, match.group(0)
    return "other", None


def technical_areas(text: str) -> list[str]:
    """Technical areas a (normalized) text mentions, in the canonical order."""
    return [area for area, pattern in _TECHNICAL_PATTERNS if pattern.search(text)]


def scan_terms(text: str) -> dict[str, set[str]]:
    """Terms a long text mentions, by area ("rc" for general research-computing terms)."""
    return _SCANNER.scan(text)


def classify(
    title: str | None, description: str | None = None, institution: str | None = None
) -> RoleResult:
    """Role, technical areas, relevance, score and reasons for one posting."""
    result = RoleResult()
    norm_title = normalize_title(title or "")
    desc = (description or "")[:DESCRIPTION_SCAN_CHARS].casefold()
    context = f"{institution or ''}\n{desc}".casefold().strip()

    role, because = title_role(title)
    leadership = _LEADERSHIP_WEIGHT[role]
    if role != "other":
        result.reasons.append(f"role {role}: title says {because!r}")
    evidence = _LEAD_EVIDENCE.search(desc) if desc else None
    if role not in LEADERSHIP_ROLES and evidence:
        role, leadership = "manager", 0.85
        result.reasons.append(f"role manager: description says {evidence.group(0)!r}")
    elif role in LEADERSHIP_ROLES and evidence:
        leadership = min(1.0, leadership + 0.05)
    result.role = role

    title_areas = technical_areas(norm_title)
    found = scan_terms(context) if context else {}
    result.technical = [
        a for a in TECHNICAL if a in title_areas or len(found.get(a, ())) >= _DESCRIPTION_AREA_TERMS
    ]

    domain, domain_reason = _domain(norm_title, title_areas, found, institution)
    result.reasons.append(domain_reason)
    if role not in LEADERSHIP_ROLES:
        result.reasons.append(
            "not a leadership role: no director, manager, head, lead, principal or architect "
            "in the title" + ("" if desc else " and no description")
        )
    raw_score = 0.5 * leadership + 0.5 * domain
    result.relevant = role in LEADERSHIP_ROLES and domain >= 0.5 and raw_score >= RELEVANT_THRESHOLD
    # Every relevant posting ranks above every other one: a senior research software engineer
    # (strong domain, no leadership) must not outrank a manager of research computing.
    if result.relevant:
        result.score = round(max(raw_score, RELEVANT_THRESHOLD), 3)
    else:
        result.score = round(min(raw_score, RELEVANT_THRESHOLD - 0.01), 3)
    result.reasons.insert(
        0, f"{'relevant' if result.relevant else 'not relevant'} (score {result.score:.2f})"
    )
    return result


_LEADERSHIP_WEIGHT = {
    "executive": 1.0, "director": 1.0, "manager": 0.95, "program_manager": 0.9,
    "product_manager": 0.9, "lead": 0.85, "consulting": 0.4, "senior": 0.35, "other": 0.1,
}  # fmt: skip


def _domain(
    title: str, title_areas: list[str], found: dict[str, set[str]], institution: str | None
) -> tuple[float, str]:
    """How research-computing the posting is (0..1), and why.

    The title decides when it can; otherwise the description and institution name count:
    each distinct technical term is one point, each generic one (data, computing) half.
    """
    strong = _STRONG_TITLE.search(title)
    outside = _OUTSIDE_RC.search(title)
    if outside and not strong:
        return 0.0, f"outside research computing: title says {outside.group(0)!r}"
    if strong:
        return 1.0, f"research computing: title says {strong.group(0)!r}"
    areas = [a for a in title_areas if a not in _WEAK_AREAS]
    if areas:
        return 0.9, f"research computing: title area {areas[0]}"
    named = _STRONG_TITLE.search(institution.casefold()) if institution else None
    if named:
        return 0.6, f"research computing: institution name says {named.group(0)!r}"
    rc_term = _RC_TERMS.search(title)
    title_score = 0.5 if rc_term else 0.0
    terms = {t for area, ts in found.items() if area not in _WEAK_AREAS | {"rc"} for t in ts}
    generic = found.get("rc", set()) - terms
    points = len(terms) + 0.5 * len(generic)
    desc_score = min(1.0, points / 2)
    score = round(max(title_score, 0.8 * desc_score + 0.2 * title_score), 3)
    if score >= 0.5 and desc_score > 0:
        shown = ", ".join(sorted(terms)[:4] or sorted(generic)[:4])
        return score, f"research computing: description mentions {shown}"
    if rc_term:
        return score, f"weak research computing evidence: title says {rc_term.group(0)!r}"
    return score, "outside research computing: no computing, data, software or research-core terms"
