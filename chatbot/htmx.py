"""htmx settings shared by the resident and staff pages (both served under one CSP)."""

from __future__ import annotations

import json


def htmx_config(*swapped_error_codes: int) -> str:
    """The `htmx-config` meta content: no inline indicator styles (CSP), no eval or script tags,
    no history cache. Responses with `swapped_error_codes` (validation errors, conflicts, rate
    limits) are swapped in like answers, so the GOV.UK error summary they carry is shown."""
    return json.dumps(
        {
            "includeIndicatorStyles": False,
            "allowEval": False,
            "allowScriptTags": False,
            "historyCacheSize": 0,
            "responseHandling": [
                {"code": "204", "swap": False},
                {"code": "[23]..", "swap": True},
                *(
                    {"code": str(code), "swap": True, "error": False}
                    for code in swapped_error_codes
                ),
                {"code": "[45]..", "swap": False, "error": True},
            ],
        },
        separators=(",", ":"),
    )
