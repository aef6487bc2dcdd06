-- The state machine learns receipts (issue #14; docs/state-machine.md draws it): counters for the new
-- statuses, the provider's answer recorded with the attempt, each message's event log written by the
-- functions that move it, and apply_receipts, the one writer of receipt effects.

-- Counters ------------------------------------------------------------------------------------------

ALTER TABLE campaigns
    ADD COLUMN delivered_count   integer NOT NULL DEFAULT 0,
    ADD COLUMN undelivered_count integer NOT NULL DEFAULT 0,
    ADD COLUMN expired_count     integer NOT NULL DEFAULT 0,
    -- Messages read (clicked: issue #16) at least once; not statuses, so not part of the total's sum.
    ADD COLUMN read_count        integer NOT NULL DEFAULT 0,
    ADD COLUMN clicked_count     integer NOT NULL DEFAULT 0;

ALTER TABLE campaign_tallies
    ADD COLUMN delivered_count   integer NOT NULL DEFAULT 0,
    ADD COLUMN undelivered_count integer NOT NULL DEFAULT 0,
    ADD COLUMN expired_count     integer NOT NULL DEFAULT 0,
    ADD COLUMN read_count        integer NOT NULL DEFAULT 0,
    ADD COLUMN clicked_count     integer NOT NULL DEFAULT 0;

DROP VIEW campaign_totals;
CREATE VIEW campaign_totals AS
SELECT c.id, c.name, c.channel, c.status, c.base_template, c.scheduled_at, c.audience_attached_at,
       c.whatsapp_template, c.created_at, c.updated_at,
       c.total_count + coalesce(t.total_count, 0)             AS total_count,
       c.pending_count + coalesce(t.pending_count, 0)         AS pending_count,
       c.sending_count + coalesce(t.sending_count, 0)         AS sending_count,
       c.sent_count + coalesce(t.sent_count, 0)               AS sent_count,
       c.delivered_count + coalesce(t.delivered_count, 0)     AS delivered_count,
       c.undelivered_count + coalesce(t.undelivered_count, 0) AS undelivered_count,
       c.failed_count + coalesce(t.failed_count, 0)           AS failed_count,
       c.cancelled_count + coalesce(t.cancelled_count, 0)     AS cancelled_count,
       c.expired_count + coalesce(t.expired_count, 0)         AS expired_count,
       c.read_count + coalesce(t.read_count, 0)               AS read_count,
       c.clicked_count + coalesce(t.clicked_count, 0)         AS clicked_count
FROM campaigns c
LEFT JOIN LATERAL (
    SELECT sum(total_count)::int AS total_count, sum(pending_count)::int AS pending_count,
           sum(sending_count)::int AS sending_count, sum(sent_count)::int AS sent_count,
           sum(delivered_count)::int AS delivered_count, sum(undelivered_count)::int AS undelivered_count,
           sum(failed_count)::int AS failed_count, sum(cancelled_count)::int AS cancelled_count,
           sum(expired_count)::int AS expired_count, sum(read_count)::int AS read_count,
           sum(clicked_count)::int AS clicked_count
    FROM campaign_tallies WHERE campaign_id = c.id
) t ON true;

-- The one writer of tallies, now by counter name: each (campaign, counter, delta) is added to one of the
-- campaign's tally rows. Counters are the message statuses plus total, read and clicked, so a new status
-- needs a column here and nowhere else.
DROP FUNCTION add_campaign_tallies(bigint[], int[], int[], int[], int[], int[], int[]);
CREATE FUNCTION add_campaign_tallies(p_campaign_ids bigint[], p_counters text[], p_deltas int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_tallies AS t
        (campaign_id, slot, total_count, pending_count, sending_count, sent_count, delivered_count, undelivered_count,
         failed_count, cancelled_count, expired_count, read_count, clicked_count)
    SELECT d.campaign_id, (pg_backend_pid() % 8)::smallint,
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'total'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'pending'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'sending'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'sent'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'delivered'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'undelivered'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'failed'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'cancelled'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'expired'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'read'), 0),
           coalesce(sum(d.delta) FILTER (WHERE d.counter = 'clicked'), 0)
    FROM unnest(p_campaign_ids, p_counters, p_deltas) AS d(campaign_id, counter, delta)
    GROUP BY d.campaign_id
    ORDER BY d.campaign_id
    ON CONFLICT (campaign_id, slot) DO UPDATE SET
        total_count = t.total_count + excluded.total_count,
        pending_count = t.pending_count + excluded.pending_count,
        sending_count = t.sending_count + excluded.sending_count,
        sent_count = t.sent_count + excluded.sent_count,
        delivered_count = t.delivered_count + excluded.delivered_count,
        undelivered_count = t.undelivered_count + excluded.undelivered_count,
        failed_count = t.failed_count + excluded.failed_count,
        cancelled_count = t.cancelled_count + excluded.cancelled_count,
        expired_count = t.expired_count + excluded.expired_count,
        read_count = t.read_count + excluded.read_count,
        clicked_count = t.clicked_count + excluded.clicked_count;
END
$$;

CREATE OR REPLACE FUNCTION fold_campaign_tallies(campaign_ids bigint[]) RETURNS void LANGUAGE sql AS $$
    SELECT 1 FROM campaigns WHERE id = ANY(campaign_ids) ORDER BY id FOR NO KEY UPDATE;

    WITH folded AS (
        DELETE FROM campaign_tallies WHERE campaign_id = ANY(campaign_ids)
        RETURNING campaign_id, total_count, pending_count, sending_count, sent_count, delivered_count, undelivered_count,
                  failed_count, cancelled_count, expired_count, read_count, clicked_count
    ),
    sums AS (
        SELECT campaign_id, sum(total_count)::int AS total, sum(pending_count)::int AS pending,
               sum(sending_count)::int AS sending, sum(sent_count)::int AS sent,
               sum(delivered_count)::int AS delivered, sum(undelivered_count)::int AS undelivered,
               sum(failed_count)::int AS failed, sum(cancelled_count)::int AS cancelled,
               sum(expired_count)::int AS expired, sum(read_count)::int AS read, sum(clicked_count)::int AS clicked
        FROM folded GROUP BY campaign_id
    )
    UPDATE campaigns c
    SET total_count = c.total_count + s.total,
        pending_count = c.pending_count + s.pending,
        sending_count = c.sending_count + s.sending,
        sent_count = c.sent_count + s.sent,
        delivered_count = c.delivered_count + s.delivered,
        undelivered_count = c.undelivered_count + s.undelivered,
        failed_count = c.failed_count + s.failed,
        cancelled_count = c.cancelled_count + s.cancelled,
        expired_count = c.expired_count + s.expired,
        read_count = c.read_count + s.read,
        clicked_count = c.clicked_count + s.clicked
    FROM sums s
    WHERE c.id = s.campaign_id;
$$;

-- Every transition counts the messages it moved with this: all left p_from for their own new status.
CREATE OR REPLACE FUNCTION count_status_moves(p_campaign_ids bigint[], p_from text, p_to text[]) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    counted int;
BEGIN
    SELECT count(*) INTO counted FROM unnest(p_to) t WHERE t IS DISTINCT FROM p_from;
    IF counted = 0 THEN
        RETURN 0;
    END IF;
    PERFORM add_campaign_tallies(array_agg(campaign_id), array_agg(counter), array_agg(delta))
    FROM (
        SELECT m.campaign_id, x.counter, sum(x.delta)::int AS delta
        FROM unnest(p_campaign_ids, p_to) AS m(campaign_id, status)
        CROSS JOIN LATERAL (VALUES (p_from, -1), (m.status, 1)) AS x(counter, delta)
        WHERE m.status IS DISTINCT FROM p_from
        GROUP BY m.campaign_id, x.counter
    ) moved;
    RETURN counted;
END
$$;

CREATE OR REPLACE FUNCTION count_deleted_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM add_campaign_tallies(array_agg(campaign_id), array_agg(counter), array_agg(delta))
    FROM (
        SELECT o.campaign_id, x.counter, -count(*)::int AS delta
        FROM old_messages o
        CROSS JOIN LATERAL (VALUES ('total'), (o.status), (CASE WHEN o.read_at IS NOT NULL THEN 'read' END)) AS x(counter)
        WHERE x.counter IS NOT NULL AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id)
        GROUP BY o.campaign_id, x.counter
    ) deleted
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION count_created_messages(p_campaign_id bigint, p_created int) RETURNS void LANGUAGE sql AS $$
    SELECT add_campaign_tallies(ARRAY[p_campaign_id, p_campaign_id], ARRAY['total', 'pending'], ARRAY[p_created, p_created]);
