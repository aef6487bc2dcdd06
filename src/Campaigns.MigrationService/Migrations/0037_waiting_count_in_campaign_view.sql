-- A send window's waiting messages (api.md, "waiting_count") as a column of the view every campaign read uses, counted
-- only for a campaign sending or paused inside a window. Before, every row of every campaign read called
-- campaign_waiting_count(id, send_window, status), which checked that itself: Postgres 15 cannot inline a SQL function
-- whose body reads a table, and its SQL-function executor parses and plans the body again in every statement that
-- calls it. Profiled under the benchmark's list load (issue 17), that was a quarter of Postgres's CPU for a page of 21
-- campaigns, none of them in a window. Now the view's CASE decides, planned once with the statement, and the function
-- (late-bound, so the view holds no reference to outbound_messages) runs only where there is something to count.
CREATE FUNCTION campaign_waiting_count(p_campaign_id bigint) RETURNS int
LANGUAGE sql STABLE AS $$
    SELECT count(*)::int FROM outbound_messages m
    WHERE m.campaign_id = p_campaign_id AND m.status = 'pending' AND m.not_before > now()
$$;

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
       c.track_links,
       c.translations,
       c.default_language,
       c.personalization,
       variant_settings(c.variants, c.ab_test, c.winner) AS variant_settings,
       c.auto_translate,
       c.auto_translations,
       CASE WHEN c.send_window IS NOT NULL AND c.status IN ('sending', 'paused') THEN campaign_waiting_count(c.id) ELSE 0 END
           AS waiting_count
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

DROP FUNCTION campaign_waiting_count(bigint, jsonb, text);
