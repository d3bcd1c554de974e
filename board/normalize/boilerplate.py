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
# _BOILERPLATE_SENTENCE alternative by alternative, each with literals one of which every match
# of it contains: text holding none of an alternative's literals cannot match it, and `in` is
# many times faster than the search (tests/normalize/test_boilerplate.py checks the two agree).
_SENTENCE_PARTS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (words, re.compile(source))
    for words, source in (
        (("opportunity",), r"equal (?:employment )?opportunity"),
        (("affirmative action",), r"affirmative action"),
        (("without regard to",), r"without regard to"),
        (("protected veteran",), r"protected veteran"),
        (("reasonable accommodation",), r"reasonable accommodation"),
        (("e-verify",), r"e-verify"),
        (("drug",), r"drug[- ]free"),
        (("background check",), r"background check"),
        (("sexual orientation",), r"sexual orientation"),
        (("gender identity",), r"gender identity"),
        (("national origin",), r"national origin"),
        (("genetic information",), r"genetic information"),
        (("disability status",), r"disability status"),
        ((" insurance",), r"(?:health|dental|vision|life) insurance"),
        (("retirement ",), r"retirement (?:plan|savings)"),
        (("401",), r"401\(?k"),
        (("paid ",), r"paid (?:time off|leave|holidays)"),
        (("tuition ",), r"tuition (?:benefits|assistance|remission)"),
        (("pension",), r"pension"),
        (("annual leave",), r"annual leave"),
        (("visa sponsorship",), r"visa sponsorship"),
        (("proud to", "committed to"), r"is (?:proud|committed) to"),
        (("founded", "established"), r"we (?:are|were) (?:founded|established)"),
        (
            ("leading ", "top ", "premier ", "renowned ", "-driven "),
            r"(?:is|are) an? (?:world[- ]leading|leading|top|premier|renowned|[\w-]+-driven) ",
        ),
        (("our mission is",), r"our mission is"),
        (("-driven ", "-first ", "-powered "), r"we are an? [\w-]+-(?:driven|first|powered) "),
        (("ranked ",), r"ranked (?:among|in|as|#)"),
        (("one of the ",), r"one of the (?:world's|nation's|top|leading|largest)"),
        (("apply ",), r"apply (?:now|online|by|via)"),
        (("click ",), r"click (?:here|apply)"),
        (("cover letter",), r"cover letter"),
        (("curriculum vitae",), r"curriculum vitae"),
        (("cv",), r"\bcv\b"),
        (("reference",), r"references? (?:are|will)"),
    )
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=\s*[-•*] )")
_HEADING_MAX_WORDS = 7


def job_content(text: str | None) -> str:
    """Description text with boilerplate sections and sentences dropped."""
    if not text:
        return ""
    lowered = text.lower()  # a line's lower() is part of it: a literal absent here is in none
    parts = [part for part in _SENTENCE_PARTS if any(word in lowered for word in part[0])]
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
            if not _boilerplate(line.lower(), parts):  # one look for most lines
                kept.append(line)
                continue
            sentences = [s for s in _SENTENCE.split(line) if not _boilerplate(s.lower(), parts)]
            if sentences:
                kept.append(" ".join(sentences))
    return "\n".join(kept)


def _boilerplate(
    lowered: str, parts: list[tuple[tuple[str, ...], re.Pattern[str]]] | None = None
) -> bool:
    """Whether lower-cased text holds a boilerplate sentence: _BOILERPLATE_SENTENCE.search,
    trying only the alternatives (of `parts`, default all) whose literals the text holds."""
    for words, pattern in _SENTENCE_PARTS if parts is None else parts:
        for word in words:
            if word in lowered:
                if pattern.search(lowered):
                    return True
                break
    return False


def _is_heading(line: str) -> bool:
    """A short line without a sentence's end: a section heading."""
    return len(line.split()) <= _HEADING_MAX_WORDS and not line.endswith((".", ",", ";"))
