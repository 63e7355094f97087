"""Deterministic, realistic JSON datasets for KTOF token and speed benchmarks.

Every generator is seeded with ``random.Random(seed)`` and never reads the clock or uuid, so
the same size always yields the same value (byte-identical JSON) and token counts are
comparable across runs and machines. Values are JSON-only (dict/list/str/int/float/bool/None)
so ``json.loads(json.dumps(x)) == x`` holds and any lossless codec must reproduce them exactly.
The shapes cover what TOON handles well (uniform tables) and what it handles badly (nested,
non-uniform, string-heavy API payloads), because a benchmark of only friendly shapes would
hide regressions.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any

__all__ = [
    "DATASETS",
    "DEFAULT_SIZES",
    "GENERATORS",
    "QUICK_SIZES",
    "chat_transcript",
    "compact_json",
    "corpus",
    "event_logs",
    "github_api",
    "keyed_objects",
    "mixed_small",
    "nested_config",
    "nested_orders",
    "quick_corpus",
    "tabular_records",
]

# A fixed epoch: timestamps are offsets from it, never "now", so output is reproducible.
_EPOCH = datetime(2025, 1, 6, 8, 0, 0, tzinfo=timezone.utc)

# fmt: off
_FIRST = [
    "Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Giulia", "Hiro", "Ines", "Jonas",
    "Kavya", "Liam", "Mei", "Nadia", "Oscar", "Priya", "Quinn", "Rafael", "Sofia", "Tomás", "Uma",
    "Viktor", "Wen", "Ximena", "Yusuf", "Zoe",
]
_LAST = [
    "Anderson", "Bakker", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "López", "Müller", "Nakamura", "Okafor", "Petrov", "Rossi", "Singh",
    "Tanaka", "Urbina", "Varga", "Wagner", "Yilmaz", "Zhang",
]
_PLACES = [
    ("Berlin", "DE"), ("Lisbon", "PT"), ("Toronto", "CA"), ("Austin", "US"), ("Osaka", "JP"),
    ("Lagos", "NG"), ("São Paulo", "BR"), ("Melbourne", "AU"), ("Bengaluru", "IN"),
    ("Warsaw", "PL"), ("Madrid", "ES"), ("Seoul", "KR"), ("Nairobi", "KE"), ("Dublin", "IE"),
    ("Chicago", "US"), ("Lyon", "FR"),
]
_STREETS = [
    "Main St", "Oak Avenue", "Rua Augusta", "Baker Street", "Hauptstraße", "Elm Road",
    "Calle Mayor", "Queen St W", "Shibuya 2-chome", "Park Lane",
]
# fmt: on
_DOMAINS = ["example.com", "mail.example.org", "acme.io", "corp.example.net", "fastmail.test"]
# fmt: off
_WORDS = [
    "the", "a", "request", "cache", "token", "latency", "retry", "service", "user", "order",
    "payment", "queue", "worker", "timeout", "config", "deploy", "build", "release", "schema",
    "index", "query", "response", "upstream", "client", "server", "batch", "window", "limit",
    "budget", "prompt", "model", "encoder", "decoder", "stream", "buffer", "session", "region",
    "replica", "shard", "metric", "alert", "trace", "span", "event", "handler",
]
_PRODUCTS = [
    ("KB-104", "Mechanical keyboard", 89.99), ("MS-220", "Wireless mouse", 24.5),
    ("HD-310", "USB-C hub", 39.0), ("MN-270", "27in monitor", 279.0),
    ("CB-001", "Braided cable 2m", 12.95), ("LP-880", "Laptop stand", 45.25),
    ("HS-450", "Noise-cancelling headset", 149.0), ("WC-090", "1080p webcam", 59.9),
    ("SD-128", "128GB SD card", 18.75), ("PB-200", "Power bank 20000mAh", 42.0),
    ("DK-510", "Desk mat XL", 21.49), ("CH-777", "Ergonomic chair", 389.0),
]
# fmt: on


def compact_json(value: Any) -> str:
    """Compact JSON exactly as the benchmark baseline measures it (one definition for all)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _ts(rng: random.Random, span_days: int = 120, *, base: datetime = _EPOCH) -> datetime:
    return base + timedelta(seconds=rng.randrange(span_days * 86400))


def _iso(dt: datetime, *, millis: bool = False) -> str:
    if millis:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    local = f"{first}.{last}".lower().replace("á", "a").replace("í", "i").replace("ó", "o")
    local = local.replace("ü", "u").replace("ç", "c")
    return f"{first} {last}", f"{local}{rng.randrange(100)}@{rng.choice(_DOMAINS)}"


def _sentence(rng: random.Random, lo: int = 5, hi: int = 14) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + rng.choice([".", ".", "!", "?"])


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# --------------------------------------------------------------------------- tabular / keyed


