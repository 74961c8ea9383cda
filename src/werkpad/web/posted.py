"""The submitted form of a POST, read before the handler runs.

Reading a request body is asynchronous, so a handler that awaited ``request.form()`` had to be
``async def`` and then ran its database and argon2 work on the event loop, stalling every other
request of the worker (issue 14). Handlers take the form as this dependency instead and stay
plain ``def``: FastAPI awaits the body on the loop and runs the handler in its thread pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData


async def posted_form(request: Request) -> FormData:
    """The form of this request (parsed once; Starlette keeps it on the request, so the CSRF
    check reads the same one)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]
