-- The state machine of messages and campaigns, in one place (docs/state-machine.md draws it).
--
-- Every change of a message's or a campaign's status is one of the functions below; the API and the
-- worker call them and write no status SQL of their own. Each transition counts what it moved in the
-- same statement (count_status_moves); deleted messages are counted by a trigger.
--
-- Queue state is explicit: a pending message is either QUEUED (queued_at set: a job carrying that
-- stamp was published; the claim accepts only that job, so a stale or duplicate job claims nothing)
-- or WAITING (queued_at null: due at next_attempt_at, when the retry driver publishes a job for it).

-- Queue state --------------------------------------------------------------------------------------

ALTER TABLE outbound_messages ADD COLUMN queued_at timestamptz NULL;

-- Before this migration a pending message counted as queued when it was a first attempt or had been
-- re-queued (the horizon rule); its jobs carry no stamp, so the retry driver re-publishes it once the
-- requeue horizon has passed.
UPDATE outbound_messages SET queued_at = updated_at
WHERE status = 'pending' AND (retry_count = 0 OR next_attempt_at >= updated_at + interval '1 minute');

-- The retry driver's work lists, each read per campaign being sent (a paused campaign's messages are
-- never scanned), and the lease list. A message row is in at most one of them.
DROP INDEX idx_outbound_messages_due;
CREATE INDEX idx_outbound_messages_waiting ON outbound_messages (campaign_id, next_attempt_at)
    WHERE status = 'pending' AND queued_at IS NULL;
CREATE INDEX idx_outbound_messages_queued ON outbound_messages (campaign_id, queued_at)
    WHERE status = 'pending' AND queued_at IS NOT NULL;
CREATE INDEX idx_outbound_messages_leases ON outbound_messages (next_attempt_at)
    WHERE status = 'sending';

-- Counters ------------------------------------------------------------------------------------------

-- Tallies count the total too: a deleted customer's messages leave the campaign's total.
ALTER TABLE campaign_tallies ADD COLUMN total_count integer NOT NULL DEFAULT 0;

CREATE OR REPLACE VIEW campaign_totals AS
SELECT c.id, c.name, c.channel, c.status, c.base_template, c.scheduled_at, c.audience_attached_at,
       c.created_at, c.updated_at,
       c.total_count + coalesce(t.total_count, 0)         AS total_count,
       c.pending_count + coalesce(t.pending_count, 0)     AS pending_count,
       c.sending_count + coalesce(t.sending_count, 0)     AS sending_count,
       c.sent_count + coalesce(t.sent_count, 0)           AS sent_count,
       c.failed_count + coalesce(t.failed_count, 0)       AS failed_count,
       c.cancelled_count + coalesce(t.cancelled_count, 0) AS cancelled_count
FROM campaigns c
LEFT JOIN LATERAL (
    SELECT sum(total_count)::int AS total_count, sum(pending_count)::int AS pending_count,
           sum(sending_count)::int AS sending_count, sum(sent_count)::int AS sent_count,
           sum(failed_count)::int AS failed_count, sum(cancelled_count)::int AS cancelled_count
    FROM campaign_tallies WHERE campaign_id = c.id
) t ON true;