def tabular_records(n: int = 220, *, seed: int = 1) -> list[dict[str, Any]]:
    """Flat uniform user rows: TOON's best case (one header, then CSV-like rows)."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for i in range(n):
        name, email = _person(rng)
        city, country = rng.choice(_PLACES)
        signup = _EPOCH - timedelta(days=rng.randrange(1500))
        last_login = _ts(rng, 90) if rng.random() < 0.85 else None
        rows.append(
            {
                "id": 10_000 + i * 7 + rng.randrange(7),
                "name": name,
                "email": email,
                "age": rng.randint(18, 79),
                "city": city,
                "country": country,
                "plan": rng.choice(["free", "free", "pro", "team", "enterprise"]),
                "active": rng.random() < 0.8,
                "score": round(rng.uniform(0, 100), 2),
                "balance": round(rng.uniform(-50, 5000), 2),
                "signup_date": signup.strftime("%Y-%m-%d"),
                "last_login": _iso(last_login) if last_login else None,
                "referrer": rng.choice([None, None, "google", "newsletter", "partner", "twitter"]),
            }
        )
    return rows


def keyed_objects(n: int = 200, *, seed: int = 2) -> dict[str, dict[str, Any]]:
    """An object of uniform objects keyed by id, the shape of many caches and API maps."""
    rng = random.Random(seed)
    out: dict[str, dict[str, Any]] = {}
    ids = rng.sample(range(100, 100_000), n)
    for uid in ids:
        name, email = _person(rng)
        out[f"user_{uid}"] = {
            "name": name,
            "email": email,
            "role": rng.choice(["viewer", "viewer", "editor", "admin", "owner"]),
            "active": rng.random() < 0.9,
            "logins": rng.randrange(2000),
            "quota_gb": rng.choice([5, 10, 50, 100, 0.5, 2.5]),
            "last_seen": _iso(_ts(rng, 60)),
            "team": rng.choice(["core", "infra", "growth", "sales", None]),
        }
    return out


# --------------------------------------------------------------------------- nested orders


def nested_orders(n: int = 110, *, seed: int = 3) -> list[dict[str, Any]]:
    """E-commerce orders: nested customer/address, variable item lists, optional coupon.

    Each order is uniform at the top level except ``coupon`` (present on about a third), so a
    plain TOON encoder falls back to list form and repeats every key; this is where TOON
    costs more than compact JSON.
    """
    rng = random.Random(seed)
    orders: list[dict[str, Any]] = []
    for i in range(n):
        name, email = _person(rng)
        city, country = rng.choice(_PLACES)
        items: list[dict[str, Any]] = []
        for sku, _title, price in rng.sample(_PRODUCTS, rng.randint(1, 5)):
            items.append({"sku": sku, "qty": rng.choice([1, 1, 1, 2, 3]), "price": price})
        subtotal = round(sum(it["qty"] * it["price"] for it in items), 2)
        created = _ts(rng, 200)
        order: dict[str, Any] = {
            "id": f"ORD-{202500000 + i * 13 + rng.randrange(13)}",
            "customer": {
                "id": rng.randrange(1, 60_000),
                "name": name,
                "email": email,
                "address": {
                    "line1": f"{rng.randint(1, 400)} {rng.choice(_STREETS)}",
                    "city": city,
                    "country": country,
                    "postal_code": f"{rng.randrange(10_000, 99_999)}",
                },
            },
            "items": items,
            "status": rng.choice(["pending", "paid", "paid", "shipped", "delivered", "refunded"]),
            "currency": "EUR" if country in {"DE", "PT", "ES", "FR", "IE"} else "USD",
        }
        discount = 0.0
        if rng.random() < 0.35:
            pct = rng.choice([5, 10, 15, 20])
            discount = round(subtotal * pct / 100, 2)
            order["coupon"] = {
                "code": f"SAVE{pct}-{_token(rng, 4, string.ascii_uppercase)}",
                "percent": pct,
            }
        shipping = 0.0 if subtotal > 100 else 4.99
        tax = round((subtotal - discount) * 0.2, 2)
        order["totals"] = {
            "subtotal": subtotal,
            "discount": discount,
            "shipping": shipping,
            "tax": tax,
            "total": round(subtotal - discount + shipping + tax, 2),
        }
        order["created_at"] = _iso(created)
        order["updated_at"] = _iso(created + timedelta(minutes=rng.randrange(1, 9000)))
        orders.append(order)
    return orders


# --------------------------------------------------------------------------- event logs

# fmt: off
_PATHS = [
    "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/users/{id}", "/healthz", "/api/v1/search",
    "/api/v2/prompts/compress", "/static/app.js",
]
# fmt: on
_AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "curl/8.5.0",
    "python-httpx/0.27.0",
    "Go-http-client/2.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
]
_STATUSES = [200, 201, 204, 301, 400, 404, 429, 500]
_STATUS_WEIGHTS = [60, 8, 5, 2, 6, 8, 4, 3]
_SERVICES = ["api-gateway", "orders", "billing", "search", "auth", "compressor"]


def _error_message(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return (
            f'upstream "billing" returned 502: {{"error": "bad gateway", "retry_after": '
            f"{rng.randint(1, 30)}}} after {rng.randint(2, 5)} attempts"
        )
    if kind == 1:
        frames = "\n".join(
            f'  File "/srv/app/{rng.choice(_SERVICES)}/{rng.choice(["handlers", "db", "core"])}'
            f'.py", line {rng.randint(10, 900)}, in {rng.choice(["handle", "run", "fetch"])}'
            for _ in range(rng.randint(2, 4))
        )
        return "Traceback (most recent call last):\n" + frames + "\nKeyError: 'customer_id'"
    if kind == 2:
        return (
            f"Timeout after {rng.randint(1000, 30000)}ms waiting for lock on "
            f"table `orders` (tx={_token(rng, 8, string.hexdigits.lower())}); "
            "query: SELECT * FROM orders WHERE status = 'pending' AND total > 100;"
        )
    return (
        f"Validation failed: field 'email' — expected an address, got \"{_token(rng, 6)}\", "
        f"line 1:{rng.randint(1, 80)}"
    )


def event_logs(n: int = 180, *, seed: int = 4) -> list[dict[str, Any]]:
    """Irregular structured logs: every event type has different fields and nesting."""
    rng = random.Random(seed)
    t = _EPOCH
    events: list[dict[str, Any]] = []
    for i in range(n):
        t += timedelta(milliseconds=rng.randrange(5, 4000))
        kind = rng.choices(
            ["http", "auth", "db", "error", "deploy", "metric"], weights=[40, 15, 15, 10, 5, 15]
        )[0]
        ev: dict[str, Any] = {"id": f"evt_{seed:02d}{i:06d}", "ts": _iso(t, millis=True)}
        if kind == "http":
            status = rng.choices(_STATUSES, _STATUS_WEIGHTS)[0]
            path = rng.choice(_PATHS).replace("{id}", str(rng.randrange(1, 99999)))
            ev.update(
                {
                    "type": "http_request",
                    "level": "error" if status >= 500 else "warn" if status >= 400 else "info",
                    "method": rng.choice(["GET", "GET", "GET", "POST", "PUT", "DELETE"]),
                    "path": path,
                    "status": status,
                    "duration_ms": round(rng.lognormvariate(3.5, 0.8), 1),
                    "context": {
                        "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}."
                        f"{rng.randrange(1, 255)}",
                        "user_agent": rng.choice(_AGENTS),
                        "request_id": _token(rng, 16, "0123456789abcdef"),
                    },
                }
            )
            if rng.random() < 0.3:
                ev["query"] = {"page": rng.randint(1, 9), "per_page": rng.choice([20, 50, 100])}
        elif kind == "auth":
            action = rng.choice(["login", "login", "logout", "login_failed", "mfa_challenge"])
            ev.update(
                {
                    "type": "auth",
                    "level": "warn" if action == "login_failed" else "info",
                    "user_id": rng.randrange(1, 60_000),
                    "action": action,
                    "context": {
                        "ip": f"192.0.2.{rng.randrange(1, 255)}",
                        "mfa": rng.random() < 0.6,
                        "geo": {"country": rng.choice(_PLACES)[1]},
                    },
                }
            )
            if action == "login_failed":
                ev["reason"] = rng.choice(["bad_password", "locked", "expired_token"])
        elif kind == "db":
            ev.update(
                {
                    "type": "db_query",
                    "level": "debug",
                    "statement": rng.choice(
                        [
                            "SELECT id, total FROM orders WHERE customer_id = $1 LIMIT 50",
                            "UPDATE users SET last_login = now() WHERE id = $1",
                            "INSERT INTO events (kind, payload) VALUES ($1, $2::jsonb)",
                        ]
                    ),
                    "rows": rng.randrange(0, 500),
                    "duration_ms": round(rng.uniform(0.2, 80), 2),
                    "context": {
                        "db": "primary" if rng.random() < 0.7 else "replica-2",
                        "pool": {"size": 20, "in_use": rng.randrange(1, 21)},
                    },
                }
            )
        elif kind == "error":
            ev.update(
                {
                    "type": "error",
                    "level": rng.choice(["error", "error", "fatal"]),
                    "message": _error_message(rng),
                    "service": rng.choice(_SERVICES),
                    "tags": rng.sample(
                        ["p1", "oncall", "regression", "customer-facing", "flaky", "db", "timeout"],
                        rng.randint(1, 3),
                    ),
                    "context": {
                        "version": f"1.{rng.randint(10, 40)}.{rng.randint(0, 9)}",
                        "host": f"ip-10-0-{rng.randrange(256)}-{rng.randrange(256)}",
                        "trace_id": _token(rng, 32, "0123456789abcdef"),
                    },
                }
            )
        elif kind == "deploy":
            ev.update(
                {
                    "type": "deploy",
                    "level": "info",
                    "service": rng.choice(_SERVICES),
                    "version": f"1.{rng.randint(10, 40)}.{rng.randint(0, 9)}",
                    "commit": _token(rng, 40, "0123456789abcdef"),
                    "tags": ["canary"] if rng.random() < 0.5 else [],
                    "approvers": [rng.choice(_FIRST).lower() for _ in range(rng.randint(0, 2))],
                }
            )
        else:
            ev.update(
                {
                    "type": "metric",
                    "name": rng.choice(["queue.depth", "cache.hit_ratio", "tokens.saved"]),
                    "value": rng.choice([rng.randrange(0, 5000), round(rng.random(), 4)]),
                    "dims": {
                        "service": rng.choice(_SERVICES),
                        "region": rng.choice(["eu-west-1", "us-east-1"]),
                    },
                }
            )
        events.append(ev)
    return events


# --------------------------------------------------------------------------- chat transcript

_TOOLS = ["search_orders", "get_weather", "lookup_customer", "create_ticket"]


def _tool_call(rng: random.Random, tool: str) -> tuple[dict[str, Any], Any]:
    """One tool call's arguments and a matching fake result."""
    if tool == "search_orders":
        args: dict[str, Any] = {
            "customer_email": _person(rng)[1],
            "status": rng.choice(["paid", "shipped", None]),
            "limit": 5,
        }
        result: Any = {
            "orders": [
                {
                    "id": f"ORD-{rng.randrange(202500000, 202599999)}",
                    "total": round(rng.uniform(10, 600), 2),
                    "status": rng.choice(["paid", "shipped"]),
                }
                for _ in range(rng.randint(0, 4))
            ],
            "truncated": False,
        }
    elif tool == "get_weather":
        city = rng.choice(_PLACES)[0]
        args = {"city": city, "unit": rng.choice(["celsius", "fahrenheit"])}
        result = {
            "city": city,
            "temp": round(rng.uniform(-5, 34), 1),
            "conditions": rng.choice(["sunny", "light rain", "overcast", "snow"]),
            "forecast": [
                {"day": d, "high": rng.randint(0, 35), "low": rng.randint(-10, 15)}
                for d in ("Mon", "Tue", "Wed")
            ],
        }
    elif tool == "lookup_customer":
        name, email = _person(rng)
        args = {"email": email}
        result = {
            "id": rng.randrange(1, 60000),
            "name": name,
            "tier": rng.choice(["gold", "basic"]),
            "open_tickets": rng.randrange(4),
            "notes": None,
        }
    else:
        args = {
            "title": _sentence(rng, 4, 8),
            "priority": rng.choice(["low", "high"]),
            "labels": rng.sample(["billing", "bug", "vip", "refund"], 2),
        }
        result = {"ticket_id": f"T-{rng.randrange(10000, 99999)}", "created": True}
    return args, result


