-- Timing (api.md, "Timing"): a campaign's send window in each recipient's local time, and its validity.
--
-- Send window. A message is handed to a provider only inside its recipient's window. Outside it the
-- message WAITS (pending, no job, due at the window's next opening, `not_before` saying so) and uses no
-- attempt; the retry driver's sweep (take_due_messages) queues each zone's messages as their opening comes
-- due, so a campaign over many zones goes out zone by zone with no timer per message. Three places apply
-- the rule, all through send_window_at: the send (defer_to_send_windows, one update per zone), the claim
-- (a message whose window closed while it was queued waits again) and the worker, which starts no call
-- after the `send_within` its claim returned (the window's close or the validity's end, whichever first).
--
-- Validity. The deadline (`valid_until`) is fixed when the campaign is dispatched and never moves (pause
-- does not extend it; retry-failed does not revive expired messages). A pending message past it becomes
-- `expired`: at its claim, and within seconds by the worker's sweep (expire_overdue_messages), paused
-- campaigns included.

ALTER TABLE campaigns
    -- {"start": "08:00", "end": "20:00", "days": ["mon", ...]} (no "days": every day); null: no window.
    ADD COLUMN send_window jsonb,
    -- null: the channel's default (campaign_validity).
    ADD COLUMN validity interval,
    ADD COLUMN valid_until timestamptz;

ALTER TABLE outbound_messages ADD COLUMN not_before timestamptz;

-- The expiry sweep looks only at dispatched campaigns with a deadline that may still have pending messages.
CREATE INDEX idx_campaigns_valid_until ON campaigns (valid_until)
    WHERE valid_until IS NOT NULL AND status IN ('sending', 'paused');

-- How many of a campaign's messages wait for their window (stats.waiting): only those rows.
CREATE INDEX idx_outbound_messages_window_wait ON outbound_messages (campaign_id, not_before)
    WHERE status = 'pending' AND not_before IS NOT NULL;

-- Drills only: the time the send-window rules see, as a straight line through (real_anchor, seen_anchor)
-- with slope `rate`, so a drill can watch a day of windows open zone by zone in a minute. Empty in
-- production (the rules then see the real time). Every stored time stays real: the window functions
-- convert on the way in and out.
CREATE TABLE drill_clock (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    real_anchor timestamptz      NOT NULL,
    seen_anchor timestamptz      NOT NULL,
    rate        double precision NOT NULL CHECK (rate > 0)
);

CREATE FUNCTION window_clock_seen(p_real timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT seen_anchor + (p_real - real_anchor) * rate FROM drill_clock), p_real)
$$;

CREATE FUNCTION window_clock_real(p_seen timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT real_anchor + (p_seen - seen_anchor) / rate FROM drill_clock), p_seen)
$$;

-- The window's state at p_at for a recipient in p_zone: opens_at = p_at while it is open, else its next
-- opening; closes_at = the end of that opening. Local times that do not exist (a spring-forward gap) are
-- read as Postgres reads them (shifted forward by the gap). A named type, so a CASE can yield it.
CREATE TYPE send_window_state AS (opens_at timestamptz, closes_at timestamptz);

CREATE FUNCTION send_window_at(p_window jsonb, p_zone text, p_at timestamptz) RETURNS send_window_state
LANGUAGE plpgsql STABLE AS $$
DECLARE
    state send_window_state;
    local_now timestamp := window_clock_seen(p_at) AT TIME ZONE p_zone;
    opens time := (p_window->>'start')::time;
    closes time := (p_window->>'end')::time;
    day date;
BEGIN
    FOR i IN 0..7 LOOP
        day := local_now::date + i;
        CONTINUE WHEN p_window ? 'days' AND NOT (p_window->'days') ? to_char(day, 'dy');
        CONTINUE WHEN i = 0 AND local_now::time >= closes;
        state.opens_at := CASE WHEN i = 0 AND local_now::time >= opens THEN p_at
                               ELSE greatest(p_at, window_clock_real((day + opens) AT TIME ZONE p_zone)) END;
        state.closes_at := window_clock_real((day + closes) AT TIME ZONE p_zone);
        RETURN state;
    END LOOP;
    RETURN state; -- no day of the week is in the window: never opens (the API refuses such a window)
END
$$;

-- The zone a recipient's window is read in (null only between a write around the API and the backfill).
CREATE FUNCTION recipient_zone(p_timezone text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p_timezone, 'UTC')
$$;

-- A campaign's validity: its own, else the channel's default (none for sms, a day for whatsapp).
CREATE FUNCTION campaign_validity(p_validity interval, p_channel text) RETURNS interval LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p_validity, CASE WHEN p_channel = 'whatsapp' THEN interval '1 day' END)
$$;

-- Dispatch fixes the deadline: a send now from now; a scheduled campaign from its scheduled_at (the
-- dispatch it asked for: a late scheduler does not lengthen an offer).
CREATE OR REPLACE FUNCTION start_campaign_send(p_campaign_id bigint)
RETURNS TABLE (status text, base_template text, scheduled_at timestamptz, queued_at timestamptz)
LANGUAGE sql AS $$
    UPDATE campaigns
    SET status = CASE WHEN scheduled_at > now() THEN 'scheduled' ELSE 'sending' END,
        valid_until = CASE WHEN scheduled_at > now() THEN NULL ELSE now() + campaign_validity(validity, channel) END,
        audience_attached_at = now(), updated_at = now()
    WHERE id = p_campaign_id AND status IN ('draft', 'scheduled') AND audience_attached_at IS NULL
    RETURNING status, base_template, scheduled_at, now();
