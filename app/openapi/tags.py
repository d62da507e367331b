"""What each group of operations is for, shown by /docs and generated clients."""

TAGS = [
    {"name": "index", "description": "Where to start: the API's links, coverage and licence."},
    {
        "name": "principles",
        "description": "The framework: its versions, 7 themes and 11 principles, each linking "
        "its official text.",
    },
    {
        "name": "companies",
        "description": "Companies that endorsed the principles, with former names, the sourced "
        "history of each endorsement and the latest status they reported per principle. "
        "Endorsement is not implementation. Administrators curate them.",
    },
    {
        "name": "endorsements",
        "description": "Endorsement events across companies, each with its source and the "
        "precision of its date.",
    },
    {"name": "milestones", "description": "Dated, sourced events in the principles' history."},
    {
        "name": "updates",
        "description": "Implementation updates: companies draft, edit (If-Match), submit and "
        "amend their own; everyone reads what is published, governments also restricted parts.",
    },
    {
        "name": "reviews",
        "description": "Governments acknowledge an update or ask a follow-up; the company "
        "answers. Seen by the company, governments and administrators.",
    },
    {
        "name": "reporting cycles",
        "description": "Rounds of reporting with a due date: who was asked, who submitted on "
        "time or late, who is overdue.",
    },
    {
        "name": "changes",
        "description": "Every change you may see, in commit order, for mirrors and dashboards "
        "that poll (follow `next`).",
    },
    {
        "name": "statistics",
        "description": "Counts computed from the read model: endorsers over time (certain and "
        "possible), coverage, adoption per principle, compliance per cycle, breakdowns.",
    },
    {"name": "search", "description": "Full-text search over companies and published updates."},
    {
        "name": "exports",
        "description": "The public data as tidy CSV tables and NDJSON documents with a "
        "Frictionless data package (CC-BY-4.0), made once per data version, with checksums.",
    },
    {"name": "keys", "description": "API keys: administrators issue, rotate and revoke them."},
    {"name": "audit", "description": "Every write, who made it and digests of before and after."},
    {
        "name": "log",
        "description": "The tamper-evident log of every public change (RFC 9162 Merkle tree): "
        "signed checkpoints, inclusion and consistency proofs, a record's leaves.",
    },
    {"name": "operations", "description": "Liveness, readiness and Prometheus metrics."},
]
