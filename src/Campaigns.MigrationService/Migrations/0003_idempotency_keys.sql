-- The first successful response to each Idempotency-Key, replayed to retries for 24 hours.
-- Written in the same transaction as the send it answers, so it survives restarts and Redis flushes.
CREATE TABLE idempotency_keys (
    scope           text        NOT NULL,  -- whose key: the caller's API key identity
    key             text        NOT NULL,
    request_hash    bytea       NOT NULL,  -- method, path and canonical JSON body
    response_status integer     NOT NULL,
    response_body   text        NOT NULL,  -- text, not jsonb: replayed byte for byte
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idx_idempotency_keys_expires_at ON idempotency_keys (expires_at);
