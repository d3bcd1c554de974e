"""Realistic synthetic postings for benchmarks: real institutions and places, ~500-word text."""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

TODAY = date(2026, 1, 15)

# (name, slug, type, sector, [(city, region, country)])
INSTITUTIONS: list[tuple[str, str, str, str, list[tuple[str, str, str]]]] = [
    ("McMaster University", "mcmaster", "university", "academic", [("Hamilton", "ON", "CA")]),
    ("University of Toronto", "utoronto", "university", "academic", [("Toronto", "ON", "CA")]),
    (
        "University of British Columbia",
        "ubc",
        "university",
        "academic",
        [("Vancouver", "BC", "CA")],
    ),
    ("McGill University", "mcgill", "university", "academic", [("Montréal", "QC", "CA")]),
    ("University of Waterloo", "uwaterloo", "university", "academic", [("Waterloo", "ON", "CA")]),
    ("University of Alberta", "ualberta", "university", "academic", [("Edmonton", "AB", "CA")]),
    ("Simon Fraser University", "sfu", "university", "academic", [("Burnaby", "BC", "CA")]),
    (
        "Digital Research Alliance of Canada",
        "alliancecan",
        "nonprofit",
        "government",
        [("Ottawa", "ON", "CA")],
    ),
    ("SickKids Research Institute", "sickkids", "hospital", "health", [("Toronto", "ON", "CA")]),
    ("Harvard University", "harvard", "university", "academic", [("Cambridge", "MA", "US")]),
    (
        "Massachusetts Institute of Technology",
        "mit",
        "university",
        "academic",
        [("Cambridge", "MA", "US")],
    ),
    ("Stanford University", "stanford", "university", "academic", [("Stanford", "CA", "US")]),
    ("Princeton University", "princeton", "university", "academic", [("Princeton", "NJ", "US")]),
    ("Columbia University", "columbia", "university", "academic", [("New York", "NY", "US")]),
    ("University of Michigan", "umich", "university", "academic", [("Ann Arbor", "MI", "US")]),
    ("University of Washington", "uw", "university", "academic", [("Seattle", "WA", "US")]),
    ("Purdue University", "purdue", "university", "academic", [("West Lafayette", "IN", "US")]),
    ("University of Texas at Austin", "utexas", "university", "academic", [("Austin", "TX", "US")]),
    (
        "Georgia Institute of Technology",
        "gatech",
        "university",
        "academic",
        [("Atlanta", "GA", "US")],
    ),
    ("Colorado School of Mines", "mines", "university", "academic", [("Golden", "CO", "US")]),
    (
        "Oak Ridge National Laboratory",
        "ornl",
        "national_lab",
        "government",
        [("Oak Ridge", "TN", "US")],
    ),
    ("Argonne National Laboratory", "anl", "national_lab", "government", [("Lemont", "IL", "US")]),
    (
        "Lawrence Berkeley National Laboratory",
        "lbl",
        "national_lab",
        "government",
        [("Berkeley", "CA", "US")],
    ),
    (
        "National Renewable Energy Laboratory",
        "nrel",
        "national_lab",
        "government",
        [("Golden", "CO", "US")],
    ),
    (
        "Sandia National Laboratories",
        "sandia",
        "national_lab",
        "government",
        [("Albuquerque", "NM", "US"), ("Livermore", "CA", "US")],
    ),
    ("Broad Institute", "broad", "research_institute", "health", [("Cambridge", "MA", "US")]),
    (
        "Memorial Sloan Kettering Cancer Center",
        "mskcc",
        "hospital",
        "health",
        [("New York", "NY", "US")],
    ),
    ("Mayo Clinic", "mayo", "hospital", "health", [("Rochester", "MN", "US")]),
    (
        "Fred Hutchinson Cancer Center",
        "fredhutch",
        "research_institute",
        "health",
        [("Seattle", "WA", "US")],
    ),
    ("University of Oxford", "oxford", "university", "academic", [("Oxford", "ENG", "GB")]),
    (
        "University of Cambridge",
        "cambridge",
        "university",
        "academic",
        [("Cambridge", "ENG", "GB")],
    ),
    ("University of Edinburgh", "ed", "university", "academic", [("Edinburgh", "SCT", "GB")]),
    ("Imperial College London", "imperial", "university", "academic", [("London", "ENG", "GB")]),
    ("University College London", "ucl", "university", "academic", [("London", "ENG", "GB")]),
    (
        "The Alan Turing Institute",
        "turing",
        "research_institute",
        "academic",
        [("London", "ENG", "GB")],
    ),
    (
        "Wellcome Sanger Institute",
        "sanger",
        "research_institute",
        "health",
        [("Hinxton", "ENG", "GB")],
    ),
    ("EMBL-EBI", "embl-ebi", "research_institute", "academic", [("Hinxton", "ENG", "GB")]),
    ("ETH Zürich", "ethz", "university", "academic", [("Zürich", "ZH", "CH")]),
    ("CERN", "cern", "research_institute", "government", [("Geneva", "GE", "CH")]),
    ("Max Planck Society", "mpg", "research_institute", "academic", [("Munich", "BY", "DE")]),
    (
        "Forschungszentrum Jülich",
        "fz-juelich",
        "national_lab",
        "government",
        [("Jülich", "NW", "DE")],
    ),
    (
        "KTH Royal Institute of Technology",
        "kth",
        "university",
        "academic",
        [("Stockholm", "AB", "SE")],
    ),
    ("University of Melbourne", "unimelb", "university", "academic", [("Melbourne", "VIC", "AU")]),
    (
        "Australian National University",
        "anu",
        "university",
        "academic",
        [("Canberra", "ACT", "AU")],
    ),
    (
        "Pawsey Supercomputing Research Centre",
        "pawsey",
        "research_institute",
        "government",
        [("Perth", "WA", "AU")],
    ),
    ("University of Auckland", "auckland", "university", "academic", [("Auckland", "AUK", "NZ")]),
    (
        "Netherlands eScience Center",
        "esciencecenter",
        "research_institute",
        "government",
        [("Amsterdam", "NH", "NL")],
    ),
    ("Inria", "inria", "research_institute", "government", [("Paris", "IDF", "FR")]),
]
COUNTRY_NAMES = {
    "CA": "Canada",
    "US": "United States",
    "GB": "United Kingdom",
    "CH": "Switzerland",
    "DE": "Germany",
    "SE": "Sweden",
    "AU": "Australia",
    "NZ": "New Zealand",
    "NL": "Netherlands",
    "FR": "France",
}
ROLES = {
    "executive": [
        "Chief Technology Officer",
        "Associate Vice-President",
        "Chief Research Officer",
        "Assistant Vice Provost",
    ],
    "director": ["Director", "Executive Director", "Associate Director", "Senior Director"],
    "manager": ["Manager", "Senior Manager", "Operations Manager", "Group Manager"],
    "program_manager": ["Program Manager", "Programme Manager"],
    "product_manager": ["Product Manager", "Product Owner"],
    "lead": ["Team Lead", "Technical Lead", "Lead", "Principal"],
    "senior": ["Senior", "Staff", "Principal"],
    "consulting": ["Consultant", "Research Computing Consultant", "Facilitator"],
    "other": ["Coordinator", "Specialist", "Analyst"],
}
AREAS = [
    ("Research Computing", ["hpc", "cloud"]),
    ("High Performance Computing", ["hpc"]),
    ("Advanced Research Computing", ["hpc", "storage"]),
    ("Research Software Engineering", ["software"]),
    ("Research Software Engineers", ["software"]),
    ("Scientific Computing", ["hpc", "software"]),
    ("Data Science", ["data", "ml"]),
    ("Research Data Management", ["data", "storage"]),
    ("Machine Learning Infrastructure", ["ml", "hpc"]),
    ("AI Platform", ["ml", "cloud"]),
    ("Research Cloud", ["cloud"]),
    ("Bioinformatics", ["bioinformatics", "data"]),
    ("Computational Biology", ["bioinformatics"]),
    ("Research IT", ["cloud", "security"]),
    ("Digital Research Infrastructure", ["hpc", "data", "cloud"]),
    ("Supercomputing Operations", ["hpc"]),
    ("Data Engineering", ["data"]),
    ("Scientific Software", ["software"]),
]
TITLE_FORMS = [
    "{role}, {area}",
    "{role} of {area}",
    "{area} {role}",
    "{role}, {area} Services",
    "{role} - {area}",
    "{role}, {area} and Data Services",
]
PARAGRAPHS = [
    "The {inst} is seeking an experienced {title} to lead our {area} team. Reporting to the "
    "{boss}, you will set strategy, manage a group of {n} staff, and partner with faculty, "
    "researchers and graduate students across {field} and {field2}.",
    "You will oversee the operation of our {system} cluster with {nodes} nodes and {gpus} GPUs, "
    "the Slurm scheduler, parallel file systems such as Lustre and GPFS, and the research "
    "storage that thousands of researchers depend on every day.",
    "Our team builds and maintains scientific software, workflows and data pipelines in Python, "
    "C++, Julia and R. We practise code review, continuous integration, testing and "
    "reproducible research, and we mentor research software engineers at every career stage.",
    "The successful candidate will manage budgets, procurement and vendor relationships, "
    "develop service level agreements, and report to the advisory committee on usage, "
    "capacity planning and research impact.",
    "We support research in {field}, {field2} and {field3}, including genomics, climate "
    "modelling, computational chemistry, astrophysics and the digital humanities, helping "
    "projects move from a laptop to national high performance computing resources.",
    "Responsibilities include hiring, coaching and developing staff; building a welcoming and "
    "inclusive team culture; setting priorities with stakeholders; and communicating clearly "
    "with senior leadership about risks, trade-offs and opportunities.",
    "Experience with Kubernetes, OpenStack, cloud platforms such as AWS, Azure or Google Cloud, "
    "and infrastructure as code (Terraform, Ansible) is an asset, as is familiarity with "
    "security, compliance and sensitive health data.",
    "Qualifications: a graduate degree in a computational discipline or equivalent experience; "
    "at least {years} years of experience in research computing, including {lead} years "
    "leading teams; excellent written and verbal communication skills.",
    "The {area} group collaborates with the library, central IT, and national organisations "
    "such as {partner} to deliver training, consultation and outreach on machine learning, "
    "data management plans and best practices for research software.",
    "This is a {term} position based in {city}. {remote_text} Salary range {salary}, with "
    "generous benefits, pension, professional development funding and flexible hours.",
    "You will lead the adoption of GPU accelerated computing and artificial intelligence "
    "methods, evaluate new architectures, and help researchers profile and optimise parallel "
    "codes using MPI, OpenMP and CUDA.",
    "The role champions open science, FAIR data principles and research data management, "
    "working with ethics boards and data stewards to make data findable, accessible, "
    "interoperable and reusable.",
]
FIELDS = [
    "physics",
    "chemistry",
    "biology",
    "medicine",
    "engineering",
    "economics",
    "linguistics",
    "neuroscience",
    "earth sciences",
    "astronomy",
    "public health",
    "materials science",
    "ecology",
    "psychology",
    "mathematics",
]
SYSTEMS = [
    "Niagara",
    "Cedar",
    "Graham",
    "Narval",
    "Frontier",
    "Perlmutter",
    "Polaris",
    "Aurora",
    "ARCHER2",
    "Isambard",
    "Setonix",
    "Gadi",
    "Piz Daint",
    "JUWELS",
    "Dardel",
    "Snellius",
]
PARTNERS = [
    "the Digital Research Alliance of Canada",
    "ACCESS",
    "EuroHPC",
    "the UKRI",
    "PRACE",
    "the US-RSE Association",
    "the Society of Research Software Engineering",
]
BOSSES = [
    "Chief Information Officer",
    "Vice-President Research",
    "Associate Dean, Research",
    "Director of Research Computing",
    "Chief Technology Officer",
]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def posting(rng: random.Random, number: int, open_share: float) -> dict[str, Any]:
    """One synthetic posting document in the search_index contract."""
    name, slug, inst_type, sector, places = rng.choice(INSTITUTIONS)
    role = rng.choices(list(ROLES), weights=[3, 14, 16, 4, 3, 14, 22, 6, 18])[0]
    area, technical = rng.choice(AREAS)
    title = rng.choice(TITLE_FORMS).format(role=rng.choice(ROLES[role]), area=area)
    places = places if rng.random() < 0.2 else [rng.choice(places)]
    remote = rng.choices(["onsite", "hybrid", "remote", None], weights=[50, 30, 10, 10])[0]
    city, region, country = places[0]
    fields = rng.sample(FIELDS, 3)
    values = {
        "inst": name,
        "title": title,
        "area": area.lower(),
        "boss": rng.choice(BOSSES),
        "n": rng.randint(3, 40),
        "field": fields[0],
        "field2": fields[1],
        "field3": fields[2],
        "system": rng.choice(SYSTEMS),
        "nodes": rng.randint(50, 4000),
        "gpus": rng.randint(0, 2000),
        "years": rng.randint(5, 12),
        "lead": rng.randint(2, 6),
        "partner": rng.choice(PARTNERS),
        "city": city,
        "term": rng.choice(["full-time continuing", "two-year term", "permanent"]),
        "remote_text": {
            "remote": "The role can be performed remotely.",
            "hybrid": "Hybrid work is available.",
            "onsite": "This role is on site.",
        }.get(remote or "", ""),
        "salary": f"${rng.randint(90, 160)},000 - ${rng.randint(160, 240)},000",
    }
    paragraphs = rng.sample(PARAGRAPHS, 10) + rng.sample(PARAGRAPHS, 5)
    description = "\n\n".join(p.format(**values) for p in paragraphs)
    is_open = rng.random() < open_share
    age = rng.randint(0, 90) if is_open else rng.randint(30, 1500)
    posted = TODAY - timedelta(days=age)
    closes = posted + timedelta(days=rng.randint(20, 90)) if rng.random() < 0.7 else None
    relevant = rng.random() < 0.85
    ident = f"p{number:07d}"
    return {
        "id": ident,
        "title": title,
        "institution": name,
        "institution_slug": slug,
        "description": description,
        "summary": description[:280].rsplit(" ", 1)[0] + "…",
        "location_display": " ".join(p for p in (city, region, country) if p),
        "location_text": " ".join(
            part for c, r, cc in places for part in (c, r, COUNTRY_NAMES.get(cc, cc))
        ),
        "countries": sorted({cc for _, _, cc in places}),
        "regions": sorted({f"{cc}-{r}" for _, r, cc in places}),
        "cities": [c for c, _, _ in places],
        "role": role,
        "technical": technical,
        "sector": sector,
        "institution_type": inst_type,
        "remote": remote,
        "status": "open" if is_open else "closed",
        "relevant": relevant,
        "score": round(rng.random(), 3) if relevant else round(rng.random() * 0.3, 3),
        "posted_on": posted,
        "closes_on": closes,
        "updated_at": datetime(posted.year, posted.month, posted.day, 12, 0, 0),
    }


def open_share_for(size: int) -> float:
    """A real board keeps a few thousand open postings beside a growing archive."""
    return min(0.3, 4000 / max(size, 1))


def generate(size: int, seed: int = 5) -> Iterator[dict[str, Any]]:
    """size postings, deterministic for a seed."""
    rng = random.Random(seed)
    share = open_share_for(size)
    for number in range(size):
        yield posting(rng, number, share)


def raw_records(size: int, seed: int = 5) -> list[dict[str, object]]:
    """Raw records (the import contract) for the synthetic postings."""
    return [
        {
            "title": doc["title"],
            "institution": doc["institution"],
            "location": doc["location_display"],
            "description": doc["description"],
            "url": f"https://jobs.example.org/{doc['id']}",
            "posted": str(doc["posted_on"]),
            "closes": str(doc["closes_on"] or ""),
            "source": "bench",
            "source_id": str(doc["id"]),
        }
        for doc in generate(size, seed)
    ]


def main() -> None:
    """Print postings as JSON Lines: python benchmarks/generate.py [SIZE]."""
    import json

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for doc in generate(size):
        sys.stdout.write(json.dumps(doc, default=str) + "\n")


if __name__ == "__main__":
    main()
