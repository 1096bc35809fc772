"""Demo logins printed by `kizuna run` (one per role) — created by `kizuna seed --demo`."""

DEMO_PASSWORD = "kizuna-demo-2026"  # noqa: S105 - printed on purpose for the demo network
DEMO_ACCOUNTS = [
    ("admin", "hr@demo.kizuna.example"),
    ("moderator", "moderator@demo.kizuna.example"),
    ("employee", "employee@demo.kizuna.example"),
    ("alumni", "alumni@demo.kizuna.example"),
]