-- The one writer of tallies: signed changes added to one of a campaign's tally rows (one per backend
-- modulo 8, so concurrent transactions rarely meet; rows in campaign order, so those that do meet
-- lock them in the same order).
CREATE FUNCTION add_campaign_tallies(
    p_campaign_ids bigint[], p_total int[], p_pending int[], p_sending int[], p_sent int[], p_failed int[], p_cancelled int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_tallies AS t
        (campaign_id, slot, total_count, pending_count, sending_count, sent_count, failed_count, cancelled_count)
    SELECT d.campaign_id, (pg_backend_pid() % 8)::smallint, d.total, d.pending, d.sending, d.sent, d.failed, d.cancelled
    FROM unnest(p_campaign_ids, p_total, p_pending, p_sending, p_sent, p_failed, p_cancelled)
        AS d(campaign_id, total, pending, sending, sent, failed, cancelled)
    ORDER BY d.campaign_id
    ON CONFLICT (campaign_id, slot) DO UPDATE SET
        total_count = t.total_count + excluded.total_count,
        pending_count = t.pending_count + excluded.pending_count,
        sending_count = t.sending_count + excluded.sending_count,
        sent_count = t.sent_count + excluded.sent_count,
        failed_count = t.failed_count + excluded.failed_count,
        cancelled_count = t.cancelled_count + excluded.cancelled_count;
END
$$;

-- Folding moves the tallies into the campaign rows under a row lock for update: the whole of it.
CREATE OR REPLACE FUNCTION fold_campaign_tallies(campaign_ids bigint[]) RETURNS void LANGUAGE sql AS $$
    SELECT 1 FROM campaigns WHERE id = ANY(campaign_ids) ORDER BY id FOR NO KEY UPDATE;

    WITH folded AS (
        DELETE FROM campaign_tallies WHERE campaign_id = ANY(campaign_ids)
        RETURNING campaign_id, total_count, pending_count, sending_count, sent_count, failed_count, cancelled_count
    ),
    sums AS (
        SELECT campaign_id, sum(total_count)::int AS total, sum(pending_count)::int AS pending,
               sum(sending_count)::int AS sending, sum(sent_count)::int AS sent,
               sum(failed_count)::int AS failed, sum(cancelled_count)::int AS cancelled
        FROM folded GROUP BY campaign_id
    )
    UPDATE campaigns c
    SET total_count = c.total_count + s.total,
        pending_count = c.pending_count + s.pending,
        sending_count = c.sending_count + s.sending,
        sent_count = c.sent_count + s.sent,
        failed_count = c.failed_count + s.failed,
        cancelled_count = c.cancelled_count + s.cancelled
    FROM sums s
    WHERE c.id = s.campaign_id;
$$;

-- Every transition counts the messages it moved with this, from the rows it returned: all left one
-- status (p_from) for their own new status. One row per campaign goes to the tallies. Returns the
-- number of messages counted, so that a transition can make its counting part of its one statement.
CREATE FUNCTION count_status_moves(p_campaign_ids bigint[], p_from text, p_to text[]) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    counted int;
BEGIN
    SELECT count(*) INTO counted FROM unnest(p_to) t WHERE t IS DISTINCT FROM p_from;
    IF counted = 0 THEN
        RETURN 0;
    END IF;
    PERFORM add_campaign_tallies(array_agg(campaign_id), array_agg(0), array_agg(pending), array_agg(sending),
                                 array_agg(sent), array_agg(failed), array_agg(cancelled))
    FROM (
        SELECT m.campaign_id,
               (count(*) FILTER (WHERE m.status = 'pending') - CASE WHEN p_from = 'pending' THEN count(*) ELSE 0 END)::int AS pending,
               (count(*) FILTER (WHERE m.status = 'sending') - CASE WHEN p_from = 'sending' THEN count(*) ELSE 0 END)::int AS sending,
               (count(*) FILTER (WHERE m.status = 'sent') - CASE WHEN p_from = 'sent' THEN count(*) ELSE 0 END)::int AS sent,
               (count(*) FILTER (WHERE m.status = 'failed') - CASE WHEN p_from = 'failed' THEN count(*) ELSE 0 END)::int AS failed,
               (count(*) FILTER (WHERE m.status = 'cancelled') - CASE WHEN p_from = 'cancelled' THEN count(*) ELSE 0 END)::int AS cancelled
        FROM unnest(p_campaign_ids, p_to) AS m(campaign_id, status)
        WHERE m.status IS DISTINCT FROM p_from
        GROUP BY m.campaign_id
    ) moved;
    RETURN counted;
END
$$;

-- Deleted messages (a deleted customer's) leave their campaign's counters; a deleted campaign takes its
-- tallies with it, so only campaigns still present are counted.
CREATE FUNCTION count_deleted_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM add_campaign_tallies(array_agg(campaign_id), array_agg(total), array_agg(pending), array_agg(sending),
                                 array_agg(sent), array_agg(failed), array_agg(cancelled))
    FROM (
        SELECT o.campaign_id, -count(*)::int AS total,
               -count(*) FILTER (WHERE o.status = 'pending')::int AS pending,
               -count(*) FILTER (WHERE o.status = 'sending')::int AS sending,
               -count(*) FILTER (WHERE o.status = 'sent')::int AS sent,
               -count(*) FILTER (WHERE o.status = 'failed')::int AS failed,
               -count(*) FILTER (WHERE o.status = 'cancelled')::int AS cancelled
        FROM old_messages o
        WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id)
        GROUP BY o.campaign_id
    ) deleted
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER outbound_messages_counted_on_delete AFTER DELETE ON outbound_messages
    REFERENCING OLD TABLE AS old_messages
    FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_messages();

-- Campaign transitions -----------------------------------------------------------------------------

-- The status a campaign ends in when nothing is left pending or sending.
CREATE FUNCTION finished_campaign_status(sent_count int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN sent_count > 0 THEN 'sent' ELSE 'failed' END
$$;

-- draft|scheduled, never sent → sending (now) or scheduled (a future scheduled_at). The row lock
-- serialises concurrent sends; every later one finds the audience attached and gets no row. Returns the
-- stamp the messages written now must carry when they are queued at once (sending).
CREATE FUNCTION start_campaign_send(p_campaign_id bigint)
RETURNS TABLE (status text, base_template text, scheduled_at timestamptz, queued_at timestamptz)
LANGUAGE sql AS $$
    UPDATE campaigns
    SET status = CASE WHEN scheduled_at > now() THEN 'scheduled' ELSE 'sending' END,
        audience_attached_at = now(), updated_at = now()
    WHERE id = p_campaign_id AND status IN ('draft', 'scheduled') AND audience_attached_at IS NULL
    RETURNING status, base_template, scheduled_at, now();
$$;

-- The messages a send wrote (pending) enter the counters.
CREATE FUNCTION count_created_messages(p_campaign_id bigint, p_created int) RETURNS void LANGUAGE sql AS $$
    SELECT add_campaign_tallies(ARRAY[p_campaign_id], ARRAY[p_created], ARRAY[p_created], ARRAY[0], ARRAY[0], ARRAY[0], ARRAY[0]);
$$;

-- scheduled (audience attached, time come) → sending. The messages were written WAITING and due at
-- scheduled_at, so the retry driver publishes them from now on. SKIP LOCKED: replicas share the list.
CREATE FUNCTION dispatch_due_campaigns(p_limit int) RETURNS TABLE (id bigint) LANGUAGE sql AS $$
    UPDATE campaigns SET status = 'sending', updated_at = now()
    WHERE id IN (
        SELECT id FROM campaigns
        WHERE status = 'scheduled' AND audience_attached_at IS NOT NULL AND scheduled_at <= now()
        ORDER BY scheduled_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED)
      AND status = 'scheduled'
    RETURNING id;
$$;

-- sending → paused. The fold waits for the worker transactions that share the campaign row and keeps
-- new ones out until commit: once this has answered, no claim of the campaign follows it.
CREATE FUNCTION pause_campaign(p_campaign_id bigint) RETURNS boolean LANGUAGE sql AS $$
    SELECT fold_campaign_tallies(ARRAY[p_campaign_id]);
    WITH paused AS (
        UPDATE campaigns SET status = 'paused', updated_at = now()
        WHERE id = p_campaign_id AND status = 'sending'
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM paused);
$$;

-- sending|paused|draft|scheduled → cancelled; every pending message → cancelled (messages in flight
-- finish and are recorded; a retry they ask for becomes cancelled).
CREATE FUNCTION cancel_campaign(p_campaign_id bigint) RETURNS boolean LANGUAGE sql AS $$
    SELECT fold_campaign_tallies(ARRAY[p_campaign_id]);
    WITH cancelled AS (
        UPDATE campaigns SET status = 'cancelled', updated_at = now()
        WHERE id = p_campaign_id AND status IN ('draft', 'scheduled', 'sending', 'paused')
        RETURNING id),
    messages AS (
        UPDATE outbound_messages m SET status = 'cancelled', queued_at = NULL, updated_at = now()
        FROM cancelled c
        WHERE m.campaign_id = c.id AND m.status = 'pending'
        RETURNING m.campaign_id, m.status),
    counted AS (
        SELECT count_status_moves(array_agg(campaign_id), 'pending', array_agg(status)) FROM messages)
    SELECT EXISTS (SELECT 1 FROM cancelled) FROM counted;
$$;

-- Marks pending messages QUEUED with one stamp and returns them, for the caller to publish after commit.
-- Waiting messages whose backoff is still running keep waiting (the retry driver queues them when due).
CREATE FUNCTION queue_pending_messages(p_campaign_id bigint)
RETURNS TABLE (message_ids bigint[], queued_at timestamptz) LANGUAGE sql AS $$
    WITH queued AS (
        UPDATE outbound_messages SET queued_at = now(), updated_at = now()
        WHERE campaign_id = p_campaign_id AND status = 'pending'
          AND (queued_at IS NOT NULL OR next_attempt_at <= now())
        RETURNING id)
    SELECT coalesce(array_agg(id ORDER BY id), '{}'), now() FROM queued;
$$;

-- sending with nothing left pending or sending → sent (one accepted) or failed, exactly once, whichever
-- path gets there first. Candidates are read without locks; only they are locked (their tallies
-- folded) and checked again on the row itself.
CREATE FUNCTION complete_campaigns(p_campaign_ids bigint[]) RETURNS TABLE (id bigint, status text) LANGUAGE plpgsql AS $$
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
        UPDATE campaigns c SET status = finished_campaign_status(c.sent_count), updated_at = now()
        WHERE c.id = ANY(candidates) AND c.status = 'sending' AND c.pending_count = 0 AND c.sending_count = 0
        RETURNING c.id, c.status;
END
$$;

-- The periodic sweep: any campaign being sent with nothing left (cheap: idx_campaigns_sending).
CREATE FUNCTION complete_finished_campaigns() RETURNS TABLE (id bigint, status text) LANGUAGE sql AS $$
    SELECT * FROM complete_campaigns(ARRAY(
        SELECT t.id FROM campaign_totals t WHERE t.status = 'sending' AND t.pending_count = 0 AND t.sending_count = 0));
$$;

-- paused → sending; its pending messages are queued again (their jobs were acknowledged while it was
-- paused) and it completes at once when nothing is left.
CREATE FUNCTION resume_campaign(p_campaign_id bigint)
RETURNS TABLE (resumed boolean, message_ids bigint[], queued_at timestamptz) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM fold_campaign_tallies(ARRAY[p_campaign_id]);
    UPDATE campaigns SET status = 'sending', updated_at = now() WHERE id = p_campaign_id AND status = 'paused';
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, '{}'::bigint[], now();
        RETURN;
    END IF;
    RETURN QUERY SELECT true, q.message_ids, q.queued_at FROM queue_pending_messages(p_campaign_id) q;
    PERFORM complete_campaigns(ARRAY[p_campaign_id]);
END
$$;

-- sent|failed with failed messages → sending: each failed message → pending (queued, retry_count 0,
-- last_error kept until the next attempt), or → cancelled when its customer opted out since.
CREATE FUNCTION retry_failed_campaign(p_campaign_id bigint)
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
        counted AS (
            SELECT count_status_moves(array_agg(campaign_id), 'failed', array_agg(status)) FROM retried)
        SELECT true, coalesce(array_agg(r.id ORDER BY r.id) FILTER (WHERE r.status = 'pending'), '{}'), now(),
               (count(*) FILTER (WHERE r.status = 'cancelled'))::int
        FROM retried r, counted;
    PERFORM complete_campaigns(ARRAY[p_campaign_id]);
END
$$;

-- Message transitions ------------------------------------------------------------------------------
--
-- The worker's functions are plpgsql so that each connection plans their statements once, not per call.
-- They share the campaign rows (FOR SHARE, in id order) before they change
-- messages: they run side by side with each other (their counts go to tallies), but not with a pause,
-- cancel, resume or completion, which lock the rows for update. They reach messages by primary key
-- only (SET enable_seqscan = off, and CASE/+0 fences that hide status and foreign keys from index
-- conditions): a campaign sent after the last ANALYZE looks empty to the planner, which would
-- otherwise scan all its messages per batch or join a batch to its input in a nested loop.

CREATE FUNCTION share_campaigns_of_messages(p_message_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM campaigns
    WHERE id = ANY(ARRAY(SELECT DISTINCT campaign_id FROM outbound_messages WHERE id = ANY(p_message_ids)))
    ORDER BY id
    FOR SHARE;
END
$$;

-- pending (QUEUED with exactly this job's stamp, campaign sending) → sending with a lease; or →
-- cancelled when the customer has opted out since the send. Any other job claims nothing: the message
-- is done, claimed elsewhere, its campaign is not sending, it waits for a backoff, or the job is stale.
CREATE FUNCTION claim_messages(p_message_ids bigint[], p_queued_at timestamptz[], p_lease interval)
RETURNS TABLE (id bigint, campaign_id bigint, retry_count int, rendered_content text, channel text, phone text, status text)
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
        updated_at = now()
    FROM unnest(p_message_ids, p_queued_at) AS j(id, queued_at), campaigns c, customers u
    WHERE m.id = j.id
      AND CASE WHEN m.status = 'pending' THEN true ELSE false END
      AND m.queued_at = j.queued_at
      AND c.id = m.campaign_id + 0 AND c.status = 'sending'
      AND u.id = m.customer_id + 0
    RETURNING m.id, m.campaign_id, m.retry_count, m.rendered_content, c.channel, u.phone, m.status),
    counted AS (
        SELECT count_status_moves(array_agg(claimed.campaign_id), 'pending', array_agg(claimed.status)) FROM claimed)
    SELECT claimed.* FROM claimed, counted;
END
$$;

-- sending → sent | pending (WAITING for its backoff) | failed, decided by the worker; a retry of a
-- cancelled campaign → cancelled. Applies only to a row still sending with the retry_count it was
-- claimed with: an attempt whose lease expired (counted, perhaps claimed again) cannot overwrite what
-- happened since. p_only_expired_leases: the lease reconciler's variant.
CREATE FUNCTION record_attempt_outcomes(
    p_ids bigint[], p_claimed_retry_counts int[], p_statuses text[], p_retry_counts int[], p_errors text[],
    p_delays interval[], p_only_expired_leases boolean)
RETURNS TABLE (id bigint, campaign_id bigint, status text)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
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
END
$$;

-- Extends the lease of claimed messages still held by this worker; returns those still its own.
CREATE FUNCTION renew_leases(p_ids bigint[], p_retry_counts int[], p_lease interval) RETURNS TABLE (id bigint)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    UPDATE outbound_messages m SET next_attempt_at = now() + p_lease
    FROM unnest(p_ids, p_retry_counts) AS t(id, retry_count)
    WHERE m.id = t.id AND CASE WHEN m.status = 'sending' THEN true ELSE false END AND m.retry_count = t.retry_count
    RETURNING m.id;
END
$$;

-- sending, never handed to the provider → pending (WAITING, due now: the retry driver queues it) or
-- cancelled when its campaign was cancelled meanwhile. No attempt is charged.
CREATE FUNCTION release_claims(p_ids bigint[], p_retry_counts int[]) RETURNS TABLE (id bigint, campaign_id bigint, status text)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    PERFORM share_campaigns_of_messages(p_ids);
    RETURN QUERY
    WITH released AS (
    UPDATE outbound_messages m
    SET status = CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'pending' END,
        next_attempt_at = now(), queued_at = NULL, updated_at = now()
    FROM unnest(p_ids, p_retry_counts) AS t(id, retry_count), campaigns c
    WHERE m.id = t.id AND CASE WHEN m.status = 'sending' THEN true ELSE false END
      AND m.retry_count = t.retry_count AND c.id = m.campaign_id + 0
    RETURNING m.id, m.campaign_id, m.status),
    counted AS (
        SELECT count_status_moves(array_agg(released.campaign_id), 'sending', array_agg(released.status)) FROM released)
    SELECT released.* FROM released, counted;
END
$$;

-- The retry driver's round, over campaigns being sent only: WAITING messages that are due (a retry's
-- backoff is over, a released claim, a scheduled campaign just dispatched) and QUEUED messages whose
-- job was published longer than p_requeue_after ago and never claimed (presumed lost: the API died
-- before publishing, Redis lost its data). Each gets a fresh stamp; the caller publishes them after
-- commit (should that fail, they are due again after p_requeue_after). SKIP LOCKED: replicas share it.
CREATE FUNCTION take_due_messages(p_limit int, p_requeue_after interval)
RETURNS TABLE (id bigint, queued_at timestamptz, reason text)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    taken int;
BEGIN
    RETURN QUERY
        WITH due AS (
            SELECT d.id
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
        WHERE m.id = due.id
        RETURNING m.id, m.queued_at, CASE WHEN m.retry_count > 0 THEN 'retry_due' ELSE 'first_attempt' END;
    GET DIAGNOSTICS taken = ROW_COUNT;
    IF taken >= p_limit THEN
        RETURN;
    END IF;
    RETURN QUERY
        WITH lost AS (
            SELECT d.id
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
        WHERE m.id = lost.id
        RETURNING m.id, m.queued_at, 'job_lost';
END
$$;

-- Messages sending past their lease (the worker died mid-send, or could not record the outcome): the
-- lease reconciler records each as a failed attempt through record_attempt_outcomes. Not locked: that
-- guarded write decides, once, with any number of replicas racing. Reads idx_outbound_messages_leases.
CREATE FUNCTION expired_leases(p_limit int) RETURNS TABLE (id bigint, retry_count int, channel text) LANGUAGE sql AS $$
    SELECT m.id, m.retry_count, c.channel
    FROM outbound_messages m
    JOIN campaigns c ON c.id = m.campaign_id
    WHERE m.status = 'sending' AND m.next_attempt_at < now()
    ORDER BY m.next_attempt_at
    LIMIT p_limit;
$$;

-- Campaign edits before the send: draft ⇄ scheduled as scheduled_at is set or cleared (p_set_schedule);
-- nothing once an audience is attached. Returns the campaign's id when it was edited.
CREATE FUNCTION edit_unsent_campaign(
    p_campaign_id bigint, p_name text, p_channel text, p_base_template text, p_set_schedule boolean, p_scheduled_at timestamptz)
RETURNS bigint LANGUAGE sql AS $$
    UPDATE campaigns SET
        name = coalesce(p_name, name),
        channel = coalesce(p_channel, channel),
        base_template = coalesce(p_base_template, base_template),
        scheduled_at = CASE WHEN p_set_schedule THEN p_scheduled_at ELSE scheduled_at END,
        status = CASE WHEN NOT p_set_schedule THEN status
                      WHEN p_scheduled_at IS NULL THEN 'draft'
                      ELSE 'scheduled' END,
        updated_at = now()
    WHERE id = p_campaign_id AND status IN ('draft', 'scheduled') AND audience_attached_at IS NULL
    RETURNING id;
$$;

-- A new campaign starts scheduled when it has a time, else draft.
CREATE FUNCTION initial_campaign_status(p_scheduled_at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_scheduled_at IS NULL THEN 'draft' ELSE 'scheduled' END
$$;
