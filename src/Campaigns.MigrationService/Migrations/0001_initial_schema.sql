-- Customers: one row per normalized (E.164) phone number.
CREATE TABLE customers (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone             text        NOT NULL,
    first_name        text        NOT NULL DEFAULT '',
    last_name         text        NOT NULL DEFAULT '',
    location          text        NOT NULL DEFAULT '',
    preferred_product text        NOT NULL DEFAULT '',
    opted_out         boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_phone_key UNIQUE (phone)
);
-- Filters and audiences match location and product case-insensitively.
CREATE INDEX idx_customers_location ON customers (lower(location));
CREATE INDEX idx_customers_preferred_product ON customers (lower(preferred_product));

CREATE TABLE campaigns (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL,
    channel         text        NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    status          text        NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'failed', 'cancelled')),
    base_template   text        NOT NULL,
    scheduled_at    timestamptz NULL,
    -- Set by the one successful send: a campaign has one audience and is sent once.
    audience_attached_at timestamptz NULL,
    -- Per-status message counters, kept in step with every status change of its messages, so the
    -- stats of a campaign of a million messages cost one row read.
    total_count     integer     NOT NULL DEFAULT 0,
    pending_count   integer     NOT NULL DEFAULT 0,
    sending_count   integer     NOT NULL DEFAULT 0,
    sent_count      integer     NOT NULL DEFAULT 0,
    failed_count    integer     NOT NULL DEFAULT 0,
    cancelled_count integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_campaigns_status_id ON campaigns (status, id DESC);
CREATE INDEX idx_campaigns_channel_id ON campaigns (channel, id DESC);
CREATE INDEX idx_campaigns_channel_status_id ON campaigns (channel, status, id DESC);
-- The scheduler looks only at scheduled campaigns with an audience.
CREATE INDEX idx_campaigns_scheduled ON campaigns (scheduled_at)
    WHERE status = 'scheduled' AND audience_attached_at IS NOT NULL;
-- The completion sweep looks only at campaigns being sent.
CREATE INDEX idx_campaigns_sending ON campaigns (id) WHERE status = 'sending';

CREATE TABLE outbound_messages (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id      bigint      NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    customer_id      bigint      NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status           text        NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    rendered_content text        NOT NULL,
    last_error       text        NULL,
    retry_count      integer     NOT NULL DEFAULT 0,
    -- pending: when the message is due (a retry's backoff, or when a lost job is re-queued);
    -- sending: when the claiming worker's lease runs out.
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT outbound_messages_campaign_customer_key UNIQUE (campaign_id, customer_id)
);
CREATE INDEX idx_outbound_messages_campaign_id ON outbound_messages (campaign_id, id DESC);
CREATE INDEX idx_outbound_messages_campaign_status_id ON outbound_messages (campaign_id, status, id DESC);
-- ON DELETE CASCADE from customers finds their messages through this.
CREATE INDEX idx_outbound_messages_customer_id ON outbound_messages (customer_id);
-- The reconciler's work list: due retries, lost jobs, expired leases.
CREATE INDEX idx_outbound_messages_due ON outbound_messages (next_attempt_at)
    WHERE status IN ('pending', 'sending');
