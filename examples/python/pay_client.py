#!/usr/bin/env python3
"""Calls the payment service's REST API (/api/v1) from Python with the standard library only.

It signs every request as the README's "Service API" says: five lines joined by "\n" (method,
path with query, timestamp, nonce, hex SHA-256 of the body), HMAC-SHA256 with the key's secret,
base64, sent as X-Pay-Signature: v1=<that>. Then it opens a wallet-charge order for a learner, reads
it back, and shows that a body changed after signing is refused.

    PAY_URL=http://localhost:3000 PAY_KEY_ID=pk_... PAY_SECRET=... LEARNER_EMAIL=learner@example.com \
        python3 examples/python/pay_client.py

Prints one JSON object with what happened (the project's tests run it and read it).
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import urllib.error
import urllib.request

BASE_URL = os.environ["PAY_URL"].rstrip("/")
KEY_ID = os.environ["PAY_KEY_ID"]
SECRET = os.environ["PAY_SECRET"]


def sign(method, path, body):
    """The four X-Pay-* headers for a request with this method, path (and query) and raw body."""
    timestamp = str(int(time.time()))
    nonce = secrets.token_urlsafe(16)
    body_hash = hashlib.sha256(body).hexdigest()
    signing_string = "\n".join([method.upper(), path, timestamp, nonce, body_hash])
    digest = hmac.new(SECRET.encode(), signing_string.encode(), hashlib.sha256).digest()
    return {
        "X-Pay-Key-Id": KEY_ID,
        "X-Pay-Timestamp": timestamp,
        "X-Pay-Nonce": nonce,
        "X-Pay-Signature": "v1=" + base64.b64encode(digest).decode(),
    }


def call(method, path, payload=None, idempotency_key=None, send_instead=None):
    """Signs `payload` and sends it (or, to show tampering, sends `send_instead` under that signature)."""
    body = b"" if payload is None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", **sign(method, path, body)}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    sent = body if send_instead is None else json.dumps(send_instead).encode()
    request = urllib.request.Request(
        BASE_URL + path, data=sent if method != "GET" else None, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def main():
    order = {"userEmail": os.environ["LEARNER_EMAIL"], "type": "CHARGE", "amount": 10000}
    key = "python-" + secrets.token_hex(8)
    status, created = call("POST", "/api/v1/orders", order, idempotency_key=key)
    assert status == 200, (status, created)
    _, replayed = call("POST", "/api/v1/orders", order, idempotency_key=key)
    status, read = call("GET", "/api/v1/orders/" + created["orderId"])
    assert status == 200, (status, read)
    tampered_status, tampered = call(
        "POST",
        "/api/v1/orders",
        order,
        idempotency_key="python-tampered-" + secrets.token_hex(8),
        send_instead={**order, "amount": 90000},
    )
    print(
        json.dumps(
            {
                "orderId": created["orderId"],
                "replayedOrderId": replayed["orderId"],
                "status": read["status"],
                "amount": read["amount"],
                "checkoutUrl": created["checkoutUrl"],
                "tamperedStatus": tampered_status,
                "tamperedReason": tampered.get("reason"),
            }
        )
    )


if __name__ == "__main__":
    main()
