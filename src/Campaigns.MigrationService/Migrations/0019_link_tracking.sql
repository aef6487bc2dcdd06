-- Link tracking (issue #16): a campaign may turn each message's URLs into short links, GET /l/{code} redirects,
-- and clicks become message events and the campaign's clicked counter (docs/state-machine.md, "Clicks").

ALTER TABLE campaigns ADD COLUMN track_links boolean NOT NULL DEFAULT false;

-- The same view, track_links added at the end.
CREATE OR REPLACE VIEW campaign_totals AS
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
       c.clicked_count + coalesce(t.clicked_count, 0)         AS clicked_count,
       c.track_links
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

-- One row per message and URL. The send writes a chunk's links before the chunk's messages (their codes are in the
-- text, so a colliding code is replaced before any text is written): the reference to the message is checked at
-- commit. The redirect is one primary-key lookup.
CREATE TABLE links (
    code             text        PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z]{8}$'),
    message_id       bigint      NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    campaign_id      bigint      NOT NULL,
    url              text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    first_clicked_at timestamptz NULL
);
CREATE INDEX idx_links_message ON links (message_id);

-- The one writer of clicks. Every click is a 'clicked' event on its message (the detail the URL); the first click of a
-- link stamps its first_clicked_at; the first click of a message (none of its links clicked before) counts once in
-- its campaign's clicked counter. The links of the messages touched are locked first, in one order, so two writers
-- (two API replicas) cannot both count the same message. Codes no longer stored (deleted campaigns) are ignored.
CREATE FUNCTION record_link_clicks(p_codes text[], p_clicked_at timestamptz[]) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    campaign_ids bigint[];
BEGIN
    PERFORM 1 FROM links l
    WHERE l.message_id IN (SELECT k.message_id FROM links k WHERE k.code = ANY(p_codes))
    ORDER BY l.code
    FOR UPDATE;

    INSERT INTO message_events (message_id, at, type, detail)
    SELECT l.message_id, c.at, 'clicked', l.url
    FROM unnest(p_codes, p_clicked_at) WITH ORDINALITY AS c(code, at, n)
    JOIN links l ON l.code = c.code
    ORDER BY c.at, c.n;

    WITH firsts AS (
        SELECT c.code, min(c.at) AS at FROM unnest(p_codes, p_clicked_at) AS c(code, at) GROUP BY c.code),
    newly_clicked AS (
        SELECT DISTINCT l.message_id, l.campaign_id
        FROM links l JOIN firsts f ON f.code = l.code
        WHERE NOT EXISTS (SELECT 1 FROM links o WHERE o.message_id = l.message_id AND o.first_clicked_at IS NOT NULL)),
    stamped AS (
        UPDATE links l SET first_clicked_at = f.at
        FROM firsts f
        WHERE l.code = f.code AND l.first_clicked_at IS NULL
        RETURNING l.code)
    SELECT array_agg(n.campaign_id) INTO campaign_ids FROM newly_clicked n;

    IF campaign_ids IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM add_campaign_tallies(campaign_ids, array_fill('clicked'::text, ARRAY[cardinality(campaign_ids)]),
                                 array_fill(1, ARRAY[cardinality(campaign_ids)]));
    RETURN cardinality(campaign_ids);
END
$$;
