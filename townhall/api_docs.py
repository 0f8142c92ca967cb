"""`/docs`: the resident API's OpenAPI documentation, from vendored Swagger UI files.

FastAPI's default page loads Swagger UI from a CDN with an inline script: the Content Security
Policy blocks both, and an offline council cannot reach the CDN. This page uses the files in
`chatbot/static/vendor/swagger-ui/` (npm `swagger-ui-dist`) and an external start-up script, so
it runs under the same `'self'`-only policy as every other page. `TOWNHALL_API_DOCS=false` turns
the page off (the schema stays at `/openapi.json`).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - resident API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/assets/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/assets/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/assets/api-docs.js"></script>
</body>
</html>
"""


def mount_api_docs(app: FastAPI, enabled: bool = True) -> None:
    if not enabled:
        return
    page = PAGE.format(title=app.title)

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})
