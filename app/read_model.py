"""The read models: what readers need, kept beside the history in the writing transaction.

- `company_status` (`app/endorsements/status.py`): each company's status and deciding events;
- `published_status`, `published_status_count`, `restricted_status`
  (`app/updates/published.py`): each company's latest published status per principle, the
  counts the statistics show, and the latest status counting restricted entries too;
- `stat_contribution`, `stat_counter` (`app/stats/counters.py`): what each company adds to the
  statistics' counters, and the counters;
- `company_document`, `company_item`, `company_page_part`, `company_table_row`
  (`app/companies/documents.py`): each company's detail and its list item as served, and its
  parts of the web pages;
- `update_document`, `update_restricted_document` (`app/updates/documents.py`): each submitted
  update as served, to the public and to those who see restricted entries.

The history (events, updates) is the truth; `rebuild` recomputes every read model from it.
"""

from sqlalchemy import func, select
from sqlmodel import Session

from app.companies import documents
from app.core.db import transactional
from app.endorsements import status
from app.endorsements.models import CompanyStatus
from app.updates import documents as update_documents
from app.updates import published


@transactional
def rebuild(session: Session) -> int:
    """`vpr rebuild`: every read model recomputed in one transaction; how many companies."""
    status.rebuild(session)
    published.rebuild(session)
    documents.rebuild(session)  # last: a document shows the rows rebuilt above
    update_documents.rebuild(session)
    return int(session.execute(select(func.count()).select_from(CompanyStatus)).scalar_one())


def fill(session: Session) -> int:
    """The stored documents and read-model rows a migration left missing (`vpr migrate` runs
    it after the migrations), made from the history; how many."""
    return documents.fill(session) + update_documents.fill(session) + published.fill(session)
