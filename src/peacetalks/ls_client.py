"""Connection to Label Studio through label-studio-sdk 2.x, with bounded retries.

Every call goes through `LS.call`, so transient faults (connection refused or reset, timeouts,
HTTP 5xx) are retried a bounded number of times with exponential backoff, then turned into one
`LabelStudioError` that names what we were doing. The SDK's own retries are switched off so the
policy lives in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import httpx
from label_studio_sdk.client import LabelStudio
from label_studio_sdk.core.api_error import ApiError
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from .errors import LabelStudioError

T = TypeVar("T")

URL_ENV = "PEACETALKS_LS_URL"
TOKEN_ENV = "PEACETALKS_LS_TOKEN"


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, (httpx.TransportError, httpx.TimeoutException)):
        return True
    if isinstance(exc, ApiError):
        return exc.status_code is None or exc.status_code >= 500
    return False


def _not_sent(exc: BaseException) -> bool:
    return isinstance(exc, httpx.ConnectError)


def describe(exc: BaseException) -> str:
    """A short reason without headers (which could carry the token)."""
    if isinstance(exc, ApiError):
        body = str(exc.body)
        return f"HTTP {exc.status_code}: {body[:300]}"
    return f"{type(exc).__name__}: {exc}"


@dataclass
class RetryPolicy:
    attempts: int = 5
    initial: float = 0.5
    maximum: float = 8.0


class LS:
    """A Label Studio connection: `.sdk` is the SDK client, `.call` runs a call with retries."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 120.0,
                 retry: RetryPolicy | None = None):
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        # Keep-alive makes each request stall ~50 ms against Label Studio's dev server.
        self.http = httpx.Client(timeout=timeout, follow_redirects=True,
                                 limits=httpx.Limits(max_keepalive_connections=0))
        self.sdk = LabelStudio(base_url=self.base_url, api_key=api_key, httpx_client=self.http,
                               timeout=timeout, max_retries=0)
        self._api_key = api_key

    def __repr__(self) -> str:
        return f"LS({self.base_url!r})"

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> LS:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, what: str, fn: Callable[..., T], *args: Any, idempotent: bool = True,
             **kwargs: Any) -> T:
        """Run `fn` with retries. A call that creates something (idempotent=False) is retried
        only when the connection was refused, i.e. the request surely never arrived: a retry
        after a timeout could create it twice."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retry.attempts),
            wait=wait_exponential(multiplier=self.retry.initial, max=self.retry.maximum),
            retry=retry_if_exception(_transient if idempotent else _not_sent),
            reraise=False,
        )
        try:
            return retrying(fn, *args, **kwargs)
        except RetryError as exc:
            last = exc.last_attempt.exception()
            raise LabelStudioError(
                f"Label Studio at {self.base_url}: {what} failed after "
                f"{self.retry.attempts} attempts ({describe(last)})") from None
        except ApiError as exc:
            raise LabelStudioError(
                f"Label Studio at {self.base_url}: {what} failed ({describe(exc)})") from None

    def request(self, what: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A raw API call (for endpoints the SDK does not cover well), same retry policy."""

        def go() -> httpx.Response:
            r = self.http.request(method, f"{self.base_url}{path}",
                                  headers={"Authorization": f"Token {self._api_key}"}, **kwargs)
            if r.status_code >= 400:
                raise ApiError(status_code=r.status_code, body=r.text)
            return r

        return self.call(what, go)

    # --- projects -------------------------------------------------------------------------

    def find_project(self, title: str) -> Any | None:
        def lookup() -> Any | None:
            for p in self.sdk.projects.list(title=title, page_size=100):
                if p.title == title:
                    return p
            return None

        return self.call(f"look up project {title!r}", lookup)

    def project_id(self, title: str) -> int:
        project = self.find_project(title)
        if project is None:
            raise LabelStudioError(
                f"Label Studio at {self.base_url} has no project titled {title!r} "
                "(run `peacetalks ls serve` to create it)")
        return int(project.id)

    def ensure_project(self, title: str, label_config: str, description: str = "") -> int:
        """Create the project, or update its labeling config when it changed."""
        project = self.find_project(title)
        if project is None:
            created = self.call(f"create project {title!r}", self.sdk.projects.create,
                                idempotent=False,
                                title=title, label_config=label_config, description=description)
            return int(created.id)
        if (project.label_config or "").strip() != label_config.strip():
            self.call(f"update labeling config of {title!r}", self.sdk.projects.update,
                      id=project.id, label_config=label_config)
        return int(project.id)

    def invite_link(self, reset: bool = False) -> str:
        """The sign-up link of the server's organisation, for a new annotator to create their
        own account (self sign-up without a link is disabled). `reset` issues a new link,
        which invalidates every earlier one. The e-mail address an annotator signs up with
        stays on the server: pulls read numeric user ids only."""
        orgs = self.sdk.organizations
        got = (self.call("reset the invite link", orgs.reset_token, idempotent=False)
               if reset else self.call("get the invite link", orgs.invites.get_invite_link))
        if not got.token:
            raise LabelStudioError(f"Label Studio at {self.base_url} returned no invite token")
        return f"{self.base_url}/user/signup/?token={got.token}"


def connect(base_url: str | None = None, api_key: str | None = None) -> LS:
    """Connect from explicit values, else $PEACETALKS_LS_URL / $PEACETALKS_LS_TOKEN."""
    base_url = base_url or os.environ.get(URL_ENV)
    api_key = api_key or os.environ.get(TOKEN_ENV)
    if not base_url or not api_key:
        raise LabelStudioError(
            "no Label Studio connection: start one with `peacetalks ls serve`, or set "
            f"{URL_ENV} and {TOKEN_ENV}")
    return LS(base_url, api_key)