def chat_transcript(turns: int = 22, *, seed: int = 5) -> list[dict[str, Any]]:
    """OpenAI chat messages with tool calls: JSON hidden inside strings, plus free text."""
    rng = random.Random(seed)
    msgs: list[dict[str, Any]] = [
        {
            "role": "system",
            "content": "You are a support assistant for an online electronics store. Use the tools "
            "to look up orders and customers; never invent order numbers. Answer in "
            "short paragraphs and use markdown lists where helpful.",
        }
    ]
    for turn in range(turns):
        tool = rng.choice(_TOOLS)
        msgs.append(
            {
                "role": "user",
                "content": rng.choice(
                    [
                        'Where is my order? I placed it last week and it still says "paid".',
                        "Can you check the weather before my delivery arrives?",
                        "I'd like a refund for the headset — it stopped working after 2 days.",
                        "What's the status of my account? My email changed recently.",
                        "hi, quick q: do you ship to Lagos?? thx",
                    ]
                )
                + ("" if rng.random() < 0.7 else "\n\n" + _sentence(rng)),
            }
        )
        calls = []
        results = []
        for k in range(rng.choice([1, 1, 1, 2])):
            t = tool if k == 0 else rng.choice(_TOOLS)
            args, result = _tool_call(rng, t)
            call_id = "call_" + _token(rng, 24)
            calls.append(
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": t, "arguments": json.dumps(args)},
                }
            )
            results.append((call_id, result))
        msgs.append({"role": "assistant", "content": None, "tool_calls": calls})
        for call_id, result in results:
            msgs.append(
                {
                    "role": "tool",
                    "tool_call_id": call_id,
                    "content": json.dumps(result, separators=(",", ":")),
                }
            )
        lines = [_sentence(rng, 8, 18)]
        if rng.random() < 0.5:
            lines += [
                f"- **{rng.choice(_WORDS)}**: {_sentence(rng, 3, 7)}"
                for _ in range(rng.randint(2, 4))
            ]
        msgs.append(
            {
                "role": "assistant",
                "content": "\n".join(lines),
                **({"refusal": None} if turn % 3 == 0 else {}),
            }
        )
    return msgs


