#!/usr/bin/env python3
"""Reference client of the platform's open API (/openapi/v1), standard library only.

It signs every request the way the API documents it — independently of the server's Rust code,
so the tests that use it check the documented scheme, not the implementation against itself:

    canonical = METHOD + "\n" + PATH + "\n" + QUERY + "\n" + TIMESTAMP + "\n" + NONCE + "\n"
                + hex(SHA-256(body))
    X-Signature = hex(HMAC-SHA256(secret, canonical))

with X-Key-Id (the key id), X-Timestamp (Unix seconds) and X-Nonce (random, once per request).

Usage:
    openapi_client.py --base http://127.0.0.1:3000 --key-id ak_... --secret ... \
        POST /openapi/v1/orders '{"order_id": "A-1", ...}'
    openapi_client.py ... GET /openapi/v1/orders/A-1
    openapi_client.py ... GET /openapi/v1/balance

The key id and secret may also come from ESP_API_KEY_ID and ESP_API_SECRET. It prints the
HTTP status on the first line and the JSON answer after it; the exit code is 0 for 2xx.
Options for testing the server's refusals: --timestamp, --nonce, --tamper-body.
"""

import argparse
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def canonical(method, path, query, timestamp, nonce, body):
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, query, timestamp, nonce, digest])


def sign(secret, method, path, query, timestamp, nonce, body):
    message = canonical(method, path, query, timestamp, nonce, body).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def call(base, key_id, secret, method, target, body=b"", timestamp=None, nonce=None, tamper_body=False):
    """Sends one signed request; returns (status, parsed JSON or text, headers)."""
    method = method.upper()
    if method == "GET":
        body = b""  # nothing is sent, so nothing is signed
    parsed = urllib.parse.urlsplit(target)
    # A path with characters outside ASCII (an order id in Chinese) travels percent-encoded; the
    # signature covers it exactly as sent.
    path = urllib.parse.quote(parsed.path, safe="/%-._~")
    target = path + ("?" + parsed.query if parsed.query else "")
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or secrets.token_hex(16)
    signature = sign(secret, method, path, parsed.query, timestamp, nonce, body)
    sent = body + b" " if tamper_body else body
    request = urllib.request.Request(base.rstrip("/") + target, data=sent if method != "GET" else None, method=method)
    request.add_header("X-Key-Id", key_id)
    request.add_header("X-Timestamp", timestamp)
    request.add_header("X-Nonce", nonce)
    request.add_header("X-Signature", signature)
    request.add_header("Accept", "application/json")
    if method != "GET":
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as e:
        status, raw, headers = e.code, e.read(), e.headers
    text = raw.decode("utf-8")
    try:
        return status, json.loads(text), headers
    except ValueError:
        return status, text, headers


def main():
    parser = argparse.ArgumentParser(description="Signed requests to the open API.")
    parser.add_argument("--base", default=os.environ.get("ESP_API_BASE", "http://127.0.0.1:3000"))
    parser.add_argument("--key-id", default=os.environ.get("ESP_API_KEY_ID"))
    parser.add_argument("--secret", default=os.environ.get("ESP_API_SECRET"))
    parser.add_argument("--timestamp", help="override X-Timestamp (testing)")
    parser.add_argument("--nonce", help="override X-Nonce (testing)")
    parser.add_argument("--tamper-body", action="store_true", help="change the body after signing (testing)")
    parser.add_argument("method")
    parser.add_argument("target", help="path and query, e.g. /openapi/v1/orders/A-1")
    parser.add_argument("body", nargs="?", default="")
    args = parser.parse_args()
    if not args.key_id or not args.secret:
        parser.error("--key-id and --secret (or ESP_API_KEY_ID and ESP_API_SECRET) are required")
    status, answer, headers = call(
        args.base, args.key_id, args.secret, args.method.upper(), args.target,
        args.body.encode("utf-8"), args.timestamp, args.nonce, args.tamper_body,
    )
    print(status)
    retry = headers.get("Retry-After")
    if retry:
        print(f"Retry-After: {retry}", file=sys.stderr)
    print(json.dumps(answer, ensure_ascii=False) if not isinstance(answer, str) else answer)
    sys.exit(0 if 200 <= status < 300 else 1)


if __name__ == "__main__":
    main()