$$;

-- A campaign that finishes is sent when a provider accepted at least one of its messages (whatever
-- receipts said since), else failed (also when every message expired).
DROP FUNCTION finished_campaign_status(int);
CREATE FUNCTION finished_campaign_status(accepted_count int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN accepted_count > 0 THEN 'sent' ELSE 'failed' END
$$;

CREATE OR REPLACE FUNCTION complete_campaigns(p_campaign_ids bigint[]) RETURNS TABLE (id bigint, status text) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    candidates bigint[];
BEGIN
    candidates := ARRAY(
        SELECT t.id FROM campaign_totals t
        WHERE t.id = ANY(p_campaign_ids) AND t.status = 'sending' AND t.pending_count = 0 AND t.sending_count = 0
        ORDER BY t.id);
    IF cardinality(candidates) = 0 THEN
        RETURN;
    END IF;
    PERFORM fold_campaign_tallies(candidates);
    RETURN QUERY
        UPDATE campaigns c
        SET status = finished_campaign_status(c.sent_count + c.delivered_count + c.undelivered_count), updated_at = now()
        WHERE c.id = ANY(candidates) AND c.status = 'sending' AND c.pending_count = 0 AND c.sending_count = 0
        RETURNING c.id, c.status;
END
$$;

-- Campaign transitions that move messages write their events -----------------------------------------

CREATE OR REPLACE FUNCTION cancel_campaign(p_campaign_id bigint) RETURNS boolean LANGUAGE sql AS $$
    SELECT fold_campaign_tallies(ARRAY[p_campaign_id]);
    WITH cancelled AS (
        UPDATE campaigns SET status = 'cancelled', updated_at = now()
        WHERE id = p_campaign_id AND status IN ('draft', 'scheduled', 'sending', 'paused')
        RETURNING id),
    messages AS (
        UPDATE outbound_messages m SET status = 'cancelled', queued_at = NULL, updated_at = now()
        FROM cancelled c
        WHERE m.campaign_id = c.id AND m.status = 'pending'
        RETURNING m.id, m.campaign_id, m.status),
    evented AS (
        INSERT INTO message_events (message_id, type, detail)
        SELECT id, 'cancelled', 'campaign cancelled' FROM messages),
    counted AS (
        SELECT count_status_moves(array_agg(campaign_id), 'pending', array_agg(status)) FROM messages)
    SELECT EXISTS (SELECT 1 FROM cancelled) FROM counted;
$$;

CREATE OR REPLACE FUNCTION retry_failed_campaign(p_campaign_id bigint)
RETURNS TABLE (retried boolean, message_ids bigint[], queued_at timestamptz, skipped_opted_out int) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM fold_campaign_tallies(ARRAY[p_campaign_id]);
    UPDATE campaigns SET status = 'sending', updated_at = now()
    WHERE id = p_campaign_id AND status IN ('sent', 'failed') AND failed_count > 0;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, '{}'::bigint[], now(), 0;
        RETURN;
    END IF;
    RETURN QUERY
        WITH retried AS (
            UPDATE outbound_messages m
            SET status = CASE WHEN u.opted_out THEN 'cancelled' ELSE 'pending' END,
                retry_count = CASE WHEN u.opted_out THEN m.retry_count ELSE 0 END,
                queued_at = CASE WHEN u.opted_out THEN NULL ELSE now() END,
                updated_at = now()
            FROM customers u
            WHERE m.campaign_id = p_campaign_id AND m.status = 'failed' AND u.id = m.customer_id
            RETURNING m.id, m.campaign_id, m.status),
        evented AS (
            INSERT INTO message_events (message_id, type, detail)
            SELECT r.id, CASE WHEN r.status = 'pending' THEN 'queued' ELSE 'cancelled' END,
                   CASE WHEN r.status = 'pending' THEN 'retry of failed messages' ELSE 'customer opted out' END
            FROM retried r),
        counted AS (
            SELECT count_status_moves(array_agg(campaign_id), 'failed', array_agg(status)) FROM retried)
        SELECT true, coalesce(array_agg(r.id ORDER BY r.id) FILTER (WHERE r.status = 'pending'), '{}'), now(),
               (count(*) FILTER (WHERE r.status = 'cancelled'))::int
        FROM retried r, counted;
    PERFORM complete_campaigns(ARRAY[p_campaign_id]);
END
$$;

-- Message transitions --------------------------------------------------------------------------------

-- As 0006, and: the claim stamps the batch's trace on the message (receipts link to it), writes the
-- claimed (or cancelled) event, and returns what the router needs: the last attempt's provider and
-- whether its outcome is unknown, and a WhatsApp template's rendered parameters.
DROP FUNCTION claim_messages(bigint[], timestamptz[], interval);
CREATE FUNCTION claim_messages(p_message_ids bigint[], p_queued_at timestamptz[], p_lease interval, p_send_trace text DEFAULT NULL)
RETURNS TABLE (id bigint, campaign_id bigint, retry_count int, rendered_content text, channel text, phone text, status text,
               attempt_provider text, attempt_unknown boolean, template_parameters text[], whatsapp_template jsonb)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    PERFORM share_campaigns_of_messages(p_message_ids);
    RETURN QUERY
    WITH claimed AS (
    UPDATE outbound_messages m
    SET status = CASE WHEN u.opted_out THEN 'cancelled' ELSE 'sending' END,
        last_error = CASE WHEN u.opted_out THEN 'customer opted out' ELSE m.last_error END,
        next_attempt_at = CASE WHEN u.opted_out THEN now() ELSE now() + p_lease END,
        queued_at = NULL,
        send_trace = CASE WHEN u.opted_out THEN m.send_trace ELSE coalesce(p_send_trace, m.send_trace) END,
        updated_at = now()
    FROM unnest(p_message_ids, p_queued_at) AS j(id, queued_at), campaigns c, customers u
    WHERE m.id = j.id
      AND CASE WHEN m.status = 'pending' THEN true ELSE false END
      AND m.queued_at = j.queued_at
      AND c.id = m.campaign_id + 0 AND c.status = 'sending'
      AND u.id = m.customer_id + 0
    RETURNING m.id, m.campaign_id, m.retry_count, m.rendered_content, c.channel, u.phone, m.status,
              m.attempt_provider, m.attempt_unknown, m.template_parameters, c.whatsapp_template),
    evented AS (
        INSERT INTO message_events (message_id, type, detail)
        SELECT claimed.id, CASE WHEN claimed.status = 'sending' THEN 'claimed' ELSE 'cancelled' END,
               CASE WHEN claimed.status = 'sending' THEN 'attempt ' || (claimed.retry_count + 1) ELSE 'customer opted out' END
        FROM claimed),
    counted AS (
        SELECT count_status_moves(array_agg(claimed.campaign_id), 'pending', array_agg(claimed.status)) FROM claimed)
    SELECT claimed.* FROM claimed, counted;
END
$$;

-- The event an attempt's outcome writes: none for a claim handed back (no attempt was made).
CREATE FUNCTION attempt_event_type(p_status text, p_claimed_retry_count int, p_retry_count int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_status = 'sent' THEN 'sent'
        WHEN p_status = 'failed' THEN 'failed'
        WHEN p_status = 'cancelled' THEN 'cancelled'
        WHEN p_status = 'pending' AND p_retry_count > p_claimed_retry_count THEN 'attempt_failed'
    END
$$;

-- As 0007, and the provider's answer: the accepting provider and its message id (a receipt that came
-- early is woken to be applied), the provider's error code, the provider of the attempt and whether
-- its outcome is unknown (the router's memory for the next attempt), the event, and a provider-side
-- opt-out marks the customer opted out.
DROP FUNCTION record_attempt_outcomes(bigint[], int[], text[], int[], text[], interval[], boolean);
DROP FUNCTION record_late_outcomes(bigint[], int[], text[], int[], text[], interval[]);

CREATE FUNCTION record_late_outcomes(
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
    -- Not only receipts already waiting: one an applier is setting aside right now (uncommitted) is
    -- waited for and woken too, else it would wait for an id that is already recorded.
    woken AS (
        UPDATE provider_receipts pr SET waiting_since = NULL
        FROM recorded r
        WHERE r.status = 'sent' AND pr.provider = r.provider AND pr.provider_message_id = r.provider_message_id),
    counted AS (
        SELECT count_status_moves(array_agg(r.campaign_id), r.old_status, array_agg(r.status)) AS moved
        FROM recorded r GROUP BY r.old_status)
    SELECT r.id, r.campaign_id, r.status FROM recorded r, (SELECT sum(moved) FROM counted) k;
END
$$;

CREATE FUNCTION record_attempt_outcomes(
    p_ids bigint[], p_claimed_retry_counts int[], p_statuses text[], p_retry_counts int[], p_errors text[],
    p_delays interval[], p_only_expired_leases boolean,
    p_providers text[] DEFAULT NULL, p_provider_message_ids text[] DEFAULT NULL, p_error_codes text[] DEFAULT NULL,
    p_unknown boolean[] DEFAULT NULL, p_suppress_phone boolean[] DEFAULT NULL)
RETURNS TABLE (id bigint, campaign_id bigint, status text)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    recorded_count int;
BEGIN
    PERFORM share_campaigns_of_messages(p_ids);
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
    FROM unnest(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                p_providers, p_provider_message_ids, p_error_codes, p_unknown, p_suppress_phone)
            AS i(id, claimed_retry_count, status, retry_count, error, delay, provider, provider_message_id, error_code, unknown, suppress),
         campaigns c
    WHERE m.id = i.id
      AND CASE WHEN m.status = 'sending' THEN true ELSE false END
      AND m.retry_count = i.claimed_retry_count
      AND (NOT p_only_expired_leases OR m.next_attempt_at < now())
      AND c.id = m.campaign_id + 0
    RETURNING m.id, m.campaign_id, m.status, m.customer_id, m.provider, m.provider_message_id, m.attempt_provider,
              m.last_error, i.claimed_retry_count, m.retry_count, coalesce(i.suppress, false) AS suppress),
    evented AS (
        INSERT INTO message_events (message_id, type, provider, detail)
        SELECT r.id, attempt_event_type(r.status, r.claimed_retry_count, r.retry_count),
               CASE WHEN r.status = 'sent' THEN r.provider ELSE r.attempt_provider END,
               CASE WHEN r.status = 'sent' THEN r.provider_message_id ELSE r.last_error END
        FROM recorded r
        WHERE attempt_event_type(r.status, r.claimed_retry_count, r.retry_count) IS NOT NULL),
    -- Not only receipts already waiting: one an applier is setting aside right now (uncommitted) is
    -- waited for and woken too, else it would wait for an id that is already recorded.
    woken AS (
        UPDATE provider_receipts pr SET waiting_since = NULL
        FROM recorded r
        WHERE r.status = 'sent' AND pr.provider = r.provider AND pr.provider_message_id = r.provider_message_id),
    suppressed AS (
        UPDATE customers u SET opted_out = true, updated_at = now()
        FROM recorded r
        WHERE r.suppress AND u.id = r.customer_id AND NOT u.opted_out),
    counted AS (
        SELECT count_status_moves(array_agg(recorded.campaign_id), 'sending', array_agg(recorded.status)) FROM recorded)
    SELECT recorded.id, recorded.campaign_id, recorded.status FROM recorded, counted;
    GET DIAGNOSTICS recorded_count = ROW_COUNT;
    IF NOT p_only_expired_leases AND recorded_count < cardinality(p_ids) THEN
        RETURN QUERY SELECT * FROM record_late_outcomes(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                                                        p_providers, p_provider_message_ids, p_error_codes, p_unknown);
    END IF;
END
$$;

-- Receipts ------------------------------------------------------------------------------------------

-- The event a receipt writes (a provider's own "sent" is a provider_status: our sent is the acceptance).
CREATE FUNCTION receipt_event_type(p_kind text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_kind IN ('delivered', 'undelivered', 'expired', 'read') THEN p_kind ELSE 'provider_status' END
$$;

-- The worker's receipt applier: takes up to p_limit stored receipts (oldest first; SKIP LOCKED, so
-- replicas share the inbox), and for each message they name: sent → delivered | undelivered | expired
-- (the earliest final receipt decides; final statuses never move again), read sets read_at (and makes a
-- sent message delivered), counters and events follow, a provider-side opt-out marks the customer.
-- Duplicates change nothing and add no event. A receipt whose id is not yet recorded waits (the outcome
-- that records the id wakes it). Returns one row per message touched.
CREATE FUNCTION apply_receipts(p_limit int)
RETURNS TABLE (message_id bigint, campaign_id bigint, old_status text, status text, newly_read boolean,
               send_trace text, sent_at timestamptz, decided_at timestamptz)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    taken bigint[];
    matched_ids bigint[];
BEGIN
    taken := ARRAY(
        SELECT r.id FROM provider_receipts r WHERE r.waiting_since IS NULL ORDER BY r.id LIMIT p_limit FOR UPDATE SKIP LOCKED);
    IF cardinality(taken) = 0 THEN
        RETURN;
    END IF;
    -- The messages, locked in id order so that two appliers never deadlock.
    matched_ids := ARRAY(
        SELECT m.id FROM outbound_messages m
        WHERE m.id IN (SELECT m2.id FROM provider_receipts r
                       JOIN outbound_messages m2 ON m2.provider = r.provider AND m2.provider_message_id = r.provider_message_id
                       WHERE r.id = ANY(taken))
        ORDER BY m.id
        FOR UPDATE OF m);
    UPDATE provider_receipts r SET waiting_since = now()
    WHERE r.id = ANY(taken)
      AND NOT EXISTS (SELECT 1 FROM outbound_messages m WHERE m.provider = r.provider AND m.provider_message_id = r.provider_message_id);

    -- Only receipts of the messages locked above: one whose id was recorded meanwhile waits for the next round.
    RETURN QUERY
    WITH receipts AS (
        DELETE FROM provider_receipts r
        WHERE r.id = ANY(taken) AND r.waiting_since IS NULL
          AND EXISTS (SELECT 1 FROM outbound_messages m
                      WHERE m.id = ANY(matched_ids) AND m.provider = r.provider AND m.provider_message_id = r.provider_message_id)
        RETURNING r.id, r.provider, r.provider_message_id, r.kind, r.provider_status, r.error_code, r.occurred_at,
                  r.received_at, r.suppress_phone),
    matched AS (
        SELECT r.*, m.id AS message_id, m.campaign_id, m.customer_id, m.status AS old_status, m.read_at AS old_read_at,
               m.send_trace, m.sent_at
        FROM receipts r
        JOIN outbound_messages m ON m.provider = r.provider AND m.provider_message_id = r.provider_message_id
        WHERE m.id = ANY(matched_ids)),
    effect AS (
        SELECT x.message_id, x.campaign_id, x.customer_id, x.old_status, x.old_read_at, x.send_trace, x.sent_at,
               (array_agg(x.kind ORDER BY x.occurred_at, x.id) FILTER (WHERE x.kind IN ('delivered', 'undelivered', 'expired')))[1] AS final_kind,
               (array_agg(x.error_code ORDER BY x.occurred_at, x.id) FILTER (WHERE x.kind IN ('undelivered', 'expired') AND x.error_code IS NOT NULL))[1] AS error_code,
               min(x.occurred_at) FILTER (WHERE x.kind = 'delivered') AS delivered_at,
               min(x.occurred_at) FILTER (WHERE x.kind = 'read') AS read_at,
               min(x.received_at) AS received_at,
               bool_or(x.suppress_phone) AS suppress
        FROM matched x
        GROUP BY x.message_id, x.campaign_id, x.customer_id, x.old_status, x.old_read_at, x.send_trace, x.sent_at),
    moved AS (
        UPDATE outbound_messages m
        SET status = CASE WHEN m.status <> 'sent' THEN m.status
                          WHEN e.final_kind IS NOT NULL THEN e.final_kind
                          WHEN e.read_at IS NOT NULL THEN 'delivered'
                          ELSE m.status END,
            delivered_at = CASE WHEN m.status = 'sent' AND (e.final_kind = 'delivered' OR (e.final_kind IS NULL AND e.read_at IS NOT NULL))
                                THEN coalesce(e.delivered_at, e.read_at) ELSE m.delivered_at END,
            read_at = coalesce(m.read_at, e.read_at),
            error_code = CASE WHEN m.status = 'sent' AND e.final_kind IN ('undelivered', 'expired')
                              THEN coalesce(e.error_code, m.error_code) ELSE m.error_code END,
            updated_at = now()
        FROM effect e
        WHERE m.id = e.message_id
        RETURNING m.id, m.campaign_id, e.old_status, m.status, (m.read_at IS NOT NULL AND e.old_read_at IS NULL) AS newly_read,
                  e.send_trace, e.sent_at, e.received_at),
    -- A final receipt that did not decide (the message was already final otherwise) is a provider_status.
    typed AS (
        SELECT x.message_id, x.occurred_at, x.provider, x.provider_status, x.error_code,
               CASE WHEN x.kind IN ('delivered', 'undelivered', 'expired') AND x.kind <> mv.status THEN 'provider_status'
                    ELSE receipt_event_type(x.kind) END AS type,
               x.provider_status || coalesce(' (' || x.error_code || ')', '') AS detail
        FROM matched x JOIN moved mv ON mv.id = x.message_id),
    evented AS (
        INSERT INTO message_events (message_id, at, type, provider, detail)
        SELECT DISTINCT ON (t.message_id, t.type, t.detail) t.message_id, t.occurred_at, t.type, t.provider, t.detail
        FROM typed t
        WHERE NOT EXISTS (
            SELECT 1 FROM message_events ev WHERE ev.message_id = t.message_id AND ev.type = t.type AND ev.detail = t.detail)
        ORDER BY t.message_id, t.type, t.detail, t.occurred_at),
    suppressed AS (
        UPDATE customers u SET opted_out = true, updated_at = now()
        FROM effect e
        WHERE e.suppress AND u.id = e.customer_id AND NOT u.opted_out),
    counted AS (
        SELECT add_campaign_tallies(array_agg(c.campaign_id), array_agg(c.counter), array_agg(c.delta))
        FROM (
            SELECT mv.campaign_id, x.counter, sum(x.delta)::int AS delta
            FROM moved mv
            CROSS JOIN LATERAL (VALUES (mv.old_status, -1), (mv.status, 1),
                                       (CASE WHEN mv.newly_read THEN 'read' END, 1)) AS x(counter, delta)
            WHERE x.counter IS NOT NULL AND (mv.status <> mv.old_status OR x.counter = 'read')
            GROUP BY mv.campaign_id, x.counter) c)
    SELECT mv.id, mv.campaign_id, mv.old_status, mv.status, mv.newly_read, mv.send_trace, mv.sent_at, mv.received_at
    FROM moved mv, counted;
END
$$;

-- Receipts whose message id was never recorded are kept a day and a half (the contract: at least 24 h).
CREATE FUNCTION drop_stale_receipts(p_older_than interval) RETURNS int LANGUAGE sql AS $$
    WITH dropped AS (
        DELETE FROM provider_receipts WHERE waiting_since IS NOT NULL AND received_at < now() - p_older_than RETURNING 1)
    SELECT count(*)::int FROM dropped;
$$;

-- Confirming held claims hands back through the new outcome signature.
CREATE OR REPLACE FUNCTION confirm_claims(p_ids bigint[], p_retry_counts int[], p_lease interval)
RETURNS TABLE (id bigint, status text)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    halted_ids bigint[];
    halted_counts int[];
BEGIN
    PERFORM share_campaigns_of_messages(p_ids);
    SELECT array_agg(t.id), array_agg(t.retry_count) INTO halted_ids, halted_counts
    FROM unnest(p_ids, p_retry_counts) AS t(id, retry_count)
    JOIN outbound_messages m ON m.id = t.id
    JOIN campaigns c ON c.id = m.campaign_id + 0
    WHERE c.status <> 'sending';
    IF halted_ids IS NOT NULL THEN
        RETURN QUERY
        SELECT r.id, r.status
        FROM record_attempt_outcomes(halted_ids, halted_counts, array_fill('pending'::text, ARRAY[cardinality(halted_ids)]),
                                     halted_counts, array_fill(NULL::text, ARRAY[cardinality(halted_ids)]),
                                     array_fill(interval '0', ARRAY[cardinality(halted_ids)]), false) r;
    END IF;
    RETURN QUERY SELECT r.id, 'sending'::text FROM renew_leases(p_ids, p_retry_counts, p_lease) r;
END
$$;
