-- The workers' message counters, apart from the campaign row.
--
-- Claims and outcome batches used to move the counters on the campaign row, so every batch of a
-- campaign waited for the previous one to commit: one campaign was delivered by one backend at a
-- time. Now a worker transaction only shares the campaign row (FOR SHARE: it still excludes a
-- pause, cancel or completion, which lock it for update) and adds its counts to one of a few tally
-- rows, picked by its backend, so concurrent batches of a campaign run side by side.
--
-- A campaign's counts are its row's counters plus the sum of its tallies (campaign_totals below).
-- Whoever locks the row for update (control actions, completion) first folds the tallies into the
-- row with fold_campaign_tallies, and from then on works with the row's counters alone.
CREATE TABLE campaign_tallies (
    campaign_id     bigint   NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    slot            smallint NOT NULL,
    pending_count   integer  NOT NULL DEFAULT 0,
    sending_count   integer  NOT NULL DEFAULT 0,
    sent_count      integer  NOT NULL DEFAULT 0,
    failed_count    integer  NOT NULL DEFAULT 0,
    cancelled_count integer  NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, slot)
);

-- Campaigns with their true counters: what every reader of stats uses.
CREATE VIEW campaign_totals AS
SELECT c.id, c.name, c.channel, c.status, c.base_template, c.scheduled_at, c.audience_attached_at,
       c.created_at, c.updated_at, c.total_count,
       c.pending_count + coalesce(t.pending_count, 0)     AS pending_count,
       c.sending_count + coalesce(t.sending_count, 0)     AS sending_count,
       c.sent_count + coalesce(t.sent_count, 0)           AS sent_count,
       c.failed_count + coalesce(t.failed_count, 0)       AS failed_count,
       c.cancelled_count + coalesce(t.cancelled_count, 0) AS cancelled_count
FROM campaigns c
LEFT JOIN LATERAL (
    SELECT sum(pending_count)::int AS pending_count, sum(sending_count)::int AS sending_count,
           sum(sent_count)::int AS sent_count, sum(failed_count)::int AS failed_count,
           sum(cancelled_count)::int AS cancelled_count
    FROM campaign_tallies WHERE campaign_id = c.id
) t ON true;

-- Locks the campaigns for update (waiting for the worker transactions that share them), then moves
-- their tallies into the rows' counters. Each statement of a volatile SQL function takes a fresh
-- snapshot, so the fold sees every tally committed before the lock was granted.
CREATE FUNCTION fold_campaign_tallies(campaign_ids bigint[]) RETURNS void LANGUAGE sql AS $$
    SELECT 1 FROM campaigns WHERE id = ANY(campaign_ids) ORDER BY id FOR NO KEY UPDATE;

    WITH folded AS (
        DELETE FROM campaign_tallies WHERE campaign_id = ANY(campaign_ids)
        RETURNING campaign_id, pending_count, sending_count, sent_count, failed_count, cancelled_count
    ),
    sums AS (
        SELECT campaign_id, sum(pending_count)::int AS pending, sum(sending_count)::int AS sending,
               sum(sent_count)::int AS sent, sum(failed_count)::int AS failed, sum(cancelled_count)::int AS cancelled
        FROM folded GROUP BY campaign_id
    )
    UPDATE campaigns c
    SET pending_count = c.pending_count + s.pending,
        sending_count = c.sending_count + s.sending,
        sent_count = c.sent_count + s.sent,
        failed_count = c.failed_count + s.failed,
        cancelled_count = c.cancelled_count + s.cancelled
    FROM sums s
    WHERE c.id = s.campaign_id;
$$;
