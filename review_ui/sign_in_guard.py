"""What stands in front of the password check: per-client and per-account rate limits, and a
sign-in form token bound to a pre-session cookie.

Both limits count every sign-in attempt, known account or not, so they cannot tell a stranger
which accounts exist. The account key is a keyed hash of the typed email (never the email).
The form token is an HMAC of the pre-session cookie's random value under the server's key: a
cookie planted in someone's browser is useless without the matching token, which only this
server can make (the probe found the old pair accepted any value equal in both places).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from chatbot.client_identity import pseudonym
from chatbot.rate_limit import RateDecision, make_limiter
from review_ui.auth import normalise_email, same_token


@dataclass
class SignInGuard:
    key: bytes
    per_client_per_minute: int = 10
    per_account_per_hour: int = 30
    redis_url: str | None = None

    def __post_init__(self) -> None:
        self._client = make_limiter(
            "sign-in-client", f"{self.per_client_per_minute}/minute", self.redis_url
        )
        self._account = make_limiter(
            "sign-in-account", f"{self.per_account_per_hour}/hour", self.redis_url
        )

    def admit(self, client_id: str, email: str) -> RateDecision:
        """Count one attempt from this client for this account; refuse past either limit."""
        decision = self._client.hit(client_id)
        if not decision.allowed:
            return decision
        account = pseudonym("account:" + normalise_email(email)[:320], self.key)
        return self._account.hit(account)

    # --- the form token ---------------------------------------------------------------------

    @staticmethod
    def new_pre_session() -> str:
        return secrets.token_urlsafe(32)

    def form_token(self, pre_session: str) -> str:
        return hmac.new(self.key, b"sign-in:" + pre_session.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, pre_session: str | None, sent: str | None) -> bool:
        if not pre_session or len(pre_session) > 100:
            return False
        return same_token(sent, self.form_token(pre_session))
