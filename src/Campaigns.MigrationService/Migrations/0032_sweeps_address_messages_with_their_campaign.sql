-- The sweeps address their messages with the campaign too (issue #17; 0031; docs/scale.md, "Partitioned messages").
-- Each picks a campaign's messages and then updates them by id; by (id, campaign_id) instead, each update reads the one
-- partition its row is in. The retry driver's take_due_messages also returns the campaign, which its jobs then carry
-- (SendJob.CampaignId): retries, window openings and lost jobs are claimed in their partition like first sends.

DROP FUNCTION take_due_messages(int, interval);
CREATE FUNCTION take_due_messages(p_limit integer, p_requeue_after interval)
 RETURNS TABLE(id bigint, campaign_id bigint, queued_at timestamp with time zone, reason text)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
 SET jit TO 'off'
AS $$
#variable_conflict use_column
DECLARE
    taken int;
BEGIN
    RETURN QUERY
        WITH due AS (
            SELECT d.id, c.id AS campaign_id
            FROM campaigns c
            CROSS JOIN LATERAL (
                SELECT m.id FROM outbound_messages m
                WHERE m.campaign_id = c.id AND m.status = 'pending' AND m.queued_at IS NULL AND m.next_attempt_at <= now()
                ORDER BY m.next_attempt_at
                LIMIT p_limit
                FOR UPDATE OF m SKIP LOCKED) d
            WHERE c.status = 'sending'
            LIMIT p_limit)
        UPDATE outbound_messages m SET queued_at = now(), updated_at = now()
        FROM due
        WHERE m.id = due.id AND m.campaign_id = due.campaign_id
        RETURNING m.id, m.campaign_id, m.queued_at, CASE WHEN m.retry_count > 0 THEN 'retry_due' ELSE 'first_attempt' END;
    GET DIAGNOSTICS taken = ROW_COUNT;
    IF taken >= p_limit THEN
        RETURN;
    END IF;
    RETURN QUERY
        WITH lost AS (
            SELECT d.id, c.id AS campaign_id
            FROM campaigns c
            CROSS JOIN LATERAL (
                SELECT m.id FROM outbound_messages m
                WHERE m.campaign_id = c.id AND m.status = 'pending' AND m.queued_at IS NOT NULL
                  AND m.queued_at <= now() - p_requeue_after
                ORDER BY m.queued_at
                LIMIT p_limit - taken
                FOR UPDATE OF m SKIP LOCKED) d
            WHERE c.status = 'sending'
            LIMIT p_limit - taken)
        UPDATE outbound_messages m SET queued_at = now(), updated_at = now()
        FROM lost
        WHERE m.id = lost.id AND m.campaign_id = lost.campaign_id
        RETURNING m.id, m.campaign_id, m.queued_at, 'job_lost';
END
$$;

-- 0015's expiry.
CREATE OR REPLACE FUNCTION expire_overdue_messages(p_limit integer)
 RETURNS TABLE(campaign_id bigint, channel text, expired integer)
 LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH overdue AS (
        SELECT d.id, c.id AS campaign_id, c.channel
        FROM campaigns c
        CROSS JOIN LATERAL (
            SELECT m.id FROM outbound_messages m
            WHERE m.campaign_id = c.id AND m.status = 'pending'
            ORDER BY m.id DESC
            LIMIT p_limit
            FOR UPDATE OF m SKIP LOCKED) d
        WHERE c.valid_until <= now() AND c.valid_until IS NOT NULL AND c.status IN ('sending', 'paused')
        LIMIT p_limit),
    expired AS (
        UPDATE outbound_messages m
        SET status = 'expired', last_error = 'validity ended', queued_at = NULL, not_before = NULL,
            next_attempt_at = now(), updated_at = now()
        FROM overdue
        WHERE m.id = overdue.id AND m.campaign_id = overdue.campaign_id AND m.status = 'pending'
        RETURNING m.id, m.campaign_id, overdue.channel),
    evented AS (
        INSERT INTO message_events (message_id, type, detail)
        SELECT expired.id, 'expired', 'validity ended' FROM expired),
    counted AS (
        SELECT count_status_moves(array_agg(expired.campaign_id), 'pending', array_agg('expired'::text)) AS moved FROM expired)
    SELECT e.campaign_id, e.channel, count(*)::int
    FROM expired e, counted
    GROUP BY e.campaign_id, e.channel;
END
$$;

-- 0022's counts per variant.
CREATE OR REPLACE FUNCTION variant_counts(p_campaign_id bigint)
 RETURNS TABLE(variant text, total integer, pending integer, sending integer, sent integer, delivered integer, undelivered integer, failed integer, cancelled integer, expired integer, read integer, clicked integer)
 LANGUAGE sql
 STABLE
 SET jit TO 'off'
AS $$
    WITH clicks AS (
        -- Each clicked link's message by its primary key, in the campaign's partition: the work grows with the clicks,
        -- never with the table.
        SELECT (SELECT m.variant FROM outbound_messages m WHERE m.id = l.message_id AND m.campaign_id = p_campaign_id) AS variant,
               count(DISTINCT l.message_id)::int AS clicked
        FROM links l
        WHERE l.campaign_id = p_campaign_id AND l.first_clicked_at IS NOT NULL
        GROUP BY 1)
    SELECT s.variant, s.total, s.pending, s.sending, s.sent, s.delivered, s.undelivered, s.failed, s.cancelled, s.expired,
           s.read, coalesce(k.clicked, 0)
    FROM (SELECT m.variant, count(*)::int AS total,
                 count(*) FILTER (WHERE m.status = 'pending')::int AS pending,
                 count(*) FILTER (WHERE m.status = 'sending')::int AS sending,
                 count(*) FILTER (WHERE m.status = 'sent')::int AS sent,
                 count(*) FILTER (WHERE m.status = 'delivered')::int AS delivered,
                 count(*) FILTER (WHERE m.status = 'undelivered')::int AS undelivered,
                 count(*) FILTER (WHERE m.status = 'failed')::int AS failed,
                 count(*) FILTER (WHERE m.status = 'cancelled')::int AS cancelled,
                 count(*) FILTER (WHERE m.status = 'expired')::int AS expired,
                 count(*) FILTER (WHERE m.read_at IS NOT NULL)::int AS read
          FROM outbound_messages m
          WHERE m.campaign_id = p_campaign_id AND m.variant IS NOT NULL
          GROUP BY m.variant) s
    LEFT JOIN clicks k ON k.variant = s.variant
    ORDER BY s.variant
$$;
