-- The A/B test's release addresses its messages with the campaign (issue #17; 0031; docs/scale.md, "Partitioned
-- messages"). It releases one campaign's held messages, read by campaign just before (MessageRelease); by id alone each
-- would cost a probe of all 16 partitions, by (id, campaign_id) one, in the campaign's partition, pruned when the
-- statement starts. Otherwise 0026's function.

DROP FUNCTION release_held_messages(bigint[], text[], text[], text[], timestamptz, timestamptz);
CREATE FUNCTION release_held_messages(p_campaign_id bigint, p_ids bigint[], p_variants text[], p_texts text[], p_languages text[],
                                      p_queued_at timestamptz, p_due_at timestamptz)
RETURNS int LANGUAGE sql AS $$
    WITH released AS (
        UPDATE outbound_messages m
        SET variant = u.variant, rendered_content = u.text, language = u.language, queued_at = p_queued_at,
            next_attempt_at = coalesce(p_due_at, now()), updated_at = now()
        FROM unnest(p_ids, p_variants, p_texts, p_languages) AS u(id, variant, text, language)
        WHERE m.campaign_id = p_campaign_id AND m.id = u.id AND m.status = 'pending' AND m.variant IS NULL
        RETURNING 1)
    SELECT count(*)::int FROM released
$$;
