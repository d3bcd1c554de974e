"""Role, technical areas and relevance: does a posting lead a research computing team?

Relevant means a leadership role (executive, director, manager, program or product manager,
or technical lead) in a research computing, data, software, AI, quantum or research-core area.
The title decides the kind of job: a trained model (board.normalize.relevance) turns the
title's words, role and area into log-odds; the job's own description (boilerplate removed)
and a computing centre's name can confirm or refute it; rules veto titles that say the job is
something else (a postdoc, accounts payable, marketing). `score` is the calibrated probability
of relevance; `reasons` says why in plain words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from board.normalize.boilerplate import job_content
from board.normalize.relevance import RelevanceModel, default_model, probability
from board.vocabulary import LEADERSHIP_ROLES, ROLES, TECHNICAL  # noqa: F401 - ROLES re-exported

DESCRIPTION_SCAN_CHARS = 20_000
# Distinct terms of an area a description must use before the area is listed from it alone:
# one passing mention ("our cloud-based HR system") is not what the job is about.
_DESCRIPTION_AREA_TERMS = 2
# A posting with a one-in-three chance is worth the editor's reading: the threshold that kept
# rejection >= 0.95 with the best recall in cross-validation on the dev split (never held-out).
RELEVANT_THRESHOLD = 0.35

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
        (
            "product_manager",
            r"\bproduct (?:manager|management|owner|lead)\b|\bservice owner\b|"
            r"\boffering (?:manager|management|lead)\b",
        ),
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
            r"\blead\b|\bleader\b|\bleadership\b|\bprincipal\b|\barchitect\b|"
            r"\bdistinguished\b|\bpartner (?:research|applied|software|data|engineer|scientist|"
            r"architect)",
        ),
        ("consulting", r"\bconsult(?:ant|ing|ation)\b|\badvis(?:or|er|ory)\b"),
        (
            "senior",
            r"\bsenior\b|\b(?:iii|iv|v)\b|\blevel (?:3|4|iii|iv)\b|\bexpert\b|"
            r"\bstaff (?:[\w-]+ ){0,2}(?:engineer|scientist|developer|statistician|researcher)\b",
        ),
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

    An alternative that starts with a group of plain words ("(?:user|research) support") is
    spelled out word by word ("user support", "research support") and grouped by letter the
    same way, in patterns of their own: they are scanned apart from the others, as they were
    when they made one `\\b(?:...)` pattern tried at every word (a third of the scan's time).
    """

    _LITERAL = re.compile(r"^(?:\\b)?([a-z0-9])")
    _WORDS_FIRST = re.compile(r"^(?:\\b)?\(\?:([a-z0-9 |]+)\)(.*)$")

    def __init__(self, sources: tuple[tuple[str, str], ...]) -> None:
        by_letter: dict[str, list[str]] = {}
        spelled: dict[str, list[str]] = {}
        anywhere: list[str] = []
        for name, source in sources:
            for alternative in _alternatives(source):
                words = self._WORDS_FIRST.match(alternative)
                if words:
                    for word in words.group(1).split("|"):
                        self._add(spelled, name, word + words.group(2))
                elif self._LITERAL.match(alternative):
                    self._add(by_letter, name, alternative)
                else:
                    anywhere.append(f"(?P<{name}__x{len(anywhere)}>{alternative})")
        self.patterns = [
            re.compile(f"{letter}(?<=\\b{letter})(?:{'|'.join(alts)})")
            for group in (by_letter, spelled)
            for letter, alts in group.items()
        ]
        if anywhere:
            self.patterns.append(re.compile(r"\b(?:" + "|".join(anywhere) + ")"))

    @classmethod
    def _add(cls, by_letter: dict[str, list[str]], name: str, alternative: str) -> None:
        """File an alternative that starts with a literal letter under that letter."""
        literal = cls._LITERAL.match(alternative)
        assert literal is not None  # noqa: S101 - the callers checked
        letter, rest = literal.group(1), alternative[literal.end() :]
        alts = by_letter.setdefault(letter, [])
        alts.append(f"(?P<{name}__{len(alts)}>{rest})")

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
    r"research computing|research software|\bhpc\b|high[- ]performance|supercomput|"
    r"cyberinfrastructure|scientific computing|bioinformatic|computational|machine learning|"
    r"\bai\b|artificial intelligence|data scien|quantum|\bml\b|research data|cloud|"
    r"informatics|genomic|research (?:information )?technolog|research infrastructure|"
    r"digital research|research platforms?|research it\b|research cyber|e-?research|"
    r"scientific software|research engineering|advanced computing|data engineering"
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
    r"operations)|emergency management|foreign affairs|policy|congressional|tribal|"
    # The research office, not research computing: grants, impact, governance, trials.
    r"research (?:development|impact|governance|integrity|partnerships?|funding|finance|"
    r"contracts?|ethics|office|administration|services|support office|strategy)\b|"
    r"clinical trials?|clinical research (?:manager|coordinator|operations|nurse|associate|"
    r"director|administrator)|knowledge exchange|pre-?award|post-?award|"
    # Corporate IT and digital services, not research computing.
    r"data protection|information governance|records management|digital learning|"
    r"learning technolog|e-?learning|educational technolog|instructional|digital marketing|"
    r"digital transformation|web (?:team|services|content|editor|manager)|service desk|"
    r"help ?desk|desktop support|end user|information security|cyber ?security|infosec|"
    r"innovation services"
)
# Computing words that keep a science title ("Director of Computational Microbiology") in.
_COMPUTING_TITLE = re.compile(
    r"comput|software|\bdata\b|informatic|\bai\b|machine learning|\bml\b|digital|cyber|"
    r"\bhpc\b|cloud|\bit\b|information technology|systems|platform|engineering|quantum|"
    r"statistic|analytics|model(?:l)?ing|simulation"
)
# Title words that say what the job is, whatever else the posting mentions: (why, pattern,
# words that lift the veto). Each is a reason shown to the editor.
_VETOES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (why, re.compile(pattern), re.compile(unless) if unless else None)
    for why, pattern, unless in (
        (
            "a trainee or student position",
            r"\b(?:postdoc\w*|post-doc\w*|post doctoral|postdoctoral|graduate (?:student|"
            r"assistant|research assistant)|phd (?:student|studentship|candidate|position)|"
            r"studentship|intern|internship|trainee|apprentice(?:ship)?|fellowship)\b",
            None,
        ),
        (
            "finance or administration",
            r"\b(?:accounts? (?:payable|receivable)|payroll|accountant|accounting|bookkeep\w*|"
            r"procurement|purchasing|treasury|tax|budget|grants? (?:management|administration|"
            r"accounting)|contracts? (?:specialist|officer|administrat\w*)|billing|"
            r"research administration|pre-award|post-award|sponsored (?:programs|research))\b",
            None,
        ),
        (
            "marketing, sales or business development",
            r"\b(?:marketing|sales|business development|go[- ]to[- ]market|account "
            r"(?:executive|manager|director)|customer success|partner(?:ship)? manager|"
            r"commercial|pre-?sales|offering (?:manager|management|lead)|evangelist)\b",
            None,
        ),
        (
            "student services",
            r"\b(?:student (?:services|affairs|success|life|support|experience|engagement)|"
            r"admissions|financial aid|residence life|registrar|enrol?lment management|"
            r"career services|academic advising)\b",
            None,
        ),
        (
            "events or arts programming",
            r"\b(?:(?:head|director|manager) of programm(?:ing|e)s?|programming (?:director|"
            r"manager|coordinator|lead)|events?|festival|exhibitions?|curat(?:or|orial))\b",
            re.compile(r"software|comput|developer|engineer|data|\bai\b|\bhpc\b"),
        ),
        (
            "a laboratory science, not computing",
            r"\b(?:microbiology|chemistry|materials science|biology|physics|pathology|"
            r"immunology|virology|neuroscience|clinical laborator\w*|histology|ecology|"
            r"geology|pharmacology|toxicology|biochemistry|animal (?:care|resources)|vivarium)\b",
            re.compile(_COMPUTING_TITLE.pattern + r"|genom|sequencing|bioinformatic"),
        ),
        (
            "human resources, legal, facilities or clinical care",
            r"\b(?:human resources|\bhr\b|talent acquisition|recruit\w*|attorney|counsel|"
            r"paralegal|custodial|facilities|maintenance|construction|nurs\w*|physician|"
            r"surgeon|pharmacist|dining|athletic\w*|coach|fundrais\w*|advancement|alumni)\b",
            re.compile(r"research computing|\bhpc\b|informatics|data scien|software|core facilit"),
        ),
    )
)
_LEAD_EVIDENCE = re.compile(
    r"\b(?:supervis(?:e|es|ing)|manag(?:e|es|ing)|lead(?:s|ing)?|direct(?:s|ing)?|"
    r"oversee(?:s|ing)?|build(?:s|ing)? and lead(?:s|ing)?)\s+(?:a|an|the|our|their|its)?\s*"
    r"(?:[\w-]+\s+){0,3}(?:team|teams|group|staff|unit|department|engineers|developers|"
    r"scientists|analysts|employees)\b|\bdirect reports?\b|\bpeople manag\w*|\bline manag\w*|"
    r"\bteam of (?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|\w+ (?:engineers|"
    r"developers|scientists|staff))\b"
)
_PRODUCT_ROLE = re.compile(r"\bproduct (?:manager|management|owner|lead|director|strategy)\b")
# Entry-level titles: a description that mentions a team does not make them a lead.
_JUNIOR = re.compile(r"\b(?:i|ii|1|2|junior|jr|entry|associate|assistant)\b(?!.*\bdirector\b)")
_SPACE = re.compile(r"\s+")
_NON_TITLE = re.compile(r"[^\w\s&/+-]")
_TOKEN = re.compile(r"[a-z0-9]+(?:[+#][a-z0-9+#]*)?")
_STOP = frozenset({"of", "and", "the", "for", "in", "at", "to", "a", "an", "with", "on"})