# --------------------------------------------------------------------------- GitHub API

_GH_LOGINS = [
    "octocat",
    "hubot",
    "mona-lisa",
    "dependabot[bot]",
    "tpope",
    "sindresorhus",
    "gaearon",
    "kdy1",
    "charliermarsh",
    "BurntSushi",
    "github-actions[bot]",
    "jrfnl",
    "ljharb",
    "mislav",
    "vercel-release-bot",
    "renovate[bot]",
    "nedbat",
    "hynek",
]
_GH_LABELS = [
    ("bug", "Something isn't working", "d73a4a", True),
    ("enhancement", "New feature or request", "a2eeef", True),
    ("documentation", "Improvements or additions to documentation", "0075ca", True),
    ("good first issue", "Good for newcomers", "7057ff", True),
    ("help wanted", "Extra attention is needed", "008672", True),
    ("needs-triage", None, "ededed", False),
    ("area: encoder", "Token-optimized encoder", "1d76db", False),
    ("performance", "Speed or memory", "fbca04", False),
    ("dependencies", "Pull requests that update a dependency file", "0366d6", False),
]
_GH_TITLES = [
    "Decoder rejects quoted keys containing a colon",
    "Add support for tab-delimited tables",
    "Crash when encoding empty nested arrays",
    "Docs: clarify length markers in the README",
    "Bump pytest from 8.2.1 to 8.3.2",
    "Slow encode on 50k-row tables (O(n^2) key check?)",
    "Feature request: streaming decoder",
    "Round trip loses -0.0",
    "Wrong indentation after a list item that is an object",
    "chore(deps): update dependency ruff to v0.6.4",
]


