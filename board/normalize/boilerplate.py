"""The part of a job description that describes the job: "About us", benefits, equal-opportunity
text and the employer's mission removed, so they can never make a posting relevant."""

from __future__ import annotations

import re

# Headings that open a section about the employer or the terms, not the job.
_BOILERPLATE_HEADING = re.compile(
    r"^(?:about (?:us|the (?:university|college|institute|laboratory|lab|company|organi[sz]ation|"
    r"employer|school|department|team|centre|center|faculty|division|trust|hospital)|[A-Z][\w&.'-]*"
    r"(?: [A-Z][\w&.'-]*){0,5})|who we are|our (?:mission|story|values|culture|commitment|benefits|"
    r"company)|benefits?(?: and perks| package| overview)?|perks|what we offer|we offer|"
    r"why (?:work|join)|working (?:at|for|here)|life at|(?:equal (?:employment )?opportunity|eeo|"
    r"diversity|inclusion|accessibility|accommodations?)(?: statement)?|compensation(?: and "
    r"benefits)?|pay transparency|salary(?: and benefits)?|how to apply|application (?:process|"
    r"instructions)|to apply|additional information|notes?|disclaimer|legal|privacy|"
    r"background (?:check|screening)|visa sponsorship|location|the (?:university|company|"
    r"organi[sz]ation|institute|laboratory))\b\W*$",
    re.I,
)
# Headings that open a section about the job itself.
_CONTENT_HEADING = re.compile(
    r"^(?:about the (?:role|position|job|opportunity)|the (?:role|position|job|opportunity)|"
    r"(?:key |main |essential |primary )?(?:responsibilities|duties|accountabilities)|"
    r"what you(?:'|’)?ll do|what you will do|your (?:role|responsibilities|impact)|"
    r"(?:job|position|role) (?:description|summary|purpose|overview)|summary|overview|"
    r"(?:minimum |required |preferred |desired )?(?:qualifications|requirements|skills|experience)|"
    r"what we(?:'|’)?re looking for|who you are|you have|the team|team overview)\b\W*$",
    re.I,
)
# Sentences that are boilerplate wherever they stand; matched on lower-cased text, which is
# four times faster than re.I on this many alternatives.
_BOILERPLATE_SENTENCE = re.compile(
    r"equal (?:employment )?opportunity|affirmative action|without regard to|protected veteran|"
    r"reasonable accommodation|e-verify|drug[- ]free|background check|sexual orientation|"
    r"gender identity|national origin|genetic information|disability status|"
    r"(?:health|dental|vision|life) insurance|retirement (?:plan|savings)|401\(?k|paid (?:time off|"
    r"leave|holidays)|tuition (?:benefits|assistance|remission)|pension|annual leave|"
    r"visa sponsorship|is (?:proud|committed) to|we (?:are|were) (?:founded|established)|"
    r"(?:is|are) an? (?:world[- ]leading|leading|top|premier|renowned|[\w-]+-driven) |"
    r"our mission is|we are an? [\w-]+-(?:driven|first|powered) |ranked (?:among|in|as|#)|"
    r"one of the (?:world's|nation's|top|leading|largest)|apply (?:now|online|by|via)|"
    r"click (?:here|apply)|cover letter|curriculum vitae|\bcv\b|references? (?:are|will)",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=\s*[-•*] )")
_HEADING_MAX_WORDS = 7


def job_content(text: str | None) -> str:
    """Description text with boilerplate sections and sentences dropped."""
    if not text:
        return ""
    kept: list[str] = []
    skipping = False
    for block in _PARAGRAPHS.split(text):
        for line in block.split("\n"):
            line = line.strip(" \t-•*:")
            if not line:
                continue
            if _is_heading(line):
                if _CONTENT_HEADING.match(line):
                    skipping = False
                    continue
                if _BOILERPLATE_HEADING.match(line):
                    skipping = True
                    continue
            if skipping:
                continue
            if not _BOILERPLATE_SENTENCE.search(line.lower()):  # one search for most lines
                kept.append(line)
                continue
            sentences = [
                s for s in _SENTENCE.split(line) if not _BOILERPLATE_SENTENCE.search(s.lower())
            ]
            if sentences:
                kept.append(" ".join(sentences))
    return "\n".join(kept)


def _is_heading(line: str) -> bool:
    """A short line without a sentence's end: a section heading."""
    return len(line.split()) <= _HEADING_MAX_WORDS and not line.endswith((".", ",", ";"))
