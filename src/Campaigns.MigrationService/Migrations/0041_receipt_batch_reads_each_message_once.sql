-- The receipts applier reads each message of a batch once (issue 14, "receipts applied"). 0040's batch looked every
-- message up three times: to lock it, again to read what the decision needs, and a third time to update it; and it
-- chose the receipts to apply by a linear search of the locked ids (2,000 × 2,000 comparisons a batch). The lock now
-- reads what the decision needs, for each receipt whose message it locked, and the rest of the batch works from that.
-- And an event that records the change its receipt made (a message `sent` until now moved to that status, or read for
-- the first time) cannot have been recorded before, as those statuses are final and read_at is set only here: only the
-- others are checked against the message's timeline for duplicates. Its statements keep one plan per connection
-- (generic): their arrays' contents never change a plan here, as every join is forced to an index probe, while a
-- custom plan was made for each call at several milliseconds a batch (the sixteen partitions of the messages).

CREATE OR REPLACE FUNCTION apply_receipts(p_limit integer)
 RETURNS TABLE(message_id bigint, campaign_id bigint, old_status text, status text, newly_read boolean, send_trace text, sent_at timestamp with time zone, decided_at timestamp with time zone)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
 SET enable_hashjoin TO 'off'
 SET enable_mergejoin TO 'off'
 SET enable_bitmapscan TO 'off'
 SET jit TO 'off'
 SET plan_cache_mode TO 'force_generic_plan'
AS $$
#variable_conflict use_column
DECLARE
    taken bigint[];
    taken_messages bigint[];
    taken_campaigns bigint[];
    -- Per receipt whose message is locked: the receipt, and its message as the lock read it.
    kept bigint[];
    kept_messages bigint[];
    kept_campaigns bigint[];
    kept_customers bigint[];
    kept_statuses text[];
    kept_read_at timestamptz[];
    kept_traces text[];
    kept_sent_at timestamptz[];
BEGIN
    -- The batch: the oldest ready receipts, read in id order from the ready index and locked, only as many as the limit;
    -- then each one's message and the message's campaign found by one probe of provider_message_ids (NULL: no outcome
    -- has recorded that id yet). From here on the messages are addressed by (id, campaign_id), each in its partition.
    SELECT array_agg(t.id ORDER BY t.id), array_agg(t.message_id ORDER BY t.id), array_agg(t.campaign_id ORDER BY t.id)
    INTO taken, taken_messages, taken_campaigns
    FROM (
        SELECT r.id, found.message_id, found.campaign_id
        FROM (SELECT ready.id, ready.provider, ready.provider_message_id
              FROM provider_receipts ready
              WHERE ready.waiting_since IS NULL ORDER BY ready.id LIMIT p_limit FOR UPDATE SKIP LOCKED) r
        LEFT JOIN provider_message_ids found ON found.provider = r.provider AND found.provider_message_id = r.provider_message_id) t;
    IF taken IS NULL THEN
        RETURN;
    END IF;
    -- The messages, locked in id order so that two appliers never deadlock, and read as locked (the latest version):
    -- what the decision and the counters start from. A message deleted meanwhile keeps its receipts out of this batch.
    SELECT array_agg(x.receipt_id), array_agg(x.id), array_agg(x.campaign_id), array_agg(x.customer_id), array_agg(x.status),
           array_agg(x.read_at), array_agg(x.send_trace), array_agg(x.sent_at)
    INTO kept, kept_messages, kept_campaigns, kept_customers, kept_statuses, kept_read_at, kept_traces, kept_sent_at
    FROM (SELECT t.receipt_id, m.id, m.campaign_id, m.customer_id, m.status, m.read_at, m.send_trace, m.sent_at
          FROM unnest(taken, taken_messages, taken_campaigns) AS t(receipt_id, id, campaign_id)
          JOIN outbound_messages m ON m.id = t.id AND m.campaign_id = t.campaign_id
          ORDER BY m.id FOR UPDATE OF m) x;
    -- Set aside only if still unmatched in this statement's snapshot, newer than the batch's (0029): an outcome that
    -- recorded the id and committed its wake-up after the batch was read but before the batch locked the receipt
    -- woke nothing (the receipt was not waiting yet), and setting it aside now would leave it waiting for good.
    UPDATE provider_receipts r SET waiting_since = now()
    FROM unnest(taken, taken_messages) AS t(id, message_id)
    WHERE r.id = t.id AND t.message_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM provider_message_ids p
                      WHERE p.provider = r.provider AND p.provider_message_id = r.provider_message_id);
    IF kept IS NULL THEN
        RETURN;
    END IF;

    RETURN QUERY
    WITH receipts AS (
        DELETE FROM provider_receipts r
        USING unnest(kept, kept_messages, kept_campaigns, kept_customers, kept_statuses, kept_read_at, kept_traces, kept_sent_at)
              AS k(id, message_id, campaign_id, customer_id, status, read_at, send_trace, sent_at)
        WHERE r.id = k.id
        RETURNING r.id, r.provider, r.provider_message_id, r.kind, r.provider_status, r.error_code, r.occurred_at,
                  r.received_at, r.suppress_phone, k.message_id, k.campaign_id, k.customer_id, k.status AS old_status,
                  k.read_at AS old_read_at, k.send_trace, k.sent_at),
    -- Each receipt with what all of its message's receipts in the batch say (nth = 1 is the message's first receipt:
    -- one row per message where one is needed).
    matched AS (
        SELECT r.*,
               (array_agg(r.kind) FILTER (WHERE r.kind IN ('delivered', 'undelivered', 'expired')) OVER w)[1] AS final_kind,
               (array_agg(r.error_code) FILTER (WHERE r.kind IN ('undelivered', 'expired') AND r.error_code IS NOT NULL) OVER w)[1]
                   AS final_error_code,
               min(r.occurred_at) FILTER (WHERE r.kind = 'delivered') OVER w AS first_delivered_at,
               min(r.occurred_at) FILTER (WHERE r.kind = 'read') OVER w AS first_read_at,
               min(r.received_at) OVER w AS first_received_at,
               bool_or(r.suppress_phone) OVER w AS suppress,
               row_number() OVER w AS nth
        FROM receipts r
        WINDOW w AS (PARTITION BY r.message_id ORDER BY r.occurred_at, r.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
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
    -- A final receipt that did not decide (the message was already final otherwise) is a provider_status. An event
    -- that records its receipt's change (to a final status from sent, or the first read) is new to the timeline.
    typed AS (
        SELECT y.*,
               (y.type = y.new_status AND y.old_status = 'sent')
                   OR (y.type = 'read' AND y.old_read_at IS NULL) AS changed
        FROM (
            SELECT d.message_id, d.occurred_at, d.provider, d.old_status, d.new_status, d.old_read_at,
                   CASE WHEN d.kind IN ('delivered', 'undelivered', 'expired') AND d.kind <> d.new_status THEN 'provider_status'
                        ELSE receipt_event_type(d.kind) END AS type,
                   d.provider_status || coalesce(' (' || d.error_code || ')', '') AS detail
            FROM decided d) y),
    -- Inserted in time order, so that a timeline read by id reads in the order things happened.
    evented AS (
        INSERT INTO message_events (message_id, at, type, provider, detail)
        SELECT e.message_id, e.occurred_at, e.type, e.provider, e.detail
        FROM (
            SELECT DISTINCT ON (t.message_id, t.type, t.detail) t.message_id, t.occurred_at, t.type, t.provider, t.detail
            FROM typed t
            WHERE t.changed OR NOT EXISTS (
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
