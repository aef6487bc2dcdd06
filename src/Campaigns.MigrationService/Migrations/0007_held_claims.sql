-- Held claims (issue #13): a claim that waited answers to pause and cancel before it goes to the
-- provider, a claim handed back is an outcome like any other, and an attempt's real outcome beats a
-- lease expiry that nothing has acted on since. docs/state-machine.md draws the arrows.

-- The retry_count of the attempt whose lease the reconciler expired, while nothing has happened to the
-- message since (any later outcome clears it): the one attempt whose late answer may still be recorded.
ALTER TABLE outbound_messages ADD COLUMN expired_claim int NULL;

-- sending → sent | pending (WAITING for its backoff) | failed, decided by the worker; a retry of a
-- cancelled campaign → cancelled. A claim handed back without a provider call is the outcome
-- 'pending' with the claimed retry_count and no delay: no attempt is charged.
-- Applies to a row still sending with the retry_count it was claimed with. The lease reconciler's
-- variant (p_only_expired_leases) applies only where the lease has run out, and marks the row; a
-- worker's outcome that arrives after that (Postgres was away longer than the lease while the worker
-- held the answer) is recorded by record_late_outcomes, unless the message was claimed again.
CREATE OR REPLACE FUNCTION record_attempt_outcomes(
    p_ids bigint[], p_claimed_retry_counts int[], p_statuses text[], p_retry_counts int[], p_errors text[],
    p_delays interval[], p_only_expired_leases boolean)
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
        updated_at = now()
    FROM unnest(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays)
            AS i(id, claimed_retry_count, status, retry_count, error, delay),
         campaigns c
    WHERE m.id = i.id
      AND CASE WHEN m.status = 'sending' THEN true ELSE false END
      AND m.retry_count = i.claimed_retry_count
      AND (NOT p_only_expired_leases OR m.next_attempt_at < now())
      AND c.id = m.campaign_id + 0
    RETURNING m.id, m.campaign_id, m.status),
    counted AS (
        SELECT count_status_moves(array_agg(recorded.campaign_id), 'sending', array_agg(recorded.status)) FROM recorded)
    SELECT recorded.* FROM recorded, counted;
    GET DIAGNOSTICS recorded_count = ROW_COUNT;
    IF NOT p_only_expired_leases AND recorded_count < cardinality(p_ids) THEN
        RETURN QUERY SELECT * FROM record_late_outcomes(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays);
    END IF;
END
$$;

-- pending | failed | cancelled, put there by a lease expiry of exactly this attempt (expired_claim) with
-- nothing since → the attempt's real outcome, as record_attempt_outcomes would have written it. The guess
-- is replaced: a message the provider accepted ends sent (not failed, not sent again), a claim handed
-- back is charged nothing. A job queued for the expired attempt's retry then claims nothing. Rare (an
-- outage longer than the lease), so the rows are locked and read first, to count from their own status.
CREATE FUNCTION record_late_outcomes(
    p_ids bigint[], p_claimed_retry_counts int[], p_statuses text[], p_retry_counts int[], p_errors text[], p_delays interval[])
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
            updated_at = now()
        FROM unnest(late_ids, old_statuses) AS l(id, old_status),
             unnest(p_ids, p_statuses, p_retry_counts, p_errors, p_delays) AS i(id, status, retry_count, error, delay),
             campaigns c
        WHERE m.id = l.id AND i.id = l.id AND c.id = m.campaign_id + 0
          -- A finished campaign takes no message back into pending: only a final answer replaces the guess there.
          AND (i.status <> 'pending' OR c.status IN ('sending', 'paused', 'cancelled'))
        RETURNING m.id, m.campaign_id, l.old_status, m.status),
    counted AS (
        SELECT count_status_moves(array_agg(r.campaign_id), r.old_status, array_agg(r.status)) AS moved
        FROM recorded r GROUP BY r.old_status)
    SELECT r.id, r.campaign_id, r.status FROM recorded r, (SELECT sum(moved) FROM counted) k;
END
$$;

-- Before a claim that waited (for rate-limit permits) goes to the provider: campaign still sending →
-- the lease is renewed and the message may go (returned 'sending'); campaign paused or cancelled
-- meanwhile → handed back, no attempt charged (pending, or cancelled). The campaigns are share-locked
-- as by a claim, so once a pause or cancel has answered, nothing waiting is confirmed after it.
CREATE FUNCTION confirm_claims(p_ids bigint[], p_retry_counts int[], p_lease interval)
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

-- Hand-backs are outcomes now (record_attempt_outcomes, 'pending' with the claimed retry_count).
DROP FUNCTION release_claims(bigint[], int[]);
