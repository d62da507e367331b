"""The reference: FastAPI's ceiling on this machine, an async route returning small fixed JSON."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/reference")
async def reference() -> dict[str, object]:
    return {"status": "ok", "items": [1, 2, 3]}