# Description and institution evidence, added to the title model's log-odds (hand-set: the
# labelled sources carry descriptions for relevant postings only, so these cannot be learned).
DESCRIPTION_CONFIRM_MAX = 2.0
DESCRIPTION_REFUTE = -1.5
DESCRIPTION_LEAD = 3.0
INSTITUTION_RC = 1.0
_SUBSTANTIVE_CHARS = 200
_VETO_FACTOR = 0.1
SCORE_DIGITS = 6


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
    return _role_of(normalize_title(title))


def _role_of(text: str) -> tuple[str, str | None]:
    """title_role of a title already through normalize_title."""
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


def title_veto(norm_title: str) -> str | None:
    """Why the title alone says the job is not research-computing leadership, or None."""
    for why, pattern, unless in _VETOES:
        match = pattern.search(norm_title)
        if match and not (unless and unless.search(norm_title)):
            return f"{why}: title says {match.group(0)!r}"
    return None


def title_domain(norm_title: str) -> tuple[str, str | None]:
    """How the title places the job: strong, area, weak, outside or none, and the words."""
    strong = _STRONG_TITLE.search(norm_title)
    if strong:
        return "strong", strong.group(0)
    outside = _OUTSIDE_RC.search(norm_title)
    if outside:
        return "outside", outside.group(0)
    areas = [a for a in technical_areas(norm_title) if a not in _WEAK_AREAS]
    if areas:
        return "area", areas[0]
    weak = _RC_TERMS.search(norm_title)
    if weak:
        return "weak", weak.group(0)
    return "none", None


