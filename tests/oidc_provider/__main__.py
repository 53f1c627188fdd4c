"""Command line: start the provider (see the package docstring)."""

import argparse
from pathlib import Path

from tests.oidc_provider.server import make_server
from tests.oidc_provider.state import ProviderState


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.oidc_provider")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--issuer", default="", help="default: http://HOST:PORT")
    parser.add_argument("--users", type=Path, required=True, help="JSON file of test users")
    parser.add_argument("--client-id", default="bott-tracker")
    parser.add_argument("--client-secret", default="bott-dev-secret")
    parser.add_argument("--redirect-uri", action="append", default=[])
    parser.add_argument("--post-logout-redirect-uri", action="append", default=[])
    args = parser.parse_args()
    state = ProviderState(
        issuer=args.issuer,
        users_file=args.users,
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uris=args.redirect_uri,
        post_logout_redirect_uris=args.post_logout_redirect_uri,
    )
    server = make_server(args.host, args.port, state)
    port = server.server_address[1]
    state.issuer = (args.issuer or f"http://{args.host}:{port}").rstrip("/")
    print(f"listening {state.issuer}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
