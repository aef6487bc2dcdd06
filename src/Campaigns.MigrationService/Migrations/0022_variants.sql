-- Variants and the A/B test (issue #16; api.md, "Variants, links and languages"; docs/state-machine.md, "A/B test").
--
-- A campaign may carry 2–5 variants (each recipient gets one by a stable hash, computed by the API:
-- Campaigns.Core.Content.VariantAssignment) and an A/B test: the sample (the lowest sample ranks) is written rendered
-- with its variants, the rest pending with variant and rendered_content null, no job and never due (next_attempt_at
-- 'infinity': no sweep, resume or claim reaches them; not_before null: never counted as waiting). After decide_at the
-- worker's AbTestDecider sets winner (conditional on winner IS NULL: one replica decides) and, in the same
-- transaction, renders the rest with the winner and makes them due for the retry driver.

ALTER TABLE campaigns
    ADD COLUMN variants jsonb NULL,
    ADD COLUMN ab_test  jsonb NULL,
    ADD COLUMN winner   text  NULL,
    -- Set by the send with the A/B test: the dispatch (now, or scheduled_at) + decide_after.
    ADD COLUMN decide_at timestamptz NULL;

-- The decider's sweep: undecided tests only.
CREATE INDEX idx_campaigns_undecided ON campaigns (decide_at) WHERE decide_at IS NOT NULL AND winner IS NULL;

ALTER TABLE outbound_messages
    ADD COLUMN variant text NULL,
    -- An A/B test's rest has no text until the winner is known.
    ALTER COLUMN rendered_content DROP NOT NULL;

-- stats.variants and the decision count a campaign's messages per variant and status (read_at for `read`) from this
-- index alone; messages without a variant (every campaign without variants) are not in it, so it costs their sends
-- nothing.
CREATE INDEX idx_outbound_messages_variant ON outbound_messages (campaign_id, variant, status) INCLUDE (read_at)
    WHERE variant IS NOT NULL;

-- A campaign's variants, A/B test and winner, for reads of campaigns and of campaign_totals alike (kept out of the view,
-- which languages and personalization also extend): { "variants", "ab_test", "winner" }, null members for none.
CREATE FUNCTION campaign_variant_settings(p_campaign_id bigint) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN c.variants IS NULL AND c.ab_test IS NULL THEN NULL
                ELSE jsonb_build_object('variants', c.variants, 'ab_test', c.ab_test, 'winner', c.winner) END
    FROM campaigns c WHERE c.id = p_campaign_id
$$;

-- The clicked links of a campaign (few, and only those), for its clicks per variant.
CREATE INDEX idx_links_clicked ON links (campaign_id) WHERE first_clicked_at IS NOT NULL;

-- A campaign's counters per variant (stats.variants; the A/B decision's sample sizes and metrics), counted from the
-- messages themselves through idx_outbound_messages_variant (an index-only scan: ~100,000 rows in tens of ms) and the
-- clicked links (idx_links_clicked): the same counters as stats, with clicked the messages with a clicked link. Messages
-- without a variant (an undecided rest: never clicked, having no links) are in no row.
CREATE FUNCTION variant_counts(p_campaign_id bigint)
RETURNS TABLE (variant text, total int, pending int, sending int, sent int, delivered int, undelivered int, failed int,
               cancelled int, expired int, read int, clicked int)
-- No JIT: its compile time (tens of ms) would exceed the whole count for any campaign it would choose it for.
LANGUAGE sql STABLE SET jit = off AS $$
    WITH clicks AS (
        -- Each clicked link's message by its primary key: the work grows with the clicks, never with the table.
        SELECT (SELECT m.variant FROM outbound_messages m WHERE m.id = l.message_id) AS variant,
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
