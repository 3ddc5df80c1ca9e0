"""Writes that touch several models, one module per use case.

Plain keyword-only functions named `<thing>_<verb>`; each validates with `full_clean()` before saving
and runs in one transaction, so that a failed import leaves nothing behind.

- `records`: the series, countries, organisations, institutions, people and positions a summary names.
- `publishing`: a meeting published (now or for later), withdrawn, or made a draft again.
- `importing`: a recognised summary saved as a meeting, or put again over its meeting's draft.
- `restoring`: a meeting and its parts put back as they were at a moment of their history.

Unpublished changes of a published meeting (its working copy and their review) are `meetings.revisions`.
"""
