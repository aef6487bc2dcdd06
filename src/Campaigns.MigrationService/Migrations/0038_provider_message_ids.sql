-- Provider message ids in a table of their own (issue 17, "receipts applied"): provider_message_ids maps the id a provider
-- gave a message to the message and its campaign. A receipt names only that id; in the partitioned outbound_messages
-- (0030) finding it probed every partition's part of the provider-id index, up to sixteen index descents per receipt.
-- Now one probe of one primary key finds the message, and everything after it reads one partition: 20,000 receipts
-- applied in batches of 2,000 took 1.27 s of Postgres's time before, 0.81 s after (measured on a copy of the schema).
--   * Written by the outcome batches that record an accepted send (record_provider_ids, the one place that also wakes
--     the receipts that came before the outcome), in the outcome's transaction: what was set aside while unmatched is
--     woken exactly as before (0029).
--   * Deleted with its message (a statement trigger on the messages' delete, as their links and events are).
--   * The partial index on outbound_messages (provider, provider_message_id) goes: nothing else looked messages up
--     by it, and every outcome and receipt that moved a message paid for its entries.
--   * A provider that gave one id twice: the first message keeps it (the lookup is by id; a second claim of it would
--     otherwise fail the whole outcome batch).

CREATE TABLE provider_message_ids (
    provider            text   NOT NULL,
    provider_message_id text   NOT NULL,
    message_id          bigint NOT NULL,
    campaign_id         bigint NOT NULL,
    PRIMARY KEY (provider, provider_message_id)
);

INSERT INTO provider_message_ids (provider, provider_message_id, message_id, campaign_id)
SELECT m.provider, m.provider_message_id, m.id, m.campaign_id
FROM outbound_messages m
WHERE m.provider IS NOT NULL AND m.provider_message_id IS NOT NULL
ORDER BY m.id
ON CONFLICT DO NOTHING;

DROP INDEX idx_outbound_messages_provider_id;

-- Like the messages' links, events and counters (0030): one set-based delete per statement that deleted messages.
-- By primary key, never a scan of every id ever recorded.
CREATE FUNCTION forget_provider_ids_of_deleted_messages() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan TO 'off' AS $$
BEGIN
    DELETE FROM provider_message_ids p
    USING deleted_messages d
    WHERE d.provider_message_id IS NOT NULL
      AND p.provider = d.provider AND p.provider_message_id = d.provider_message_id AND p.message_id = d.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER provider_ids_go_with_their_messages AFTER DELETE ON outbound_messages
    REFERENCING OLD TABLE AS deleted_messages
    FOR EACH STATEMENT EXECUTE FUNCTION forget_provider_ids_of_deleted_messages();

-- Records the ids providers gave accepted messages, and wakes their receipts that came first. Not only receipts already
-- waiting: one an applier is setting aside right now (uncommitted) is waited for and woken too, else it would wait for
-- an id that is already recorded.
CREATE FUNCTION record_provider_ids(p_ids bigint[], p_campaign_ids bigint[], p_providers text[], p_provider_message_ids text[])
RETURNS int
LANGUAGE plpgsql
SET enable_seqscan TO 'off'
SET jit TO 'off'
AS $$
DECLARE
    woken int;
BEGIN
    IF p_ids IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO provider_message_ids (provider, provider_message_id, message_id, campaign_id)
    SELECT i.provider, i.provider_message_id, i.id, i.campaign_id
    FROM unnest(p_providers, p_provider_message_ids, p_ids, p_campaign_ids) AS i(provider, provider_message_id, id, campaign_id)
    WHERE i.provider IS NOT NULL AND i.provider_message_id IS NOT NULL
    ORDER BY i.provider, i.provider_message_id
    ON CONFLICT DO NOTHING;
    UPDATE provider_receipts pr SET waiting_since = NULL
    FROM unnest(p_providers, p_provider_message_ids) AS i(provider, provider_message_id)
    WHERE pr.provider = i.provider AND pr.provider_message_id = i.provider_message_id;
    GET DIAGNOSTICS woken = ROW_COUNT;
    RETURN woken;
END
$$;

-- 0031's outcome batch and 0011's late outcomes: the accepted ids recorded through record_provider_ids.
CREATE OR REPLACE FUNCTION record_attempt_outcomes(p_ids bigint[], p_claimed_retry_counts integer[], p_statuses text[], p_retry_counts integer[], p_errors text[], p_delays interval[], p_only_expired_leases boolean, p_providers text[] DEFAULT NULL::text[], p_provider_message_ids text[] DEFAULT NULL::text[], p_error_codes text[] DEFAULT NULL::text[], p_unknown boolean[] DEFAULT NULL::boolean[], p_suppress_phone boolean[] DEFAULT NULL::boolean[],
    p_campaign_ids bigint[] DEFAULT NULL::bigint[])
 RETURNS TABLE(id bigint, campaign_id bigint, status text)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
 SET enable_hashjoin TO 'off'
 SET enable_mergejoin TO 'off'
 SET jit TO 'off'
AS $$
#variable_conflict use_column
DECLARE
    recorded_count int;
    campaign_ids bigint[] := message_campaigns(p_ids, p_campaign_ids);
BEGIN
    PERFORM share_campaigns(campaign_ids);
    RETURN QUERY
    WITH recorded AS (
    UPDATE outbound_messages m
    SET status = CASE WHEN i.status = 'pending' AND c.status = 'cancelled' THEN 'cancelled' ELSE i.status END,
        retry_count = i.retry_count,
        last_error = coalesce(i.error, m.last_error),
        next_attempt_at = CASE WHEN i.status = 'pending' THEN now() + i.delay ELSE now() END,
        queued_at = NULL,
        expired_claim = CASE WHEN p_only_expired_leases THEN i.claimed_retry_count END,
        provider = CASE WHEN i.status = 'sent' THEN i.provider ELSE m.provider END,
        provider_message_id = CASE WHEN i.status = 'sent' THEN i.provider_message_id ELSE m.provider_message_id END,
        sent_at = CASE WHEN i.status = 'sent' THEN now() ELSE m.sent_at END,
        error_code = CASE WHEN i.status = 'sent' THEN m.error_code ELSE coalesce(i.error_code, m.error_code) END,
        attempt_provider = coalesce(i.provider, m.attempt_provider),
        attempt_unknown = CASE WHEN i.provider IS NULL THEN m.attempt_unknown ELSE coalesce(i.unknown, false) END,
        updated_at = now()
    FROM unnest(p_ids, campaign_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                p_providers, p_provider_message_ids, p_error_codes, p_unknown, p_suppress_phone)
            AS i(id, campaign_id, claimed_retry_count, status, retry_count, error, delay, provider, provider_message_id, error_code,
                 unknown, suppress),
         campaigns c
    WHERE m.id = i.id AND m.campaign_id = i.campaign_id
      AND CASE WHEN m.status = 'sending' THEN true ELSE false END
      AND m.retry_count = i.claimed_retry_count
      AND (NOT p_only_expired_leases OR m.next_attempt_at < now())
      AND c.id = i.campaign_id + 0
    RETURNING m.id, m.campaign_id, m.status, m.customer_id, m.provider, m.provider_message_id, m.attempt_provider,
              m.last_error, i.claimed_retry_count, m.retry_count, coalesce(i.suppress, false) AS suppress),
    evented AS (
        INSERT INTO message_events (message_id, type, provider, detail)
        SELECT r.id, attempt_event_type(r.status, r.claimed_retry_count, r.retry_count),
               CASE WHEN r.status = 'sent' THEN r.provider ELSE r.attempt_provider END,
               CASE WHEN r.status = 'sent' THEN r.provider_message_id ELSE r.last_error END
        FROM recorded r
        WHERE attempt_event_type(r.status, r.claimed_retry_count, r.retry_count) IS NOT NULL),
    -- The accepting provider's id found again when its receipts come, and those that came early woken.
    remembered AS (
        SELECT record_provider_ids(array_agg(r.id), array_agg(r.campaign_id), array_agg(r.provider), array_agg(r.provider_message_id))
        FROM recorded r WHERE r.status = 'sent'),
    -- A provider-side opt-out at send (Twilio 21610, Africa's Talking 406) suppresses the phone.
    suppressed AS (
        SELECT add_suppressions(array_agg(u.phone), NULL, 'provider', 'opted out at ' || min(r.attempt_provider)) AS added
        FROM recorded r JOIN customers u ON u.id = r.customer_id
        WHERE r.suppress),
    counted AS (
        SELECT count_status_moves(array_agg(recorded.campaign_id), 'sending', array_agg(recorded.status)) FROM recorded)
    SELECT recorded.id, recorded.campaign_id, recorded.status FROM recorded, counted, suppressed, remembered;
    GET DIAGNOSTICS recorded_count = ROW_COUNT;
    IF NOT p_only_expired_leases AND recorded_count < cardinality(p_ids) THEN
        RETURN QUERY SELECT * FROM record_late_outcomes(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                                                        p_providers, p_provider_message_ids, p_error_codes, p_unknown);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION record_late_outcomes(
    p_ids bigint[], p_claimed_retry_counts int[], p_statuses text[], p_retry_counts int[], p_errors text[], p_delays interval[],
    p_providers text[], p_provider_message_ids text[], p_error_codes text[], p_unknown boolean[])
RETURNS TABLE (id bigint, campaign_id bigint, status text)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    late_ids bigint[];
    old_statuses text[];
BEGIN
    SELECT array_agg(l.id), array_agg(l.status) INTO late_ids, old_statuses
    FROM (
        SELECT m.id, m.status
        FROM outbound_messages m, unnest(p_ids, p_claimed_retry_counts) AS i(id, claimed_retry_count)
        WHERE m.id = i.id AND m.expired_claim = i.claimed_retry_count
          AND m.status IN ('pending', 'failed', 'cancelled')
        FOR UPDATE OF m) l;
    IF late_ids IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH recorded AS (
        UPDATE outbound_messages m
        SET status = CASE WHEN i.status = 'pending' AND c.status = 'cancelled' THEN 'cancelled' ELSE i.status END,
            retry_count = i.retry_count,
            last_error = i.error,
            next_attempt_at = CASE WHEN i.status = 'pending' THEN now() + i.delay ELSE now() END,
            queued_at = NULL,
            expired_claim = NULL,
            provider = CASE WHEN i.status = 'sent' THEN i.provider ELSE m.provider END,
            provider_message_id = CASE WHEN i.status = 'sent' THEN i.provider_message_id ELSE m.provider_message_id END,
            sent_at = CASE WHEN i.status = 'sent' THEN now() ELSE m.sent_at END,
            error_code = CASE WHEN i.status = 'sent' THEN m.error_code ELSE coalesce(i.error_code, m.error_code) END,
            attempt_provider = coalesce(i.provider, m.attempt_provider),
            attempt_unknown = CASE WHEN i.provider IS NULL THEN m.attempt_unknown ELSE coalesce(i.unknown, false) END,
            updated_at = now()
        FROM unnest(late_ids, old_statuses) AS l(id, old_status),
             unnest(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                    p_providers, p_provider_message_ids, p_error_codes, p_unknown)
                 AS i(id, claimed_retry_count, status, retry_count, error, delay, provider, provider_message_id, error_code, unknown),
             campaigns c
        WHERE m.id = l.id AND i.id = l.id AND c.id = m.campaign_id + 0
          -- A finished campaign takes no message back into pending: only a final answer replaces the guess there.
          AND (i.status <> 'pending' OR c.status IN ('sending', 'paused', 'cancelled'))
        RETURNING m.id, m.campaign_id, l.old_status, m.status, m.provider, m.provider_message_id, m.last_error,
                  i.claimed_retry_count, m.retry_count),
    evented AS (
        INSERT INTO message_events (message_id, type, provider, detail)
        SELECT r.id, 'sent', r.provider, r.provider_message_id FROM recorded r WHERE r.status = 'sent'),
    remembered AS (
        SELECT record_provider_ids(array_agg(r.id), array_agg(r.campaign_id), array_agg(r.provider), array_agg(r.provider_message_id))
        FROM recorded r WHERE r.status = 'sent'),
    counted AS (
        SELECT count_status_moves(array_agg(r.campaign_id), r.old_status, array_agg(r.status)) AS moved
        FROM recorded r GROUP BY r.old_status)
    SELECT r.id, r.campaign_id, r.status FROM recorded r, (SELECT sum(moved) FROM counted) k, remembered;
END
$$;

-- 0033's applier: the message found by its provider id in provider_message_ids.
CREATE OR REPLACE FUNCTION apply_receipts(p_limit integer)
 RETURNS TABLE(message_id bigint, campaign_id bigint, old_status text, status text, newly_read boolean, send_trace text, sent_at timestamp with time zone, decided_at timestamp with time zone)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
 SET enable_hashjoin TO 'off'
 SET enable_mergejoin TO 'off'
 SET jit TO 'off'
AS $$
#variable_conflict use_column
DECLARE
    taken bigint[];
    taken_messages bigint[];
    taken_campaigns bigint[];
    matched_ids bigint[];
BEGIN
    -- The batch, each receipt with its message and the message's campaign found by one probe of provider_message_ids
    -- (NULL: no outcome has recorded that id yet). From here on the messages are addressed by (id, campaign_id), each
    -- in its partition.
    SELECT array_agg(t.id ORDER BY t.id), array_agg(t.message_id ORDER BY t.id), array_agg(t.campaign_id ORDER BY t.id)
    INTO taken, taken_messages, taken_campaigns
    FROM (
        SELECT r.id, found.message_id, found.campaign_id
        FROM provider_receipts r
        LEFT JOIN provider_message_ids found ON found.provider = r.provider AND found.provider_message_id = r.provider_message_id
        WHERE r.waiting_since IS NULL ORDER BY r.id LIMIT p_limit FOR UPDATE OF r SKIP LOCKED) t;
    IF taken IS NULL THEN
        RETURN;
    END IF;
    -- The messages, locked in id order so that two appliers never deadlock.
    matched_ids := ARRAY(SELECT m.id FROM unnest(taken_messages, taken_campaigns) AS t(id, campaign_id)
                         JOIN outbound_messages m ON m.id = t.id AND m.campaign_id = t.campaign_id
                         ORDER BY m.id FOR UPDATE OF m);
    -- Set aside only if still unmatched in this statement's snapshot, newer than the batch's (0029): an outcome that
    -- recorded the id and committed its wake-up after the batch was read but before the batch locked the receipt
    -- woke nothing (the receipt was not waiting yet), and setting it aside now would leave it waiting for good.
    UPDATE provider_receipts r SET waiting_since = now()
    FROM unnest(taken, taken_messages) AS t(id, message_id)
    WHERE r.id = t.id AND t.message_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM provider_message_ids p
                      WHERE p.provider = r.provider AND p.provider_message_id = r.provider_message_id);

    -- Only receipts of the messages locked above (one whose message was deleted meanwhile is taken
    -- again next round, and waits then).
    RETURN QUERY
    WITH receipts AS (
        DELETE FROM provider_receipts r
        USING unnest(taken, taken_messages, taken_campaigns) AS t(id, message_id, campaign_id)
        WHERE r.id = t.id AND t.message_id = ANY(matched_ids)
        RETURNING r.id, r.provider, r.provider_message_id, r.kind, r.provider_status, r.error_code, r.occurred_at,
                  r.received_at, r.suppress_phone, t.message_id, t.campaign_id AS message_campaign_id),
    -- Each receipt with its message and what all of that message's receipts in the batch say (nth = 1
    -- is the message's first receipt: one row per message where one is needed).
    matched AS (
        SELECT r.*, m.campaign_id, m.customer_id, m.status AS old_status, m.read_at AS old_read_at,
               m.send_trace, m.sent_at,
               (array_agg(r.kind) FILTER (WHERE r.kind IN ('delivered', 'undelivered', 'expired')) OVER w)[1] AS final_kind,
               (array_agg(r.error_code) FILTER (WHERE r.kind IN ('undelivered', 'expired') AND r.error_code IS NOT NULL) OVER w)[1]
                   AS final_error_code,
               min(r.occurred_at) FILTER (WHERE r.kind = 'delivered') OVER w AS first_delivered_at,
               min(r.occurred_at) FILTER (WHERE r.kind = 'read') OVER w AS first_read_at,
               min(r.received_at) OVER w AS first_received_at,
               bool_or(r.suppress_phone) OVER w AS suppress,
               row_number() OVER w AS nth
        FROM receipts r
        JOIN outbound_messages m ON m.id = r.message_id AND m.campaign_id = r.message_campaign_id
        WINDOW w AS (PARTITION BY m.id ORDER BY r.occurred_at, r.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
    decided AS (
        SELECT x.*, receipt_outcome_status(x.old_status, x.final_kind, x.first_read_at) AS new_status FROM matched x),
    moved AS (
        UPDATE outbound_messages m
        SET status = d.new_status,
            delivered_at = CASE WHEN d.old_status = 'sent' AND d.new_status = 'delivered'
                                THEN coalesce(d.first_delivered_at, d.first_read_at) ELSE m.delivered_at END,
            read_at = coalesce(m.read_at, d.first_read_at),
            error_code = CASE WHEN d.old_status = 'sent' AND d.new_status IN ('undelivered', 'expired')
                              THEN coalesce(d.final_error_code, m.error_code) ELSE m.error_code END,
            updated_at = now()
        FROM decided d
        WHERE d.nth = 1 AND m.id = d.message_id AND m.campaign_id = d.campaign_id
        RETURNING m.id, m.campaign_id, d.old_status, m.status, (m.read_at IS NOT NULL AND d.old_read_at IS NULL) AS newly_read,
                  d.send_trace, d.sent_at, d.first_received_at),
    -- A final receipt that did not decide (the message was already final otherwise) is a provider_status.
    typed AS (
        SELECT d.message_id, d.occurred_at, d.provider,
               CASE WHEN d.kind IN ('delivered', 'undelivered', 'expired') AND d.kind <> d.new_status THEN 'provider_status'
                    ELSE receipt_event_type(d.kind) END AS type,
               d.provider_status || coalesce(' (' || d.error_code || ')', '') AS detail
        FROM decided d),
    -- Inserted in time order, so that a timeline read by id reads in the order things happened.
    evented AS (
        INSERT INTO message_events (message_id, at, type, provider, detail)
        SELECT e.message_id, e.occurred_at, e.type, e.provider, e.detail
        FROM (
            SELECT DISTINCT ON (t.message_id, t.type, t.detail) t.message_id, t.occurred_at, t.type, t.provider, t.detail
            FROM typed t
            WHERE NOT EXISTS (
                SELECT 1 FROM message_events ev WHERE ev.message_id = t.message_id AND ev.type = t.type AND ev.detail = t.detail)
            ORDER BY t.message_id, t.type, t.detail, t.occurred_at) e
        ORDER BY e.occurred_at, e.message_id),
    -- A provider-side opt-out in a receipt (Africa's Talking UserInBlackList) suppresses the phone (0012).
    suppressed AS (
        SELECT add_suppressions(array_agg(u.phone), NULL, 'provider', 'opted out at ' || min(d.provider)) AS added
        FROM decided d JOIN customers u ON u.id = d.customer_id
        WHERE d.nth = 1 AND d.suppress),
    counted AS (
        SELECT add_campaign_tallies(array_agg(c.campaign_id), array_agg(c.counter), array_agg(c.delta))
        FROM (
            SELECT mv.campaign_id, x.counter, sum(x.delta)::int AS delta
            FROM moved mv
            CROSS JOIN LATERAL (VALUES (mv.old_status, -1), (mv.status, 1),
                                       (CASE WHEN mv.newly_read THEN 'read' END, 1)) AS x(counter, delta)
            WHERE x.counter IS NOT NULL AND (mv.status <> mv.old_status OR x.counter = 'read')
            GROUP BY mv.campaign_id, x.counter) c)
    SELECT mv.id, mv.campaign_id, mv.old_status, mv.status, mv.newly_read, mv.send_trace, mv.sent_at, mv.first_received_at
    FROM moved mv, counted, suppressed;
END
$$;