def _gh_user(login: str, uid: int, *, api: str = "https://api.github.com") -> dict[str, Any]:
    """A "simple user" object exactly as GitHub embeds it (many templated *_url fields)."""
    u = f"{api}/users/{login}"
    node = base64.b64encode(f"04:{'Bot' if login.endswith('[bot]') else 'User'}{uid}".encode())
    return {
        "login": login,
        "id": uid,
        "node_id": node.decode(),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": u,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{u}/followers",
        "following_url": f"{u}/following{{/other_user}}",
        "gists_url": f"{u}/gists{{/gist_id}}",
        "starred_url": f"{u}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{u}/subscriptions",
        "organizations_url": f"{u}/orgs",
        "repos_url": f"{u}/repos",
        "events_url": f"{u}/events{{/privacy}}",
        "received_events_url": f"{u}/received_events",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "user_view_type": "public",
        "site_admin": login in {"octocat", "hubot"},
    }


def _gh_body(rng: random.Random) -> str | None:
    """Issue bodies in GitHub-flavoured markdown, with code fences and CRLF as the web UI sends."""
    if rng.random() < 0.12:
        return None
    parts = [f"### Describe the bug\r\n\r\n{_sentence(rng, 10, 25)}"]
    if rng.random() < 0.6:
        parts.append(
            "### To reproduce\r\n\r\n```python\r\n"
            "from kaizen_client.ktof import encode\r\n"
            f'print(encode({{"a": [{rng.randint(1, 9)}, "x: y"]}}))\r\n```'
        )
    if rng.random() < 0.5:
        parts.append(f"**Expected:** {_sentence(rng, 4, 10)}\r\n**Actual:** `{_token(rng, 12)}`")
    if rng.random() < 0.4:
        parts.append(f"- [x] {_sentence(rng, 3, 6)}\r\n- [ ] {_sentence(rng, 3, 6)}")
    return "\r\n\r\n".join(parts)


