"""OpenID Connect sign-in (issue 15): the authorization code flow with PKCE, state and nonce
against the organisation's identity provider (Entra ID, Keycloak, ...).

``OidcClient.begin`` makes the provider's authorization URL and the values the browser keeps
until it comes back (state, nonce, PKCE verifier); ``OidcClient.finish`` trades the code for
tokens and validates the ID token: signature with a key of the provider's JWKS (asymmetric
algorithms only), issuer, audience (and ``azp``), nonce, expiry and issue time. Anything wrong
is an ``OidcRefused`` with a Dutch message the login page shows; nothing else escapes.

``sign_in_user`` maps the token's groups to one werkpad role and finds the werkpad user by the
provider's stable subject (``iss`` + ``sub``), or provisions one at the first sign-in
(docs/security.md, "OpenID Connect").
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from werkpad.config import OidcSettings
from werkpad.services.audit import normalise_username, record_event, utc_now
from werkpad.store.models import OidcIdentity, User

# Asymmetric only: an HS256 token would be "signed" with our own client secret, and "none"
# is no signature at all.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60  # clock difference tolerated between us and the provider
# The ``amr`` value (RFC 8176) by which the provider asserts it checked more than one factor.
MFA_AMR = "mfa"
NO_PASSWORD = "!oidc"  # the password hash of a provisioned account: no password works

PROVIDER_UNREACHABLE = (
    "De organisatie-account kon niet worden bereikt. Probeer het later opnieuw of log in met "
    "je gebruikersnaam en wachtwoord."
)
TOKEN_REFUSED = (
    "Inloggen met de organisatie-account is mislukt: het antwoord van de organisatie-account "
    "klopt niet of is verlopen. Probeer het opnieuw."
)
STATE_WRONG = (
    "Inloggen met de organisatie-account is mislukt: deze aanmelding is verlopen of niet hier "
    "begonnen. Probeer het opnieuw."
)
NO_ROLE = (
    "Je organisatie-account hoort niet bij een groep die toegang geeft tot werkpad. Vraag de "
    "beheerder om je aan de juiste groep toe te voegen."
)
ACCOUNT_INACTIVE = "Je werkpad-account is uitgezet. Neem contact op met de beheerder."
PROVIDER_REFUSED = "De organisatie-account heeft de aanmelding geweigerd. Probeer het opnieuw."


class OidcRefused(Exception):
    """A sign-in that must not go on; ``message`` is for the user, ``reason`` for the log."""

    def __init__(self, message: str, reason: str, claims: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason
        self.claims = claims or {}


@dataclass(frozen=True)
class LoginStart:
    """What the browser keeps (in a signed, short-lived cookie) between leaving for the
    provider and coming back."""

    state: str
    nonce: str
    verifier: str
    next_path: str | None


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    """One provider's endpoints and keys, fetched at first use and kept (the keys again when a
    token names a key id we do not have: the provider rotated its keys)."""

    def __init__(self, settings: OidcSettings, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self._transport = transport
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    def _http(self) -> httpx.Client:
        return httpx.Client(timeout=self.settings.timeout, transport=self._transport)

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            with self._http() as http:
                response = http.get(url)
                response.raise_for_status()
                data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcRefused(PROVIDER_UNREACHABLE, f"GET {url}: {exc}") from exc
        if not isinstance(data, dict):
            raise OidcRefused(PROVIDER_UNREACHABLE, f"GET {url}: not a JSON object")
        return data

    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            data = self._get_json(f"{self.settings.issuer}/.well-known/openid-configuration")
            if str(data.get("issuer", "")).rstrip("/") != self.settings.issuer:
                raise OidcRefused(PROVIDER_UNREACHABLE, "discovery names another issuer")
            for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(data.get(field), str):
                    raise OidcRefused(PROVIDER_UNREACHABLE, f"discovery lacks {field}")
            self._metadata = data
        return self._metadata

    def _keyset(self, kid: str | None) -> KeySet:
        known = self._keys is not None and (
            kid is None or any(key.kid == kid for key in self._keys.keys)
        )
        if not known:
            data = self._get_json(str(self.metadata()["jwks_uri"]))
            try:
                self._keys = KeySet.import_key_set(data)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError) as exc:
                raise OidcRefused(PROVIDER_UNREACHABLE, f"JWKS unreadable: {exc}") from exc
        assert self._keys is not None
        return self._keys

    def begin(self, redirect_uri: str, next_path: str | None) -> tuple[str, LoginStart]:
        """The provider's authorization URL to send the browser to, and what to keep."""
        start = LoginStart(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            verifier=secrets.token_urlsafe(64),
            next_path=next_path,
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.settings.client_id,
                "redirect_uri": redirect_uri,
                "scope": "openid profile email",
                "state": start.state,
                "nonce": start.nonce,
                "code_challenge": _challenge(start.verifier),
                "code_challenge_method": "S256",
            }
        )
        endpoint = str(self.metadata()["authorization_endpoint"])
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}", start

    def finish(
        self, code: str, redirect_uri: str, start: LoginStart, now: float | None = None
    ) -> dict[str, Any]:
        """Trade the code for tokens; the validated claims of the ID token."""
        try:
            with self._http() as http:
                response = http.post(
                    str(self.metadata()["token_endpoint"]),
                    data={
                        "grant_type": "authorization_code",
                        "code": code,
                        "redirect_uri": redirect_uri,
                        "code_verifier": start.verifier,
                    },
                    auth=(self.settings.client_id, self.settings.client_secret),
                    headers={"Accept": "application/json"},
                )
                body = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcRefused(PROVIDER_UNREACHABLE, f"token endpoint: {exc}") from exc
        if not isinstance(body, dict) or not isinstance(body.get("id_token"), str):
            raise OidcRefused(TOKEN_REFUSED, f"token endpoint answered {response.status_code}")
        return self.validate(body["id_token"], start.nonce, now)

    def validate(self, id_token: str, nonce: str, now: float | None = None) -> dict[str, Any]:
        """The claims of ``id_token`` when its signature, issuer, audience, nonce and times
        hold; else ``OidcRefused``."""
        try:
            header = jws.extract_compact(id_token.encode("ascii")).headers()
        except (JoseError, ValueError, TypeError, UnicodeError) as exc:
            raise OidcRefused(TOKEN_REFUSED, f"id_token unreadable: {exc}") from exc
        if header.get("alg") not in ALGORITHMS:
            raise OidcRefused(TOKEN_REFUSED, f"id_token algorithm {header.get('alg')!r}")
        try:
            token = jwt.decode(id_token, self._keyset(header.get("kid")), algorithms=ALGORITHMS)
        except (JoseError, ValueError, TypeError) as exc:
            raise OidcRefused(TOKEN_REFUSED, f"id_token signature: {exc}") from exc
        claims = dict(token.claims)
        self._check_claims(claims, nonce, time.time() if now is None else now)
        return claims

    def _check_claims(self, claims: dict[str, Any], nonce: str, now: float) -> None:
        def refuse(reason: str) -> OidcRefused:
            return OidcRefused(TOKEN_REFUSED, reason, claims)

        if str(claims.get("iss", "")).rstrip("/") != self.settings.issuer:
            raise refuse("id_token issuer")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.settings.client_id not in audiences:
            raise refuse("id_token audience")
        if len(audiences) > 1 and claims.get("azp") != self.settings.client_id:
            raise refuse("id_token azp")
        if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(
            str(claims["nonce"]), nonce
        ):
            raise refuse("id_token nonce")
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(exp, int | float) or exp + LEEWAY_SECONDS < now:
            raise refuse("id_token expired")
        if not isinstance(iat, int | float) or iat - LEEWAY_SECONDS > now:
            raise refuse("id_token issued in the future")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise refuse("id_token without sub")


