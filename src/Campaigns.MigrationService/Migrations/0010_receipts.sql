-- Real providers and delivery receipts (issue #14): the columns a provider's answer and its receipts
-- fill, the receipt inbox the webhooks write and the worker applies, inbound messages, and each
-- message's event log. The state machine's functions that use them are in 0011.

-- Messages ------------------------------------------------------------------------------------------

ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'expired'));

ALTER TABLE outbound_messages
    -- The provider that accepted the message and its id there: receipts are matched by the pair.
    ADD COLUMN provider            text        NULL,
    ADD COLUMN provider_message_id text        NULL,
    ADD COLUMN sent_at             timestamptz NULL,
    ADD COLUMN delivered_at        timestamptz NULL,
    ADD COLUMN read_at             timestamptz NULL,
    -- The provider's own code for the last failure, as it gave it.
    ADD COLUMN error_code          text        NULL,
    -- The provider of the last attempt, and whether its outcome is unknown (a timeout after the request
    -- was written): an unknown outcome is retried at the same provider with the same idempotency key; a
    -- transient failure is retried starting after that provider.
    ADD COLUMN attempt_provider    text        NULL,
    ADD COLUMN attempt_unknown     boolean     NOT NULL DEFAULT false,
    -- The W3C traceparent of the batch that sent it: receipts link their spans to the send's trace.
    ADD COLUMN send_trace          text        NULL,
    -- A WhatsApp template's body parameters rendered for this recipient (null without a template).
    ADD COLUMN template_parameters text[]      NULL;

CREATE UNIQUE INDEX idx_outbound_messages_provider_id ON outbound_messages (provider, provider_message_id)
    WHERE provider_message_id IS NOT NULL;

-- A WhatsApp campaign's pre-approved template: { name, language, parameters: ["{first_name}", …] }.
ALTER TABLE campaigns ADD COLUMN whatsapp_template jsonb NULL;

-- Receipt inbox -------------------------------------------------------------------------------------

-- Receipts as the webhooks stored them, before the worker applies them in batches (apply_receipts,
-- 0011): a burst of receipts costs the API one insert per request. A receipt whose message id is not
-- yet recorded (it came before the send's outcome was written) waits (waiting_since set, out of the
-- applier's way) until the outcome records that id, and is dropped after a day and a half.
CREATE TABLE provider_receipts (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider            text        NOT NULL,
    provider_message_id text        NOT NULL,
    -- What the receipt means here (api.md, "Provider webhooks", Mapping).
    kind                text        NOT NULL
                        CHECK (kind IN ('sent', 'delivered', 'undelivered', 'expired', 'read', 'provider_status')),
    -- The provider's own status word, as it sent it.
    provider_status     text        NOT NULL,
    error_code          text        NULL,
    -- When the provider says it happened (its timestamp), else when it reached us.
    occurred_at         timestamptz NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    -- A provider-side opt-out (Africa's Talking UserInBlackList): the phone is suppressed too.
    suppress_phone      boolean     NOT NULL DEFAULT false,
    waiting_since       timestamptz NULL
);
-- The applier's work list, oldest first.
CREATE INDEX idx_provider_receipts_ready ON provider_receipts (id) WHERE waiting_since IS NULL;
-- Receipts found again by their id when an outcome records it (to wake those set aside).
CREATE INDEX idx_provider_receipts_message ON provider_receipts (provider, provider_message_id);

-- The webhooks' one write: a request's receipts, in one statement.
CREATE FUNCTION store_receipts(
    p_provider text, p_provider_message_ids text[], p_kinds text[], p_provider_statuses text[], p_error_codes text[],
    p_occurred_at timestamptz[], p_suppress_phone boolean[])
RETURNS int LANGUAGE sql AS $$
    WITH stored AS (
        INSERT INTO provider_receipts (provider, provider_message_id, kind, provider_status, error_code, occurred_at, suppress_phone)
        SELECT p_provider, r.id, r.kind, r.status, r.error_code, coalesce(r.occurred_at, now()), coalesce(r.suppress, false)
        FROM unnest(p_provider_message_ids, p_kinds, p_provider_statuses, p_error_codes, p_occurred_at, p_suppress_phone)
            AS r(id, kind, status, error_code, occurred_at, suppress)
        RETURNING 1)
    SELECT count(*)::int FROM stored;
$$;

-- Inbound messages ----------------------------------------------------------------------------------

-- Every message a recipient sent us, as a provider's inbound webhook delivered it (stored before
-- anything acts on it; keywords such as STOP are issue #15's).
CREATE TABLE inbound_messages (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider            text        NOT NULL,
    provider_message_id text        NULL,
    channel             text        NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    from_phone          text        NOT NULL,
    to_phone            text        NULL,
    body                text        NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now()
);
-- A provider retrying its webhook stores the message once.
CREATE UNIQUE INDEX idx_inbound_messages_provider_id ON inbound_messages (provider, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX idx_inbound_messages_from ON inbound_messages (from_phone, id DESC);

CREATE FUNCTION store_inbound_messages(
    p_provider text, p_provider_message_ids text[], p_channels text[], p_from text[], p_to text[], p_bodies text[])
RETURNS int LANGUAGE sql AS $$
    WITH stored AS (
        INSERT INTO inbound_messages (provider, provider_message_id, channel, from_phone, to_phone, body)
        SELECT p_provider, m.id, m.channel, m.from_phone, m.to_phone, m.body
        FROM unnest(p_provider_message_ids, p_channels, p_from, p_to, p_bodies) AS m(id, channel, from_phone, to_phone, body)
        ON CONFLICT (provider, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
        RETURNING 1)
    SELECT count(*)::int FROM stored;
$$;

-- Message events ------------------------------------------------------------------------------------

-- A message's timeline, written by the state machine's functions as they move it (0011) and by the
-- receipt applier. Its first event, queued, is the message's own created_at and is not stored.
CREATE TABLE message_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  bigint      NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    type        text        NOT NULL CHECK (type IN ('queued', 'claimed', 'attempt_failed', 'sent', 'delivered',
                    'undelivered', 'read', 'clicked', 'failed', 'cancelled', 'expired', 'provider_status')),
    provider    text        NULL,
    detail      text        NULL
);
CREATE INDEX idx_message_events_message ON message_events (message_id, id);