def github_api(
    n: int = 12, *, seed: int = 6, repo: str = "kaizen-sdks/kaizen"
) -> list[dict[str, Any]]:
    """A page of GitHub's "List repository issues" response (issues and pull requests).

    Real issues are ~4-5 KB each (embedded user objects with 15 URL fields), so the default
    is 12 rather than GitHub's page size of 30, to stay within the 5-60 KB benchmark band.
    """
    rng = random.Random(seed)
    api = f"https://api.github.com/repos/{repo}"
    users = {login: rng.randrange(1_000, 190_000_000) for login in _GH_LOGINS}
    maintainers = ["octocat", "mona-lisa", "charliermarsh", "hynek"]
    labels = [
        {
            "id": 2_000_000_000 + 7919 * k,
            "node_id": base64.b64encode(f"05:Label{2_000_000_000 + 7919 * k}".encode()).decode(),
            "url": f"{api}/labels/{name.replace(' ', '%20').replace(':', '%3A')}",
            "name": name,
            "color": color,
            "default": default,
            "description": desc,
        }
        for k, (name, desc, color, default) in enumerate(_GH_LABELS)
    ]
    creator = maintainers[0]
    milestone = {
        "url": f"{api}/milestones/3",
        "html_url": f"https://github.com/{repo}/milestone/3",
        "labels_url": f"{api}/milestones/3/labels",
        "id": 11_284_019,
        "node_id": base64.b64encode(b"09:Milestone11284019").decode(),
        "number": 3,
        "title": "v0.3.0",
        "description": "KTOF auto mode and streaming decoder",
        "creator": _gh_user(creator, users[creator]),
        "open_issues": 14,
        "closed_issues": 22,
        "state": "open",
        "created_at": "2025-01-02T09:14:55Z",
        "updated_at": "2025-03-30T17:02:11Z",
        "due_on": "2025-04-30T07:00:00Z",
        "closed_at": None,
    }
    out: list[dict[str, Any]] = []
    t = _EPOCH + timedelta(days=120)
    for i in range(n):
        number = 842 - i * 3 - rng.randrange(3)
        t -= timedelta(seconds=rng.randrange(600, 200_000))
        login = rng.choice(_GH_LOGINS)
        is_pr = "[bot]" in login or rng.random() < 0.3
        state = rng.choice(["open", "open", "closed"])
        closed_at = t + timedelta(hours=rng.randrange(1, 300)) if state == "closed" else None
        updated = (closed_at or t) + timedelta(minutes=rng.randrange(1, 5000))
        assignees = [
            _gh_user(a, users[a]) for a in rng.sample(maintainers, rng.choice([0, 0, 0, 1, 1, 2]))
        ]
        issue_id = 2_500_000_000 + number * 9973
        kind = "pull" if is_pr else "issues"
        issue: dict[str, Any] = {
            "url": f"{api}/issues/{number}",
            "repository_url": api,
            "labels_url": f"{api}/issues/{number}/labels{{/name}}",
            "comments_url": f"{api}/issues/{number}/comments",
            "events_url": f"{api}/issues/{number}/events",
            "html_url": f"https://github.com/{repo}/{kind}/{number}",
            "id": issue_id,
            "node_id": ("PR_kwDO" if is_pr else "I_kwDO")
            + _token(rng, 12, string.ascii_letters + string.digits + "-_"),
            "number": number,
            "title": rng.choice(_GH_TITLES),
            "user": _gh_user(login, users[login]),
            "labels": sorted(
                rng.sample(labels, rng.choice([0, 1, 1, 2, 3])), key=lambda lb: lb["id"]
            ),
            "state": state,
            "locked": False,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": milestone if rng.random() < 0.25 else None,
            "comments": rng.choice([0, 0, 1, 2, 3, 5, 12]),
            "created_at": _iso(t),
            "updated_at": _iso(updated),
            "closed_at": _iso(closed_at) if closed_at else None,
            "author_association": rng.choice(["NONE", "CONTRIBUTOR", "MEMBER", "COLLABORATOR"]),
            "type": None,
            "active_lock_reason": None,
        }
        if is_pr:
            issue["draft"] = rng.random() < 0.2
            issue["pull_request"] = {
                "url": f"{api}/pulls/{number}",
                "html_url": f"https://github.com/{repo}/pull/{number}",
                "diff_url": f"https://github.com/{repo}/pull/{number}.diff",
                "patch_url": f"https://github.com/{repo}/pull/{number}.patch",
                "merged_at": _iso(closed_at) if closed_at and rng.random() < 0.8 else None,
            }
        reactions = {
            k: rng.choice([0, 0, 0, 0, 1, 2, 4])
            for k in ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")
        }
        issue.update(
            {
                "body": _gh_body(rng),
                "closed_by": _gh_user(maintainers[1], users[maintainers[1]]) if closed_at else None,
                "reactions": {
                    "url": f"{api}/issues/{number}/reactions",
                    "total_count": sum(reactions.values()),
                    **reactions,
                },
                "timeline_url": f"{api}/issues/{number}/timeline",
                "performed_via_github_app": None,
                "state_reason": ("completed" if rng.random() < 0.8 else "not_planned")
                if closed_at
                else None,
            }
        )
        if not is_pr:
            issue["sub_issues_summary"] = {"total": 0, "completed": 0, "percent_completed": 0}
        out.append(issue)
    return out


# --------------------------------------------------------------------------- nested config