def asserts_mfa(claims: dict[str, Any]) -> bool:
    """Whether the provider says it checked more than one factor (``amr`` holds ``mfa``)."""
    amr = claims.get("amr")
    return isinstance(amr, list) and MFA_AMR in amr


def role_for_groups(settings: OidcSettings, claims: dict[str, Any]) -> str | None:
    """The werkpad role of the first configured group the user is in, or None."""
    groups = claims.get(settings.groups_claim)
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list):
        return None
    member = {str(group) for group in groups}
    return next((role for group, role in settings.group_roles if group in member), None)


def claimed_username(claims: dict[str, Any]) -> str:
    """The name the provider gives (for a new account and the audit log of a refusal)."""
    for field in ("preferred_username", "email"):
        value = claims.get(field)
        if isinstance(value, str) and value.strip():
            return normalise_username(value)[:60]
    return f"oidc-{hashlib.sha256(str(claims.get('sub', '')).encode()).hexdigest()[:12]}"


def _free_username(session: Session, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``-3``, ...: an existing account is never taken over by
    having the same name at the provider."""
    candidate, n = wanted, 1
    while session.scalar(select(func.count()).where(User.username == candidate)):
        n += 1
        suffix = f"-{n}"
        candidate = wanted[: 60 - len(suffix)] + suffix
    return candidate


def _full_name(claims: dict[str, Any], username: str) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p for p in parts if isinstance(p, str) and p.strip())
    return (name or username).strip()[:120]


def sign_in_user(
    session: Session, settings: OidcSettings, claims: dict[str, Any], *, ip: str | None = None
) -> User:
    """The werkpad user of these validated claims, with the role their groups give (changed
    and audit-logged when the groups changed); a first sign-in provisions the account.
    ``OidcRefused`` when no group maps or the account is switched off. The caller commits."""
    role = role_for_groups(settings, claims)
    if role is None:
        raise OidcRefused(NO_ROLE, "no configured group", claims)
    identity = session.scalar(
        select(OidcIdentity).where(
            OidcIdentity.issuer == settings.issuer, OidcIdentity.subject == str(claims["sub"])
        )
    )
    if identity is None:
        username = _free_username(session, claimed_username(claims))
        user = User(
            username=username,
            full_name=_full_name(claims, username),
            password_hash=NO_PASSWORD,
            role=role,
            team_id=None,
            active=True,
        )
        session.add(user)
        session.flush()
        identity = OidcIdentity(
            issuer=settings.issuer, subject=str(claims["sub"]), user=user, created_at=utc_now()
        )
        session.add(identity)
        record_event(
            session,
            user,
            "OIDC_ACCOUNT",
            "app_user",
            object_id=user.id,
            purpose=f"Account {username} ({role}) gemaakt bij eerste inloggen met de "
            "organisatie-account",
            ip=ip,
        )
    user = identity.user
    if not user.active:
        raise OidcRefused(ACCOUNT_INACTIVE, "account inactive", claims)
    if user.role != role:
        record_event(
            session,
            user,
            "ROLE_CHANGED",
            "app_user",
            object_id=user.id,
            purpose=f"Rol van {user.username}: {user.role} -> {role} (groepen van de "
            "organisatie-account)",
            ip=ip,
        )
        if role not in ("KLANTMANAGER", "TEAMLEIDER"):
            user.team_id = None
        user.role = role
    identity.last_login_at = utc_now()
    return user