def _role_group(role: str) -> str:
    if role in LEADERSHIP_ROLES:
        return "lead"
    return "senior" if role in ("senior", "consulting") else "ic"


def _singular(word: str) -> str:
    """ "engineers" -> "engineer", leaving "systems"-like short words and "-ss" alone."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def title_features(title: str | None) -> list[str]:
    """The relevance model's features of a title: words, word pairs, role, domain, both."""
    norm = normalize_title(title or "")
    role, _ = title_role(title)
    domain, _ = title_domain(norm)
    return _features(norm, role, domain, technical_areas(norm), title_veto(norm) is not None)


def _features(norm: str, role: str, domain: str, areas: list[str], vetoed: bool) -> list[str]:
    """title_features of a normalized title whose role, domain, areas and veto are known."""
    words = [w for w in _TOKEN.findall(norm) if w not in _STOP]
    words = [_singular(w) for w in words]
    features = [f"w:{w}" for w in words]
    features += [f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    group = _role_group(role)
    features += [f"role:{role}", f"dom:{domain}", f"rd:{group}:{domain}"]
    features += [f"area:{a}" for a in areas]
    if vetoed:
        features.append("veto")
    if not words:
        features.append("empty")
    return features


def classify(
    title: str | None,
    description: str | None = None,
    institution: str | None = None,
    *,
    institution_type: str | None = None,
    model: RelevanceModel | None = None,
) -> RoleResult:
    """Role, technical areas, relevance, a calibrated score and reasons for one posting."""
    result = RoleResult()
    norm_title = normalize_title(title or "")
    content = job_content((description or "")[:DESCRIPTION_SCAN_CHARS]).casefold()

    role, because = _role_of(norm_title) if title else ("other", None)  # title_role(title)
    if role != "other":
        result.reasons.append(f"role {role}: title says {because!r}")
    domain, domain_words = title_domain(norm_title)
    veto = title_veto(norm_title)
    title_areas = technical_areas(norm_title)
    # title_features(title), from what was just worked out (the same calls, made once)
    features = _features(norm_title, role, domain, title_areas, veto is not None)
    product = _PRODUCT_ROLE.search(norm_title)
    if veto is None and institution_type == "company" and product:
        veto = f"a vendor's product role: title says {product.group(0)!r} at a company"

    model = model or default_model()
    logit = model.logit(features)
    result.reasons.append(_domain_reason(domain, domain_words, norm_title))

    found = scan_terms(f"{institution or ''}\n{content}".casefold()) if content else {}
    result.technical = [
        a for a in TECHNICAL if a in title_areas or len(found.get(a, ())) >= _DESCRIPTION_AREA_TERMS
    ]

    evidence = _LEAD_EVIDENCE.search(content) if content else None
    if role not in LEADERSHIP_ROLES and evidence and not veto and not _JUNIOR.search(norm_title):
        role = "manager"
        logit += DESCRIPTION_LEAD
        result.reasons.append(f"role manager: description says {evidence.group(0)!r}")
    result.role = role

    if role in LEADERSHIP_ROLES and domain != "outside":
        vouched = _institution_evidence(domain, institution, result.reasons)
        logit += vouched + _description_evidence(content, found, result.reasons, refute=not vouched)
    if role not in LEADERSHIP_ROLES:
        result.reasons.append(
            "not a leadership role: no director, manager, head, lead, principal or architect "
            "in the title" + ("" if content else " and no description")
        )
    score = probability(logit)
    if veto:
        score *= _VETO_FACTOR
        result.reasons.append(f"not research-computing leadership: {veto}")
    result.score = round(score, SCORE_DIGITS)
    result.relevant = not veto and result.score >= RELEVANT_THRESHOLD
    result.reasons.insert(
        0, f"{'relevant' if result.relevant else 'not relevant'} (score {result.score:.2f})"
    )
    return result


def _domain_reason(domain: str, words: str | None, norm_title: str) -> str:
    if domain == "strong":
        return f"research computing: title says {words!r}"
    if domain == "area":
        return f"research computing: title area {words}"
    if domain == "outside":
        return f"outside research computing: title says {words!r}"
    if domain == "weak":
        return f"weak research computing evidence: title says {words!r}"
    return "title names no computing, data, software or research-core area"


def _description_evidence(
    content: str, found: dict[str, set[str]], reasons: list[str], *, refute: bool = True
) -> float:
    """Log-odds the job's own description adds (confirms) or takes away (refutes)."""
    if not content:
        return 0.0
    terms = {t for area, ts in found.items() if area not in _WEAK_AREAS | {"rc"} for t in ts}
    generic = found.get("rc", set()) - terms
    points = len(terms) + 0.5 * len(generic)
    if points >= 2:
        shown = ", ".join(sorted(terms)[:4] or sorted(generic)[:4])
        reasons.append(f"the description confirms: it mentions {shown}")
        # Saturating, never capped: more distinct terms always count a little more.
        return DESCRIPTION_CONFIRM_MAX * (1.0 - math.exp(-points / 4.0))
    if refute and len(content) >= _SUBSTANTIVE_CHARS and points < 1:
        reasons.append(
            "the description refutes: apart from boilerplate it names no computing, data or "
            "software work"
        )
        return DESCRIPTION_REFUTE
    return 0.0


def _institution_evidence(domain: str, institution: str | None, reasons: list[str]) -> float:
    """A computing centre's name vouches for a title that names no area ("Director")."""
    if domain in ("strong", "area") or not institution:
        return 0.0
    named = _STRONG_TITLE.search(normalize_title(institution))
    if not named:
        return 0.0
    reasons.append(f"research computing: institution name says {named.group(0)!r}")
    return INSTITUTION_RC