$$;

CREATE OR REPLACE FUNCTION dispatch_due_campaigns(p_limit int) RETURNS TABLE (id bigint) LANGUAGE sql AS $$
    UPDATE campaigns SET status = 'sending', valid_until = scheduled_at + campaign_validity(validity, channel), updated_at = now()
    WHERE id IN (
        SELECT id FROM campaigns
        WHERE status = 'scheduled' AND audience_attached_at IS NOT NULL AND scheduled_at <= now()
        ORDER BY scheduled_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED)
      AND status = 'scheduled'
    RETURNING id;
$$;

-- At the send, after the messages are written queued: those whose recipient's window is closed now wait
-- for its opening instead (no job is published for them). One window computation per zone, one update.
CREATE FUNCTION defer_to_send_windows(p_campaign_id bigint) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    deferred int;
BEGIN
    WITH zones AS (
        SELECT z.zone, w.opens_at
        FROM campaigns c
        CROSS JOIN LATERAL (
            SELECT DISTINCT recipient_zone(u.timezone) AS zone
            FROM outbound_messages m JOIN customers u ON u.id = m.customer_id
            WHERE m.campaign_id = c.id AND m.status = 'pending' AND m.queued_at IS NOT NULL) z
        CROSS JOIN LATERAL send_window_at(c.send_window, z.zone, now()) w
        WHERE c.id = p_campaign_id AND c.send_window IS NOT NULL AND w.opens_at > now())
    UPDATE outbound_messages m
    SET queued_at = NULL, next_attempt_at = zones.opens_at, not_before = zones.opens_at
    FROM customers u, zones
    WHERE m.campaign_id = p_campaign_id AND m.status = 'pending' AND m.queued_at IS NOT NULL
      AND u.id = m.customer_id AND recipient_zone(u.timezone) = zones.zone;
    GET DIAGNOSTICS deferred = ROW_COUNT;
    RETURN deferred;
END
$$;

-- pending (QUEUED with exactly this job's stamp, campaign sending) → sending with a lease; → cancelled when
-- the phone is opted out or suppressed; → expired past the campaign's deadline; or back to WAITING (still
-- pending, no attempt) until the window's next opening when the recipient's window is closed. Claimed rows
-- carry how long they may still go (send_within: until the window closes or the validity ends) and how
-- long they stay valid (valid_for), as durations, so the worker needs no clock agreement with Postgres.
DROP FUNCTION claim_messages(bigint[], timestamptz[], interval, text);
CREATE FUNCTION claim_messages(p_message_ids bigint[], p_queued_at timestamptz[], p_lease interval, p_send_trace text DEFAULT NULL)
RETURNS TABLE (id bigint, campaign_id bigint, retry_count int, rendered_content text, channel text, phone text, status text,
               attempt_provider text, attempt_unknown boolean, template_parameters text[], whatsapp_template jsonb,
               send_within interval, valid_for interval)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    PERFORM share_campaigns_of_messages(p_message_ids);
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
    FROM unnest(p_message_ids, p_queued_at) AS j(id, queued_at), campaigns c, customers u,
         -- OFFSET 0: worked out once per message, not once per expression that reads it.
         LATERAL (SELECT blocked_reason(u.opted_out, u.phone, c.channel) AS reason,
                         CASE WHEN c.send_window IS NOT NULL THEN send_window_at(c.send_window, recipient_zone(u.timezone), now()) END AS w
                  OFFSET 0) b,
         LATERAL (SELECT b.reason, (b.w).opens_at, least((b.w).closes_at, c.valid_until) AS send_by,
                         CASE WHEN b.reason IS NOT NULL THEN 'cancelled'
                              WHEN c.valid_until <= now() THEN 'expired'
                              WHEN (b.w).opens_at > now() THEN 'pending'
                              ELSE 'sending' END AS status) d
    WHERE m.id = j.id
      AND CASE WHEN m.status = 'pending' THEN true ELSE false END
      AND m.queued_at = j.queued_at
      AND c.id = m.campaign_id + 0 AND c.status = 'sending'
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

-- The expiry sweep: pending messages (queued or waiting) of dispatched campaigns past their deadline →
-- expired, up to p_limit a round, paused campaigns included. Returns how many per campaign (the worker
-- then completes those campaigns).
CREATE FUNCTION expire_overdue_messages(p_limit int) RETURNS TABLE (campaign_id bigint, channel text, expired int)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH overdue AS (
        SELECT d.id, c.channel
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
        WHERE m.id = overdue.id AND m.status = 'pending'
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

-- stats.waiting: of a campaign's pending messages, those waiting for their window (counted, from the partial
-- index, only for a dispatched campaign that has a window: every other campaign answers 0 without a read).
CREATE FUNCTION campaign_waiting_count(p_campaign_id bigint, p_send_window jsonb, p_status text) RETURNS int
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_send_window IS NOT NULL AND p_status IN ('sending', 'paused')
                THEN (SELECT count(*)::int FROM outbound_messages m
                      WHERE m.campaign_id = p_campaign_id AND m.status = 'pending' AND m.not_before > now())
                ELSE 0 END
$$;

DROP VIEW campaign_totals;
CREATE VIEW campaign_totals AS
SELECT c.id, c.name, c.channel, c.status, c.base_template, c.scheduled_at, c.audience_attached_at,
       c.whatsapp_template, c.created_at, c.updated_at, c.send_window, c.validity, c.valid_until,
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
