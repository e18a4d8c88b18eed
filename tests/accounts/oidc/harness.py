"""Start the real OpenID Connect provider (provider.mjs, npm ``oidc-provider``) on the loopback,
and play the user's browser on its side of the flow."""

import json
import os
import select
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from joserfc.jwk import RSAKey

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("provider.mjs")
SECRET = "secret-du-client-de-test"
RP = "http://testserver"
CALLBACK = f"{RP}/compte/connexion/proconnect/retour/"
LOGOUT_DONE = f"{RP}/compte/deconnexion/proconnect/retour/"
# One client per behaviour of the provider (see provider.mjs).
CLIENTS = {
    "entrepairs": None,
    "entrepairs-nonce": "wrong-nonce",
    "entrepairs-aud": "wrong-audience",
    "entrepairs-cle": "foreign-key",
    "entrepairs-expire": "expire",
    "entrepairs-userinfo-cle": "userinfo-foreign-key",
    "entrepairs-userinfo-sub": "userinfo-other-sub",
    "entrepairs-userinfo-json": None,
}
ACCOUNTS = {
    "sub-coordinatrice-a": {
        "email": "coordinator_a@example.org",
        "email_verified": True,
        "given_name": "Camille",
        "usual_name": "Martin",
    },
    "sub-pair-b": {"email": "PEER_B@example.org", "email_verified": True},
    "sub-inconnue": {"email": "personne.inconnue@example.org", "email_verified": True},
    "sub-non-verifiee": {"email": "director_a@example.org", "email_verified": False},
    "sub-sans-drapeau": {"email": "director_a@example.org"},
    "sub-autre-coordinatrice-a": {"email": "coordinator_a@example.org", "email_verified": True},
    "sub-deja-liee": {"email": "adresse.changee@example.org", "email_verified": True},
}


def available() -> str | None:
    """Why the provider cannot run here (None when it can)."""
    if shutil.which("node") is None:
        return "node absent"
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        return "npm oidc-provider absent (make browser-deps)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    jwk: dict
    log: list = field(default_factory=list)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start() -> Provider:
    port = _free_port()
    jwk = {**RSAKey.generate_key(2048).as_dict(private=True), "kid": "cle-du-fournisseur"}
    foreign = RSAKey.generate_key(2048).as_dict(private=True)
    config = {
        "port": port,
        "jwk": jwk,
        "foreign_jwk": foreign,
        "accounts": ACCOUNTS,
        "misbehave": {cid: mode for cid, mode in CLIENTS.items() if mode},
        "clients": [
            {
                "client_id": cid,
                "client_secret": SECRET,
                "redirect_uris": [CALLBACK],
                "post_logout_redirect_uris": [LOGOUT_DONE],
                "userinfo_signed": cid != "entrepairs-userinfo-json",
            }
            for cid in CLIENTS
        ],
    }
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        ["node", str(SCRIPT)],  # noqa: S607
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if line.startswith("READY "):
                return Provider(line.split()[1], process, jwk)
            if not line and process.poll() is not None:
                break
    process.kill()
    raise RuntimeError(f"le fournisseur OpenID Connect n'a pas démarré : {process.stdout.read()}")


class Browser:
    """The user's browser on the provider's side: cookies of the provider session, and the
    user's answers to its login page (who signs in, with which acr/amr)."""

    def __init__(self):
        self.session = requests.Session()
        self.logins = 0

    def follow(self, url, account="sub-coordinatrice-a", acr=None, amr=None) -> str:
        """Follow the provider's redirects until it sends back to Entre Pairs; that URL."""
        for _step in range(12):
            response = self.session.get(url, allow_redirects=False, timeout=10)
            if response.status_code not in (302, 303):
                raise AssertionError(f"{url}: {response.status_code} {response.text[:300]}")
            location = urljoin(url, response.headers["Location"])
            if location.startswith(RP):
                return location
            if "/interaction/" in location and "account=" not in location:
                # The provider's page: it asks who signs in only without a provider session
                # (a consent is given by itself, see provider.mjs).
                asked = self.session.get(location, allow_redirects=False, timeout=10)
                if asked.status_code in (302, 303):
                    url = urljoin(location, asked.headers["Location"])
                    continue
                self.logins += 1
                query = {"account": account}
                if acr:
                    query["acr"] = acr
                if amr:
                    query["amr"] = amr
                location = requests.Request("GET", location, params=query).prepare().url
            url = location
        raise AssertionError("trop de redirections")

    def logout(self, url) -> str:
        """The provider's logout page: confirm, and return where it sends back."""
        page = self.session.get(url, timeout=10)
        assert page.status_code == 200, page.text[:300]
        form = page.text
        action = urljoin(url, form.split('action="', 1)[1].split('"', 1)[0])
        xsrf = form.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
        response = self.session.post(
            action, data={"xsrf": xsrf, "logout": "yes"}, allow_redirects=False, timeout=10
        )
        return urljoin(action, response.headers["Location"])


def local(url: str) -> str:
    """The path and query of an Entre Pairs URL, for Django's test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