def nested_config(services: int = 14, *, seed: int = 7) -> dict[str, Any]:
    """A deep application config: maps of services, flags, host lists and mixed arrays."""
    rng = random.Random(seed)
    regions = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-northeast-1"]
    svc: dict[str, Any] = {}
    names = [
        f"{rng.choice(_SERVICES)}-{k}" if k >= len(_SERVICES) else _SERVICES[k]
        for k in range(services)
    ]
    for name in names:
        ports = [{"name": "http", "port": 8080, "protocol": "TCP"}]
        if rng.random() < 0.5:
            ports.append({"name": "metrics", "port": 9090, "protocol": "TCP"})
        svc[name] = {
            "image": f"ghcr.io/kaizen-sdks/{name}:{rng.randint(1, 3)}.{rng.randint(0, 40)}."
            f"{rng.randint(0, 9)}",
            "replicas": rng.choice([1, 2, 3, 6]),
            "ports": ports,
            "env": {
                "LOG_LEVEL": rng.choice(["info", "debug", "warn"]),
                "DATABASE_URL": f"postgres://{name}@db.internal:5432/{name.replace('-', '_')}",
                "FEATURE_STREAMING": rng.choice(["true", "false"]),
                "MAX_BODY_BYTES": str(rng.choice([1, 2, 8]) * 1_048_576),
            },
            "resources": {
                "requests": {
                    "cpu": rng.choice(["100m", "250m", "500m"]),
                    "memory": rng.choice(["128Mi", "256Mi", "512Mi"]),
                },
                "limits": {"cpu": rng.choice(["1", "2"]), "memory": rng.choice(["512Mi", "1Gi"])},
            },
            "healthcheck": {
                "path": "/healthz",
                "interval_s": 10,
                "timeout_s": 2.5,
                "failure_threshold": 3,
            },
            "hosts": [
                f"{name}-{k}.{rng.choice(regions)}.internal" for k in range(rng.randint(1, 4))
            ],
            "depends_on": rng.sample(names, rng.randint(0, 2)),
            "autoscaling": (
                {
                    "enabled": True,
                    "min": 2,
                    "max": rng.choice([6, 10, 20]),
                    "target_cpu": rng.choice([0.6, 0.7, 0.75]),
                }
                if rng.random() < 0.6
                else {"enabled": False}
            ),
        }
    flags = {
        f"{rng.choice(['enable', 'use', 'beta'])}_{w}": {
            "enabled": rng.random() < 0.5,
            "rollout": rng.choice([0, 0.05, 0.25, 0.5, 1]),
            "segments": rng.sample(
                ["internal", "beta", "enterprise", "eu", "free"], rng.randint(0, 3)
            ),
            "owner": rng.choice(_FIRST).lower(),
        }
        for w in rng.sample(_WORDS, 12)
    }
    return {
        "version": 3,
        "environment": "production",
        "cluster": {
            "name": "prod-eu-1",
            "region": "eu-west-1",
            "zones": ["a", "b", "c"],
            "kubernetes": {
                "version": "1.30.2",
                "cni": "cilium",
                "node_pools": [
                    {
                        "name": "general",
                        "machine": "m7i.xlarge",
                        "min": 3,
                        "max": 12,
                        "spot": False,
                        "taints": [],
                    },
                    {
                        "name": "batch",
                        "machine": "c7g.2xlarge",
                        "min": 0,
                        "max": 40,
                        "spot": True,
                        "taints": [{"key": "batch", "effect": "NoSchedule"}],
                    },
                ],
            },
        },
        "services": svc,
        "feature_flags": flags,
        "limits": {
            "rate": {"per_second": 50, "burst": 200, "per_day": 1_000_000},
            "payload_mb": 8,
            "timeouts": {"connect": 1.5, "read": 30, "idle": 90.0},
            "tokens": {"max_prompt": 128_000, "max_output": 16_384, "budget_usd": 2500.0},
        },
        "matrix": [
            ["python", "3.10", True],
            ["python", "3.13", True],
            ["node", "22", False],
            ["go", "1.23", None],
        ],
        "mixed": ["a", 1, 2.5, True, None, {"k": "v"}, [1, 2], [], {}],
        "maintenance_windows": [
            {"day": d, "start": "02:00", "end": "04:00", "tz": "UTC"} for d in ("Sun", "Wed")
        ],
        "notes": "Values here override defaults.yaml; secrets come from the vault, not here.",
    }


# --------------------------------------------------------------------------- hard cases

# fmt: off
_TRICKY_STRINGS = [
    "", " ", " leading", "trailing ", "true", "false", "null", "123", "-7", "3.0", "1e5", "0x1F",
    "-0", "007", "1,000", "a,b", "a|b", "tab\there", "line\nbreak", "cr\r\nlf", 'say "hi"',
    "back\\slash", "colon: value", "- dash", "-", "[3]: x", "{a}", "#hash", "key=value", "café",
    "日本語テキスト", "emoji 🚀✨", "naïve façade", "Ελληνικά", "مرحبا", "\u00a0nbsp",
    "null ", "  ", "'single'", "[]", "{}", "ctrl\u0001char", "zero\u200bwidth",
]
_TRICKY_NUMBERS: list[Any] = [
    0, -1, 1, 3.0, -0.0, 0.5, 1e-7, 1.5e300, -2.5e-300, 2**53 + 1, 2**63, -(2**63), 10**30,
    123456789.123, 0.1, 100.0, -42, 1e16, 12.5,
]
_TRICKY_KEYS = [
    "", "a b", "key:colon", "123", "with,comma", 'quote"d', "-dash", "ünï", "x.y", "[0]", "#",
    "true", "null", "tab\tkey", "nl\nkey",
]
# fmt: on


