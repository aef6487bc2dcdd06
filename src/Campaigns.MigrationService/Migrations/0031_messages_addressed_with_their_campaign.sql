-- Messages addressed with their campaign (issue #17; docs/scale.md, "Partitioned messages"). Since 0030 a lookup by id
-- alone probes all 16 partitions' primary keys; a job now carries its message's campaign id (SendJob's campaign_id),
-- the claim returns it, and the worker's two statements per message, the claim and the outcome, match on
-- (id, campaign_id): one partition, one index probe per message, pruned at run time for each row of the batch.
-- A caller that does not know a message's campaign (a job queued before this version, the lease reconciler, a test)
-- gives null, for the batch or for that message, and message_campaigns looks it up by id.
--
-- The planner costs a lookup in a partitioned table as one probe of every partition, not knowing that run-time pruning
-- leaves one: for a batch of a campaign newer than the statistics (its partitions look small) it would rather hash the
-- batch and read the partitions whole. Both functions are one lookup per message by design, so they join only by
-- nested loop, as they already read by index only. And the campaign is joined to the batch (its campaign_id), not to
-- the message: joined to the message, its status filter ('sending', a row or two) made the planner expect a handful of
-- the campaign's messages and read all of them once, then compare each with every row of the batch (seen in
-- WorkerQueryPlanTests when another test's ANALYZE counted the fresh campaign's pending rows: 1.6 s for 256 claims).

CREATE FUNCTION message_campaigns(p_message_ids bigint[], p_campaign_ids bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN cardinality(p_campaign_ids) = cardinality(p_message_ids) AND array_position(p_campaign_ids, NULL) IS NULL
                THEN p_campaign_ids
                ELSE ARRAY(SELECT coalesce(j.campaign_id, (SELECT m.campaign_id FROM outbound_messages m WHERE m.id = j.id))
                           FROM unnest(p_message_ids, p_campaign_ids) WITH ORDINALITY AS j(id, campaign_id, n)
                           ORDER BY j.n) END
$$;

-- The campaigns of a batch, locked in id order (FOR SHARE) before their messages, as share_campaigns_of_messages did
-- from the messages' ids; that function now finds the campaigns and hands them here.
CREATE FUNCTION share_campaigns(p_campaign_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM campaigns
    WHERE id = ANY(ARRAY(SELECT DISTINCT unnest(p_campaign_ids)))
    ORDER BY id
    FOR SHARE;
END
$$;

CREATE OR REPLACE FUNCTION share_campaigns_of_messages(p_message_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM share_campaigns(ARRAY(SELECT DISTINCT campaign_id FROM outbound_messages WHERE id = ANY(p_message_ids)));
END
$$;

-- 0015's claim, matching on (id, campaign_id).
DROP FUNCTION claim_messages(bigint[], timestamptz[], interval, text);
CREATE FUNCTION claim_messages(p_message_ids bigint[], p_queued_at timestamp with time zone[], p_lease interval, p_send_trace text DEFAULT NULL::text,
    p_campaign_ids bigint[] DEFAULT NULL::bigint[])
 RETURNS TABLE(id bigint, campaign_id bigint, retry_count integer, rendered_content text, channel text, phone text, status text, attempt_provider text, attempt_unknown boolean, template_parameters text[], whatsapp_template jsonb, send_within interval, valid_for interval)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
 SET enable_hashjoin TO 'off'
 SET enable_mergejoin TO 'off'
 SET jit TO 'off'
AS $$
#variable_conflict use_column
DECLARE
    campaign_ids bigint[] := message_campaigns(p_message_ids, p_campaign_ids);
BEGIN
    PERFORM share_campaigns(campaign_ids);
    RETURN QUERY
    WITH claimed AS (
    UPDATE outbound_messages m
    SET status = d.status,
        last_error = CASE d.status WHEN 'cancelled' THEN d.reason WHEN 'expired' THEN 'validity ended' ELSE m.last_error END,
        next_attempt_at = CASE d.status WHEN 'sending' THEN now() + p_lease WHEN 'pending' THEN d.opens_at ELSE now() END,
        not_before = CASE WHEN d.status = 'pending' THEN d.opens_at END,
        queued_at = NULL,
        send_trace = CASE WHEN d.status = 'sending' THEN coalesce(p_send_trace, m.send_trace) ELSE m.send_trace END,
        updated_at = now()
    FROM unnest(p_message_ids, campaign_ids, p_queued_at) AS j(id, campaign_id, queued_at), campaigns c, customers u,
         -- OFFSET 0: worked out once per message, not once per expression that reads it.
         LATERAL (SELECT blocked_reason(u.opted_out, u.phone, c.channel) AS reason,
                         CASE WHEN c.send_window IS NOT NULL THEN send_window_at(c.send_window, recipient_zone(u.timezone), now()) END AS w
                  OFFSET 0) b,
         LATERAL (SELECT b.reason, (b.w).opens_at, least((b.w).closes_at, c.valid_until) AS send_by,
                         CASE WHEN b.reason IS NOT NULL THEN 'cancelled'
                              WHEN c.valid_until <= now() THEN 'expired'
                              WHEN (b.w).opens_at > now() THEN 'pending'
                              ELSE 'sending' END AS status) d
    WHERE m.id = j.id AND m.campaign_id = j.campaign_id
      AND CASE WHEN m.status = 'pending' THEN true ELSE false END
      AND m.queued_at = j.queued_at
      AND c.id = j.campaign_id + 0 AND c.status = 'sending'
      AND u.id = m.customer_id + 0
    RETURNING m.id, m.campaign_id, m.retry_count, m.rendered_content, c.channel, u.phone, m.status,
              m.attempt_provider, m.attempt_unknown, m.template_parameters, c.whatsapp_template, d.reason,
              d.send_by - now() AS send_within, c.valid_until - now() AS valid_for),
    evented AS (
        INSERT INTO message_events (message_id, type, detail)
        SELECT claimed.id, CASE claimed.status WHEN 'sending' THEN 'claimed' ELSE claimed.status END,
               CASE claimed.status WHEN 'sending' THEN 'attempt ' || (claimed.retry_count + 1)
                                   WHEN 'expired' THEN 'validity ended'
                                   ELSE claimed.reason END
        FROM claimed WHERE claimed.status <> 'pending'),
    counted AS (
        SELECT count_status_moves(array_agg(claimed.campaign_id), 'pending', array_agg(claimed.status)) FROM claimed)
    SELECT claimed.id, claimed.campaign_id, claimed.retry_count, claimed.rendered_content, claimed.channel, claimed.phone,
           claimed.status, claimed.attempt_provider, claimed.attempt_unknown, claimed.template_parameters, claimed.whatsapp_template,
           claimed.send_within, claimed.valid_for
    FROM claimed, counted;
END
$$;

-- 0012's outcome batch, matching on (id, campaign_id).
DROP FUNCTION record_attempt_outcomes(bigint[], integer[], text[], integer[], text[], interval[], boolean, text[], text[], text[],
                                      boolean[], boolean[]);
CREATE FUNCTION record_attempt_outcomes(p_ids bigint[], p_claimed_retry_counts integer[], p_statuses text[], p_retry_counts integer[], p_errors text[], p_delays interval[], p_only_expired_leases boolean, p_providers text[] DEFAULT NULL::text[], p_provider_message_ids text[] DEFAULT NULL::text[], p_error_codes text[] DEFAULT NULL::text[], p_unknown boolean[] DEFAULT NULL::boolean[], p_suppress_phone boolean[] DEFAULT NULL::boolean[],
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
    -- Not only receipts already waiting: one an applier is setting aside right now (uncommitted) is
    -- waited for and woken too, else it would wait for an id that is already recorded.
    woken AS (
        UPDATE provider_receipts pr SET waiting_since = NULL
        FROM recorded r
        WHERE r.status = 'sent' AND pr.provider = r.provider AND pr.provider_message_id = r.provider_message_id),
    -- A provider-side opt-out at send (Twilio 21610, Africa's Talking 406) suppresses the phone.
    suppressed AS (
        SELECT add_suppressions(array_agg(u.phone), NULL, 'provider', 'opted out at ' || min(r.attempt_provider)) AS added
        FROM recorded r JOIN customers u ON u.id = r.customer_id
        WHERE r.suppress),
    counted AS (
        SELECT count_status_moves(array_agg(recorded.campaign_id), 'sending', array_agg(recorded.status)) FROM recorded)
    SELECT recorded.id, recorded.campaign_id, recorded.status FROM recorded, counted, suppressed;
    GET DIAGNOSTICS recorded_count = ROW_COUNT;
    IF NOT p_only_expired_leases AND recorded_count < cardinality(p_ids) THEN
        RETURN QUERY SELECT * FROM record_late_outcomes(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                                                        p_providers, p_provider_message_ids, p_error_codes, p_unknown);
    END IF;
END
$$;
