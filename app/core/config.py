"""Settings, read once from VPR_* environment variables (and an optional .env file)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VPR_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATA_DIR / 'vpr.sqlite3'}",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Server secret that keys API-key hashes. Unset: one is generated once and "
        "kept in VPR_DATA_DIR/secret_key (fine for one local instance, not for several).",
    )
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="Where local state lives.")
    # Also how many requests are inside the app at once (app/http/admission.py). On 2 cores one
    # Python process answered most at 4-8 (SQLite best near 4, PostgreSQL near 8, measured with
    # wrk at c=32); 30 threads spent their time contending for the GIL.
    db_pool_size: int = Field(default=6, ge=1, le=200)
    db_max_overflow: int = Field(default=2, ge=0, le=200)
    db_pool_timeout_s: float = Field(default=10.0, gt=0, le=120)
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0, le=60000)
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, le=64 * 1_048_576, description="Request body cap (413 above)."
    )
    request_body_timeout_s: float = Field(
        default=20.0,
        gt=0,
        le=600,
        description="A request body not complete this long after its headers is a 408.",
    )
    request_headers_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="A connection whose request headers are not complete this long after its "
        "first byte (or after it opened) is closed (`vpr serve`).",
    )
    send_timeout_s: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="A client that reads nothing of an answer for this long is disconnected.",
    )
    response_cache: bool = Field(
        default=True, description="Serve unchanged anonymous GETs from memory (see README)."
    )
    stored_documents: bool = Field(
        default=True,
        description="Answer a company's detail, the company list's commonest pages and the "
        "unfiltered update list from the read models before routing (see README).",
    )
    response_cache_max_bytes: int = Field(
        default=64 << 20,
        ge=0,
        description="What the cached answers' bodies may add up to; the least recently used go.",
    )
    metrics_public: bool = Field(
        default=False,
        description="Serve /metrics to anyone (a scraper inside the network); false: only to "
        "an administrator's key (`Authorization: Bearer`).",
    )
    reviews_shared_between_governments: bool = Field(
        default=True,
        description="Every government key reads every government's reviews of an update (the "
        "governments that endorsed the principles coordinate; a company answers a question "
        "once, for all). false: a government key reads only its own government's reviews and "
        "the answers to them; the company and administrators read the whole thread.",
    )
    rate_limit: bool = Field(default=True, description="Answer 429 past the limits below.")
    rate_limit_reads_per_minute: int = Field(
        default=1200, ge=1, description="GET/HEAD per key, or per client address without a key."
    )
    rate_limit_writes_per_minute: int = Field(
        default=60, ge=1, description="POST/PUT/PATCH/DELETE per key, or per client address."
    )
    rate_limit_exports_per_minute: int = Field(
        default=30,
        ge=1,
        description="GETs of /api/v1/exports/ per key or client address (a data package is 10).",
    )
    rate_limit_failed_auth_per_minute: int = Field(
        default=20,
        ge=1,
        description="401s per client address; past it, that address's keyed requests get 429 "
        "until the minute ends, before any key lookup.",
    )
    redis_url: str | None = Field(
        default=None,
        pattern=r"^rediss?://",
        description="redis://host:port/db: count writes there, shared by every instance. "
        "Unset: PostgreSQL counts them (or memory, on SQLite).",
    )
    cors_origins: list[str] = Field(
        default=[],
        description="Web origins allowed to send a key or write, as a JSON list "
        '(["https://a.gov.example"]). Anonymous reads are open to every origin.',
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses (or CIDR ranges) of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; empty: none, the socket's peer is "
        "the client.",
    )
    workers: int = Field(
        default=1, ge=1, le=64, description="Uvicorn worker processes for `vpr serve`."
    )
    log_origin: str = Field(
        default="vp-registry.local/log",
        pattern=r"^[a-z0-9.-]+(/[A-Za-z0-9._-]+)*$",
        max_length=200,
        description="The log's name in its checkpoints (a host and path this registry owns).",
    )
    log_signing_key: SecretStr | None = Field(
        default=None,
        description="The log's Ed25519 key, PRIVATE+KEY+<origin>+<id>+<base64>. Unset: one is "
        "generated once into VPR_DATA_DIR/log_signing_key (share it between instances).",
    )
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")

    @field_validator("database_url")
    @classmethod
    def _supported_engine(cls, url: str) -> str:
        if url.startswith("postgresql://"):
            # psycopg 3 is the only PostgreSQL driver installed.
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        if not url.startswith(("sqlite://", "postgresql+psycopg://")):
            raise ValueError("VPR_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return url

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and len(key.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError("VPR_SECRET_KEY must be at least 32 characters")
        return key

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def thread_limit(self) -> int:
        """Requests admitted into the app at once, and worker threads for sync routes: each
        admitted request holds at most one connection and one thread (`app/http/admission.py`)."""
        return self.db_pool_size + self.db_max_overflow


@lru_cache
def get_settings() -> Settings:
    return Settings()
