-- The settings of issue 16 (personalization, variants, A/B test and winner, auto_translate) as columns of the view the
-- campaign reads use, appended at the end. Their branches read them through one-row functions
-- (campaign_personalization(id), …) so as not to redefine this view side by side; called for each row of a list page,
-- those calls tripled the CPU of a campaign read (benchmark, session 9: 2.9 ms a list page in Postgres). The functions
-- stay for the single-row reads of the send and the A/B decision.
-- One home for the shape of a campaign's variant settings: an expression, so Postgres inlines it wherever it is used.
CREATE FUNCTION variant_settings(p_variants jsonb, p_ab_test jsonb, p_winner text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_variants IS NULL AND p_ab_test IS NULL THEN NULL
                ELSE jsonb_build_object('variants', p_variants, 'ab_test', p_ab_test, 'winner', p_winner) END
$$;

CREATE OR REPLACE FUNCTION campaign_variant_settings(p_campaign_id bigint) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT variant_settings(c.variants, c.ab_test, c.winner) FROM campaigns c WHERE c.id = p_campaign_id
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
       c.auto_translations
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
