"""The demo's postings: fictional institutions and research-computing jobs written for rcjobs.

Dates are stored relative to "today" and resolved when a page is served, so the demo always
looks fresh. Nothing here is copied from a real posting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape


@dataclass(frozen=True)
class Place:
    """A city (or, for remote work, only a country)."""

    city: str | None
    region: str | None  # ISO 3166-2 subdivision code without the country prefix
    region_name: str | None
    country: str  # ISO 3166-1 alpha-2
    country_name: str

    @property
    def label(self) -> str:
        """Human form: "Hamilton, Ontario, Canada" or "Canada"."""
        return ", ".join(p for p in (self.city, self.region_name, self.country_name) if p)


@dataclass(frozen=True)
class Salary:
    """A pay range as an institution advertises it."""

    minimum: float
    maximum: float
    currency: str  # ISO 4217
    period: str = "YEAR"  # schema.org unitText: YEAR, MONTH, HOUR
    note: str = ""

    def text(self) -> str:
        """The salary line as it reads in a posting."""
        symbol = {"USD": "$", "CAD": "$", "AUD": "$", "GBP": "£", "EUR": "€"}.get(self.currency, "")
        per = {"YEAR": "per year", "MONTH": "per month", "HOUR": "per hour"}[self.period]
        low, high = (_money(v) for v in (self.minimum, self.maximum))
        line = f"{self.currency} {symbol}{low} – {symbol}{high} {per}"
        return f"{line} {self.note}".strip()


def _money(value: float) -> str:
    return f"{value:,.2f}" if value != int(value) else f"{int(value):,}"


@dataclass(frozen=True)
class Institution:
    """An employer with its own career site in the demo."""

    key: str
    name: str
    platform: str  # the rcjobs platform key its site speaks
    website: str
    about: str
    equity: str
    utc_offset: str  # used for timestamps on its site


@dataclass(frozen=True)
class Posting:
    """One job as its institution wrote it; dates are offsets from today."""

    id: str
    institution: str  # Institution.key
    title: str
    department: str
    places: tuple[Place, ...]
    remote: str  # onsite, hybrid or remote
    posted_days_ago: int
    closes_in_days: int | None
    summary: tuple[str, ...]
    duties: tuple[str, ...]
    qualifications: tuple[str, ...]
    salary: Salary | None = None
    employment_type: tuple[str, ...] = ("FULL_TIME",)
    review_in_days: int | None = None
    offer: tuple[str, ...] = field(default=())

    @property
    def employer(self) -> Institution:
        """The institution this posting belongs to."""
        return INSTITUTIONS[self.institution]

    @property
    def slug(self) -> str:
        """URL-friendly title."""
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")

    def posted_on(self, today: date) -> date:
        """The date the posting went up."""
        return today - timedelta(days=self.posted_days_ago)

    def closes_on(self, today: date) -> date | None:
        """The closing date, if the institution gives one."""
        if self.closes_in_days is None:
            return None
        return today + timedelta(days=self.closes_in_days)

    def review_on(self, today: date) -> date | None:
        """The date review of applications begins, if stated."""
        if self.review_in_days is None:
            return None
        return today + timedelta(days=self.review_in_days)

    @property
    def location_text(self) -> str:
        """All locations in one line, with the working arrangement."""
        text = " or ".join(place.label for place in self.places)
        if self.remote == "remote":
            return f"Remote ({text})"
        if self.remote == "hybrid":
            return f"{text} (hybrid)"
        return text

    def description_html(self, today: date) -> str:
        """The full description as HTML, dated for `today`."""
        parts = [f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in self.summary]
        parts.append("<h3>What you will do</h3>")
        parts.append(_bullets(self.duties))
        parts.append("<h3>What you bring</h3>")
        parts.append(_bullets(self.qualifications))
        if self.offer:
            parts.append("<h3>What we offer</h3>")
            parts.append(_bullets(self.offer))
        if self.salary:
            parts.append(f"<p><strong>Salary:</strong> {escape(self.salary.text())}</p>")
        arrangement = {
            "onsite": "This position is on site.",
            "hybrid": "This position is hybrid, with at least two days a week on site.",
            "remote": "This position is fully remote within the country named above.",
        }[self.remote]
        location = escape(self.location_text.split(" (")[0])
        parts.append(f"<p><strong>Location:</strong> {location}. {arrangement}</p>")
        review = self.review_on(today)
        if review:
            parts.append(
                f"<p>Review of applications begins {_long_date(review)} and continues "
                "until the position is filled.</p>"
            )
        closes = self.closes_on(today)
        if closes:
            parts.append(f"<p><strong>Closing date:</strong> {_long_date(closes)}</p>")
        employer = self.employer
        parts.append(f"<h3>About {escape(employer.name)}</h3>")
        parts.append(f"<p>{escape(employer.about, quote=False)}</p>")
        parts.append(f"<p><em>{escape(employer.equity, quote=False)}</em></p>")
        return "\n".join(parts)

    def word_count(self, today: date) -> int:
        """Words of description text, tags left out."""
        return len(re.sub(r"<[^>]+>", " ", self.description_html(today)).split())


def _bullets(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item, quote=False)}</li>" for item in items) + "</ul>"


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def institutions() -> list[Institution]:
    """Every demo institution."""
    return list(INSTITUTIONS.values())


def postings(institution: str | None = None) -> list[Posting]:
    """Every demo posting, or those of one institution key, in a stable order."""
    return [p for p in POSTINGS if institution is None or p.institution == institution]


def is_open(posting: Posting, today: date) -> bool:
    """Whether the posting is still taking applications on `today`."""
    closes = posting.closes_on(today)
    return closes is None or closes >= today


# --- places --------------------------------------------------------------------------------

HAMILTON = Place("Hamilton", "ON", "Ontario", "CA", "Canada")
BURLINGTON = Place("Burlington", "ON", "Ontario", "CA", "Canada")
CANADA = Place(None, None, None, "CA", "Canada")
BELLINGHAM = Place("Bellingham", "WA", "Washington", "US", "United States")
PORTLAND = Place("Portland", "OR", "Oregon", "US", "United States")
USA = Place(None, None, None, "US", "United States")
NOTTINGHAM = Place("Nottingham", None, "England", "GB", "United Kingdom")
BIRMINGHAM = Place("Birmingham", None, "England", "GB", "United Kingdom")
UK = Place(None, None, None, "GB", "United Kingdom")
CHUR = Place("Chur", "GR", "Graubünden", "CH", "Switzerland")
GARMISCH = Place("Garmisch-Partenkirchen", "BY", "Bavaria", "DE", "Germany")
BRISBANE = Place("Brisbane", "QLD", "Queensland", "AU", "Australia")
TOWNSVILLE = Place("Townsville", "QLD", "Queensland", "AU", "Australia")
AUSTRALIA = Place(None, None, None, "AU", "Australia")

# --- institutions --------------------------------------------------------------------------

INSTITUTIONS: dict[str, Institution] = {
    i.key: i
    for i in (
        Institution(
            key="northbridge",
            name="Northbridge University",
            platform="workday",
            website="https://www.northbridge.example",
            about=(
                "Northbridge University is a research-intensive university of 31,000 students "
                "with campuses in Hamilton and Burlington, Ontario. Its research enterprise spans "
                "health sciences, engineering, and the social sciences and attracts more than "
                "$400 million in sponsored research each year. Northbridge is a member of the "
                "national advanced research computing federation and runs shared computing, "
                "storage and research data services for more than 2,000 researchers."
            ),
            equity=(
                "Northbridge University is committed to employment equity and welcomes "
                "applications from all qualified candidates, including women, Indigenous peoples, "
                "persons with disabilities, and members of racialized and 2SLGBTQIA+ communities. "
                "Canadians and permanent residents will be given priority. Accommodation is "
                "available at every stage of the recruitment process."
            ),
            utc_offset="-05:00",
        ),
        Institution(
            key="cascadia",
            name="Cascadia National Laboratory",
            platform="jsonld",
            website="https://www.cascadia-lab.example",
            about=(
                "Cascadia National Laboratory is a federally funded research and development "
                "center focused on Earth systems, energy storage, and the computational science "
                "that ties them together. Its 4,800 staff work on a main campus in Bellingham, "
                "Washington and at a research office in Portland, Oregon. The Laboratory's "
                "Advanced Computing Division operates two leadership-class systems, a "
                "60-petabyte storage ecosystem, and a growing research software engineering "
                "practice."
            ),
            equity=(
                "Cascadia National Laboratory is an Equal Opportunity Employer. All qualified "
                "applicants will receive consideration for employment without regard to race, "
                "color, religion, sex, sexual orientation, gender identity, national origin, "
                "disability, or protected veteran status."
            ),
            utc_offset="-08:00",
        ),
        Institution(
            key="midlands",
            name="Midlands Institute for Data Science",
            platform="jsonld",
            website="https://www.midlands-data.example",
            about=(
                "The Midlands Institute for Data Science is an independent research institute "
                "founded by a consortium of seven universities in the East and West Midlands. "
                "From its headquarters in Nottingham and a hub in Birmingham, it runs shared data "
                "and computing platforms, trains the next generation of research software "
                "engineers, and partners with the NHS, local government and industry on "
                "data-intensive research."
            ),
            equity=(
                "The Institute is a Disability Confident employer and holds an Athena SWAN "
                "Bronze award. We welcome applications from everyone and particularly encourage "
                "applications from Black, Asian and minority ethnic candidates, who are "
                "under-represented in our technical workforce. We are happy to discuss flexible "
                "working."
            ),
            utc_offset="+00:00",
        ),
        Institution(
            key="alpine",
            name="Alpine Research Computing Centre",
            platform="greenhouse",
            website="https://www.alpine-rcc.example",
            about=(
                "The Alpine Research Computing Centre (ARCC) is a foundation-funded centre "
                "providing high-performance computing, data and cloud services to universities "
                "and research institutes in Switzerland and southern Germany. From its sites in "
                "Chur and Garmisch-Partenkirchen, ARCC's 140 staff operate a 40-petaflop flagship "
                "system, a federated research cloud, and a user support and co-design programme "
                "for climate, materials and life-science communities."
            ),
            equity=(
                "ARCC values diversity and is committed to equal opportunities. We offer flexible "
                "working time models, part-time options for most positions, and support for "
                "dual-career couples. Applications are accepted in English or German."
            ),
            utc_offset="+01:00",
        ),
        Institution(
            key="coralsea",
            name="Coral Sea University of Technology",
            platform="feed",
            website="https://www.coralsea-tech.example",
            about=(
                "Coral Sea University of Technology is a young, fast-growing university with "
                "campuses in Brisbane and Townsville and 38,000 students. It is known for applied "
                "research in marine science, tropical health and advanced manufacturing, and for "
                "its partnerships with industry and First Nations communities across Queensland. "
                "Its eResearch Office supports researchers with computing, data storage, research "
                "software and training."
            ),
            equity=(
                "Coral Sea University of Technology is committed to diversity and inclusion and "
                "acknowledges the Traditional Owners of the lands on which its campuses stand. "
                "Aboriginal and Torres Strait Islander people, people with disability, and people "
                "from culturally and linguistically diverse backgrounds are strongly encouraged "
                "to apply. Applicants must have the right to work in Australia."
            ),
            utc_offset="+10:00",
        ),
    )
}

# --- postings ------------------------------------------------------------------------------

POSTINGS: tuple[Posting, ...] = (
    # Northbridge University (Workday) ------------------------------------------------------
    Posting(
        id="JR1042",
        institution="northbridge",
        title="Director, Research Computing Services",
        department="Office of the Vice-President, Research",
        places=(HAMILTON,),
        remote="hybrid",
        posted_days_ago=3,
        closes_in_days=35,
        review_in_days=14,
        salary=Salary(165000, 195000, "CAD"),
        summary=(
            "Northbridge University seeks a Director, Research Computing Services to lead the "
            "people, systems and services that support computational and data-intensive research "
            "across all six faculties. Reporting to the Associate Vice-President, Research "
            "Infrastructure, the Director leads a team of 24 staff in three groups: advanced "
            "research computing systems, research software engineering, and research data "
            "services.",
            "This is a moment of growth. The University has committed new operating funding to "
            "expand research software support, replace its general-purpose cluster, and build a "
            "secure environment for sensitive health data. The Director will set the direction "
            "for that work and make sure researchers can find and use it.",
        ),
        duties=(
            "Set the strategy, annual plan and budget (about $6.5M) for research computing "
            "services, in consultation with faculty advisory committees.",
            "Lead, mentor and grow three managers and their teams; build a culture of service, "
            "learning and sustainable workloads.",
            "Oversee the procurement and operation of campus HPC, storage and research cloud "
            "resources, and coordinate with the national research computing federation.",
            "Represent research computing on university committees and in grant proposals, and "
            "report on service use and research outcomes.",
            "Build partnerships with libraries, IT Services and hospital research institutes.",
        ),
        qualifications=(
            "A graduate degree in a computational discipline, or equivalent experience.",
            "At least eight years of experience in research computing, including five years "
            "leading teams and managing budgets.",
            "A track record of delivering shared services that researchers rely on.",
            "Excellent communication skills with faculty, senior administrators and vendors.",
        ),
    ),
    Posting(
        id="JR1057",
        institution="northbridge",
        title="Manager, Research Software Engineering",
        department="Research Computing Services",
        places=(HAMILTON,),
        remote="hybrid",
        posted_days_ago=8,
        closes_in_days=28,
        salary=Salary(120000, 145000, "CAD"),
        summary=(
            "The Research Software Engineering group builds and maintains software for research "
            "projects across Northbridge: simulation codes, data pipelines, web platforms for "
            "collaborations, and tools that outlive a single grant. We are looking for a Manager "
            "to lead the group of seven research software engineers as it doubles in size over "
            "the next three years.",
            "You will keep a hand in technical work, but your main job is the team: choosing "
            "projects, shaping engagements with researchers, and helping each engineer grow.",
        ),
        duties=(
            "Manage a team of seven research software engineers, including hiring, one-on-ones, "
            "career development and performance reviews.",
            "Run intake for new projects, scope work with principal investigators, and write the "
            "software sections of grant applications.",
            "Establish practices for code review, testing, documentation and releases that fit "
            "research timelines.",
            "Track cost recovery and the balance of grant-funded and centrally funded work.",
            "Contribute to the Canadian research software community and to training for students.",
        ),
        qualifications=(
            "Significant experience developing research software in Python, C++ or Julia.",
            "Experience leading people or projects, formally or informally.",
            "Familiarity with HPC environments, containers and continuous integration.",
            "The ability to explain technical trade-offs to researchers from many disciplines.",
        ),
    ),
    Posting(
        id="JR1063",
        institution="northbridge",
        title="Team Lead, Advanced Research Computing Systems",
        department="Research Computing Services",
        places=(HAMILTON,),
        remote="onsite",
        posted_days_ago=12,
        closes_in_days=40,
        salary=Salary(110000, 130000, "CAD"),
        summary=(
            "Northbridge's Advanced Research Computing (ARC) Systems team runs the University's "
            "9,000-core cluster, its GPU partition, 6 PB of parallel and object storage, and the "
            "research network. The Team Lead is a hands-on HPC leader who guides five system "
            "administrators through day-to-day operations and the upcoming replacement of the "
            "cluster.",
            "The cluster serves more than 1,200 active users, from genomics to astrophysics, and "
            "the team is proud of its uptime and its responsiveness to user tickets.",
        ),
        duties=(
            "Lead the ARC Systems team of five, assign work and coordinate on-call coverage.",
            "Plan and lead the technical evaluation, procurement and deployment of the next "
            "cluster, including the Slurm configuration and the storage migration.",
            "Own change management, patching and security practice for research systems.",
            "Work with the RSE and data services groups on shared platforms such as Open "
            "OnDemand and the research container registry.",
            "Maintain vendor relationships and monitor service levels.",
        ),
        qualifications=(
            "Five or more years administering Linux HPC clusters, with Slurm and a parallel file "
            "system such as Lustre, GPFS or BeeGFS.",
            "Experience with configuration management (Ansible or similar) and monitoring.",
            "Experience leading a technical team or a major infrastructure project.",
            "A calm approach to incidents and a habit of writing things down.",
        ),
    ),
    Posting(
        id="JR1071",
        institution="northbridge",
        title="Associate Director, Research Data Management",
        department="University Library and Research Computing Services",
        places=(HAMILTON, BURLINGTON),
        remote="hybrid",
        posted_days_ago=20,
        closes_in_days=18,
        summary=(
            "Research data management at Northbridge is a joint service of the University Library "
            "and Research Computing Services. The Associate Director leads that joint service: "
            "data management planning, repository services, storage allocation, and the new "
            "institutional strategy required by the federal research funding agencies.",
            "The role leads a team of six data curators and data engineers across the Hamilton "
            "and Burlington campuses and works closely with the University's research ethics "
            "office and privacy office.",
        ),
        duties=(
            "Lead and develop a team of six across two campuses and two reporting lines.",
            "Implement the institutional research data management strategy and report on it.",
            "Run the data deposit, curation and preservation services, including the Dataverse "
            "repository.",
            "Design consultation and training programmes with faculties and graduate studies.",
            "Advise on storage, retention and secure data handling for sensitive research data.",
        ),
        qualifications=(
            "A master's degree in library and information science, a research discipline, or "
            "equivalent experience.",
            "Substantial experience in research data management, data curation or repository "
            "services, with supervisory experience.",
            "Knowledge of FAIR principles, metadata standards and data-sharing policy.",
            "Comfort working across organizational boundaries.",
        ),
    ),
    Posting(
        id="JR1078",
        institution="northbridge",
        title="Research Software Engineer II",
        department="Research Computing Services",
        places=(HAMILTON,),
        remote="hybrid",
        posted_days_ago=5,
        closes_in_days=30,
        salary=Salary(85000, 98000, "CAD"),
        summary=(
            "Join Northbridge's Research Software Engineering group as a Research Software "
            "Engineer II. You will work on two or three research projects at a time, writing, "
            "testing and maintaining software with researchers in health sciences and "
            "engineering. Current projects include a microscopy image-processing pipeline, a "
            "hydrology model port to GPUs, and a web portal for a national survey.",
        ),
        duties=(
            "Design, develop and test research software in Python and C++.",
            "Improve the performance of existing codes on the University cluster.",
            "Package and document software so that others can install and use it.",
            "Take part in code review and in the group's training sessions for students.",
        ),
        qualifications=(
            "A degree in computer science, a science or engineering field, or equivalent "
            "experience.",
            "Two or more years of professional or research software development.",
            "Experience with Git, automated testing and Linux.",
            "Curiosity about research problems and patience explaining your work.",
        ),
    ),
    Posting(
        id="JR1080",
        institution="northbridge",
        title="Director of Athletics and Recreation",
        department="Student Affairs",
        places=(HAMILTON,),
        remote="onsite",
        posted_days_ago=15,
        closes_in_days=25,
        salary=Salary(140000, 165000, "CAD"),
        summary=(
            "Northbridge University invites applications for the Director of Athletics and "
            "Recreation. The Director leads 22 varsity teams, campus recreation programmes used "
            "by more than 15,000 students, and the operation of two athletic facilities. The "
            "Director reports to the Vice-Provost, Students.",
        ),
        duties=(
            "Provide leadership for varsity athletics, intramural sport and recreation.",
            "Manage a staff of 40 full-time employees and a large part-time student workforce.",
            "Oversee a budget of $11M, including fundraising and sponsorship.",
            "Ensure compliance with the rules of the national university sport body.",
            "Promote athlete well-being, equity and academic success.",
        ),
        qualifications=(
            "A degree in kinesiology, sport management or a related field.",
            "Ten years of progressively senior experience in university or community sport.",
            "Experience with facilities management and major capital projects.",
            "Strong financial, fundraising and people leadership skills.",
        ),
    ),
    Posting(
        id="JR1084",
        institution="northbridge",
        title="Senior Manager, Research Cloud and Platforms",
        department="Research Computing Services",
        places=(CANADA,),
        remote="remote",
        posted_days_ago=2,
        closes_in_days=45,
        salary=Salary(130000, 155000, "CAD"),
        summary=(
            "Northbridge is building a research cloud: self-service virtual machines, Kubernetes, "
            "JupyterHub and object storage for researchers whose work does not fit a batch "
            "cluster. The Senior Manager, Research Cloud and Platforms leads the team of four "
            "platform engineers that runs this service today and will grow it over the next two "
            "years.",
            "This position is fully remote within Canada, with occasional travel to Hamilton for "
            "planning sessions.",
        ),
        duties=(
            "Lead the research cloud team and its roadmap, with quarterly goals and metrics.",
            "Own the OpenStack and Kubernetes platforms, their capacity planning and cost model.",
            "Launch managed services for notebooks, databases and research web applications.",
            "Develop allocation and support processes with faculty representatives.",
            "Partner with the national federation's cloud team and with campus security.",
        ),
        qualifications=(
            "Seven or more years running cloud or platform infrastructure, three as a manager.",
            "Hands-on experience with OpenStack, Kubernetes or a public cloud at scale.",
            "Experience serving researchers or other technical users.",
            "Strong written communication for a distributed team.",
        ),
    ),
    Posting(
        id="JR1090",
        institution="northbridge",
        title="Manager, Health Data Research Platform",
        department="Faculty of Health Sciences",
        places=(BURLINGTON,),
        remote="hybrid",
        posted_days_ago=27,
        closes_in_days=12,
        review_in_days=2,
        salary=Salary(115000, 138000, "CAD"),
        summary=(
            "The Faculty of Health Sciences operates a trusted research environment that gives "
            "approved researchers access to linked hospital and provincial health data. The "
            "Manager, Health Data Research Platform leads the five-person team that operates "
            "the environment, onboards projects, and reviews outputs before they leave it.",
            "The platform is moving to a new architecture this year, and the Manager will see "
            "that migration through while keeping services running for 80 active projects.",
        ),
        duties=(
            "Manage the platform team of data engineers and output checkers.",
            "Lead the migration of the trusted research environment to its new architecture.",
            "Maintain privacy, security and audit practices with the University privacy office "
            "and data custodians.",
            "Onboard research projects and manage their access agreements and timelines.",
            "Report to the platform's governance committee on use, incidents and costs.",
        ),
        qualifications=(
            "Experience managing technical teams in health data, research computing or a "
            "regulated data environment.",
            "Knowledge of privacy legislation, data governance and statistical disclosure control.",
            "Familiarity with SQL, R or Python, and secure cloud or virtual desktop platforms.",
            "Sound judgement and excellent stakeholder skills.",
        ),
    ),
    Posting(
        id="JR1093",
        institution="northbridge",
        title="Principal Research Software Engineer, Digital Humanities",
        department="Research Computing Services",
        places=(HAMILTON,),
        remote="hybrid",
        posted_days_ago=10,
        closes_in_days=50,
        salary=Salary(115000, 135000, "CAD"),
        summary=(
            "Northbridge's digital humanities community is large and active: text-analysis "
            "projects, digital editions, historical GIS and oral-history archives. The Principal "
            "Research Software Engineer is the technical lead for this community, guiding the "
            "architecture of its platforms and mentoring the two engineers and several student "
            "developers who build them.",
        ),
        duties=(
            "Serve as technical lead and architect for digital humanities platforms.",
            "Mentor research software engineers and student developers.",
            "Set standards for sustainability so that projects remain usable after funding ends.",
            "Co-author grant applications and project plans with faculty members.",
            "Write and review code in Python, JavaScript and XML technologies.",
        ),
        qualifications=(
            "Extensive experience building research or cultural-heritage software.",
            "Knowledge of TEI, IIIF, linked data or similar standards.",
            "Experience leading technical work across a team.",
            "A graduate degree in the humanities or computing is an asset.",
        ),
    ),
    Posting(
        id="JR1101",
        institution="northbridge",
        title="Lead, Research Computing Training and Outreach",
        department="Research Computing Services",
        places=(HAMILTON,),
        remote="hybrid",
        posted_days_ago=33,
        closes_in_days=14,
        summary=(
            "Every year Northbridge Research Computing Services teaches more than 1,500 students "
            "and researchers to use the cluster, write better code and manage their data. The "
            "Lead, Research Computing Training and Outreach leads that programme and a team of "
            "two training coordinators and a pool of graduate student instructors.",
        ),
        duties=(
            "Lead the training programme, its curriculum and its instructors.",
            "Teach workshops on Linux, HPC, Python, R and research data management.",
            "Run the University's Carpentries membership and instructor training.",
            "Measure outcomes and report on who the programme reaches and who it misses.",
            "Organize the annual research computing day and community events.",
        ),
        qualifications=(
            "Experience teaching technical topics to adult learners.",
            "Working knowledge of HPC, Python or R.",
            "Experience supervising staff or coordinating volunteers.",
            "Certification as a Carpentries instructor is an asset.",
        ),
    ),
    Posting(
        id="JR1105",
        institution="northbridge",
        title="Groundskeeper",
        department="Facility Services",
        places=(BURLINGTON,),
        remote="onsite",
        posted_days_ago=6,
        closes_in_days=20,
        salary=Salary(24.50, 28.75, "CAD", "HOUR"),
        summary=(
            "Facility Services is hiring a Groundskeeper for the Burlington campus. The "
            "Groundskeeper maintains lawns, gardens, walkways and sports fields, and clears snow "
            "and ice in winter so that the campus is safe for students, staff and visitors. This "
            "is a unionized position working day shifts, with some early mornings and weekends "
            "during winter operations.",
        ),
        duties=(
            "Mow, trim, plant and maintain campus grounds and gardens.",
            "Operate snow-clearing equipment and apply de-icing materials.",
            "Inspect and maintain small equipment and report hazards.",
            "Support set-up for convocation and campus events.",
        ),
        qualifications=(
            "Secondary school diploma and experience in landscaping or grounds maintenance.",
            "A valid Ontario G driver's licence.",
            "Ability to perform physical work outdoors in all weather.",
        ),
        employment_type=("FULL_TIME",),
    ),
    # Cascadia National Laboratory (JSON-LD listing pages) -----------------------------------
    Posting(
        id="CNL-24117",
        institution="cascadia",
        title="Director, Advanced Computing Division",
        department="Advanced Computing Division",
        places=(BELLINGHAM,),
        remote="onsite",
        posted_days_ago=9,
        closes_in_days=45,
        review_in_days=21,
        salary=Salary(210000, 265000, "USD"),
        summary=(
            "Cascadia National Laboratory is seeking a Director for its Advanced Computing "
            "Division, which has 180 staff in five groups: HPC operations, data and storage, "
            "research software engineering, computational science, and AI infrastructure. The "
            "Director reports to the Associate Laboratory Director for Computing and Earth "
            "Sciences and is a member of the Laboratory's leadership council.",
            "The Division is preparing to site its next leadership-class system and to expand "
            "its AI-for-science program. The Director will set the Division's strategy and lead "
            "its relationships with sponsors, universities and vendors.",
        ),
        duties=(
            "Set the vision, strategy and $90M annual budget of the Advanced Computing Division.",
            "Lead five group leaders and develop the Division's future leaders.",
            "Direct the planning and acquisition of the next leadership-class computing system.",
            "Build sponsor relationships and lead major proposals.",
            "Champion a safe, inclusive and collaborative workplace.",
        ),
        qualifications=(
            "A PhD in computer science, computational science or a related field, or equivalent "
            "experience.",
            "Fifteen years of experience in scientific computing, including senior management of "
            "large technical organizations.",
            "A record of delivering major computing facilities or programs.",
            "Recognized standing in the HPC or computational science community.",
            "Ability to obtain a DOE Q clearance.",
        ),
    ),
    Posting(
        id="CNL-24121",
        institution="cascadia",
        title="Group Leader, High-Performance Computing Operations",
        department="Advanced Computing Division",
        places=(BELLINGHAM,),
        remote="onsite",
        posted_days_ago=4,
        closes_in_days=30,
        salary=Salary(165000, 205000, "USD"),
        summary=(
            "The HPC Operations group keeps Cascadia's two production supercomputers, their "
            "file systems and their user environment running around the clock. As Group Leader "
            "you will lead 32 staff in four teams (systems, storage, networking and user "
            "support) and be accountable for the availability, security and usability of the "
            "Laboratory's flagship computing resources.",
        ),
        duties=(
            "Lead four team leads and their staff; set priorities and staffing plans.",
            "Own service levels, incident management and maintenance schedules.",
            "Lead operational readiness for the next system, from site preparation to acceptance "
            "testing.",
            "Manage vendor contracts and a $14M operating budget.",
            "Work with the cyber security office on compliance for federal systems.",
        ),
        qualifications=(
            "A bachelor's degree in a technical field and twelve years of relevant experience.",
            "Experience operating large HPC systems and managing managers.",
            "Knowledge of Slurm or PBS, Lustre or GPFS, and high-speed interconnects.",
            "Experience with federal facility operations is preferred.",
        ),
    ),
    Posting(
        id="CNL-24125",
        institution="cascadia",
        title="Manager, Research Software Engineering (Earth Systems Modeling)",
        department="Computational Earth Sciences",
        places=(PORTLAND,),
        remote="hybrid",
        posted_days_ago=14,
        closes_in_days=21,
        salary=Salary(150000, 190000, "USD"),
        summary=(
            "Cascadia's Earth systems models simulate rivers, coasts, ice and the power grid "
            "under a changing climate. The Manager, Research Software Engineering leads the "
            "nine-person team that develops, tests and ports these models to new architectures, "
            "working side by side with the domain scientists who use them.",
            "The team is in the middle of moving its flagship river model to GPUs, and "
            "will take on a new coupled coastal model next year.",
        ),
        duties=(
            "Manage nine research software engineers, including hiring and career development.",
            "Plan the team's work across four projects and negotiate priorities with PIs.",
            "Lead software quality practice: testing, continuous integration and release "
            "management for large Fortran and C++ codes.",
            "Represent the team in project reviews with sponsors.",
            "Keep a hand in technical design and code review.",
        ),
        qualifications=(
            "A master's degree or PhD in a computational field and eight years of experience.",
            "Experience developing scientific models in Fortran, C++ or Kokkos.",
            "Experience leading software teams in a research setting.",
            "Knowledge of GPU programming models is a plus.",
        ),
    ),
    Posting(
        id="CNL-24130",
        institution="cascadia",
        title="Principal Research Software Engineer, Scientific Workflows",
        department="Advanced Computing Division",
        places=(USA,),
        remote="remote",
        posted_days_ago=7,
        closes_in_days=60,
        salary=Salary(155000, 195000, "USD"),
        summary=(
            "Experiments at Cascadia generate data faster than people can move it by hand. The "
            "Principal Research Software Engineer for Scientific Workflows leads the design of "
            "the workflow systems that connect instruments, supercomputers and data archives, "
            "and is the technical lead for a team of five engineers on this effort.",
            "This is a remote position open to candidates anywhere in the United States.",
        ),
        duties=(
            "Architect the Laboratory's workflow platform and its integrations.",
            "Lead technical direction for five engineers and review their designs.",
            "Engage with beamline, sequencing and climate teams to understand their needs.",
            "Contribute to open-source workflow communities and standards.",
            "Publish and present the work.",
        ),
        qualifications=(
            "Ten years of software engineering experience, with significant research work.",
            "Deep experience with workflow systems such as Parsl, Nextflow, Airflow or Globus "
            "Flows.",
            "Experience technically leading a team.",
            "Ability to obtain a DOE L clearance.",
        ),
    ),
    Posting(
        id="CNL-24133",
        institution="cascadia",
        title="Data Services Team Lead",
        department="Data and Storage Group",
        places=(BELLINGHAM, PORTLAND),
        remote="hybrid",
        posted_days_ago=22,
        closes_in_days=10,
        salary=Salary(135000, 170000, "USD"),
        summary=(
            "The Data and Storage Group operates the Laboratory's 60-petabyte storage and "
            "archive systems. The Data Services Team Lead leads the six-person team that turns "
            "that infrastructure into services: data transfer, sharing portals, publication "
            "with DOIs, and consultation for projects writing data management plans.",
            "The position can be based in Bellingham or Portland.",
        ),
        duties=(
            "Lead the data services team and its service catalogue.",
            "Run the data transfer nodes and Globus endpoints and improve transfer performance.",
            "Operate the data publication service with the Laboratory library.",
            "Advise projects on data management plans and sponsor requirements.",
            "Measure service use and user satisfaction.",
        ),
        qualifications=(
            "Seven years of experience in research data services or storage operations.",
            "Experience supervising staff.",
            "Knowledge of Globus, S3-compatible storage and metadata catalogues.",
            "Clear writing for users and sponsors.",
        ),
    ),
    Posting(
        id="CNL-24138",
        institution="cascadia",
        title="Chief Architect, Scientific Computing Infrastructure",
        department="Advanced Computing Division",
        places=(BELLINGHAM,),
        remote="onsite",
        posted_days_ago=40,
        closes_in_days=-4,
        salary=Salary(195000, 245000, "USD"),
        summary=(
            "The Chief Architect is the senior technical authority for Cascadia's computing, "
            "storage and network infrastructure. Working across the Advanced Computing "
            "Division's five groups, the Chief Architect defines the reference architecture for "
            "the next decade and leads a small architecture team of three.",
        ),
        duties=(
            "Define and maintain the infrastructure architecture and roadmap.",
            "Lead technical evaluation of future systems, including AI accelerators.",
            "Chair the Division's architecture review board.",
            "Represent the Laboratory in vendor co-design and community forums.",
        ),
        qualifications=(
            "A PhD or equivalent and fifteen years in HPC systems architecture.",
            "Experience designing systems at leadership scale.",
            "Experience leading technical teams and cross-organization efforts.",
            "Ability to obtain a DOE Q clearance.",
        ),
    ),
    Posting(
        id="CNL-24140",
        institution="cascadia",
        title="AI Infrastructure Engineering Manager",
        department="AI Infrastructure Group",
        places=(BELLINGHAM,),
        remote="hybrid",
        posted_days_ago=1,
        closes_in_days=40,
        salary=Salary(170000, 215000, "USD"),
        summary=(
            "Cascadia is building a new AI infrastructure group to serve foundation-model work "
            "in materials, climate and grid science. The AI Infrastructure Engineering Manager "
            "will hire and lead the group's first team of six engineers, who will run a "
            "1,024-GPU system, its model-serving platform and its data pipelines.",
        ),
        duties=(
            "Hire, manage and develop a new team of six engineers.",
            "Stand up and operate the GPU cluster, inference services and training pipelines.",
            "Set policies for fair sharing, security and responsible use.",
            "Collaborate with science teams on large training runs.",
            "Track costs, utilization and energy use.",
        ),
        qualifications=(
            "Experience managing infrastructure or ML platform teams.",
            "Hands-on experience with large GPU clusters, Kubernetes or Slurm, and ML frameworks.",
            "Understanding of distributed training and inference at scale.",
            "A bachelor's degree and ten years of experience, or equivalent.",
        ),
    ),
    Posting(
        id="CNL-24144",
        institution="cascadia",
        title="Program Manager, Exascale Software Partnerships",
        department="Computing and Earth Sciences Directorate",
        places=(PORTLAND,),
        remote="hybrid",
        posted_days_ago=17,
        closes_in_days=35,
        salary=Salary(140000, 175000, "USD"),
        summary=(
            "Cascadia leads a multi-laboratory partnership that sustains scientific software "
            "libraries developed for exascale systems. The Program Manager coordinates this "
            "$22M program across eight institutions: planning, reporting, risk management and "
            "the community of 60 developers who maintain the libraries.",
        ),
        duties=(
            "Manage the program plan, milestones and reports to the sponsor.",
            "Coordinate work packages and budgets across partner institutions.",
            "Organize reviews, all-hands meetings and community events.",
            "Track risks and help technical leads resolve blockers.",
            "Communicate the program's impact to stakeholders.",
        ),
        qualifications=(
            "Experience managing technical research programs with multiple partners.",
            "Familiarity with scientific software development and HPC.",
            "Project management certification or equivalent experience.",
            "Excellent organization and writing skills.",
        ),
    ),
    Posting(
        id="CNL-24149",
        institution="cascadia",
        title="Procurement Specialist II",
        department="Supply Chain Management",
        places=(BELLINGHAM,),
        remote="onsite",
        posted_days_ago=11,
        closes_in_days=25,
        salary=Salary(68000, 84000, "USD"),
        summary=(
            "Supply Chain Management is hiring a Procurement Specialist II to buy goods and "
            "services for Laboratory research programs. You will run competitive solicitations, "
            "negotiate terms, and administer subcontracts in line with federal acquisition "
            "regulations, working with requesters across the Laboratory.",
        ),
        duties=(
            "Plan and conduct procurements up to $2M.",
            "Prepare solicitations, evaluate offers and award contracts.",
            "Administer contracts, modifications and closeouts.",
            "Advise requesters on procurement rules and timelines.",
        ),
        qualifications=(
            "A bachelor's degree and three years of procurement experience.",
            "Knowledge of federal acquisition regulations.",
            "Strong negotiation and organization skills.",
        ),
    ),
    Posting(
        id="CNL-24152",
        institution="cascadia",
        title="Deputy Director, Computing Facilities and Data Center Operations",
        department="Facilities and Operations",
        places=(BELLINGHAM,),
        remote="onsite",
        posted_days_ago=36,
        closes_in_days=15,
        salary=Salary(185000, 230000, "USD"),
        summary=(
            "Cascadia's two data centers hold 40 MW of computing capacity, and a third is in "
            "design. The Deputy Director, Computing Facilities and Data Center Operations leads "
            "the 45 engineers and technicians who run the power, cooling and physical "
            "infrastructure behind the Laboratory's supercomputers, and leads the facilities "
            "side of the new data center project.",
        ),
        duties=(
            "Lead data center operations staff and contractors.",
            "Own uptime, safety and energy efficiency for the computing facilities.",
            "Lead facility planning for new systems, including liquid cooling.",
            "Manage capital projects and a $20M operations budget.",
            "Work with HPC Operations on maintenance and system installations.",
        ),
        qualifications=(
            "A degree in mechanical or electrical engineering, or equivalent experience.",
            "Twelve years of mission-critical facility experience, five in management.",
            "Experience with liquid-cooled HPC or hyperscale facilities.",
            "A professional engineering license is preferred.",
        ),
    ),
    # Midlands Institute for Data Science (JSON-LD sitemap) ----------------------------------
    Posting(
        id="MIDS-0412",
        institution="midlands",
        title="Head of Research Software Engineering",
        department="Research Engineering",
        places=(NOTTINGHAM,),
        remote="hybrid",
        posted_days_ago=6,
        closes_in_days=26,
        salary=Salary(62000, 74000, "GBP"),
        summary=(
            "The Midlands Institute for Data Science is looking for a Head of Research Software "
            "Engineering to lead its group of 18 research software engineers, who work with "
            "researchers across the seven partner universities. The group has grown quickly and "
            "now needs a leader to shape its next stage: a sustainable funding model, clear "
            "career paths and a portfolio of long-lived projects.",
            "The Head of RSE is a member of the Institute's senior management team.",
        ),
        duties=(
            "Lead the RSE group through three team leads and set its strategy.",
            "Develop the group's funding model, combining core funding and grant costings.",
            "Establish career pathways and development for RSEs across grades.",
            "Build relationships with researchers and partner universities.",
            "Represent the Institute in the UK RSE community.",
        ),
        qualifications=(
            "Extensive experience in research software engineering.",
            "Experience leading and managing technical teams.",
            "Experience of research funding and costing.",
            "A PhD or equivalent experience in a relevant field.",
        ),
    ),
    Posting(
        id="MIDS-0415",
        institution="midlands",
        title="Research Data Services Manager",
        department="Data Platforms",
        places=(BIRMINGHAM,),
        remote="hybrid",
        posted_days_ago=13,
        closes_in_days=20,
        salary=Salary(48000, 56000, "GBP"),
        summary=(
            "We are seeking a Research Data Services Manager to lead a team of four that helps "
            "researchers find, store, share and publish data. The team runs the Institute's data "
            "catalogue, its research data repository, and a consultancy service for data "
            "management plans, and it is about to launch a data-linkage service with local "
            "authorities.",
        ),
        duties=(
            "Manage a team of four data specialists.",
            "Run and improve the data catalogue and research data repository.",
            "Launch the new data-linkage service with partners.",
            "Provide advice on data management plans and funder policies.",
            "Report on service performance to the Institute's board.",
        ),
        qualifications=(
            "Experience delivering research data services.",
            "Line management experience.",
            "Knowledge of UK research funder data policies and FAIR principles.",
            "Degree in a relevant subject or equivalent experience.",
        ),
    ),
    Posting(
        id="MIDS-0419",
        institution="midlands",
        title="Director of Digital Research Infrastructure",
        department="Directorate",
        places=(NOTTINGHAM,),
        remote="hybrid",
        posted_days_ago=21,
        closes_in_days=30,
        salary=Salary(85000, 100000, "GBP"),
        summary=(
            "The Director of Digital Research Infrastructure leads all of the Institute's "
            "computing, data and software services, about 45 staff, and sets the strategy for "
            "shared digital research infrastructure across the partner universities. The "
            "Director reports to the Chief Executive and sits on the Executive Board.",
            "The next three years will see a new regional HPC and AI service, a federated "
            "trusted research environment, and the consolidation of data services.",
        ),
        duties=(
            "Set and deliver the digital research infrastructure strategy.",
            "Lead the heads of computing, data platforms and research engineering.",
            "Secure funding from national funders and partners.",
            "Oversee the procurement of the regional HPC and AI service.",
            "Ensure services are secure, sustainable and well governed.",
        ),
        qualifications=(
            "Senior leadership experience in digital research infrastructure or research "
            "computing.",
            "Experience of major procurements and large budgets.",
            "Experience of UK research funding and policy.",
            "The ability to build consensus across institutions.",
        ),
    ),
    Posting(
        id="MIDS-0421",
        institution="midlands",
        title="Lead Research Software Engineer, Health Data Science",
        department="Research Engineering",
        places=(BIRMINGHAM, NOTTINGHAM),
        remote="hybrid",
        posted_days_ago=3,
        closes_in_days=40,
        salary=Salary(52000, 60000, "GBP"),
        employment_type=("FULL_TIME", "TEMPORARY"),
        summary=(
            "This Lead Research Software Engineer will lead a team of four RSEs on a programme "
            "of health data science projects with NHS partners: reproducible analysis "
            "pipelines, synthetic data generation, and tools for clinical risk prediction. The "
            "post is fixed term for 36 months in the first instance, and can be based in "
            "Birmingham or Nottingham.",
        ),
        duties=(
            "Lead a team of four RSEs and plan their work with the programme's investigators.",
            "Design and build secure, reproducible analysis pipelines.",
            "Work within trusted research environments and their output-checking rules.",
            "Mentor team members and contribute to the Institute's RSE community.",
            "Publish software and contribute to papers.",
        ),
        qualifications=(
            "Extensive experience developing research software in Python or R.",
            "Experience leading technical work in a team.",
            "Experience with sensitive health data is desirable.",
            "A relevant degree or equivalent experience.",
        ),
    ),
    Posting(
        id="MIDS-0426",
        institution="midlands",
        title="Trusted Research Environment Service Owner",
        department="Data Platforms",
        places=(UK,),
        remote="remote",
        posted_days_ago=18,
        closes_in_days=12,
        salary=Salary(55000, 63000, "GBP"),
        summary=(
            "The Institute runs a trusted research environment used by 60 projects. As Service "
            "Owner you will be accountable for the service end to end: its roadmap, its "
            "accreditation, its budget and the experience of its users. You will lead a "
            "cross-functional team of five and work with data providers across the region. "
            "This role is remote within the UK, with monthly visits to Nottingham.",
        ),
        duties=(
            "Own the service roadmap, budget and performance.",
            "Lead the team that operates and supports the environment.",
            "Maintain accreditation and information governance standards.",
            "Manage relationships with data providers and research users.",
            "Plan the move to a federated model with partner environments.",
        ),
        qualifications=(
            "Experience owning or managing a technical service.",
            "Knowledge of information governance and the Five Safes framework.",
            "Experience leading a team.",
            "Strong communication with technical and non-technical audiences.",
        ),
    ),
    Posting(
        id="MIDS-0428",
        institution="midlands",
        title="Postdoctoral Research Associate in Causal Machine Learning",
        department="Methods Programme",
        places=(NOTTINGHAM,),
        remote="onsite",
        posted_days_ago=9,
        closes_in_days=22,
        salary=Salary(36000, 44000, "GBP"),
        employment_type=("FULL_TIME", "TEMPORARY"),
        summary=(
            "Applications are invited for a Postdoctoral Research Associate to develop causal "
            "machine learning methods for observational health data. You will join the Methods "
            "Programme and work with statisticians and clinicians on estimating treatment "
            "effects from electronic health records. The post is fixed term for 24 months.",
        ),
        duties=(
            "Develop and evaluate new causal inference methods.",
            "Apply methods to linked health datasets in a secure environment.",
            "Write papers and present at conferences.",
            "Help supervise MSc and PhD students.",
        ),
        qualifications=(
            "A PhD in statistics, machine learning or a related field.",
            "Publications in causal inference or machine learning.",
            "Programming skills in Python or R.",
        ),
    ),
    Posting(
        id="MIDS-0431",
        institution="midlands",
        title="Research Computing Platform Manager (HPC and Cloud)",
        department="Computing Services",
        places=(NOTTINGHAM,),
        remote="onsite",
        posted_days_ago=30,
        closes_in_days=-2,
        salary=Salary(50000, 58000, "GBP"),
        summary=(
            "The Research Computing Platform Manager leads the team of five that runs the "
            "Institute's HPC cluster and its private research cloud. You will manage day-to-day "
            "operations, plan capacity and lead the technical work on the new regional HPC and "
            "AI service.",
        ),
        duties=(
            "Manage the platform team and its on-call rota.",
            "Operate the HPC cluster and OpenStack research cloud.",
            "Lead capacity planning and technical input to procurements.",
            "Work with research engineering on user support and training.",
        ),
        qualifications=(
            "Experience running HPC or cloud platforms for research.",
            "Experience managing or leading a technical team.",
            "Knowledge of Slurm, OpenStack and Linux systems administration.",
        ),
    ),
    Posting(
        id="MIDS-0433",
        institution="midlands",
        title="Training and Community Lead, Research Computing Skills",
        department="Research Engineering",
        places=(BIRMINGHAM,),
        remote="hybrid",
        posted_days_ago=2,
        closes_in_days=33,
        salary=Salary(46000, 52000, "GBP", note="pro rata"),
        employment_type=("PART_TIME",),
        summary=(
            "We are looking for a Training and Community Lead (0.6 FTE) to lead the Institute's "
            "programme of research computing skills training and its regional community of "
            "practice. You will coordinate a team of volunteer instructors from the partner "
            "universities and a training officer, and build pathways from first workshop to RSE "
            "career.",
        ),
        duties=(
            "Lead the training programme and coordinate instructors.",
            "Develop courses in HPC, research software and data skills.",
            "Grow the regional community of practice and its events.",
            "Evaluate training and report on reach and inclusion.",
        ),
        qualifications=(
            "Experience designing and delivering technical training.",
            "Experience coordinating people or volunteers.",
            "Knowledge of research computing or software development.",
        ),
    ),
    Posting(
        id="MIDS-0437",
        institution="midlands",
        title="Research Software Engineering Team Lead, Geospatial and Environment",
        department="Research Engineering",
        places=(NOTTINGHAM,),
        remote="hybrid",
        posted_days_ago=38,
        closes_in_days=11,
        salary=Salary(50000, 58000, "GBP"),
        summary=(
            "The Geospatial and Environment team builds software for flood modelling, air "
            "quality, land use and net-zero planning with researchers and local authorities. As "
            "Team Lead you will manage five RSEs, shape the team's project portfolio and keep "
            "your own hand in the code.",
        ),
        duties=(
            "Line manage five RSEs and plan the team's work.",
            "Lead technical design for geospatial data platforms and models.",
            "Scope projects with researchers and contribute to bids.",
            "Maintain software quality and sustainability practices.",
        ),
        qualifications=(
            "Significant experience developing geospatial or environmental software.",
            "Experience leading a team or large technical project.",
            "Skills in Python, PostGIS and cloud-native geospatial formats.",
        ),
    ),
    # Alpine Research Computing Centre (Greenhouse) -------------------------------------------
    Posting(
        id="5102331",
        institution="alpine",
        title="Head of Scientific Computing",
        department="Scientific Computing",
        places=(CHUR,),
        remote="onsite",
        posted_days_ago=5,
        closes_in_days=40,
        salary=Salary(150000, 180000, "CHF"),
        summary=(
            "ARCC is looking for a Head of Scientific Computing to lead its Scientific Computing "
            "division of 35 staff: application specialists, research software engineers and "
            "computational scientists who help research communities get the most out of ARCC's "
            "systems. You will report to the Director of ARCC and be a member of its management "
            "board.",
            "The division is central to ARCC's co-design programme with climate, materials and "
            "life-science communities and to the preparation of its next flagship system.",
        ),
        duties=(
            "Lead the Scientific Computing division and its four group leaders.",
            "Set the division's strategy and its co-design programme with user communities.",
            "Secure and manage third-party funding from national and European programmes.",
            "Represent ARCC in international scientific computing initiatives.",
            "Contribute to the specification of ARCC's next flagship system.",
        ),
        qualifications=(
            "A PhD in computational science or a related field.",
            "Ten years of experience in scientific computing and HPC applications.",
            "Several years of experience leading a team of scientists or engineers.",
            "Excellent English; German is an advantage.",
        ),
    ),
    Posting(
        id="5102347",
        institution="alpine",
        title="HPC Operations Team Lead",
        department="Systems and Operations",
        places=(CHUR,),
        remote="onsite",
        posted_days_ago=11,
        closes_in_days=30,
        salary=Salary(125000, 145000, "CHF"),
        summary=(
            "The HPC Operations team runs ARCC's flagship system and its supporting services "
            "around the clock. As Team Lead you will guide a team of eight engineers, organize "
            "on-call and maintenance, and make sure users experience a reliable, secure service.",
        ),
        duties=(
            "Lead the HPC operations team of eight engineers.",
            "Plan maintenance, upgrades and incident response.",
            "Coordinate with storage, network and user support teams.",
            "Drive automation and monitoring improvements.",
            "Report on availability and service metrics.",
        ),
        qualifications=(
            "Five years of experience operating large Linux HPC systems.",
            "Experience with Slurm, Cray or HPE systems, and parallel file systems.",
            "Experience leading a technical team.",
            "Fluent English; German is an asset.",
        ),
    ),
    Posting(
        id="5102352",
        institution="alpine",
        title="Associate Director, Research Cloud",
        department="Cloud and Data Services",
        places=(GARMISCH,),
        remote="hybrid",
        posted_days_ago=16,
        closes_in_days=28,
        salary=Salary(95000, 115000, "EUR"),
        summary=(
            "ARCC operates a federated research cloud spanning its two sites and three partner "
            "universities. The Associate Director, Research Cloud leads the 12-person cloud "
            "division from Garmisch-Partenkirchen and is responsible for its platforms, its "
            "federation agreements and its growth into managed services for research groups.",
        ),
        duties=(
            "Lead the research cloud division and its two team leads.",
            "Own the OpenStack and Kubernetes platforms and their roadmap.",
            "Negotiate and manage federation agreements with partners.",
            "Develop new managed services and the cost model behind them.",
            "Work with the Head of Scientific Computing on integrated HPC and cloud workflows.",
        ),
        qualifications=(
            "Experience leading cloud infrastructure teams.",
            "Knowledge of OpenStack, Kubernetes and federated identity.",
            "Experience in research or academic environments.",
            "Fluent English and German.",
        ),
    ),
    Posting(
        id="5102360",
        institution="alpine",
        title="Manager, User Support and Co-Design",
        department="Scientific Computing",
        places=(CHUR, GARMISCH),
        remote="hybrid",
        posted_days_ago=8,
        closes_in_days=50,
        summary=(
            "The User Support and Co-Design group is the first point of contact for the 1,800 "
            "researchers who use ARCC. The Manager leads the group's ten specialists at both "
            "sites, runs the allocation process and organizes the hackathons and co-design "
            "projects that bring researchers and engineers together.",
        ),
        duties=(
            "Manage the user support group across two sites.",
            "Run the ticket system, documentation and allocation process.",
            "Organize hackathons, training and co-design projects.",
            "Track user satisfaction and service improvements.",
        ),
        qualifications=(
            "A degree in a scientific or technical field.",
            "Experience in HPC user support or research computing.",
            "Experience managing a team.",
            "Good English and German.",
        ),
    ),
    Posting(
        id="5102368",
        institution="alpine",
        title="Principal Research Software Engineer, Climate and Weather Codes",
        department="Scientific Computing",
        places=(CHUR,),
        remote="hybrid",
        posted_days_ago=24,
        closes_in_days=19,
        salary=Salary(130000, 150000, "CHF"),
        summary=(
            "ARCC partners with national weather services and climate research groups to run "
            "their models at kilometre scale. The Principal Research Software Engineer leads "
            "the technical work on porting and optimizing these codes for GPU systems, guiding "
            "a group of four engineers and working with model developers across Europe.",
        ),
        duties=(
            "Lead the technical strategy for climate and weather codes on ARCC systems.",
            "Guide four engineers on porting, optimization and performance portability.",
            "Collaborate with model developers at partner institutions.",
            "Contribute to European exascale projects and publications.",
        ),
        qualifications=(
            "A PhD in a computational field or equivalent experience.",
            "Extensive experience with Fortran, C++ and GPU programming.",
            "Experience with climate or weather models.",
            "Experience as a technical lead.",
        ),
    ),
    Posting(
        id="5102371",
        institution="alpine",
        title="Data Management Group Leader",
        department="Cloud and Data Services",
        places=(GARMISCH,),
        remote="onsite",
        posted_days_ago=1,
        closes_in_days=55,
        salary=Salary(85000, 100000, "EUR"),
        summary=(
            "ARCC's Data Management group runs 120 PB of storage and archive, and the services "
            "that let researchers share and publish their data. The Group Leader leads seven "
            "engineers, sets the group's roadmap and represents ARCC in national research data "
            "infrastructure initiatives.",
        ),
        duties=(
            "Lead the data management group and plan its work.",
            "Own storage and archive services and their lifecycle.",
            "Develop data-sharing and publication services.",
            "Represent ARCC in research data infrastructure initiatives.",
        ),
        qualifications=(
            "Experience with large-scale storage systems and research data management.",
            "Experience leading a team.",
            "Knowledge of object storage, tape archives and data catalogues.",
            "Fluent German and English.",
        ),
    ),
    Posting(
        id="5102385",
        institution="alpine",
        title="HPC Systems Engineer",
        department="Systems and Operations",
        places=(CHUR,),
        remote="onsite",
        posted_days_ago=13,
        closes_in_days=25,
        salary=Salary(100000, 120000, "CHF"),
        summary=(
            "As an HPC Systems Engineer in the Systems and Operations team you will help run "
            "ARCC's flagship system: deploying software, automating operations, debugging "
            "problems and working with vendors. You will join the on-call rota after onboarding.",
        ),
        duties=(
            "Install, configure and maintain HPC system software.",
            "Automate deployments with Ansible and CI pipelines.",
            "Investigate and resolve system issues.",
            "Contribute to monitoring and documentation.",
        ),
        qualifications=(
            "A degree in computer science or equivalent.",
            "Experience with Linux system administration and scripting.",
            "Interest in HPC, networks and storage.",
        ),
    ),
    Posting(
        id="5102390",
        institution="alpine",
        title="Payroll and HR Administrator",
        department="Human Resources",
        places=(CHUR,),
        remote="onsite",
        posted_days_ago=29,
        closes_in_days=12,
        employment_type=("PART_TIME",),
        summary=(
            "Our Human Resources team is looking for a Payroll and HR Administrator (80%) to "
            "run monthly payroll for ARCC's staff in Switzerland and Germany and to support the "
            "HR team with contracts, onboarding and staff records.",
        ),
        duties=(
            "Process monthly payroll for two countries.",
            "Prepare employment contracts and certificates.",
            "Maintain staff records in the HR system.",
            "Answer staff questions on pay and social insurance.",
        ),
        qualifications=(
            "Commercial training with a qualification in HR or payroll.",
            "Experience with Swiss payroll; German payroll is an asset.",
            "Fluent German and good English.",
        ),
    ),
    # Coral Sea University of Technology (RSS feed) --------------------------------------------
    Posting(
        id="CSUT-3381",
        institution="coralsea",
        title="Director, eResearch",
        department="Office of the Deputy Vice-Chancellor (Research)",
        places=(BRISBANE,),
        remote="hybrid",
        posted_days_ago=4,
        closes_in_days=32,
        salary=Salary(190000, 215000, "AUD", note="plus 17% superannuation"),
        summary=(
            "Coral Sea University of Technology is seeking a Director, eResearch to lead its "
            "eResearch Office: 28 staff delivering research computing, storage, research "
            "software engineering and data services to researchers on both campuses. Reporting "
            "to the Deputy Vice-Chancellor (Research), the Director will lead the University's "
            "digital research capability plan and its engagement with national research "
            "infrastructure.",
        ),
        duties=(
            "Lead the eResearch Office and its three teams.",
            "Develop and deliver the digital research capability plan.",
            "Manage the eResearch budget and co-investment in national infrastructure.",
            "Build partnerships with faculties, research institutes and industry partners.",
            "Champion research computing for First Nations research partnerships.",
        ),
        qualifications=(
            "A postgraduate qualification and senior leadership experience in eResearch or "
            "research computing.",
            "Experience of national research infrastructure and funding.",
            "Demonstrated success leading change in a university.",
            "Outstanding communication and relationship skills.",
        ),
    ),
    Posting(
        id="CSUT-3384",
        institution="coralsea",
        title="Manager, Research Software and Data Engineering",
        department="eResearch Office",
        places=(BRISBANE,),
        remote="hybrid",
        posted_days_ago=10,
        closes_in_days=24,
        salary=Salary(140000, 155000, "AUD", note="plus superannuation"),
        summary=(
            "The eResearch Office is hiring a Manager to lead its team of eight research "
            "software and data engineers. The team builds platforms for marine monitoring, "
            "tropical health and manufacturing research, and is responsible for the "
            "University's research software standards.",
        ),
        duties=(
            "Manage eight research software and data engineers.",
            "Scope and plan projects with researchers and partners.",
            "Set standards for research software quality and sustainability.",
            "Contribute to grant applications and partnership agreements.",
            "Build the team's capability in cloud and data engineering.",
        ),
        qualifications=(
            "Experience leading software or data engineering teams.",
            "Hands-on experience with Python, cloud platforms and data pipelines.",
            "Experience working with researchers.",
            "A relevant degree or equivalent experience.",
        ),
    ),
    Posting(
        id="CSUT-3390",
        institution="coralsea",
        title="HPC and Research Infrastructure Team Leader",
        department="eResearch Office",
        places=(TOWNSVILLE,),
        remote="onsite",
        posted_days_ago=19,
        closes_in_days=16,
        salary=Salary(125000, 138000, "AUD", note="plus superannuation"),
        summary=(
            "Based on the Townsville campus, the HPC and Research Infrastructure Team Leader "
            "leads the five-person team that runs the University's HPC cluster, research storage "
            "and instrument data systems, including the data flows from the marine research "
            "station.",
        ),
        duties=(
            "Lead the infrastructure team and coordinate its work across campuses.",
            "Operate the HPC cluster, storage and instrument data systems.",
            "Plan upgrades and lifecycle replacement.",
            "Provide advanced support to researchers.",
        ),
        qualifications=(
            "Experience administering HPC and storage systems.",
            "Experience leading a technical team.",
            "Knowledge of Slurm, Linux and scripting.",
            "Willingness to travel between campuses.",
        ),
    ),
    Posting(
        id="CSUT-3392",
        institution="coralsea",
        title="Research Data Services Manager, Marine and Reef Data",
        department="eResearch Office",
        places=(TOWNSVILLE, BRISBANE),
        remote="hybrid",
        posted_days_ago=7,
        closes_in_days=38,
        summary=(
            "The University holds two decades of reef monitoring, oceanographic and imagery "
            "data. The Research Data Services Manager leads the four-person team that curates, "
            "publishes and shares this data with researchers, government agencies and "
            "Traditional Owner groups. The position can be based in Townsville or Brisbane.",
        ),
        duties=(
            "Lead the marine data services team.",
            "Manage data curation, publication and access services.",
            "Implement data governance, including Indigenous data sovereignty principles.",
            "Work with national marine data infrastructure partners.",
        ),
        qualifications=(
            "Experience managing research data services.",
            "Knowledge of marine or environmental data standards.",
            "Experience supervising staff.",
            "Understanding of the CARE principles for Indigenous data governance.",
        ),
    ),
    Posting(
        id="CSUT-3395",
        institution="coralsea",
        title="Associate Director, Research Cloud and Platforms",
        department="eResearch Office",
        places=(AUSTRALIA,),
        remote="remote",
        posted_days_ago=35,
        closes_in_days=13,
        salary=Salary(165000, 180000, "AUD", note="plus superannuation"),
        summary=(
            "The Associate Director, Research Cloud and Platforms leads the University's "
            "research cloud, virtual research environments and platform services, with a team "
            "of six. This role is fully remote within Australia, with quarterly travel to "
            "Brisbane.",
        ),
        duties=(
            "Lead the research cloud and platforms team.",
            "Set the roadmap for cloud, virtual desktops and notebooks.",
            "Manage the relationship with national research cloud providers.",
            "Develop the cost model and service agreements.",
        ),
        qualifications=(
            "Senior experience leading cloud or platform teams.",
            "Knowledge of OpenStack, public cloud and virtual desktop platforms.",
            "Experience in a research or university setting.",
        ),
    ),
    Posting(
        id="CSUT-3399",
        institution="coralsea",
        title="Lead Research Software Engineer, Bioinformatics",
        department="Institute for Tropical Health",
        places=(BRISBANE,),
        remote="hybrid",
        posted_days_ago=15,
        closes_in_days=44,
        salary=Salary(128000, 140000, "AUD", note="plus superannuation"),
        summary=(
            "The Institute for Tropical Health generates large sequencing datasets from "
            "pathogen surveillance and clinical studies. The Lead Research Software Engineer "
            "leads a team of three building the Institute's bioinformatics pipelines and "
            "platforms, in close partnership with the eResearch Office.",
        ),
        duties=(
            "Lead the bioinformatics engineering team.",
            "Develop and maintain Nextflow pipelines and their infrastructure.",
            "Support researchers in running analyses at scale.",
            "Promote reproducible research practices.",
        ),
        qualifications=(
            "Experience developing bioinformatics software and pipelines.",
            "Experience with HPC and cloud computing.",
            "Experience leading a small team or projects.",
        ),
    ),
    Posting(
        id="CSUT-3402",
        institution="coralsea",
        title="HPC Systems Administrator",
        department="eResearch Office",
        places=(TOWNSVILLE,),
        remote="onsite",
        posted_days_ago=3,
        closes_in_days=21,
        salary=Salary(95000, 105000, "AUD", note="plus superannuation"),
        summary=(
            "Join the HPC and Research Infrastructure team in Townsville as an HPC Systems "
            "Administrator. You will look after the University's cluster, storage and research "
            "virtual machines, help researchers with their jobs, and take part in upgrades.",
        ),
        duties=(
            "Administer Linux HPC and storage systems.",
            "Respond to researcher support requests.",
            "Automate routine tasks and improve monitoring.",
            "Contribute to system upgrades and documentation.",
        ),
        qualifications=(
            "Experience with Linux system administration.",
            "Scripting skills in Bash or Python.",
            "Some experience with HPC schedulers.",
        ),
    ),
    Posting(
        id="CSUT-3405",
        institution="coralsea",
        title="Communications Officer, Faculty of Engineering",
        department="Faculty of Engineering",
        places=(BRISBANE,),
        remote="hybrid",
        posted_days_ago=12,
        closes_in_days=18,
        salary=Salary(85000, 92000, "AUD", note="plus superannuation"),
        summary=(
            "The Faculty of Engineering is seeking a Communications Officer to tell the stories "
            "of its research, students and industry partnerships through news, social media and "
            "events.",
        ),
        duties=(
            "Write news stories and social media content.",
            "Coordinate faculty events and publications.",
            "Maintain faculty web pages.",
            "Work with the University media team.",
        ),
        qualifications=(
            "A degree in communications, journalism or similar.",
            "Excellent writing and editing skills.",
            "Experience with social media and web content.",
        ),
    ),
    Posting(
        id="CSUT-3408",
        institution="coralsea",
        title="Program Manager, Digital Research Capability",
        department="Office of the Deputy Vice-Chancellor (Research)",
        places=(BRISBANE,),
        remote="hybrid",
        posted_days_ago=25,
        closes_in_days=28,
        summary=(
            "The Program Manager, Digital Research Capability coordinates the University's "
            "five-year program of investment in research computing, data and software. Working "
            "with the Director, eResearch, you will manage a portfolio of 14 projects, their "
            "budgets and their reporting to the University's research committee.",
        ),
        duties=(
            "Manage the digital research capability program and its governance.",
            "Coordinate project managers and technical leads.",
            "Track budgets, risks and benefits.",
            "Prepare reports and briefings for senior leaders.",
        ),
        qualifications=(
            "Experience managing programs of technical projects.",
            "Understanding of research computing and data infrastructure.",
            "Excellent stakeholder management and writing skills.",
        ),
    ),
)
