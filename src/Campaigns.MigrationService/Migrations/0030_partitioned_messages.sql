-- Partitioned messages (issue #17; docs/scale.md, "Partitioned messages"): outbound_messages becomes 16 partitions by
-- hash of campaign_id, outbound_messages_p00 … _p15. Every by-campaign statement (lists, stats, publish, cancel, the
-- A/B release) reads one partition, and deleting an old campaign's messages dirties one partition, whose vacuum is a
-- sixteenth of the table's. A unique key of a partitioned table must hold the partition key:
--   * UNIQUE (campaign_id, customer_id), nobody messaged twice per campaign, already does and stays;
--   * the primary key becomes (id, campaign_id): id leads, so a lookup by id alone is one index probe per partition,
--     and id stays unique by the identity sequence that alone writes it (GENERATED ALWAYS);
--   * (provider, provider_message_id) cannot stay unique across partitions. Nothing relied on that uniqueness (no
--     ON CONFLICT names it; receipts look messages up by it, which a plain index serves), and a provider's message
--     ids are unique by the provider's own contract: a plain index now.
-- Nothing references outbound_messages by foreign key (events 0013 and links 0028 go with their messages by statement
-- triggers), no view reads it, and the functions that do name it in their bodies, resolved when they run.
--
-- The conversion copies the rows with their ids into the new table (a database already holding many messages is best
-- converted in a maintenance window: the copy holds the old table's lock for its duration) and moves the identity on,
-- so the next id continues the old sequence.

ALTER TABLE outbound_messages RENAME TO outbound_messages_unpartitioned;
ALTER SEQUENCE outbound_messages_id_seq RENAME TO outbound_messages_unpartitioned_id_seq;

CREATE TABLE outbound_messages (
    id                  bigint      GENERATED ALWAYS AS IDENTITY,
    campaign_id         bigint      NOT NULL,
    customer_id         bigint      NOT NULL,
    status              text        NOT NULL DEFAULT 'pending'
        CONSTRAINT outbound_messages_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'expired')),
    rendered_content    text        NULL,
    last_error          text        NULL,
    retry_count         int         NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    queued_at           timestamptz NULL,
    expired_claim       int         NULL,
    provider            text        NULL,
    provider_message_id text        NULL,
    sent_at             timestamptz NULL,
    delivered_at        timestamptz NULL,
    read_at             timestamptz NULL,
    error_code          text        NULL,
    attempt_provider    text        NULL,
    attempt_unknown     boolean     NOT NULL DEFAULT false,
    send_trace          text        NULL,
    template_parameters text[]      NULL,
    not_before          timestamptz NULL,
    language            text        NULL,
    variant             text        NULL,
    personalization     text        NULL
        CONSTRAINT outbound_messages_personalization_check CHECK (personalization IN ('ai', 'fallback'))
) PARTITION BY HASH (campaign_id);

DO $$
BEGIN
    FOR remainder IN 0..15 LOOP
        EXECUTE format('CREATE TABLE outbound_messages_p%s PARTITION OF outbound_messages FOR VALUES WITH (MODULUS 16, REMAINDER %s)',
                       to_char(remainder, 'FM00'), remainder);
    END LOOP;
END
$$;

-- Rows first, indexes and foreign keys after: one sorted build per index, one check per key, instead of work per row.
INSERT INTO outbound_messages OVERRIDING SYSTEM VALUE
SELECT id, campaign_id, customer_id, status, rendered_content, last_error, retry_count, next_attempt_at, created_at,
       updated_at, queued_at, expired_claim, provider, provider_message_id, sent_at, delivered_at, read_at, error_code,
       attempt_provider, attempt_unknown, send_trace, template_parameters, not_before, language, variant, personalization
FROM outbound_messages_unpartitioned;

SELECT setval(pg_get_serial_sequence('outbound_messages', 'id'), s.last_value, s.is_called)
FROM outbound_messages_unpartitioned_id_seq s;

-- The old table's delete triggers go with it; their functions stay, for the new table's triggers below.
DROP TABLE outbound_messages_unpartitioned;

ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_pkey PRIMARY KEY (id, campaign_id);
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_campaign_customer_key UNIQUE (campaign_id, customer_id);
ALTER TABLE outbound_messages
    ADD CONSTRAINT outbound_messages_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE,
    ADD CONSTRAINT outbound_messages_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
CREATE INDEX idx_outbound_messages_campaign_id ON outbound_messages (campaign_id, id DESC);
CREATE INDEX idx_outbound_messages_campaign_status_id ON outbound_messages (campaign_id, status, id DESC);
CREATE INDEX idx_outbound_messages_customer_id ON outbound_messages (customer_id);
CREATE INDEX idx_outbound_messages_leases ON outbound_messages (next_attempt_at) WHERE status = 'sending';
CREATE INDEX idx_outbound_messages_provider_id ON outbound_messages (provider, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX idx_outbound_messages_queued ON outbound_messages (campaign_id, queued_at, id)
    WHERE status = 'pending' AND queued_at IS NOT NULL;
CREATE INDEX idx_outbound_messages_variant ON outbound_messages (campaign_id, variant, status) INCLUDE (read_at)
    WHERE variant IS NOT NULL;
CREATE INDEX idx_outbound_messages_waiting ON outbound_messages (campaign_id, next_attempt_at)
    WHERE status = 'pending' AND queued_at IS NULL;
CREATE INDEX idx_outbound_messages_window_wait ON outbound_messages (campaign_id, not_before)
    WHERE status = 'pending' AND not_before IS NOT NULL;

-- A partition's index is named after the table's, with the partition's suffix (outbound_messages_pkey_p03 on
-- outbound_messages_p03), so a plan says which index it reads as it did before.
DO $$
DECLARE
    partition_index record;
BEGIN
    FOR partition_index IN
        SELECT child.relname AS name, parent.relname || right(partition.relname, 4) AS wanted
        FROM pg_inherits i
        JOIN pg_class parent ON parent.oid = i.inhparent
        JOIN pg_class child ON child.oid = i.inhrelid
        JOIN pg_index x ON x.indexrelid = child.oid
        JOIN pg_class partition ON partition.oid = x.indrelid
        WHERE parent.relkind = 'I' AND parent.relname LIKE ANY (ARRAY['outbound_messages%', 'idx_outbound_messages%'])
    LOOP
        EXECUTE format('ALTER INDEX %I RENAME TO %I', partition_index.name, partition_index.wanted);
    END LOOP;
END
$$;

CREATE TRIGGER links_go_with_their_messages AFTER DELETE ON outbound_messages
    REFERENCING OLD TABLE AS deleted_messages
    FOR EACH STATEMENT EXECUTE FUNCTION delete_links_of_deleted_messages();
CREATE TRIGGER outbound_messages_counted_on_delete AFTER DELETE ON outbound_messages
    REFERENCING OLD TABLE AS old_messages
    FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_messages();
CREATE TRIGGER outbound_messages_events_on_delete AFTER DELETE ON outbound_messages
    REFERENCING OLD TABLE AS old_messages
    FOR EACH STATEMENT EXECUTE FUNCTION delete_events_of_deleted_messages();

-- Autovacuum analyzes the partitions, never a partitioned table itself: the table-wide statistics are taken here.
ANALYZE outbound_messages;
