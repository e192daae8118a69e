"""Id types every app's API uses, strict where JSON could smuggle in another type.

A JSON body's id must be a JSON integer: pydantic's lax mode would read `true` as 1 and
`"7"` as 7, and a client that sends those has a bug we should report, not guess around. Query
and path parameters arrive as text, so they are parsed (and bounded) instead.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field
from pydantic import StrictInt

# The largest value a 64-bit primary key holds; a larger one is a 422, not a database error.
MAX_ID = 2**63 - 1

# An id in a JSON body.
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
# An id in a query string.
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