def _tricky_value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.randrange(12 if depth < 3 else 6)
    if r == 0:
        return rng.choice(_TRICKY_STRINGS)
    if r == 1:
        return rng.choice(_TRICKY_NUMBERS)
    if r == 2:
        return rng.choice([True, False, None])
    if r == 3:
        return rng.choice([[], {}, [[]], [{}], [[], []], {"": {}}])
    if r == 4:
        return rng.choice(_TRICKY_STRINGS + _TRICKY_NUMBERS)
    if r == 5:
        return _sentence(rng, 1, 4)
    if r == 6:  # array of arrays of primitives, ragged
        return [
            [rng.choice(_TRICKY_NUMBERS + _TRICKY_STRINGS[:8]) for _ in range(rng.randint(0, 3))]
            for _ in range(rng.randint(1, 3))
        ]
    if r == 7:  # mixed primitive array
        return [
            rng.choice(_TRICKY_STRINGS + _TRICKY_NUMBERS + [True, None])
            for _ in range(rng.randint(1, 5))
        ]
    if r == 8:  # almost-uniform objects (one differs)
        rows: list[Any] = [
            {"a": rng.randint(0, 9), "b": rng.choice(_TRICKY_STRINGS)}
            for _ in range(rng.randint(2, 4))
        ]
        rows[rng.randrange(len(rows))] = {"a": 1, "b": {"nested": True}}
        return rows
    if r == 9:  # object with tricky keys
        return {
            k: _tricky_value(rng, depth + 1) for k in rng.sample(_TRICKY_KEYS, rng.randint(1, 3))
        }
    if r == 10:  # list of mixed containers
        return [_tricky_value(rng, depth + 1) for _ in range(rng.randint(1, 3))]
    return {"level": depth, "child": _tricky_value(rng, depth + 1)}


def mixed_small(n: int = 260, *, seed: int = 8) -> list[Any]:
    """Small heterogeneous documents full of edge cases that break naive encoders.

    Starts with a fixed list of known-hard values (so every size includes them), then adds
    seeded random ones: ragged arrays of arrays, empty containers, strings that look like
    numbers/booleans/null/headers, unicode, -0.0 and 3.0, ints beyond 2**53 and 2**63.
    """
    rng = random.Random(seed)
    fixed: list[Any] = [
        [[1, 2], [3, 4]],
        [],
        {},
        [[]],
        [{}],
        "",
        "true",
        "3.0",
        3.0,
        -0.0,
        2**64 + 1,
        -(2**70),
        {"": ""},
        {"a": []},
        {"a": {}},
        [None, None],
        [1, "1", 1.0, True],
        {"x": [{"y": [[{}]]}]},
        ["café", "🚀", "日本"],
        {"0": 0, "-0": -0.0, "1.0": 1.0},
        [[1, [2, [3, [4]]]]],
        {"list": [{"a": 1}, {"a": 1, "b": 2}], "sp ace": " "},
        [{"k": "v"}, "scalar", ["inner"]],
        "- item",
        "[2]: a,b",
        "a: b",
        {"tags": ["a,b", "c|d", "e\tf"]},
        1e-7,
        12345678901234567890,
        [1.5, -0.0, 0, 2.0],
    ]
    docs = fixed[:n]
    while len(docs) < n:
        docs.append(_tricky_value(rng))
    return docs


# --------------------------------------------------------------------------- registry

GENERATORS: dict[str, Callable[[int], Any]] = {
    "tabular_records": tabular_records,
    "keyed_objects": keyed_objects,
    "nested_orders": nested_orders,
    "event_logs": event_logs,
    "chat_transcript": chat_transcript,
    "github_api": github_api,
    "nested_config": nested_config,
    "mixed_small": mixed_small,
}
"""Every dataset generator by name; each takes its size (rows/items/turns/services)."""

DEFAULT_SIZES: dict[str, int] = {
    "tabular_records": 220,
    "keyed_objects": 200,
    "nested_orders": 110,
    "event_logs": 180,
    "chat_transcript": 22,
    "github_api": 12,
    "nested_config": 14,
    "mixed_small": 260,
}
"""Sizes that put each dataset at 5-60 KB of compact JSON: big enough for stable ratios."""

QUICK_SIZES: dict[str, int] = {
    "tabular_records": 12,
    "keyed_objects": 10,
    "nested_orders": 6,
    "event_logs": 15,
    "chat_transcript": 2,
    "github_api": 2,
    "nested_config": 2,
    "mixed_small": 40,
}
"""Small sizes for smoke tests (``--quick``); mixed_small keeps all of its fixed hard cases."""

DATASETS: dict[str, Callable[[], Any]] = {
    name: partial(gen, DEFAULT_SIZES[name]) for name, gen in GENERATORS.items()
}
"""Zero-argument factories at the default benchmark sizes."""


def corpus() -> list[tuple[str, Any]]:
    """All datasets at default size, in a fixed order, for summing tokens across shapes."""
    return [(name, factory()) for name, factory in DATASETS.items()]


def quick_corpus() -> list[tuple[str, Any]]:
    """All datasets at the small ``QUICK_SIZES``, for tests and ``--quick`` runs."""
    return [(name, GENERATORS[name](QUICK_SIZES[name])) for name in GENERATORS]
