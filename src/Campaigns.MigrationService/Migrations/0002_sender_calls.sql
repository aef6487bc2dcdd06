-- Every call the worker's mock provider receives, when Sender:RecordCalls is on (tests, drills).
-- Written before the call is made, in batches, so a crash or a Redis flush cannot erase it.
-- No foreign key: evidence must survive whatever happens to the message rows.
CREATE TABLE sender_calls (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbound_message_id bigint      NOT NULL,
    attempt             integer     NOT NULL,
    idempotency_key     text        NOT NULL,
    channel             text        NOT NULL,
    phone               text        NOT NULL,
    worker              text        NOT NULL,
    called_at           timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_sender_calls_message ON sender_calls (outbound_message_id);
